"""What a user chose (period, as-of, filters) turned into the values every model binds.

`resolve` reads the stored settings and the latest event date in the data (never a planned
date); the sidebar's quick periods and the previous period of the cards' deltas are worked
out here too. Python gives the one thing SQL should not: the normal quantile `z`
(`statistics.NormalDist`, the same value as scipy's `norm.ppf` to 1e-9, without the 0.6 s
that importing scipy.stats adds to the app's start).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from statistics import NormalDist

from analytics.store.schema import EVENT_DATES, TABLES, TEXT_SETTINGS
from analytics.store.settings import get_currency, get_settings

FAR_FUTURE = date(9999, 12, 31)  # the as-of of the stored facts: every event counts


@dataclass(frozen=True)
class Scope:
    """What a user chose; None means the default (as-of: the latest event date, period: the
    365 days ending at the as-of date)."""

    start: date | None = None
    end: date | None = None
    as_of: date | None = None
    supplier: str | None = None
    sku: str | None = None
    category: str | None = None
    site: str | None = None  # a plant or warehouse; None = all sites (METRICS.md 1a)


def latest_date(cur) -> date | None:
    """The latest event date in the data: the default as-of (METRICS.md section 2)."""
    return cur.execute(LATEST_DATE_SQL).fetchone()[0]


def latest_event_sql(tables: Iterable[str]) -> str | None:
    """A query for the latest event date (`latest`) in these tables; None when they have none.

    Events only (`EVENT_DATES`: orders placed, receipts, shipments, defects, snapshots):
    a promised or requested date is a plan, and an open line promised next month must not
    move the as-of date past the last receipt and judge every line in between late.
    """
    parts = [f"select max({col}) as d from {t}" for t in tables for col in EVENT_DATES[t]]
    if not parts:
        return None
    return f"select max(d) as latest from ({' union all '.join(parts)}) as events"


LATEST_DATE_SQL = latest_event_sql(TABLES)


def resolve(cur, scope: Scope = Scope()) -> dict:
    """Bound parameters of every model: the scope, the settings and dates derived from them."""
    return parameters({**get_settings(cur), "currency": get_currency(cur)}, latest_date(cur), scope)


def parameters(settings: dict, latest: date | None, scope: Scope = Scope()) -> dict:
    """`resolve` without a database: the settings and the latest event date given.

    The rollup job (analytics.rollup) asks its engine for both and calls this, so every
    engine binds exactly the values the app would. `currency` (the base currency every
    amount is converted into) is the default, EUR, unless the settings give it.
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
        "site": scope.site,
        "currency": settings.get("currency", TEXT_SETTINGS["currency"][0]),
        "late_tol": int(settings["late_tolerance_days"]),
        "early_tol": int(settings["early_tolerance_days"]),
        "in_full_tol": settings["in_full_tolerance"],
        "holding_rate": settings["holding_cost_rate"],
        "target_cover": settings["target_cover_days"],
        "demand_start": as_of - timedelta(days=89),
        "dead_start": as_of - timedelta(days=int(settings["dead_stock_days"]) - 1),
        "year_start": as_of - timedelta(days=364),
        "weeks_start": as_of - timedelta(days=52 * 7 - 1),
        "z": NormalDist().inv_cdf(settings["service_level"]),
        "ksf": settings["kanban_safety_factor"],
        "abc_a": settings["abc_cutoff_a"],
        "abc_b": settings["abc_cutoff_b"],
        "xyz_x": settings["xyz_cutoff_x"],
        "xyz_y": settings["xyz_cutoff_y"],
        "order_cycle": settings["order_cycle_days"],
        "spike_factor": settings["spike_factor"],
        "forecast_weight": settings["forecast_weight"],
        **{k: v for k, v in settings.items() if k.startswith("score_")},
    }


def since_default(as_of: date, last_review: date | None) -> date:
    """Where the "Since last review" signals start by default: the as-of date of the last
    digest when it is before `as_of`, else a week before `as_of` (METRICS.md section 13)."""
    if last_review is not None and last_review < as_of:
        return last_review
    return as_of - timedelta(days=7)


def default_since(cur) -> date | None:
    """`since_default` for the data in the store (None when it holds no event)."""
    as_of = latest_date(cur)
    if as_of is None:
        return None
    (last,) = cur.execute("select max(as_of) from digest_runs").fetchone()
    return since_default(as_of, last)


def period_of(choice: str, latest: date) -> tuple[date, date]:
    """The quick period choices of the sidebar, ending at the latest event date."""
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


def previous_scope(scope: Scope, start, end) -> Scope:
    """The same filters over the period of equal length just before [start, end].

    It is judged as of its own end (or the chosen as-of moved back by the period length),
    so open lines and stock are read as they stood then, as a baseline would be.
    """
    prev_start, prev_end = previous_period(start, end)
    shift = timedelta(days=(end - start).days + 1)
    as_of = scope.as_of - shift if scope.as_of else prev_end
    return replace(scope, start=prev_start, end=prev_end, as_of=min(as_of, prev_end))


def scope_text(scope: Scope) -> str:
    """One line saying what the figures cover (the pages' caption, the reports' subtitle)."""
    parts = [f"{scope.start:%d %b %Y} – {scope.end:%d %b %Y}"]
    if scope.as_of:
        parts.append(f"as of {scope.as_of:%d %b %Y}")
    for label, value in (
        ("supplier", scope.supplier),
        ("category", scope.category),
        ("sku", scope.sku),
        ("site", scope.site),
    ):
        if value:
            parts.append(f"{label} {value}")
    return " · ".join(parts)
