"""The control-chart tab: a weekly series with limits per phase and the rules it breaks.

The series picker is keyed per KPI (it starts on the KPI under review); the run rules are
checkboxes bound to the URL (`rule1`...). Points inside the limits are noise; a circled
point breaks a chosen rule, and the table below lists those weeks.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics.charts.review import control_chart
from analytics.charts.review_tables import SIGNAL_COLUMNS, signal_rows
from analytics.review.control import chartable
from analytics.review.spc import NELSON_EXTRA, RULE_NAMES, WESTERN_ELECTRIC
from analytics.review.view import ReviewView, series_unit
from ui.cache import call, currency
from ui.widgets import downloads


def control_tab(view: ReviewView) -> ReviewView:
    """A weekly series with limits per phase and the run rules it breaks."""
    series, chosen = series_and_rules(view)
    view = replace(view, series=series, rules=tuple(chosen))
    focus, cause = view.focus()
    chart = call("control_chart", series, focus, rules=view.rules)
    if not chart["points"]:
        st.info("Too few weeks with data in this period and focus for a control chart.")
        return view
    unit = series_unit(series)
    fig = control_chart(chart, unit, chartable()[series], currency=currency())
    st.plotly_chart(fig, width="stretch", key="spc")
    chart_caption(chart, cause)
    signals = pd.DataFrame(signal_rows(chart, unit, currency()))
    if signals.empty:
        st.success(
            "No week breaks the chosen rules: the changes are noise.", icon=":material/check:"
        )
        return view
    st.dataframe(signals, hide_index=True, column_config=SIGNAL_COLUMNS)
    downloads(signals, f"signals-{series}", key="dl-signals")
    return view


def series_and_rules(view: ReviewView) -> tuple[str, list[int]]:
    """The series (the KPI, or another weekly series) and the run rules to check."""
    names = list(chartable())
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    series = left.selectbox(
        "Series",
        names,
        index=names.index(view.kpi),
        key=f"series-{view.kpi}",
        format_func=chartable().get,
        help="The KPI under review, or another weekly series such as lateness.",
    )
    with right, st.container(horizontal=True, gap="medium"):
        chosen = [r for r in WESTERN_ELECTRIC if rule_box(r)]
    with st.expander("More rules (Nelson 5-8: trend, alternation, hugging, mixture)"):
        with st.container(horizontal=True, gap="medium"):
            chosen += [r for r in NELSON_EXTRA if rule_box(r)]
    return series, chosen


def rule_box(rule: int) -> bool:
    return st.checkbox(
        f"Rule {rule}: {RULE_NAMES[rule]}", value=rule == 1, key=f"rule{rule}", bind="query-params"
    )


def chart_caption(chart: dict, cause: str | None) -> None:
    """How to read the chart: noise and signals, which kind of chart, its phases."""
    kind = {
        "p": "a p-chart: the limits widen in weeks with few lines, where a rate swings more "
        "by chance",
        "laney": "a Laney p' chart: a p-chart whose limits are widened by how much more the "
        "weeks vary than their line counts explain",
        "xmr": "an XmR chart: the limits come from how much the figure moves week to week",
    }[chart["chart"]]
    if chart.get("sigma_z") is not None:
        kind += (
            f" (sigma_z = {chart['sigma_z']:.2f}; 1 would mean no more spread than the line "
            "counts explain, and Laney's chart is chosen above 1)"
        )
    st.caption(
        "Points between the red dashed limits are noise: the process as it is. A circled point "
        "breaks a rule and is a signal that something changed: look for the cause that week. "
        f"This is {kind}. A new phase, with its own centre and limits, starts at each "
        "improvement action (dotted line)." + (" The chart covers all causes." if cause else "")
    )
