"""A supplier pack: what a supplier needs to read about itself, gathered for one page.

JIT's "build relationships with suppliers" needs a document the supplier can read without
Takt: its score and grade with the change of rank, a monthly score history, OTIF trend,
lead-time spread, the late open lines to confirm, its defect Pareto, the actions about it
with their verdicts and the customer lines its misses hit (section 12). `gather_packs`
computes what every pack shares once (the scorecards, the monthly history, the actions);
`analytics.charts.pack.supplier_pack` draws one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from analytics.metrics.figures import scorecard, series, table_rows
from analytics.metrics.suppliers import pareto, trend_grain, with_customer_hits
from analytics.models.params import Scope, resolve, scope_text
from analytics.review.actions import action_effects


@dataclass
class Pack:
    supplier: str
    scope_text: str
    card: dict  # its scorecard row, customer hits included
    suppliers: int  # how many suppliers the rank is among
    rank_before: int | None  # its rank over the previous period of the same length
    history: list[dict] = field(default_factory=list)  # month, score, grade, otif, due lines
    otif: list[dict] = field(default_factory=list)  # supplier_series rows
    grain: str = "month"
    lead_times: list[dict] = field(default_factory=list)
    late_lines: list[dict] = field(default_factory=list)
    defects: list[dict] = field(default_factory=list)  # pareto rows: cause, qty, share, ...
    actions: list[dict] = field(default_factory=list)
    hits: list[dict] = field(default_factory=list)  # customer_miss_lines rows


@dataclass
class Shared:
    """What every supplier's pack of one period reads: computed once for all packs."""

    scope: Scope
    text: str
    cards: dict[str, dict]
    ranks_before: dict[str, int]
    history: dict[str, list[dict]]
    actions: list[dict]


def months(start: date, end: date) -> list[tuple[date, date]]:
    """Calendar months overlapping [start, end], each cut to the period."""
    out, first = [], start.replace(day=1)
    while first <= end:
        following = (first + timedelta(days=32)).replace(day=1)
        out.append((max(first, start), min(following - timedelta(days=1), end)))
        first = following
    return out


def score_history(store, scope: Scope) -> dict[str, list[dict]]:
    """Each supplier's scorecard month by month, judged as of each month's end (or as-of).

    Every month of the period is listed for every supplier with due lines in any of them;
    a month without due lines has score, grade and OTIF None: no data, never a 0 or a 100%.
    """
    with store.connect() as cur:
        params = resolve(cur, scope)
    spans = months(params["start"], params["end"])
    found: dict[str, dict[date, dict]] = {}
    for first, last in spans:
        month = replace(scope, start=first, end=last, as_of=min(last, params["as_of"]))
        for r in scorecard(store, month):
            if r.get("due_lines"):
                found.setdefault(r["supplier"], {})[first] = r
    empty = {"due_lines": 0, "score": None, "grade": None, "otif_rate": None}
    return {
        supplier: [
            {"month": first.replace(day=1), **_month(by_month.get(first), empty)}
            for first, _ in spans
        ]
        for supplier, by_month in found.items()
    }


def _month(row: dict | None, empty: dict) -> dict:
    if row is None:
        return dict(empty)
    return {k: row[k] for k in empty}


def shared(store, scope: Scope = Scope()) -> Shared:
    scope = replace(scope, supplier=None)
    with store.connect() as cur:
        params = resolve(cur, scope)
    hits = table_rows(store, "supplier_customer_hits", scope)
    cards = {r["supplier"]: r for r in with_customer_hits(scorecard(store, scope), hits)}
    days = (params["end"] - params["start"]).days + 1
    before_end = params["start"] - timedelta(days=1)
    before = Scope(before_end - timedelta(days=days - 1), before_end, before_end, site=scope.site)
    ranks_before = {r["supplier"]: r["score_rank"] for r in scorecard(store, before)}
    period = replace(scope, start=params["start"], end=params["end"])
    return Shared(
        scope,
        scope_text(period),
        cards,
        ranks_before,
        score_history(store, scope),
        action_effects(store),
    )


def gather_pack(store, supplier: str, common: Shared) -> Pack:
    """One supplier's pack over the shared period."""
    if supplier not in common.cards:
        raise ValueError(f"no supplier {supplier!r} in this period")
    one = replace(common.scope, supplier=supplier)
    grain = trend_grain(common.scope.start, common.scope.end)
    late = table_rows(store, "supplier_late_lines", one)
    return Pack(
        supplier=supplier,
        scope_text=common.text,
        card=common.cards[supplier],
        suppliers=sum(1 for c in common.cards.values() if c["score_rank"] is not None),
        rank_before=common.ranks_before.get(supplier),
        history=common.history.get(supplier, []),
        otif=series(store, "supplier_series", grain, one),
        grain=grain,
        lead_times=table_rows(store, "supplier_lead_times", one),
        late_lines=sorted(late, key=lambda r: (-r["days_late"], r["po_number"], r["po_line"])),
        defects=pareto(table_rows(store, "supplier_defect_causes", one), "cause", "qty"),
        actions=[
            a
            for a in common.actions
            if a["scope_kind"] == "supplier" and a["scope_value"] == supplier
        ],
        hits=table_rows(store, "customer_miss_lines", one),
    )


def gather_packs(store, scope: Scope = Scope()) -> list[Pack]:
    """Every supplier of the scorecard, best score first."""
    common = shared(store, scope)
    return [gather_pack(store, name, common) for name in common.cards]
