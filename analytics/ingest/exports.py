"""The standard exports of SAP, Odoo, ERPNext and Business Central, as data (`Profile`s).

Headers and meanings come from each ERP's own field labels and report definitions; where each
came from, and what could not be checked against a live system: tests/fixtures/erp/README.md.
Each entry's rules are explained in `profiles`; docs/erp-exports.md lists them for users.
"""

from __future__ import annotations

from analytics.ingest.exports_defects import DEFECT_EXPORTS
from analytics.ingest.mapping import normalise
from analytics.ingest.profiles import LINE, DatePlus, Keep, Profile, as_in_file
from analytics.ingest.stock_exports import STOCK_PROFILES

PROFILES: list[Profile] = []


_CANCELLED = {"cancelled": "cancelled", "canceled": "cancelled", "cancel": "cancelled"}
_SAP_DELETED = {"L": "cancelled", "X": "cancelled"}  # the item's deletion indicator

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

PROFILES += STOCK_PROFILES  # MB52, Odoo quants, BC item ledger, ERPNext stock ledger
PROFILES += DEFECT_EXPORTS

# Recognised, so never read as another table, but not read yet: each is refused saying so.
_RECOGNISED: list[tuple[str, str, str, tuple[str, ...], str]] = []  # none at present
PROFILES += [
    Profile(erp, export, kind, {}, signature, unsupported=why)
    for erp, export, kind, signature, why in _RECOGNISED
]


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
            found.append(as_in_file(profile, present, columns))
    return sorted(found, key=lambda p: len(p.signature), reverse=True)
