"""Signals (METRICS.md section 13): what became worth a look since a given moment.

One function, `signals`, serves both faces: the `digest` command (cron, chat, mail) and the
Overview page's "Since last review" panel. A signal compares two moments, `since` and the
as-of date (the latest event date), on the whole plant: a KPI whose status against its
target changed, the latest week of a KPI's control chart breaking an enabled rule, a sku
entering red, a sku's lead-time drift newly flagged, a late open line passing
`late_alert_days`, an action whose verdict changed. Each has a stable key, so the digest
can store what it reported and never send it twice (`unreported`, `record_run`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from analytics.formatting import format_value, status
from analytics.metrics.figures import overview
from analytics.metrics.registry import KPIS
from analytics.metrics.replenish import replenishment
from analytics.metrics.targets import get_targets
from analytics.models.params import Scope, latest_date, resolve
from analytics.models.run import prepare
from analytics.review.actions import action_effects
from analytics.review.control import control_chart
from analytics.store.settings import get_settings

KINDS = {
    "kpi_status": "KPI status changed",
    "spc": "Control chart signal",
    "red": "SKU entered red",
    "drift": "Lead-time drift flagged",
    "late_line": "Late open line",
    "verdict": "Action verdict changed",
}
STATUS_WORDS = {"good": "on target", "watch": "near target", "bad": "off target"}


@dataclass(frozen=True)
class Signal:
    key: str  # stable: the same change seen again has the same key
    kind: str  # one of KINDS
    title: str  # one plain-text line; names from the data are not markup
    page: str  # where it shows: review, pull, design, suppliers
    params: dict = field(default_factory=dict)  # the page's URL parameters


def as_of_date(store) -> date | None:
    with store.connect() as cur:
        return latest_date(cur)


def signals(store, since: date, rules=(1,)) -> list[dict]:
    """Every signal new between `since` and the as-of date, as plain dicts, by kind."""
    as_of = as_of_date(store)
    if as_of is None or since >= as_of:
        return []
    found = [
        *kpi_status_changes(store, since, as_of),
        *chart_signals(store, since, as_of, rules),
        *entered_red(store, since, as_of),
        *new_drift(store, since, as_of),
        *late_lines(store, since, as_of),
        *verdict_changes(store, since, as_of),
    ]
    return [asdict(s) for s in found]


def kpi_status_changes(store, since: date, as_of: date) -> list[Signal]:
    """KPIs with a target whose status over the year ending at each moment differs."""
    targets = {k: v["target"] for k, v in get_targets(store).items() if v.get("target") is not None}
    if not targets:
        return []
    then, now = overview(store, Scope(as_of=since)), overview(store, Scope(as_of=as_of))
    out = []
    for kpi, target in targets.items():
        hib = KPIS[kpi].higher_is_better
        old, new = status(then.get(kpi), target, hib), status(now.get(kpi), target, hib)
        if old == new or "unknown" in (old, new):
            continue
        unit = KPIS[kpi].unit
        title = (
            f"{KPIS[kpi].label} is now {STATUS_WORDS[new]} "
            f"({format_value(now[kpi], unit)} against {format_value(target, unit)}; "
            f"was {STATUS_WORDS[old]})"
        )
        key = f"kpi_status:{kpi}:{old}->{new}:{since}"
        out.append(Signal(key, "kpi_status", title, "review", {"kpi": kpi}))
    return out


def chart_signals(store, since: date, as_of: date, rules) -> list[Signal]:
    """KPIs whose latest weekly point (a week ending after `since`) breaks a rule."""
    out = []
    for kpi in KPIS:
        points = control_chart(store, kpi, Scope(as_of=as_of), rules=rules)["points"]
        last = points[-1] if points else None
        if not last or not last["rules"] or last["bucket"] + timedelta(days=6) <= since:
            continue
        broken = ",".join(map(str, last["rules"]))
        title = (
            f"{KPIS[kpi].label}: the week of {last['bucket']} breaks rule {broken} "
            f"({format_value(last['value'], KPIS[kpi].unit)})"
        )
        key = f"spc:{kpi}:{last['bucket']}:{broken}"
        out.append(Signal(key, "spc", title, "review", {"kpi": kpi, "view": "Control chart"}))
    return out


def entered_red(store, since: date, as_of: date) -> list[Signal]:
    """Sku and site pairs red (section 11) at the as-of date that were not red at `since`."""
    before = {(r["sku"], r["site"]) for r in replenishment(store, Scope(as_of=since), ["red"])}
    out = []
    for r in replenishment(store, Scope(as_of=as_of), ["red"]):
        if (r["sku"], r["site"]) in before:
            continue
        order = f"{r['suggested_qty'] or 0:,.0f}"
        title = f"{r['sku']} at {r['site']} entered red: order {order}"
        key = f"red:{r['sku']}:{r['site']}:{since}"
        out.append(Signal(key, "red", title, "pull", {"status": "red"}))
    return out


# Skus flagged for lead-time drift (section 7) on the whole plant: those flagged at `since`,
# then those flagged now and not then, in sku_sizing's order (largest consumption value
# first). Only they leave the database: at 10M lines nearly all 20,000 skus of the bench
# plant are flagged at both moments, and building their dicts took most of the signal.
FLAGGED_SKUS = "select sku from ({sql}) as s where drift_flag"
NEWLY_FLAGGED = (
    "select * from ({sql}) as s where drift_flag "
    "and sku not in (select unnest($flagged_before)) "
    "order by coalesce(consumption_value, 0) desc, sku"
)


def new_drift(store, since: date, as_of: date) -> list[Signal]:
    """Skus whose lead-time drift is flagged now and was not at `since`."""
    with store.connect() as cur:
        sql, values = prepare(cur, "sku_planning", resolve(cur, Scope(as_of=since)), FLAGGED_SKUS)
        before = [sku for (sku,) in cur.execute(sql, values).fetchall()]
        params = {**resolve(cur, Scope(as_of=as_of)), "flagged_before": before}
        result = cur.execute(*prepare(cur, "sku_planning", params, NEWLY_FLAGGED))
        names = [c[0] for c in result.description]
        flagged = [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    out = []
    for r in flagged:
        title = (
            f"{r['sku']}: lead time {r['lead_time_mean_days']:.1f} days against "
            f"{r['planned_lead_time_days']:g} planned"
        )
        out.append(Signal(f"drift:{r['sku']}:{since}", "drift", title, "design", {}))
    return out


LATE_CROSSED = (
    "select * from ({sql}) as late "
    "where promised_date > $late_after and promised_date <= $late_until"
)


def late_lines(store, since: date, as_of: date) -> list[Signal]:
    """Open PO lines that passed `late_alert_days` late after `since` (on or before as-of)."""
    with store.connect() as cur:
        alert = timedelta(days=int(get_settings(cur)["late_alert_days"]))
        # since < promised + alert <= as-of, asked of the database: every late open line
        # ever (millions at 10M lines) never reaches Python
        window = {"late_after": since - alert, "late_until": as_of - alert}
        params = {**resolve(cur, Scope(as_of=as_of)), **window}
        sql, values = prepare(cur, "supplier_late_lines", params, LATE_CROSSED)
        result = cur.execute(sql, values)
        names = [c[0] for c in result.description]
        crossed = [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    out = []
    for r in crossed:
        title = (
            f"{r['supplier']}: PO {r['po_number']}/{r['po_line']} ({r['sku']}) is "
            f"{r['days_late']} days late, {r['open_qty']:,.0f} open"
        )
        key = f"late_line:{r['po_number']}:{r['po_line']}:{r['promised_date']}"
        params = {"view": "Supplier detail", "detail": r["supplier"]}
        out.append(Signal(key, "late_line", title, "suppliers", params))
    return out


def verdict_changes(store, since: date, as_of: date) -> list[Signal]:
    """Actions whose verdict on the data up to `since` differs from today's."""
    then = {a["action_id"]: a["verdict"] for a in action_effects(store, as_of=since)}
    out = []
    for a in action_effects(store, as_of=as_of):
        old = then.get(a["action_id"])
        if old is None or old == a["verdict"]:
            continue
        title = f"Action \u201c{a['title']}\u201d is now {a['verdict']} (was {old})"
        key = f"verdict:{a['action_id']}:{old}->{a['verdict']}:{since}"
        out.append(Signal(key, "verdict", title, "review", {"kpi": a["kpi"], "view": "Actions"}))
    return out


# -- what the digest already reported ----------------------------------------------------
def unreported(store, found: list[dict]) -> list[dict]:
    """The signals whose key the digest has not reported yet."""
    with store.connect() as cur:
        sent = {k for (k,) in cur.execute("select key from signals_reported").fetchall()}
    return [s for s in found if s["key"] not in sent]


def last_run_as_of(store) -> date | None:
    """The as-of date of the latest digest run (None before the first)."""
    with store.connect() as cur:
        return cur.execute("select max(as_of) from digest_runs").fetchone()[0]


def record_run(store, since: date, as_of: date, reported: list[dict]) -> None:
    """Store the keys reported and the run itself; the data version does not move (no
    figure depends on what was sent), so the app's caches stay warm."""
    with store.writer() as cur:
        if reported:
            cur.executemany(
                "insert into signals_reported values (?, ?, ?, ?, now()::timestamp) "
                "on conflict do nothing",
                [(s["key"], s["kind"], s["title"], as_of) for s in reported],
            )
        (run_id,) = cur.execute("select coalesce(max(run_id), 0) + 1 from digest_runs").fetchone()
        cur.execute(
            "insert into digest_runs values (?, ?, ?, now()::timestamp, ?)",
            [run_id, since, as_of, len(reported)],
        )
