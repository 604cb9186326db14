"""The canonical tables of METRICS.md section 1, described once.

The importer, the DDL, the docs and the tests all read these descriptions, so a column's
type, whether it is required, its default and the header aliases it answers to live here
and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT, DATE, NUMBER = "text", "date", "number"

SQL_TYPES = {TEXT: "VARCHAR", DATE: "DATE", NUMBER: "DOUBLE"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    key: bool = False
    default: str | float | None = None
    minimum: float | None = None
    strict_minimum: bool = False  # True: value must be > minimum, else >= minimum
    aliases: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    label: str
    columns: tuple[Column, ...]
    description: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.key)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _qty(name, required=False, positive=False, aliases=(), note="", default=None):
    return Column(
        name,
        NUMBER,
        required=required,
        default=default,
        minimum=0.0,
        strict_minimum=positive,
        aliases=aliases,
        note=note,
    )


SKU_ALIASES = ("SKU", "Item Code", "Material", "MATNR", "Part Number", "Product", "Article")


def _sku(key=False, extra=()):
    """The sku column every table has, with the aliases ERPs use for it."""
    return Column("sku", TEXT, required=True, key=key, aliases=SKU_ALIASES + tuple(extra))


def _site(key=False):
    """The plant or warehouse a row belongs to; empty = the one site of a single-site plant."""
    return Column(
        "site",
        TEXT,
        key=key,
        default="",
        aliases=("Site", "Plant", "Warehouse", "WERKS", "Location Code"),
        note="plant or warehouse; default empty (one site)",
    )


def _currency():
    """The ISO 4217 code of a row's money columns; empty = the currency setting (the base)."""
    return Column(
        "currency",
        TEXT,
        default="",
        aliases=CURRENCY_ALIASES,
        note="ISO 4217 code of the row's money; empty = the currency setting",
    )


CURRENCY_ALIASES = ("Currency", "Currency Code", "Waers", "Curr")


def _status():
    """The ERP's line status, stored verbatim; a cancelled line counts in no figure."""
    return Column(
        "status",
        TEXT,
        aliases=("Status", "Line Status"),
        note="the ERP's line status; a cancelled line is kept but counts nowhere",
    )


DELIVERIES = Table(
    "deliveries",
    "Supplier deliveries",
    (
        Column(
            "po_number",
            TEXT,
            required=True,
            key=True,
            aliases=(
                "PO Number",
                "PO No",
                "PO",
                "PO #",
                "Purchase Order",
                "Purchase Order Number",
                "Purchasing Document",
                "EBELN",
                "Document Number",
                "Order Number",
            ),
        ),
        Column(
            "po_line",
            TEXT,
            key=True,
            default="1",
            aliases=(
                "PO Line",
                "Line",
                "Item",
                "EBELP",
                "Line No",
                "Line No.",
                "Line Number",
                "PO Item",
                "Item No",
            ),
        ),
        Column(
            "receipt_id",
            TEXT,
            key=True,
            default="",
            aliases=(
                "Receipt ID",
                "GRN",
                "GRN No",
                "Receipt No.",
                "Receipt Number",
                "Material Document",
                "MBLNR",
                "Goods Receipt",
                "Receipt",
            ),
        ),
        Column(
            "supplier",
            TEXT,
            required=True,
            aliases=(
                "Supplier",
                "Vendor",
                "Supplier Name",
                "Vendor Name",
                "Vendor No.",
                "Vendor Number",
                "LIFNR",
                "Supplier ID",
            ),
        ),
        _sku(extra=("Material Number", "Part No", "Product Code")),
        Column(
            "order_date",
            DATE,
            required=True,
            aliases=("Order Date", "PO Date", "BEDAT", "Document Date", "Purchase Date"),
        ),
        Column(
            "promised_date",
            DATE,
            required=True,
            aliases=(
                "Promised Date",
                "Delivery Date",
                "EINDT",
                "Expected Arrival",
                "Schedule Date",
                "Due Date",
                "Need By Date",
                "Confirmed Date",
            ),
        ),
        _qty(
            "ordered_qty",
            required=True,
            positive=True,
            aliases=(
                "Ordered Qty",
                "Quantity",
                "Order Quantity",
                "Order Qty",
                "MENGE",
                "PO Quantity",
                "Qty Ordered",
                "Quantity Ordered",
            ),
        ),
        Column(
            "received_date",
            DATE,
            aliases=(
                "Received Date",
                "Receipt Date",
                "Posting Date",
                "BUDAT",
                "GR Date",
                "Goods Receipt Date",
                "Date Received",
            ),
        ),
        Column(
            "received_qty",
            NUMBER,
            aliases=(
                "Received Qty",
                "Quantity Received",
                "ERFMG",
                "Qty Received",
                "GR Quantity",
                "Receipt Quantity",
                "Received Quantity",
            ),
            note="negative = a reversal or a return of an earlier receipt",
        ),
        _qty("unit_cost", aliases=("Unit Cost", "Net Price", "Unit Price", "Price", "NETPR")),
        _currency(),
        _site(),
        _status(),
    ),
    "Inbound supplier receipts against purchase-order lines; several rows of one PO line "
    "are split receipts.",
)

