"""What each kind of data unlocks, and what a store has of it: the Data page's guide to a
first import, and the line an empty page shows ("import deliveries to see this").

The kinds are the canonical tables (five, and the exchange rates). For each: the pages
and figures it feeds (the
figures named by the KPI registry's labels), the exports of the common ERPs that fill it
(the section of docs/erp-exports.md that says how), and, for a store, how many rows it holds
and the dates they span (`store.freshness`). A figure is missing while any table it needs
is empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.metrics.registry import KPIS
from analytics.store.freshness import freshness


@dataclass(frozen=True)
class Kind:
    table: str
    label: str
    pages: tuple[str, ...]  # the pages it feeds
    exports: str  # which exports of the common ERPs fill it
    doc_section: str  # the heading of docs/erp-exports.md that says more


KINDS = (
    Kind(
        "deliveries",
        "Supplier deliveries (PO lines and their receipts)",
        ("Overview", "Suppliers", "Review", "Design", "Waste"),
        "SAP ME2M/ME2L/ME2N with MB51; Odoo purchase order lines with Moves Analysis; "
        "ERPNext Purchase Order; Business Central Purchase Lines with Posted Purchase "
        "Receipt Lines",
        "SAP",
    ),
    Kind(
        "orders",
        "Customer orders (sales order lines and shipments)",
        ("Overview", "Design", "Waste"),
        "ERPNext Sales Order Analysis, or any sales order line report with requested and "
        "shipped dates",
        "ERPNext",
    ),
    Kind(
        "defects",
        "Quality events (rejections, NCRs, scrap)",
        ("Overview", "Suppliers", "Review", "Waste"),
        "SAP QM11/QM10 quality notifications, or any list of rejected quantities",
        "SAP",
    ),
    Kind(
        "inventory",
        "Inventory snapshots (stock on hand on a date)",
        ("Overview", "Design", "Waste"),
        "SAP MB52, Odoo Stock or Business Central Item Ledger Entries (give the day they "
        "were exported), ERPNext Stock Ledger, or any dated stock list per item and location",
        "SAP",
    ),
    Kind(
        "items",
        "Item master (category, pack size, planned lead time, standard cost)",
        ("Design", "every page's Category filter"),
        "Business Central Items, or any item list",
        "Business Central",
    ),
    Kind(
        "rates",
        "Exchange rates (only when amounts come in more than one currency)",
        ("every money figure, for rows in another currency",),
        "a list of Currency and Rate (units of your currency per unit of that one), with an "
        "optional Valid From",
        "Currencies and rates",
    ),
)
BY_TABLE = {k.table: k for k in KINDS}

# The tables each KPI needs, all of them (an empty one leaves the figure blank).
NEEDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "otif_rate",
            "on_time_rate",
            "in_full_rate",
            "early_rate",
            "lead_time_mean_days",
            "lead_time_sd_days",
            "lead_time_p95_days",
            "hhi",
        ),
        ("deliveries",),
    ),
    "defect_ppm": ("defects", "deliveries"),
    "copq": ("defects",),
    "avg_inventory_value": ("inventory",),
    "excess_value": ("inventory", "orders"),
    "cogs": ("orders",),
    "inventory_turnover": ("inventory", "orders"),
    "dio_days": ("inventory", "orders"),
    "fill_rate": ("orders",),
    "customer_otif_rate": ("orders",),
}


def unlocks(table: str) -> list[str]:
    """The labels of the figures a kind of data feeds, in registry order."""
    return [KPIS[k].label for k in KPIS if table in NEEDS.get(k, ())]


def missing_for(kpi: str, rows: dict[str, int]) -> list[str]:
    """The tables a KPI still needs, given the rows per table a store holds."""
    return [t for t in NEEDS.get(kpi, ()) if not rows.get(t)]


def coverage(store) -> list[dict]:
    """One row per kind: rows, first and last event date, what it unlocks, and the figures
    still blank for want of it (or of another kind they need too)."""
    f = freshness(store)
    out = []
    for kind in KINDS:
        blank = [KPIS[k].label for k in KPIS if kind.table in missing_for(k, f.rows)]
        out.append(
            {
                "table": kind.table,
                "label": kind.label,
                "rows": f.rows[kind.table],
                "first": f.earliest.get(kind.table),
                "last": f.latest[kind.table],
                "pages": kind.pages,
                "unlocks": unlocks(kind.table),
                "blank": blank,
                "exports": kind.exports,
                "doc_section": kind.doc_section,
            }
        )
    return out


def missing_tables(store, tables: tuple[str, ...]) -> list[str]:
    """Which of `tables` a store holds no row of (what an empty page asks to import)."""
    rows = freshness(store).rows
    return [t for t in tables if not rows.get(t)]
