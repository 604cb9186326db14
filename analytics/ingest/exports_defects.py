"""The exports that write defects across rows or tables, as data (`Profile`s): Odoo's scrap
orders (a second scrap tag on a row of its own) and ERPNext's purchase receipts (a rejected
quantity is a receiving defect beside the receipt). `exports` adds them to `PROFILES`.

Headers come from each ERP's own field labels; where each came from:
tests/fixtures/erp/README.md. Each rule is explained in `profiles`.
"""

from __future__ import annotations

from analytics.ingest.profiles import AlsoDefect, Continues, Keep, Profile

# ERPNext's Purchase Receipt statuses (status_updater.py): Draft and Cancelled are not posted
_POSTED = ("To Bill", "Partly Billed", "Completed", "Return", "Return Issued", "Closed")
_PRI = "(Purchase Receipt Item)"

DEFECT_EXPORTS = [
    Profile(
        "ERPNext",
        "Purchase Receipt report view with Purchase Receipt Item",
        "deliveries",
        {
            "ID": "receipt_id",
            "Date": "received_date",
            f"Item Code {_PRI}": "sku",
            f"Accepted Quantity {_PRI}": "received_qty",  # a return's is already negative
            f"Accepted Warehouse {_PRI}": "site",
            f"Purchase Order {_PRI}": "po_number",
        },
        signature=("ID", f"Accepted Quantity {_PRI}", f"Purchase Order {_PRI}"),
        keep=(
            Keep(f"Item Code {_PRI}", (), "a totals row (no item)"),
            Keep("Status", _POSTED, "not a posted receipt (a draft or a cancelled one)"),
        ),
        attach_by=("po_number", "sku"),
        source="frappe/erpnext purchase_receipt(_item).json labels; frappe desk/reportview.py",
        also_defect=AlsoDefect(f"Rejected Quantity {_PRI}"),
    ),
    Profile(
        "Odoo",
        "scrap orders (Inventory > Operations > Scrap)",
        "defects",
        {
            "Reference": "defect_id",
            "Date": "date",
            "Product": "sku",
            "Quantity": "qty",
            "Source Location/Warehouse": "site",
            "Scrap Reason": "cause",
        },
        signature=("Reference", "Scrap Reason", "Source Location"),
        keep=(Keep("Status", ("Done",), "not done (a draft scrap order)"),),
        source="odoo/odoo addons/stock/models/stock_scrap.py field strings",
        continues=Continues("Reference", "Scrap Reason"),  # 'Broken, Wrong dimension'
        defaults={"cause": "no reason given", "disposition": "scrap"},
    ),
]