ORDERS = Table(
    "orders",
    "Customer orders",
    (
        Column(
            "order_number",
            TEXT,
            required=True,
            key=True,
            aliases=(
                "Order Number",
                "Sales Order",
                "SO Number",
                "SO No",
                "Order No",
                "Sales Order Number",
                "VBELN",
                "Sales Document",
            ),
        ),
        Column(
            "order_line",
            TEXT,
            key=True,
            default="1",
            aliases=("Order Line", "Line", "Line No", "Item", "POSNR", "SO Line"),
        ),
        Column(
            "customer",
            TEXT,
            aliases=("Customer", "Customer Name", "Sold To", "KUNNR", "Customer ID"),
        ),
        _sku(extra=("Product Code",)),
        Column(
            "order_date",
            DATE,
            required=True,
            aliases=("Order Date", "SO Date", "AUDAT", "Document Date"),
        ),
        Column(
            "requested_date",
            DATE,
            required=True,
            aliases=(
                "Requested Date",
                "Requested Delivery Date",
                "Due Date",
                "Need By",
                "Need By Date",
                "Customer Requested Date",
                "Required Date",
            ),
        ),
        Column(
            "shipped_date",
            DATE,
            aliases=(
                "Shipped Date",
                "Ship Date",
                "Goods Issue Date",
                "Shipping Date",
                "Delivery Date",
                "WADAT",
            ),
        ),
        _qty(
            "ordered_qty",
            required=True,
            positive=True,
            aliases=(
                "Ordered Qty",
                "Quantity",
                "Order Quantity",
                "Order Qty",
                "Qty Ordered",
                "KWMENG",
            ),
        ),
        _qty(
            "shipped_qty",
            aliases=(
                "Shipped Qty",
                "Quantity Shipped",
                "Qty Shipped",
                "Delivered Qty",
                "Shipped Quantity",
            ),
        ),
        _qty("unit_price", aliases=("Unit Price", "Price", "Net Price", "Selling Price")),
        _currency(),
        _site(),
        _status(),
    ),
    "Outbound customer order lines: the demand the plant serves.",
)

DEFECTS = Table(
    "defects",
    "Defects",
    (
        Column(
            "defect_id",
            TEXT,
            key=True,
            aliases=(
                "Defect ID",
                "Defect No",
                "NCR",
                "NCR Number",
                "Event ID",
                "Notification",
                "QMNUM",
                "Inspection Lot",
            ),
        ),
        Column(
            "date",
            DATE,
            required=True,
            aliases=("Date", "Defect Date", "Event Date", "Inspection Date", "Found Date"),
        ),
        _sku(),
        Column(
            "supplier",
            TEXT,
            aliases=("Supplier", "Vendor", "Supplier Name", "Vendor Name", "LIFNR"),
        ),
        Column("po_number", TEXT, aliases=("PO Number", "PO No", "Purchase Order", "EBELN")),
        Column("stage", TEXT, aliases=("Stage", "Found At", "Detection Stage", "Origin")),
        Column(
            "cause",
            TEXT,
            required=True,
            aliases=(
                "Cause",
                "Defect Code",
                "Reason",
                "Scrap Reason",
                "Defect Cause",
                "Root Cause",
                "Defect Type",
                "Reason Code",
            ),
        ),
        _qty(
            "qty",
            required=True,
            positive=True,
            aliases=(
                "Qty",
                "Quantity",
                "Defective Qty",
                "Defect Qty",
                "Rejected Qty",
                "Scrap Qty",
                "Defective Units",
                "Quantity Rejected",
            ),
        ),
        _qty("cost", aliases=("Cost", "Defect Cost", "Scrap Cost", "Cost of Defect")),
        _currency(),
        Column(
            "disposition", TEXT, aliases=("Disposition", "Action", "Decision", "Usage Decision")
        ),
        _site(),
    ),
    "Quality events: inspection rejections, scrap, rework and returns.",
)

