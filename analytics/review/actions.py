"""Improvement actions and their verified effect (METRICS.md section 10): closing the loop.

A review meeting decides a countermeasure; weeks later it asks "did it work?". An action is
stored in DuckDB (table `actions`) so the whole team sees the same list, and its effect is
recomputed from the data every time: the KPI in the `effect_window_weeks` weeks before the
start against the weeks from the start on, by the same SQL models that compute the headline
figure, tested with Fisher's exact test (counts) or Mann-Whitney (lead times).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta

from analytics.metrics.figures import table_rows
from analytics.metrics.registry import KPIS
from analytics.models.params import Scope, latest_date
from analytics.review.effect import Effect, rate_effect, value_effect
from analytics.store.settings import get_settings
from analytics.store.version import bump_keeping_facts

DEFAULT_SCOPE = Scope()  # the sidebar defaults: 365 days to the latest date, no filter
SCOPE_KINDS = ("all", "supplier", "sku", "site")
STATUSES = ("open", "done", "dropped")
FIELDS = ("title", "kpi", "scope_kind", "scope_value", "start_date", "owner", "status", "notes")
# KPIs the supplier filter does not apply to (stock and customers are not the supplier's).
NOT_BY_SUPPLIER = frozenset(
    {
        "avg_inventory_value",
        "cogs",
        "inventory_turnover",
        "dio_days",
        "fill_rate",
        "customer_otif_rate",
        "excess_value",
        "hhi",
    }
)
# kpi -> (one-row model, events column, n column, factor from the proportion to the KPI's unit)
COUNTS = {
    "otif_rate": ("kpi_delivery", "otif_lines", "due_lines", 1.0),
    "on_time_rate": ("kpi_delivery", "on_time_lines", "due_lines", 1.0),
    "in_full_rate": ("kpi_delivery", "in_full_lines", "due_lines", 1.0),
    "early_rate": ("kpi_delivery", "early_lines", "due_received_lines", 1.0),
    "customer_otif_rate": ("kpi_customer", "otif_order_lines", "due_order_lines", 1.0),
    "fill_rate": ("effect_fill_units", "filled_qty", "ordered_qty", 1.0),
    "defect_ppm": ("kpi_quality", "supplier_defect_qty", "received_qty", 1_000_000.0),
}
# kpi -> column of effect_lead_times compared with Mann-Whitney (medians reported)
VALUES = {"lead_time_mean_days": "lead_time_days"}


@dataclass
class Verification(Effect):
    """An Effect with the windows compared and, when there is no verdict, the reason."""

    reason: str = ""
    before_start: date | None = None
    before_end: date | None = None
    after_start: date | None = None
    after_end: date | None = None


# -- the table ---------------------------------------------------------------------------
def validate(fields: dict) -> dict:
    """A complete, clean action from what a person typed; ValueError says what is wrong."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown action fields: {', '.join(sorted(unknown))}")
    title = (fields.get("title") or "").strip()
    if not title:
        raise ValueError("an action needs a title")
    kpi = fields.get("kpi")
    if kpi not in KPIS:
        raise ValueError(f"unknown KPI {kpi!r}; choose one of {', '.join(KPIS)}")
    kind, value = _scope(kpi, fields.get("scope_kind") or "all", fields.get("scope_value"))
    status = fields.get("status") or "open"
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return {
        "title": title,
        "kpi": kpi,
        "scope_kind": kind,
        "scope_value": value,
        "start_date": _date(fields.get("start_date")),
        "owner": _text(fields.get("owner")),
        "status": status,
        "notes": _text(fields.get("notes")),
    }


def _scope(kpi: str, kind: str, value) -> tuple[str, str | None]:
    if kind not in SCOPE_KINDS:
        raise ValueError(f"scope must be one of {', '.join(SCOPE_KINDS)}, not {kind!r}")
    if kind == "all":
        return kind, None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"a {kind} scope needs the {kind}'s name")
    if kind == "supplier" and kpi in NOT_BY_SUPPLIER:
        raise ValueError(
            f"{KPIS[kpi].label} does not depend on the supplier: choose scope all or sku"
        )
    return kind, value


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise ValueError(f"the start date must be a date (YYYY-MM-DD), not {value!r}") from None


def _text(value) -> str | None:
    text = None if value is None else str(value).strip()
    return text or None


def create_action(store, **fields) -> int:
    """Store a new action; returns its id."""
    clean = validate(fields)
    with store.writer() as cur:
        (action_id,) = cur.execute("select coalesce(max(action_id), 0) + 1 from actions").fetchone()
        cur.execute(
            f"""insert into actions (action_id, {", ".join(FIELDS)}, created_at, updated_at)
            values (?, {", ".join("?" for _ in FIELDS)}, now()::timestamp, now()::timestamp)""",
            [action_id, *(clean[f] for f in FIELDS)],
        )
        bump_keeping_facts(cur)
    return action_id


def get_action(store, action_id: int) -> dict:
    with store.connect() as cur:
        result = cur.execute("select * from actions where action_id = ?", [action_id])
        columns = [d[0] for d in result.description]
        row = result.fetchone()
    if row is None:
        raise ValueError(f"there is no action #{action_id}")
    return dict(zip(columns, row, strict=True))


