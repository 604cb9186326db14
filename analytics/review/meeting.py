"""What a review meeting's minutes hold, gathered from the data for one `ReviewView`.

The offline report (`analytics.charts.report.review_report`) draws this and nothing else, so
the report never queries the store: the headline with its target, every drill-down level on
the path to the focus, the rows behind the figure, the notes of the node, the defect
Pareto (and the suppliers behind a chosen cause), the control chart and the actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from analytics.formatting import DEFAULT_CURRENCY
from analytics.metrics.figures import currency, overview
from analytics.metrics.targets import get_targets
from analytics.review import control, drill, notes
from analytics.review import pareto as defect_pareto
from analytics.review.actions import action_effects
from analytics.review.view import ReviewView

ROWS_IN_REPORT = 200


@dataclass
class Meeting:
    view: ReviewView
    value: float | None
    target: float | None
    levels: list[tuple[ReviewView, list[dict]]] = field(default_factory=list)
    rows: list[dict] | None = None  # the rows behind the figure, once the path ends
    notes: list[dict] = field(default_factory=list)
    pareto: list[dict] = field(default_factory=list)
    cause_suppliers: list[dict] | None = None
    chart: dict = field(default_factory=dict)
    series_label: str = ""
    actions: list[dict] = field(default_factory=list)
    currency: str = DEFAULT_CURRENCY  # the base currency every amount is shown in


def gather(store, view: ReviewView) -> Meeting:
    """Everything the report shows, computed when asked for (the download button calls it
    on click)."""
    meeting = Meeting(
        view,
        overview(store, view.scope)[view.kpi],
        get_targets(store)[view.kpi]["target"],
    )
    if drill.GROUPINGS[view.kpi]:
        meeting.levels = _levels(store, view)
        if view.next_by is None:
            scope, cause = view.focus()
            meeting.rows = drill.rows(store, view.kpi, scope, limit=ROWS_IN_REPORT, cause=cause)
    meeting.notes = notes.notes_for(store, view.kpi, view.path)
    scope, _ = view.focus()
    meeting.pareto = defect_pareto.pareto(store, scope, view.measure)
    if meeting.pareto and view.cause is not None:
        meeting.cause_suppliers = defect_pareto.pareto_suppliers(
            store, view.cause, scope, view.measure
        )
    series = view.series or view.kpi
    meeting.series_label = control.chartable()[series]
    meeting.chart = control.control_chart(store, series, scope, rules=view.rules)
    meeting.actions = action_effects(store)
    meeting.currency = currency(store)
    return meeting


def _levels(store, view: ReviewView) -> list[tuple[ReviewView, list[dict]]]:
    """Every level of the path from the KPI down to the focus, so the minutes show the chain."""
    chain = [replace(view, node=None, node_sku=None)]
    if view.node is not None:
        chain.append(replace(view, node_sku=None))
    if len(view.levels) == 2:
        chain.append(view)
    out = []
    for step in chain:
        if step.next_by is not None:
            scope, cause = step.focus()
            out.append((step, drill.breakdown(store, step.kpi, step.next_by, scope, cause=cause)))
    return out
