"""The stock exports of SAP, Odoo, Business Central and ERPNext, read as inventory snapshots.

None of them is one snapshot row per line as the inventory table is: MB52 and Odoo's quants
carry no date (the user gives it) and spread one quantity or one unit cost over several
columns; Business Central's item ledger and ERPNext's stock ledger list movements, whose
lines of one item and place make one snapshot row. How each rule reads: `profiles`; where
the headers come from: tests/fixtures/erp/README.md; for users: docs/erp-exports.md.
"""

from __future__ import annotations

from analytics.ingest.profiles import GIVEN, LATEST, Keep, Profile

STOCK_PROFILES = [
    Profile(
        "SAP",
        "MB52 warehouse stocks",
        "inventory",
        {"Material": "sku", "Plant": "site", "Storage Location": "location"},
        signature=("Material", "Unrestricted", "In Quality Insp.", "Blocked"),
        snapshot_date=GIVEN,
        sums={"on_hand_qty": ("Unrestricted", "In Quality Insp.", "Blocked")},
        ratios={"unit_cost": ("Value Unrestricted", "Unrestricted")},
        source="SAP MB52 ALV layout (MARD labels: LABST, INSME, SPEME)",
    ),
    Profile(
        "Odoo",
        "stock quants (Inventory > Reporting > Stock)",
        "inventory",
        {"Warehouse": "site", "Location": "location", "Product": "sku", "Quantity": "on_hand_qty"},
        signature=("Warehouse", "Location", "Product", "Value"),
        snapshot_date=GIVEN,
        ratios={"unit_cost": ("Value", "Quantity")},
        source="odoo/odoo addons/stock/models/stock_quant.py field strings",
    ),
    Profile(
        "Business Central",
        "Item Ledger Entries",
        "inventory",
        {"Item No.": "sku", "Location Code": "site", "Remaining Quantity": "on_hand_qty"},
        signature=("Entry Type", "Item No.", "Remaining Quantity", "Entry No."),
        snapshot_date=GIVEN,
        per_key={"on_hand_qty": "sum"},  # an open entry's remaining quantity is still there
        source="BC Base App page 38 Item Ledger Entries",
    ),
    Profile(
        "ERPNext",
        "Stock Ledger",
        "inventory",
        {
            "Date": "date",
            "Item": "sku",
            "Warehouse": "site",
            "Balance Qty": "on_hand_qty",
            # valuation_rate, the balance's rate ("Valuation Rate" is one entry's in_out_rate)
            "Avg Rate (Balance Stock)": "unit_cost",
        },
        signature=("Voucher #", "Balance Qty", "In Qty", "Out Qty"),
        keep=(Keep("Date", (), "the opening balance row (no date)"),),
        snapshot_date=LATEST,
        per_key={"on_hand_qty": "last", "unit_cost": "last"},
        source="frappe/erpnext stock/report/stock_ledger/stock_ledger.py get_columns",
    ),
]
