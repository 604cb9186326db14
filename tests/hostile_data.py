"""A small plant whose every text value is hostile: HTML that runs script, markdown links to
`javascript:`, Streamlit markdown, and spreadsheet formulas. Five CSV files in the shapes of
real ERP exports (so the Data page detects their tables), used by the browser test and the
download tests. Every row is valid, so every value is imported and shown somewhere.
"""

from __future__ import annotations

import csv
import io

FLAG = "__taktXss"  # any script that runs sets window.__taktXss

IMG = "<img src=x onerror=alert(1)>"
IMG_FLAG = f'<img src=x onerror="window.{FLAG}=1">'
SCRIPT = f"</script><script>window.{FLAG}=2</script>"
SVG = f"<svg onload=window.{FLAG}=3>"
LINK = "[click](javascript:alert(1))"
MARKDOWN = "**bold** :red[red] $x^2$ [site](javascript:alert(1))"
IFRAME = "<iframe src=javascript:alert(1)></iframe>"
FORMULA = '=HYPERLINK("http://x","click")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
PLUS = "+cmd|' /C notepad'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"

SUPPLIERS = (IMG, LINK, DDE)
SKUS = (IMG_FLAG, LINK, SCRIPT)
CATEGORY = (SVG, MARKDOWN)
CAUSES = (FORMULA, LINK)
CUSTOMERS = (PLUS, MINUS)
FORMULAS = (FORMULA, DDE, PLUS, MINUS)


def _csv(header: str, rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# Supplier OTIF over the six due lines: on time and in full on lines 1, 3, 5, 6 -> 4/6.
# By supplier: IMG 2/3 (line 2 is late), LINK 2/2, DDE 0/1 (line 4 is short).
DELIVERIES = _csv(
    "PO Number,Line,GRN,Supplier,SKU,Order Date,Promised Date,Ordered Qty,Received Date,"
    "Received Qty,Unit Cost",
    [
        [f"PO-{LINK}", 1, f"GRN {IMG}", IMG, IMG_FLAG, "2026-01-05", "2026-01-15", 100,
         "2026-01-14", 100, 2.5],
        ["PO-2", 1, "G2", IMG, LINK, "2026-02-05", "2026-02-15", 50, "2026-02-20", 50, 4],
        ["PO-3", 1, "G3", LINK, SCRIPT, "2026-03-05", "2026-03-15", 10, "2026-03-15", 10, 3],
        ["PO-4", 1, "G4", DDE, IMG_FLAG, "2026-04-05", "2026-04-15", 20, "2026-04-15", 15, 2.5],
        ["PO-5", 1, "G5", LINK, LINK, "2026-05-05", "2026-05-15", 30, "2026-05-14", 30, 4],
        ["PO-6", 1, "G6", IMG, SCRIPT, "2026-06-05", "2026-06-15", 40, "2026-06-15", 40, 3],
    ],
)  # fmt: skip
ORDERS = _csv(
    "Sales Order,Line,Customer,Product,Order Date,Requested Delivery Date,Ship Date,"
    "Quantity,Shipped Qty,Unit Price",
    [
        [f"SO-{IMG}", 1, PLUS, IMG_FLAG, "2026-01-10", "2026-01-20", "2026-01-20", 10, 10, 5],
        ["SO-2", 1, MINUS, LINK, "2026-02-10", "2026-02-20", "2026-02-22", 20, 20, 6],
        ["SO-3", 1, PLUS, SCRIPT, "2026-03-10", "2026-03-20", "2026-03-20", 5, 4, 7],
        ["SO-4", 1, MINUS, IMG_FLAG, "2026-04-10", "2026-04-20", "2026-04-19", 15, 15, 5],
        ["SO-5", 1, PLUS, LINK, "2026-05-10", "2026-05-20", "2026-05-20", 25, 25, 6],
        ["SO-6", 1, MINUS, SCRIPT, "2026-06-10", "2026-06-20", "2026-06-20", 8, 8, 7],
    ],
)
# Defects: FORMULA 3 + 4 = 7 units, LINK 2: FORMULA is the Pareto's first cause.
DEFECTS = _csv(
    "NCR Number,Date,Part Number,Supplier,PO Number,Stage,Defect Code,Quantity Rejected,"
    "Cost,Disposition",
    [
        [f"NCR-{LINK}", "2026-02-20", IMG_FLAG, IMG, "PO-2", "receiving", FORMULA, 3, 30, IFRAME],
        ["NCR-2", "2026-03-20", SCRIPT, LINK, "PO-3", "receiving", LINK, 2, 20, MARKDOWN],
        ["NCR-3", "2026-05-20", LINK, IMG, f"PO-{LINK}", "receiving", FORMULA, 4, 40, SVG],
    ],
)
INVENTORY = _csv(
    "Snapshot Date,Item Code,Warehouse,On Hand,Unit Cost",
    [
        [date, sku, where, qty, cost]
        for date in ("2026-05-31", "2026-06-28")
        for sku, where, qty, cost in (
            (IMG_FLAG, LINK, 500, 2.5),
            (LINK, IMG, 40, 4),
            (SCRIPT, SVG, 3, 3),
        )
    ],
)
ITEMS = _csv(
    "Item Code,Description,Category,Pack Size,Planned Lead Time,Standard Cost",
    [
        [IMG_FLAG, f"<script>window.{FLAG}=4</script>", SVG, 10, 10, 2.5],
        [LINK, IFRAME, MARKDOWN, 5, 7, 4],
        [SCRIPT, MARKDOWN, SVG, 1, 14, 3],
    ],
)
FILES = {
    "deliveries.csv": DELIVERIES,
    "orders.csv": ORDERS,
    "defects.csv": DEFECTS,
    "inventory.csv": INVENTORY,
    "items.csv": ITEMS,
}
KINDS = {
    "deliveries.csv": "deliveries",
    "orders.csv": "orders",
    "defects.csv": "defects",
    "inventory.csv": "inventory",
    "items.csv": "items",
}
ROWS = {"deliveries": 6, "orders": 6, "defects": 3, "inventory": 6, "items": 3}