def update_action(store, action_id: int, **fields) -> None:
    """Change some fields; the whole action is validated again."""
    current = {f: get_action(store, action_id)[f] for f in FIELDS}
    if fields.get("scope_kind") == "all":
        fields.setdefault("scope_value", None)
    clean = validate({**current, **fields})
    with store.writer() as cur:
        cur.execute(
            f"""update actions set {", ".join(f"{f} = ?" for f in FIELDS)},
                updated_at = now()::timestamp where action_id = ?""",
            [*(clean[f] for f in FIELDS), action_id],
        )
        bump_keeping_facts(cur)


def close_action(store, action_id: int, status: str = "done") -> None:
    if status not in ("done", "dropped"):
        raise ValueError(f"an action is closed as done or dropped, not {status!r}")
    update_action(store, action_id, status=status)


def list_actions(store) -> list[dict]:
    """Every action, latest start first."""
    with store.connect() as cur:
        result = cur.execute("select * from actions order by start_date desc, action_id desc")
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def scope_label(action: dict) -> str:
    """'all', 'supplier: X', 'sku: Y' or 'site: Z', as the CLI and the page show it."""
    if action["scope_kind"] == "all":
        return "all"
    return f"{action['scope_kind']}: {action['scope_value']}"


def markers(store, kpi: str, scope: Scope = DEFAULT_SCOPE) -> list[dict]:
    """Actions to mark on a KPI's charts: on that KPI, not dropped, and whose scope applies.

    An action on everything applies to every chart; one on a supplier, sku or site applies
    to a chart filtered to that supplier, sku or site.
    """
    found = []
    for action in list_actions(store):
        if action["kpi"] != kpi or action["status"] == "dropped":
            continue
        kind, value = action["scope_kind"], action["scope_value"]
        if kind == "all" or getattr(scope, kind) == value:
            found.append(action)
    return sorted(found, key=lambda a: (a["start_date"], a["action_id"]))


# -- verification ------------------------------------------------------------------------
def windows(
    store, start: date, as_of: date | None = None
) -> tuple[tuple[date, date], tuple[date, date] | None]:
    """(before, after) periods; after is capped at the latest date (or `as_of`, to judge
    the action as it stood then) and None when empty."""
    with store.connect() as cur:
        weeks = int(get_settings(cur)["effect_window_weeks"])
        latest = latest_date(cur)
    if as_of is not None and latest is not None:
        latest = min(latest, as_of)
    span = timedelta(weeks=weeks)
    before = (start - span, start - timedelta(days=1))
    if latest is None or latest < start:
        return before, None
    return before, (start, min(start + span - timedelta(days=1), latest))


def verify(store, action: dict, as_of: date | None = None) -> Verification:
    """The action's effect (METRICS.md section 10): before vs after its start date."""
    kpi = action["kpi"]
    before, after = windows(store, action["start_date"], as_of)
    spans = {
        "before_start": before[0],
        "before_end": before[1],
        "after_start": after[0] if after else None,
        "after_end": after[1] if after else None,
    }
    if kpi not in COUNTS and kpi not in VALUES:
        return _insufficient(
            f"no before/after test is defined for {KPIS[kpi].label}: section 10 compares "
            "rates (Fisher) and lead times (Mann-Whitney)",
            spans,
        )
    if after is None:
        return _insufficient("the action starts after the latest date in the data", spans)
    test = _rate if kpi in COUNTS else _values
    return replace(test(store, kpi, action, before, after), **spans)


def _insufficient(reason: str, spans: dict) -> Verification:
    return Verification(None, None, None, None, "insufficient data", 0, 0, reason, **spans)


def _window_scope(action: dict, period: tuple[date, date]) -> Scope:
    kind, value = action["scope_kind"], action["scope_value"]
    return Scope(
        period[0],
        period[1],
        as_of=period[1],
        supplier=value if kind == "supplier" else None,
        sku=value if kind == "sku" else None,
        site=value if kind == "site" else None,
    )


def _rate(store, kpi, action, before, after) -> Verification:
    """Fisher's exact test on events / n of each window, in whole units."""
    model, events_col, n_col, factor = COUNTS[kpi]
    counts = []
    for period in (before, after):
        row = table_rows(store, model, _window_scope(action, period))[0]
        counts += [round(row[events_col] or 0), round(row[n_col] or 0)]
    e_before, n_before, e_after, n_after = counts
    if e_before > n_before or e_after > n_after:
        return _insufficient(
            f"more {events_col} than {n_col} in a window: no proportion to compare", {}
        )
    effect = rate_effect(e_before, n_before, e_after, n_after, KPIS[kpi].higher_is_better)
    scaled = {
        k: None if getattr(effect, k) is None else getattr(effect, k) * factor
        for k in ("before", "after", "change")
    }
    reason = "" if effect.p_value is not None else f"no {n_col} in one of the windows"
    return Verification(**{**asdict(effect), **scaled}, reason=reason)


def _values(store, kpi, action, before, after) -> Verification:
    """Mann-Whitney on the per-line values; before and after are medians."""
    column = VALUES[kpi]
    samples = []
    for period in (before, after):
        rows = table_rows(store, "effect_lead_times", _window_scope(action, period))
        samples.append([float(r[column]) for r in rows])
    effect = value_effect(samples[0], samples[1], KPIS[kpi].higher_is_better)
    reason = "" if effect.p_value is not None else "no received lines in one of the windows"
    return Verification(**asdict(effect), reason=reason)


def action_effects(store, as_of: date | None = None) -> list[dict]:
    """Every action with its verification (before, after, change, p_value, verdict, ...);
    `as_of` judges them on the data up to that day (the digest compares two moments)."""
    return [{**action, **asdict(verify(store, action, as_of))} for action in list_actions(store)]


# -- the demo ----------------------------------------------------------------------------
