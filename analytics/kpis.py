"""The figures pages and the command line show, computed by the SQL models.

`resolve` turns what a user chose (period, as-of, filters) and the stored settings into the
bound parameters every model uses; the functions below run one model each and return
plain values. Scipy supplies the one thing SQL should not: the normal quantile `z`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from scipy.stats import norm

from analytics import models
from analytics.db import get_settings
from analytics.schema import DATE, TABLES

KPI_KEYS = (
    "otif_rate",
    "on_time_rate",
    "in_full_rate",
    "early_rate",
    "lead_time_mean_days",
    "lead_time_sd_days",
    "lead_time_p95_days",
    "defect_ppm",
    "copq",
    "avg_inventory_value",
    "cogs",
    "inventory_turnover",
    "dio_days",
    "fill_rate",
    "customer_otif_rate",
    "excess_value",
    "hhi",
)


@dataclass(frozen=True)
class Scope:
    """What a user chose; None means the default (as-of: latest date, period: 365 days)."""

    start: date | None = None
    end: date | None = None
    as_of: date | None = None
    supplier: str | None = None
    sku: str | None = None
    category: str | None = None


def latest_date(cur) -> date | None:
    """The latest date in any date column of any table (METRICS.md section 2)."""
    return cur.execute(LATEST_DATE_SQL).fetchone()[0]


def _latest_date_sql() -> str:
    parts = [
        f"select max({c.name}) as d from {t.name}"
        for t in TABLES.values()
        for c in t.columns
        if c.type == DATE
    ]
    return f"select max(d) as latest from ({' union all '.join(parts)}) as dates"


LATEST_DATE_SQL = _latest_date_sql()


def resolve(cur, scope: Scope = Scope()) -> dict:
    """Bound parameters of every model: the scope, the settings and dates derived from them."""
    return parameters(get_settings(cur), latest_date(cur), scope)


def parameters(settings: dict, latest: date | None, scope: Scope = Scope()) -> dict:
    """`resolve` without a database: the settings and the latest date in the data given.

    The rollup job (analytics.rollup) asks its engine for both and calls this, so every
    engine binds exactly the values the app would.
    """
    as_of = scope.as_of or latest or date.today()
    end = scope.end or as_of
    start = scope.start or end - timedelta(days=364)
    if start > end:
        raise ValueError(f"the period starts ({start}) after it ends ({end})")
    return {
        "start": start,
        "end": end,
        "as_of": as_of,
        "supplier": scope.supplier,
        "sku": scope.sku,
        "category": scope.category,
        "late_tol": int(settings["late_tolerance_days"]),
        "early_tol": int(settings["early_tolerance_days"]),
        "in_full_tol": settings["in_full_tolerance"],
        "holding_rate": settings["holding_cost_rate"],
        "target_cover": settings["target_cover_days"],
        "demand_start": as_of - timedelta(days=89),
        "dead_start": as_of - timedelta(days=int(settings["dead_stock_days"]) - 1),
        "year_start": as_of - timedelta(days=364),
        "weeks_start": as_of - timedelta(days=52 * 7 - 1),
        "z": float(norm.ppf(settings["service_level"])),
        "ksf": settings["kanban_safety_factor"],
        "abc_a": settings["abc_cutoff_a"],
        "abc_b": settings["abc_cutoff_b"],
        "xyz_x": settings["xyz_cutoff_x"],
        "xyz_y": settings["xyz_cutoff_y"],
        **{k: v for k, v in settings.items() if k.startswith("score_")},
    }


def _one_row(store, model: str, scope: Scope) -> dict:
    with store.connect() as cur:
        params = resolve(cur, scope)
        rows = models.run_rows(cur, model, params)
    return {**rows[0], **{k: params[k] for k in ("start", "end", "as_of")}}


def overview(store, scope: Scope = Scope()) -> dict:
    """Every headline KPI with the counts behind it and the period it covers."""
    return _one_row(store, "kpi_overview", scope)


def compute_kpis(
    store, *, start=None, end=None, as_of=None, supplier=None, sku=None, category=None
) -> dict:
    """Exactly the KPI_KEYS, as `kpis --json` prints them (rates 0..1, None when undefined)."""
    row = overview(store, Scope(start, end, as_of, supplier, sku, category))
    return {key: _plain(row[key]) for key in KPI_KEYS}


def _plain(value):
    return None if value is None else float(value)


def table_rows(store, model: str, scope: Scope = Scope()) -> list[dict]:
    with store.connect() as cur:
        return models.run_rows(cur, model, resolve(cur, scope))


def series(store, model: str, grain: str, scope: Scope = Scope()) -> list[dict]:
    """A trend model by 'week' or 'month', oldest bucket first."""
    if grain not in ("week", "month"):
        raise ValueError(f"grain must be 'week' or 'month', not {grain!r}")
    with store.connect() as cur:
        params = {**resolve(cur, scope), "grain": grain}
        rows = models.run_rows(cur, model, params)
    return sorted(rows, key=lambda r: r["bucket"])


def scorecard(store, scope: Scope = Scope()) -> list[dict]:
    """Suppliers best first; suppliers without a score last, by name."""
    rows = table_rows(store, "supplier_scorecard", scope)
    return sorted(
        rows, key=lambda r: (r["score_rank"] is None, r["score_rank"] or 0, r["supplier"])
    )


def sku_sizing(store, scope: Scope = Scope()) -> list[dict]:
    rows = table_rows(store, "sku_planning", scope)
    return sorted(rows, key=lambda r: (-(r["consumption_value"] or 0), r["sku"]))


def waste(store, scope: Scope = Scope()) -> list[dict]:
    return sorted(table_rows(store, "waste_ledger", scope), key=lambda r: r["position"])


MAX_ROWS = 100_000


def kpi_rows(store, kpi_name: str, scope: Scope = Scope(), limit: int = MAX_ROWS):
    """The rows a KPI was computed from, as an Arrow table of at most `limit` rows."""
    from analytics.metrics import KPIS

    kpi = KPIS[kpi_name]
    with store.connect() as cur:
        params = resolve(cur, scope)
        where = f"where {kpi.rows_filter}" if kpi.rows_filter else ""
        around = f"select * from ({{sql}}) as rows_behind {where} limit {int(limit)}"
        sql, values = models.prepare(cur, kpi.rows_model, params, around)
        return cur.sql(sql, params=values).to_arrow_table()


def choices(store) -> dict:
    """What the sidebar filters offer: suppliers, skus, categories and the latest date."""
    with store.connect() as cur:
        suppliers = [
            r[0]
            for r in cur.execute(
                "select distinct supplier from deliveries where supplier is not null "
                "union select distinct supplier from defects where supplier is not null "
                "order by 1"
            ).fetchall()
        ]
        skus = [
            r[0]
            for r in cur.execute(
                "select sku from deliveries union select sku from orders "
                "union select sku from inventory union select sku from items order by 1"
            ).fetchall()
        ]
        categories = [
            r[0]
            for r in cur.execute(
                "select distinct category from items where category is not null order by 1"
            ).fetchall()
        ]
        latest = latest_date(cur)
    return {"suppliers": suppliers, "skus": skus, "categories": categories, "latest": latest}


def period_of(choice: str, latest: date) -> tuple[date, date]:
    """The quick period choices of the sidebar, ending at the latest date."""
    days = {"Last 4 weeks": 28, "Last 13 weeks": 91, "Last 12 months": 365}
    if choice in days:
        return latest - timedelta(days=days[choice] - 1), latest
    if choice == "Year to date":
        return date(latest.year, 1, 1), latest
    raise ValueError(f"unknown period {choice!r}")


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before [start, end], for deltas on the cards."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)
