"""The stored forecasts, read for the Demand view and `python -m analytics forecast`.

Reads only the `forecasts` table the batch writes (and the weekly history behind a sku):
nothing here fits a model or loads the forecasting library.
"""

from __future__ import annotations

from datetime import date, timedelta

from analytics.forecast.accuracy import overall
from analytics.models.params import Scope, resolve
from analytics.models.run import run_rows

# The rows of one scope: sku, site and category bound as values (null = all).
_ROWS_SQL = """
    select f.*, i.description, i.category
    from forecasts as f
    left join (select sku, any_value(description) as description,
                      any_value(category) as category
               from items group by sku) as i on i.sku = f.sku
    where ($sku is null or f.sku = $sku)
      and ($site is null or f.site = $site)
      and ($category is null or i.category = $category)
"""


def forecast_rows(store, scope: Scope = Scope()) -> list[dict]:
    """One row per sku and site with a stored forecast, the least trustworthy first: the
    highest backtest WAPE first, skus too short to test (no WAPE) after them."""
    values = {"sku": scope.sku, "site": scope.site, "category": scope.category}
    with store.connect() as cur:
        rel = cur.execute(_ROWS_SQL, values)
        columns = [d[0] for d in rel.description]
        rows = [dict(zip(columns, r, strict=True)) for r in rel.fetchall()]
    return sorted(rows, key=_least_trusted)


def _least_trusted(row: dict) -> tuple:
    return (row["wape"] is None, -(row["wape"] or 0.0), row["sku"], row["site"])


def accuracy(rows: list[dict]) -> dict:
    """Overall WAPE, bias and FVA of these rows, weighted by their backtest demand."""
    return overall(rows)


def weeks_ahead(row: dict, horizon: int = 13) -> list[dict]:
    """A stored row's forecast as weeks: week 1 ends 7 days after its as_of."""
    lo, hi = row["lo"], row["hi"]
    return [
        {
            "week": k + 1,
            "week_end": row["as_of"] + timedelta(days=7 * (k + 1)),
            "forecast": value,
            "lo": lo[k] if lo else None,
            "hi": hi[k] if hi else None,
        }
        for k, value in enumerate(row["forecast"][:horizon])
    ]


def history(store, sku: str, site: str, as_of: date) -> list[dict]:
    """The sku's weekly demand at the site up to `as_of`, as the forecast saw it: one row
    per week from its first week with an order, zeros included, oldest first."""
    with store.connect() as cur:
        params = {**resolve(cur, Scope(as_of=as_of)), "sku": sku, "site": site}
        rows = run_rows(cur, "demand_weekly", params)
    if not rows:
        return []
    qty = {r["week_no"]: float(r["qty"]) for r in rows}
    oldest = max(qty)
    return [
        {"week_end": as_of - timedelta(days=7 * n), "demand": qty.get(n, 0.0)}
        for n in range(oldest, -1, -1)
    ]