INVENTORY = Table(
    "inventory",
    "Inventory snapshots",
    (
        Column(
            "date",
            DATE,
            required=True,
            key=True,
            aliases=(
                "Date",
                "Snapshot Date",
                "Stock Date",
                "As Of",
                "Posting Date",
                "Balance Date",
            ),
        ),
        _sku(key=True),
        _site(key=True),
        Column(
            "location",
            TEXT,
            key=True,
            default="",
            aliases=("Location", "Storage Location", "LGORT", "Bin", "Storage Bin", "Sub Location"),
            note="storage location within the site; default empty",
        ),
        _qty(
            "on_hand_qty",
            required=True,
            aliases=(
                "On Hand Qty",
                "On Hand",
                "Qty On Hand",
                "Quantity On Hand",
                "Stock",
                "Stock Qty",
                "Unrestricted",
                "LABST",
                "Available Qty",
                "Onhand",
            ),
        ),
        _qty(
            "unit_cost",
            aliases=(
                "Unit Cost",
                "Standard Cost",
                "Unit Price",
                "Price",
                "Moving Average Price",
                "Valuation Price",
            ),
        ),
        _currency(),
    ),
    "On-hand stock snapshots per sku, site, location and date.",
)

ITEMS = Table(
    "items",
    "Item master",
    (
        _sku(key=True),
        Column(
            "description",
            TEXT,
            aliases=("Description", "Item Description", "Name", "Material Description", "MAKTX"),
        ),
        Column(
            "category",
            TEXT,
            aliases=(
                "Category",
                "Item Group",
                "Material Group",
                "Product Group",
                "MATKL",
                "Commodity",
            ),
        ),
        _qty(
            "container_qty",
            positive=True,
            default=1.0,
            aliases=(
                "Container Qty",
                "Pack Size",
                "Units Per Container",
                "Kanban Qty",
                "Lot Size",
                "Container Quantity",
            ),
        ),
        _qty(
            "planned_lead_time_days",
            aliases=(
                "Planned Lead Time Days",
                "Planned Lead Time",
                "Lead Time",
                "Lead Time Days",
                "PLIFZ",
                "Planned Delivery Time",
            ),
        ),
        _qty(
            "unit_cost", aliases=("Unit Cost", "Standard Cost", "Standard Price", "STPRS", "Cost")
        ),
        _currency(),
    ),
    "The item master (optional): description, category, container size, planned lead time.",
)

# A rate valid from this date on is "undated": it applies before the first dated rate of its
# currency (a key column cannot be empty, or re-importing the file would add it twice).
UNDATED = "1900-01-01"

RATES = Table(
    "rates",
    "Currency rates",
    (
        Column(
            "currency",
            TEXT,
            required=True,
            key=True,
            aliases=(*CURRENCY_ALIASES, "From Currency", "FCURR"),
            note="ISO 4217 code of the currency converted from",
        ),
        Column(
            "valid_from",
            DATE,
            key=True,
            default=UNDATED,
            aliases=("Valid From", "Valid From Date", "Effective Date", "Rate Date"),
            note=f"first day the rate applies; empty = undated (stored as {UNDATED})",
        ),
        _qty(
            "rate",
            required=True,
            positive=True,
            aliases=("Rate", "Exchange Rate", "FX Rate", "Conversion Rate", "UKURS"),
            note="units of the base currency (the currency setting) per unit of this currency",
        ),
    ),
    "Exchange rates into the base currency (the currency setting), optionally dated.",
)

