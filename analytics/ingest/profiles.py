"""The standard exports of the common ERPs, recognised by their headers and read as meant.

A profile is data, not code: the ERP and export it describes, the table it fills, the
headers that identify it (its signature: all must be present, compared as the mapping
compares headers, so case, spacing and punctuation do not matter) and what each of its
headers means. A repeated header is named by its position (`Item (2)` is the second
`Item`, see `reader.unique_headers`). Adding an export is adding an entry to PROFILES;
docs/erp-exports.md lists them with the menu path that produces each.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from analytics.ingest.mapping import normalise

LINE = "#line"  # a column filled with the line's position within its document
ATTACHED = ("supplier", "sku", "order_date", "promised_date", "ordered_qty", "unit_cost", "site")


@dataclass(frozen=True)
class Keep:
    """Rows whose `header` holds one of `values` are read; the others are skipped, counted
    under `reason` (movements that are not receipts, quotes, comment lines, totals). No
    values: the header must not be blank. `also`: further headers, any of which may hold
    one of the values (a move is a vendor's when either of its locations is the vendor's)."""

    header: str
    values: tuple[str, ...]
    reason: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class DatePlus:
    date: str  # the header of the date
    days: str  # the header of the days (a duration: '17d')
    when: str  # the header that must hold one of `values`
    values: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    erp: str
    export: str  # the list or report, as the ERP names it
    kind: str  # the canonical table it fills
    columns: dict[str, str]  # header as exported -> canonical column (or LINE -> column)
    signature: tuple[str, ...] = ()  # headers that identify it; default: every mapped one
    keep: tuple[Keep, ...] = ()
    fill_down: tuple[str, ...] = ()  # blank cells repeat the row above (continuation rows)
    line_of: str = ""  # the document header whose rows LINE numbers 1, 2, ...
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # header: {value: meaning}
    cut: dict[str, str] = field(default_factory=dict)  # header: text before this separator
    or_else: dict[str, str] = field(default_factory=dict)  # header: header read when blank
    durations: tuple[str, ...] = ()  # date formulas "2W", "10D", "1M" -> days
    negate: dict[str, tuple[str, str]] = field(default_factory=dict)  # header: (when, value)
    date_order: str | None = None  # "monthfirst" for exports that write M/D/YYYY
    per: dict[str, str] = field(default_factory=dict)  # column -> header of its price unit
    joined: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> headers, '/'
    # Receipts only: each row attaches to a PO line already stored or in the same load,
    # which gives it what a receipt does not carry (ATTACHED); by line, or by sku when
    # the export has no line number.
    attach_by: tuple[str, ...] = ()  # ("po_number", "po_line") or ("po_number", "sku")
    # column -> a date plus a number of days, read only where a header holds given values:
    # ERPNext's ship date is the order date plus "Time Taken to Deliver", once delivered
    date_plus: dict[str, DatePlus] = field(default_factory=dict)
    unsupported: str = ""  # recognised, but not read yet: why (the file is refused)
    source: str = ""  # where the headers were taken from

    @property
    def name(self) -> str:
        return f"{self.erp} {self.export}"

    @property
    def identifying(self) -> tuple[str, ...]:
        return self.signature or tuple(self.columns)

    @property
    def rule_headers(self) -> set[str]:
        """Headers the profile reads for its rules, though they fill no column."""
        return {
            *(k.header for k in self.keep),
            *(h for k in self.keep for h in k.also),
            *(when for when, _ in self.negate.values()),
            *self.or_else.values(),
            *self.per.values(),
            *(h for hs in self.joined.values() for h in hs),
            *(h for d in self.date_plus.values() for h in (d.date, d.days, d.when)),
            *([self.line_of] if self.line_of else []),
        }


PROFILES: list[Profile] = []


def matching_profiles(headers: list[str]) -> list[Profile]:
    """The profiles whose whole signature is among the headers, most specific first; the
    profile's header names are then those of the file (same normal form)."""
    present = {normalise(h): h for h in headers}
    found = []
    for profile in PROFILES:
        if all(normalise(h) in present for h in profile.identifying):
            columns = {
                present[normalise(h)]: c
                for h, c in profile.columns.items()
                if normalise(h) in present
            }
            found.append(_as_in_file(profile, present, columns))
    return sorted(found, key=lambda p: len(p.signature), reverse=True)


