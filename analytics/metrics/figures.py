"""The figures pages and the command line show, computed by the SQL models.

Each function runs one model for a scope and returns plain values: the headline KPIs, the
trend series, the scorecards, the rows behind a KPI and the choices of the sidebar.
"""

from __future__ import annotations

from analytics.metrics.registry import KPIS
from analytics.models.params import Scope, latest_date, resolve
from analytics.models.run import prepare, run_rows
from analytics.store.settings import get_currency

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


def _one_row(store, model: str, scope: Scope) -> dict:
    with store.connect() as cur:
        params = resolve(cur, scope)
        rows = run_rows(cur, model, params)
    return {**rows[0], **{k: params[k] for k in ("start", "end", "as_of")}}


def overview(store, scope: Scope = Scope()) -> dict:
    """Every headline KPI with the counts behind it and the period it covers."""
    return _one_row(store, "kpi_overview", scope)


def compute_kpis(
    store, *, start=None, end=None, as_of=None, supplier=None, sku=None, category=None, site=None
) -> dict:
    """Exactly the KPI_KEYS (rates 0..1, None when undefined)."""
    row = overview(store, Scope(start, end, as_of, supplier, sku, category, site))
    return {key: _plain(row[key]) for key in KPI_KEYS}


PERIOD_KEYS = ("start", "end", "as_of")


def kpis_with_period(store, scope: Scope = Scope()) -> dict:
    """The KPI_KEYS, then the period and as-of date they were computed for (ISO dates), the
    site (None: all sites) and the currency of the money figures, as `kpis --json` prints
    them: a script reading the figures knows which dates the defaults chose without working
    them out again, and in which currency the amounts are."""
    row = overview(store, scope)
    kpis = {key: _plain(row[key]) for key in KPI_KEYS}
    dates = {key: row[key].isoformat() for key in PERIOD_KEYS}
    return {**kpis, **dates, "site": scope.site, "currency": currency(store)}


def _plain(value):
    return None if value is None else float(value)


def table_rows(store, model: str, scope: Scope = Scope()) -> list[dict]:
    with store.connect() as cur:
        return run_rows(cur, model, resolve(cur, scope))


def series(store, model: str, grain: str, scope: Scope = Scope()) -> list[dict]:
    """A trend model by 'week' or 'month', oldest bucket first."""
    if grain not in ("week", "month"):
        raise ValueError(f"grain must be 'week' or 'month', not {grain!r}")
    with store.connect() as cur:
        params = {**resolve(cur, scope), "grain": grain}
        rows = run_rows(cur, model, params)
    return sorted(rows, key=lambda r: r["bucket"])


def scorecard(store, scope: Scope = Scope()) -> list[dict]:
    """Suppliers best first; suppliers without a score last, by name."""
    rows = table_rows(store, "supplier_scorecard", scope)
    return sorted(
        rows, key=lambda r: (r["score_rank"] is None, r["score_rank"] or 0, r["supplier"])
    )


def currency(store) -> str:
    """The base currency (ISO 4217) every amount is converted into and shown in."""
    with store.connect() as cur:
        return get_currency(cur)


def unconverted_money(store, scope: Scope = Scope()) -> list[dict]:
    """Rows whose amount is in a currency without a rate, per table and currency: their
    amounts are unknown, left out of every money sum (docs/metrics.md, "Currencies")."""
    return table_rows(store, "money_unconverted", scope)


def sku_sizing(store, scope: Scope = Scope()) -> list[dict]:
    rows = table_rows(store, "sku_planning", scope)
    return sorted(rows, key=lambda r: (-(r["consumption_value"] or 0), r["sku"]))


def waste(store, scope: Scope = Scope()) -> list[dict]:
    return sorted(table_rows(store, "waste_ledger", scope), key=lambda r: r["position"])


MAX_ROWS = 100_000


def kpi_rows(store, kpi_name: str, scope: Scope = Scope(), limit: int = MAX_ROWS):
    """The rows a KPI was computed from, as an Arrow table of at most `limit` rows."""
    kpi = KPIS[kpi_name]
    with store.connect() as cur:
        params = resolve(cur, scope)
        where = f"where {kpi.rows_filter}" if kpi.rows_filter else ""
        around = f"select * from ({{sql}}) as rows_behind {where} limit {int(limit)}"
        sql, values = prepare(cur, kpi.rows_model, params, around)
        return cur.sql(sql, params=values).to_arrow_table()


def choices(store) -> dict:
    """What the sidebar filters offer: suppliers, skus, categories, sites and the latest date.

    The suppliers, skus and sites come from `filter_values`, stored at refresh (a scan of
    every row of four tables: 1.4 s at 10M delivery lines on a busy machine)."""
    with store.connect() as cur:
        params = resolve(cur)
        sql, values = prepare(cur, "filter_values", params, VALUES_IN_ORDER)
        found: dict[str, list] = {"supplier": [], "sku": [], "site": []}
        for kind, value in cur.execute(sql, values).fetchall():
            found[kind].append(value)
        categories = [
            r[0]
            for r in cur.execute(
                "select distinct category from items where category is not null order by 1"
            ).fetchall()
        ]
        latest = latest_date(cur)
    return {
        "suppliers": found["supplier"],
        "skus": found["sku"],
        "categories": categories,
        "sites": found["site"],
        "latest": latest,
    }


# each kind's values in the order the sidebar lists them (nulls last, as `order by 1` did)
VALUES_IN_ORDER = "select kind, value from ({sql}) as v order by kind, value"