TABLES: dict[str, Table] = {
    t.name: t for t in (DELIVERIES, ORDERS, DEFECTS, INVENTORY, ITEMS, RATES)
}

# The money columns of each table, converted into the base currency in staging.
MONEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "deliveries": ("unit_cost",),
    "orders": ("unit_price",),
    "defects": ("cost",),
    "inventory": ("unit_cost",),
    "items": ("unit_cost",),
}

# The dates of things that happened (METRICS.md section 2): an order placed, a receipt, a
# shipment, a defect, a snapshot. The other date columns (promised, requested) are plans: real
# exports carry open lines promised weeks ahead, so they never say how far the data reaches.
EVENT_DATES: dict[str, tuple[str, ...]] = {
    "deliveries": ("order_date", "received_date"),
    "orders": ("order_date", "shipped_date"),
    "defects": ("date",),
    "inventory": ("date",),
    "items": (),
    "rates": (),  # a rate valid from next month is no event: it never moves the as-of date
}

# Text settings: name -> (default, description). The currency is an ISO 4217 code,
# validated by analytics.formatting.currency_code.
TEXT_SETTINGS: dict[str, tuple[str, str]] = {
    "currency": ("EUR", "The money unit: ISO 4217 code every amount is shown and summed in"),
}

# Settings of METRICS.md section 2: name -> (default, description, minimum, maximum).
SETTINGS: dict[str, tuple[float, str, float, float]] = {
    "late_tolerance_days": (
        0,
        "Days after the promised date a receipt still counts on time",
        0,
        365,
    ),
    "early_tolerance_days": (
        2,
        "Days before the promised date a receipt still counts as not early",
        0,
        365,
    ),
    "in_full_tolerance": (
        0.0,
        "Fraction short of the ordered quantity still counted in full",
        0,
        1,
    ),
    "holding_cost_rate": (0.25, "Yearly cost of holding stock, as a fraction of its value", 0, 5),
    "target_cover_days": (10, "Days of demand that stock should cover; beyond is excess", 0, 3650),
    "dead_stock_days": (90, "Days without demand after which stock on hand is dead", 1, 3650),
    "service_level": (0.95, "Probability of not running out during a lead time", 0.5, 0.9999),
    "kanban_safety_factor": (0.10, "Extra fraction added to kanban loop demand", 0, 5),
    "abc_cutoff_a": (0.80, "Cumulative consumption-value share up to which a sku is A", 0, 1),
    "abc_cutoff_b": (0.95, "Cumulative consumption-value share up to which a sku is B", 0, 1),
    "xyz_cutoff_x": (0.5, "CV of weekly demand up to which a sku is X", 0, 100),
    "xyz_cutoff_y": (1.0, "CV of weekly demand up to which a sku is Y", 0, 100),
    "score_weight_otif": (0.5, "Weight of OTIF in the supplier score", 0, 1),
    "score_weight_quality": (0.3, "Weight of quality (defect PPM) in the supplier score", 0, 1),
    "score_weight_lead_time": (0.2, "Weight of lead-time reliability (1 - CV) in the score", 0, 1),
    "score_ppm_ceiling": (5000, "Defect PPM at which the quality score reaches 0", 1, 1e6),
    "order_cycle_days": (
        7,
        "Days of demand one order covers at least: the green zone of a replenishment buffer",
        1,
        365,
    ),
    "spike_factor": (
        0.5,
        "An open customer line within the lead time at least this x safety stock is a spike",
        0,
        100,
    ),
    "forecast_weight": (
        0,
        "Weight of the demand forecast in the Pull figures' daily demand (0: the last 90 days)",
        0,
        1,
    ),
    "effect_window_weeks": (
        12,
        "Weeks before and after an action's start compared when verifying it",
        2,
        104,
    ),
    "late_alert_days": (
        14,
        "Days late at which an open PO line becomes a signal in the digest",
        1,
        365,
    ),
}
