"""What the demo ships, named without loading its generator: where the sample files live,
which table each fills and how it is written, and the improvement action seeded with them.

A module of its own, free of pandas and numpy, so the app's start can check and build the
demo plant's store (`demo.shipped`) and recognise the demo's imports (`demo.separate`)
without importing the generator (`generate`, `files`: pandas and numpy, ~0.5 s).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analytics.demo.plant import QUALITY_CAUSE, QUALITY_SUPPLIER

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "sample"
DEMO_ACTION = f"{QUALITY_CAUSE} countermeasure at {QUALITY_SUPPLIER}"  # the demo's one action


# -- the files, in the shapes real ERPs export -------------------------------------------
@dataclass(frozen=True)
class SampleFile:
    """One export: its table, bytes and dialect; the headers follow the schema's column order."""

    table: str
    encoding: str
    delimiter: str
    newline: str
    dates: str  # strftime format
    german_numbers: bool
    headers: str  # delimiter-separated


# In import order: the item master first, so costs are known when the rest arrives.
FILES = {
    "item_master.csv": SampleFile(
        "items", "cp1252", ",", "\r\n", "%Y-%m-%d", False,
        "Item Code,Description,Category,Pack Size,Planned Lead Time,Standard Cost"),
    "inventory_snapshots.csv": SampleFile(
        "inventory", "utf-8", ",", "\n", "%Y-%m-%d", False,
        "Snapshot Date,Item Code,Plant,Storage Location,On Hand,Unit Cost"),
    "deliveries_sap.csv": SampleFile(  # SAP with German user settings
        "deliveries", "utf-8", ";", "\r\n", "%d.%m.%Y", True,
        "Purchasing Document;Item;Material Document;Vendor;Material;PO Date;Delivery Date;"
        "Order Quantity;Posting Date;Quantity Received;Net Price;Plant;Status"),
    "customer_orders.csv": SampleFile(
        "orders", "utf-8", ",", "\n", "%Y-%m-%d", False,
        "Sales Order,Line,Customer,Product,Order Date,Requested Delivery Date,Ship Date,"
        "Quantity,Shipped Qty,Unit Price,Site,Status"),
    "quality_events.csv": SampleFile(  # Excel "Unicode text": UTF-16 LE with BOM, tabs
        "defects", "utf-16", "\t", "\r\n", "%m/%d/%Y", False,
        "NCR Number\tDate\tPart Number\tSupplier\tPO Number\tStage\tDefect Code\t"
        "Quantity Rejected\tCost\tDisposition\tSite"),
}  # fmt: skip

SAMPLE_FILES = {name: spec.table for name, spec in FILES.items()}

__all__ = ["DEMO_ACTION", "FILES", "SAMPLE_DIR", "SAMPLE_FILES", "SampleFile"]
