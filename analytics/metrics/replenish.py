"""What to order now (METRICS.md section 11): the replenishment list of the Pull page and CLI.

The SQL model `replenishment` does the arithmetic per sku and site at the as-of date; this
module orders its rows by planning priority (the most urgent first, rows without enough
data last), filters them by status and ABC class, and groups the suggestions by supplier
for a buyer to paste into the ERP.
"""

from __future__ import annotations

from analytics.models.params import Scope, resolve
from analytics.models.run import run_rows

STATUSES = ("red", "yellow", "green", "over", "not enough data")
# The names of section 11, in the order the CLI prints them (JSON keys, CSV columns).
FIELDS = (
    "sku",
    "site",
    "on_hand",
    "open_supply",
    "qualified_demand",
    "net_flow",
    "safety_stock",
    "reorder_point",
    "top_of_green",
    "status",
    "planning_priority",
    "suggested_qty",
    "container_qty",
    "supplier",
)


def _order(row: dict) -> tuple:
    priority = row["planning_priority"]
    return (priority is None, priority if priority is not None else 0.0, row["sku"], row["site"])


def replenishment(store, scope: Scope = Scope(), status=None, abc=None) -> list[dict]:
    """One row per sku and site, most urgent first; `status` and `abc` keep only those given
    (an iterable of STATUSES; of 'A', 'B', 'C' and 'none' for skus without a class)."""
    wanted = _checked(status)
    with store.connect() as cur:
        rows = run_rows(cur, "replenishment", resolve(cur, scope))
    if wanted is not None:
        rows = [r for r in rows if r["status"] in wanted]
    if abc is not None:
        classes = {None if c == "none" else c for c in abc}
        rows = [r for r in rows if r["abc_class"] in classes]
    return sorted(rows, key=_order)


def _checked(status) -> set[str] | None:
    if status is None:
        return None
    wanted = {s.strip().lower() for s in status}
    unknown = wanted - set(STATUSES)
    if unknown:
        raise ValueError(
            f"unknown status {', '.join(sorted(unknown))}; choose from {', '.join(STATUSES)}"
        )
    return wanted


def named(row: dict) -> dict:
    """A row with section 11's names only (null where there is not enough data)."""
    return {key: _plain(row[key]) for key in FIELDS}


def _plain(value):
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def orders_by_supplier(rows: list[dict]) -> list[dict]:
    """The suggested orders, one line per sku and site, grouped by proposed supplier (by
    name; skus without one last), most urgent first within a supplier."""
    lines = [r for r in rows if r["suggested_qty"]]
    lines.sort(key=lambda r: (r["supplier"] is None, r["supplier"] or "", *_order(r)))
    return [
        {
            "supplier": r["supplier"],
            "sku": r["sku"],
            "description": r["description"],
            "site": r["site"],
            "suggested_qty": r["suggested_qty"],
            "container_qty": r["container_qty"],
            "containers": r["suggested_qty"] / r["container_qty"],
            "status": r["status"],
            "unit_cost": r["unit_cost"],
            "value": None if r["unit_cost"] is None else r["suggested_qty"] * r["unit_cost"],
        }
        for r in lines
    ]