def _as_in_file(profile: Profile, present: dict[str, str], columns: dict[str, str]) -> Profile:
    """The profile with the file's own spelling of each header it names."""

    def own(header: str) -> str:
        return present.get(normalise(header), header)

    if LINE in profile.columns:
        columns[LINE] = profile.columns[LINE]
    return replace(
        profile,
        columns=columns,
        signature=profile.identifying,
        keep=tuple(
            replace(k, header=own(k.header), also=tuple(own(h) for h in k.also))
            for k in profile.keep
        ),
        negate={own(h): (own(when), value) for h, (when, value) in profile.negate.items()},
        fill_down=tuple(own(h) for h in profile.fill_down),
        line_of=own(profile.line_of) if profile.line_of else "",
        values={own(h): v for h, v in profile.values.items()},
        cut={own(h): sep for h, sep in profile.cut.items()},
        or_else={own(h): own(o) for h, o in profile.or_else.items()},
        durations=tuple(own(h) for h in profile.durations),
        per={c: own(h) for c, h in profile.per.items()},
        joined={c: tuple(own(h) for h in hs) for c, hs in profile.joined.items()},
        date_plus={
            c: DatePlus(own(d.date), own(d.days), own(d.when), d.values)
            for c, d in profile.date_plus.items()
        },
    )


# -- the exports -------------------------------------------------------------------------
# Headers and meanings from each ERP's own field labels and report definitions; where each
# came from, and what could not be checked against a live system: tests/fixtures/erp/README.md.
_CANCELLED = {"cancelled": "cancelled", "canceled": "cancelled", "cancel": "cancelled"}
_SAP_DELETED = {"L": "cancelled", "X": "cancelled"}  # the item's deletion indicator
_ATTACH = "a receipts-only file attaches to PO lines, which this version does not do yet"

