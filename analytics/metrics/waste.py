"""Pure helpers behind the Refine page: the waste ledger's total, stock lists, cover bands
and the skus the ABC-XYZ matrix (`analytics.planning`) leaves out.

They take the rows `analytics.metrics.figures` returns (lists of dicts) and give back plain rows, so
the page holds no aggregation and every rule here is tested with hand-worked numbers.
Only `stock_settings` reads the database, for the few settings the page quotes.
"""

from __future__ import annotations

from analytics.store.settings import get_settings

# Days-of-cover bands: (label, lower bound inclusive, upper bound exclusive or None).
COVER_BANDS = (
    ("< 5 days", 0.0, 5.0),
    ("5–10 days", 5.0, 10.0),
    ("10–30 days", 10.0, 30.0),
    ("30–90 days", 30.0, 90.0),
    ("90+ days", 90.0, None),
)
NO_DEMAND = "No demand"
ABC = ("A", "B", "C")
XYZ = ("X", "Y", "Z")


def stock_settings(store) -> dict[str, float]:
    """The settings the page quotes in its explanations (they change what the figures mean)."""
    with store.connect() as cur:
        settings = get_settings(cur)
    keys = (
        "target_cover_days",
        "dead_stock_days",
        "holding_cost_rate",
        "abc_cutoff_a",
        "abc_cutoff_b",
        "xyz_cutoff_x",
        "xyz_cutoff_y",
    )
    return {k: settings[k] for k in keys}


# -- the seven-wastes ledger -----------------------------------------------------------------
def money_rows(ledger: list[dict]) -> list[dict]:
    """The measurable wastes valued in money, in ledger order: the steps of the waterfall."""
    return [r for r in ledger if r["measurable"] and r["unit"] == "money"]


def day_rows(ledger: list[dict]) -> list[dict]:
    """Measurable wastes counted in days (Waiting): not money, so never added to the total."""
    return [r for r in ledger if r["measurable"] and r["unit"] == "days"]


def unmeasurable_rows(ledger: list[dict]) -> list[dict]:
    return [r for r in ledger if not r["measurable"]]


def stock_rows(ledger: list[dict]) -> list[dict]:
    """What is held at the as-of date beside the ledger (dead stock's write-off exposure):
    a stock, not money spent in the period, so never added to the total."""
    return [r for r in ledger if r["unit"] == "stock"]


def money_total(ledger: list[dict]) -> float | None:
    """Sum of the money wastes that have a value; None when none has (unknown, not 0)."""
    values = [r["value"] for r in money_rows(ledger) if r["value"] is not None]
    return sum(values) if values else None


def ledger_table(ledger: list[dict]) -> list[dict]:
    """The wastes as a table: cost and days in their own columns, and the money total last.

    The write-off exposure is not a waste of the period: the page shows it beside the table.
    """
    rows = [
        {
            "waste": r["waste"],
            "cost": r["value"] if r["unit"] == "money" else None,
            "days": r["value"] if r["unit"] == "days" else None,
            "measured": "yes" if r["measurable"] else "no",
            "basis": r["basis"],
        }
        for r in ledger
        if r["unit"] != "stock"
    ]
    total = {
        "waste": "Total of the money wastes",
        "cost": money_total(ledger),
        "days": None,
        "measured": "yes",
        "basis": "sum of the rows valued in money; waiting is in days and not added",
    }
    return [*rows, total]


# -- stock lists and cover ---------------------------------------------------------------------
def excess_and_dead(stock: list[dict]) -> list[dict]:
    """Skus above target cover or dead, the most money tied up first.

    Sorted by excess value, then on-hand value (dead stock of unknown cost last), then sku.
    """
    listed = [r for r in stock if (r["excess_qty"] or 0) > 0 or r["is_dead"]]
    return sorted(
        listed,
        key=lambda r: (-(r["excess_value"] or 0), -(r["on_hand_value"] or 0), r["sku"]),
    )


def count_excess(stock: list[dict]) -> int:
    """Skus holding more than target cover (excess quantity above zero)."""
    return sum(1 for r in stock if (r["excess_qty"] or 0) > 0)


def cover_band(days_of_cover: float | None) -> str:
    """The band of one sku's days of cover; no demand (cover undefined) is a band of its own."""
    if days_of_cover is None:
        return NO_DEMAND
    for label, low, high in COVER_BANDS:
        if days_of_cover >= low and (high is None or days_of_cover < high):
            return label
    return COVER_BANDS[0][0]  # negative cover cannot happen (stock >= 0); keep it visible


def cover_distribution(stock: list[dict]) -> list[dict]:
    """Skus and on-hand value per cover band, every band present (empty ones as 0), in order.

    On-hand value sums the skus of known cost; `cost_unknown` counts the others.
    """
    out = {
        label: {"band": label, "skus": 0, "on_hand_value": 0.0, "cost_unknown": 0}
        for label in [b[0] for b in COVER_BANDS] + [NO_DEMAND]
    }
    for r in stock:
        cell = out[cover_band(r["days_of_cover"])]
        cell["skus"] += 1
        if r["on_hand_value"] is None:
            cell["cost_unknown"] += 1
        else:
            cell["on_hand_value"] += r["on_hand_value"]
    return list(out.values())


# -- ABC-XYZ -----------------------------------------------------------------------------------
def unclassified_skus(sizing: list[dict]) -> int:
    """Skus outside the nine cells of `analytics.planning.abc_xyz_matrix` (no ABC class)."""
    return sum(1 for r in sizing if r["abc_class"] not in ABC or r["xyz_class"] not in XYZ)