PROFILES += [
    Profile(
        "SAP",
        "ME2M purchase order items",
        "deliveries",
        {
            "Purchasing Document": "po_number",
            "Item": "po_line",
            "Document Date": "order_date",
            "Supplier/Supplying Plant": "supplier",
            "Material": "sku",
            "Plant": "site",
            "Deletion Indicator": "status",
            "Order Quantity": "ordered_qty",
            "Net Price": "unit_cost",
            "Delivery Date": "promised_date",
        },
        signature=("Purchasing Document", "Supplier/Supplying Plant", "Order Quantity"),
        values={"Deletion Indicator": _SAP_DELETED},
        cut={"Supplier/Supplying Plant": " "},  # "100001 Bolt & Nut GmbH": the vendor number
        per={"unit_cost": "Price Unit"},  # the net price is per 1, 10, 100 ... units
        date_order="monthfirst",
        source="SAP ME2M ALV layout (EKKO/EKPO/EKET labels)",
    ),
    Profile(
        "SAP",
        "ME2M Bestellpositionen",
        "deliveries",
        {
            "Einkaufsbeleg": "po_number",
            "Position": "po_line",
            "Belegdatum": "order_date",
            "Lieferant/Lieferwerk": "supplier",
            "Material": "sku",
            "Werk": "site",
            "Löschkennzeichen": "status",
            "Bestellmenge": "ordered_qty",
            "Nettopreis": "unit_cost",
            "Lieferdatum": "promised_date",
        },
        signature=("Einkaufsbeleg", "Lieferant/Lieferwerk", "Bestellmenge"),
        values={"Löschkennzeichen": _SAP_DELETED},
        cut={"Lieferant/Lieferwerk": " "},
        per={"unit_cost": "Preiseinheit"},
        source="SAP ME2M ALV layout, German labels",
    ),
    Profile(
        "SAP",
        "QM notifications (QM11)",
        "defects",
        {
            "Notification": "defect_id",
            "Notification Type": "stage",
            "Notification Date": "date",
            "Description": "cause",
            "Material": "sku",
            "Plant": "site",
            "Vendor": "supplier",
            "Purchasing Document": "po_number",
            "Complaint Quantity": "qty",
        },
        signature=("Notification", "Notification Type", "Complaint Quantity"),
        values={"Notification Type": {"Q1": "customer", "Q2": "receiving", "Q3": "production"}},
        date_order="monthfirst",
        source="SAP QMEL/QMFE labels",
    ),
    Profile(
        "Odoo",
        "purchase order lines (Purchase > Orders, export)",
        "deliveries",
        {
            "Order Reference": "po_number",
            "Vendor": "supplier",
            "Confirmation Date": "order_date",
            "Deliver To": "site",
            "Status": "status",
            "Order Lines/Product": "sku",
            "Order Lines/Quantity": "ordered_qty",
            "Order Lines/Unit Price": "unit_cost",
            "Order Lines/Expected Arrival": "promised_date",
            LINE: "po_line",
        },
        signature=("Order Reference", "Order Lines/Product", "Order Lines/Quantity"),
        fill_down=(
            "Order Reference",
            "Vendor",
            "Confirmation Date",
            "Order Deadline",
            "Deliver To",
            "Status",
        ),
        line_of="Order Reference",
        values={"Status": _CANCELLED},
        cut={"Deliver To": ":"},  # "San Francisco: Receipts": the warehouse
        or_else={"Confirmation Date": "Order Deadline"},
        source="odoo/odoo addons/purchase/models/purchase_order(_line).py field strings",
    ),
    Profile(
        "ERPNext",
        "Purchase Order report view with Purchase Order Item",
        "deliveries",
        {
            "ID": "po_number",
            "Supplier": "supplier",
            "Date": "order_date",
            "Status": "status",
            "Item Code (Purchase Order Item)": "sku",
            "Quantity (Purchase Order Item)": "ordered_qty",
            "Rate (Purchase Order Item)": "unit_cost",
            "Required By (Purchase Order Item)": "promised_date",
            "Target Warehouse (Purchase Order Item)": "site",
            LINE: "po_line",
        },
        signature=("ID", "Item Code (Purchase Order Item)", "Quantity (Purchase Order Item)"),
        keep=(Keep("Item Code (Purchase Order Item)", (), "a totals row (no item)"),),
        line_of="ID",
        values={"Status": _CANCELLED},
        source="frappe/erpnext purchase_order(_item).json labels; frappe desk/reportview.py",
    ),
    Profile(
        "ERPNext",
        "Sales Order Analysis",
        "orders",
        {
            "Date": "order_date",
            "Sales Order": "order_number",
            "Status": "status",
            "Customer": "customer",
            "Item Code": "sku",
            "Qty": "ordered_qty",
            "Delivered Qty": "shipped_qty",
            "Delivery Date": "requested_date",
            "Warehouse": "site",
            LINE: "order_line",
        },
        signature=("Sales Order", "Qty to Deliver", "Delivered Qty", "Delivery Date"),
        keep=(Keep("Sales Order", (), "a totals row (no order)"),),
        line_of="Sales Order",
        durations=("Time Taken to Deliver",),
        date_plus={
            "shipped_date": DatePlus(
                "Date", "Time Taken to Deliver", "Status", ("To Bill", "Completed")
            )
        },
        source="frappe/erpnext selling/report/sales_order_analysis",
    ),
    Profile(
        "Business Central",
        "Purchase Lines",
        "deliveries",
        {
            "Document No.": "po_number",
            "Line No.": "po_line",
            "Buy-from Vendor No.": "supplier",
            "No.": "sku",
            "Location Code": "site",
            "Quantity": "ordered_qty",
            "Direct Unit Cost": "unit_cost",
            "Order Date": "order_date",
            "Expected Receipt Date": "promised_date",
        },
        signature=("Document Type", "Document No.", "Buy-from Vendor No.", "Outstanding Quantity"),
        keep=(
            Keep("Document Type", ("Order",), "not an order line (a quote, invoice or return)"),
            Keep("Type", ("Item",), "not an item line (a comment, G/L account or charge)"),
        ),
        date_order="monthfirst",
        source="BC Base App page 518 Purchase Lines",
    ),
    Profile(
        "Business Central",
        "Item List",
        "items",
        {
            "No.": "sku",
            "Description": "description",
            "Unit Cost": "unit_cost",
            "Lead Time Calculation": "planned_lead_time_days",
            "Item Category Code": "category",
        },
        signature=("No.", "Description", "Type", "Base Unit of Measure", "Lead Time Calculation"),
        keep=(Keep("Type", ("Inventory",), "not an inventory item (a service or non-stock)"),),
        durations=("Lead Time Calculation",),
        source="BC Base App page 31 Item List",
    ),
]

_RECEIPT_MOVEMENTS = ("101", "102", "122", "161", "162")  # receipt, reversal, returns
PROFILES += [
    Profile(
        "SAP",
        "MB51 material documents",
        "deliveries",
        {
            "Material": "sku",
            "Plant": "site",
            "Posting Date": "received_date",
            "Qty in Un. of Entry": "received_qty",
            "Purchase Order": "po_number",
            "Item (2)": "po_line",
            "Vendor": "supplier",
        },
        signature=("Material Document", "Movement Type", "Posting Date", "Qty in Un. of Entry"),
        keep=(
            Keep(
                "Movement Type",
                _RECEIPT_MOVEMENTS,
                "not a supplier receipt (a goods issue, transfer or scrapping)",
            ),
        ),
        joined={"receipt_id": ("Material Document", "Item")},
        attach_by=("po_number", "po_line"),
        date_order="monthfirst",
        source="SAP MB51 ALV layout (MSEG/MATDOC labels)",
    ),
    Profile(
        "SAP",
        "MB51 Materialbelege",
        "deliveries",
        {
            "Material": "sku",
            "Werk": "site",
            "Buchungsdatum": "received_date",
            "Menge in ErfassME": "received_qty",
            "Bestellung": "po_number",
            "Position (2)": "po_line",
            "Lieferant": "supplier",
        },
        signature=("Materialbeleg", "Bewegungsart", "Buchungsdatum", "Menge in ErfassME"),
        keep=(
            Keep(
                "Bewegungsart",
                _RECEIPT_MOVEMENTS,
                "not a supplier receipt (a goods issue, transfer or scrapping)",
            ),
        ),
        joined={"receipt_id": ("Materialbeleg", "Position")},
        attach_by=("po_number", "po_line"),
        source="SAP MB51 ALV layout, German labels",
    ),
    Profile(
        "Business Central",
        "Posted Purchase Receipt Lines",
        "deliveries",
        {
            "Posting Date": "received_date",
            "Buy-from Vendor No.": "supplier",
            "No.": "sku",
            "Location Code": "site",
            "Quantity": "received_qty",
            "Order No.": "po_number",
            "Order Line No.": "po_line",
        },
        signature=("Document No.", "Order No.", "Order Line No.", "Correction"),
        keep=(Keep("Type", ("Item",), "not an item line (a charge, G/L account or comment)"),),
        joined={"receipt_id": ("Document No.", "Line No.")},
        attach_by=("po_number", "po_line"),
        date_order="monthfirst",
        source="BC Base App page 528 Posted Purchase Receipt Lines",
    ),
]

_VENDORS = "Partners/Vendors"
PROFILES.append(
    Profile(
        "Odoo",
        "stock moves (Inventory > Reporting > Moves Analysis)",
        "deliveries",
        {
            "Date Scheduled": "received_date",
            "Reference": "receipt_id",
            "Source Document": "po_number",
            "Product": "sku",
            "Quantity": "received_qty",
        },
        signature=("Date Scheduled", "Source Document", "Source Location", "Destination Location"),
        keep=(
            Keep("Status", ("Done",), "not done (reserved, waiting or cancelled)"),
            Keep(
                "Source Location",
                (_VENDORS,),
                "not a move from or to a vendor (production, transfer, scrap, customer)",
                also=("Destination Location",),
            ),
        ),
        negate={"Quantity": ("Destination Location", _VENDORS)},  # a return to the vendor
        attach_by=("po_number", "sku"),
        source="odoo/odoo addons/stock/models/stock_move.py field strings",
    )
)

# Recognised, so never read as another table, but not read yet: each is refused saying so.
_RECOGNISED = [
    (
        "SAP",
        "MB52 warehouse stocks",
        "inventory",
        ("Material", "Unrestricted", "In Quality Insp.", "Blocked"),
        "it carries no snapshot date, and this version cannot be told one yet",
    ),
    (
        "Odoo",
        "stock quants",
        "inventory",
        ("Warehouse", "Location", "Product", "Value"),
        "it carries no snapshot date, and this version cannot be told one yet",
    ),
    (
        "Odoo",
        "scrap orders",
        "defects",
        ("Reference", "Scrap Reason", "Source Location"),
        "its continuation rows (a second scrap tag) are not read yet",
    ),
    (
        "ERPNext",
        "Purchase Receipt report view with Purchase Receipt Item",
        "deliveries",
        (
            "ID",
            "Accepted Quantity (Purchase Receipt Item)",
            "Purchase Order (Purchase Receipt Item)",
        ),
        _ATTACH,
    ),
    (
        "ERPNext",
        "Stock Ledger",
        "inventory",
        ("Voucher #", "Balance Qty", "In Qty", "Out Qty"),
        "its balances per item and warehouse are not turned into snapshots yet",
    ),
    (
        "Business Central",
        "Item Ledger Entries",
        "inventory",
        ("Entry Type", "Item No.", "Remaining Quantity", "Entry No."),
        "its remaining quantities are not summed into snapshots yet",
    ),
]
PROFILES += [
    Profile(erp, export, kind, {}, signature, unsupported=why)
    for erp, export, kind, signature, why in _RECOGNISED
]
