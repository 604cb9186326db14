"""The Review page (Review step): why did a KPI move, is it signal or noise, did the fix work?

Built for the screen on the wall of a review meeting. A KPI (arriving from a Manage card
with `?kpi=...`) is drilled from its figure to groups ranked by their part of the gap
against target, to a group's skus, to the rows behind the figure; the focus reached there
applies to every tab (Pareto of defect causes, control chart, actions). The whole view
lives in the URL, so the link the meeting shares opens exactly this view: the KPI as a
plain parameter, the path (`by`, `node`, `node_sku`) and the tab choices as widgets bound
to the URL. A bound parameter can only be changed through session state, so a bar click
sets the bound selectbox's state in the chart's selection callback. Viewers and read-only
serving see notes and actions without the forms; writes go through `ui.writes`.

This file lays the page out; each tab and form is a module of `ui/review/`.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ui import widgets
from ui.auth import gate
from ui.cache import call, store
from ui.review.actions import actions_tab
from ui.review.control import control_tab
from ui.review.drill import drill_tab
from ui.review.kpi import headline, kpi_picker, status_line
from ui.review.meeting import export_button
from ui.review.pareto import pareto_tab
from ui.review.path import path_bar
from ui.scope import current_scope, scope_caption
from ui.widgets import definition_card

TABS = ("Drill down", "Pareto", "Control chart", "Actions")


def empty_state() -> None:
    widgets.empty_state(
        "There is nothing to review yet. Import deliveries, defects, orders or inventory "
        "snapshots on the Data page (the demo plant is there to explore meanwhile).",
        ("deliveries", "defects", "orders", "inventory"),
    )


def main() -> None:
    st.title("Review")
    scope = current_scope()
    if call("choices")["latest"] is None:
        empty_state()
        return
    picker, figure, tools = st.columns([3, 2, 2], vertical_alignment="bottom")
    with picker:
        kpi_name = kpi_picker()
    try:
        now = call("overview", scope)
    except ValueError as error:
        st.error(f"These filters cannot be measured: {error}. Change the period in the sidebar.")
        return
    text = scope_caption(replace(scope, start=now["start"], end=now["end"]))
    target = call("targets")[kpi_name]["target"]
    with figure:
        headline(kpi_name, now, target)
    with tools:
        with st.popover("Definition", icon=":material/info:"):
            definition_card(kpi_name)
        export = st.empty()
    status_line(kpi_name, now, target, text)
    view = path_bar(kpi_name, scope)
    tabs = st.tabs(TABS, key="view", bind="query-params", on_change="rerun")
    if tabs[0].open:
        with tabs[0]:
            drill_tab(view, target)
    if tabs[1].open:
        with tabs[1]:
            view = pareto_tab(view)
    if tabs[2].open:
        with tabs[2]:
            view = control_tab(view)
    if tabs[3].open:
        with tabs[3]:
            actions_tab(view)
    export_button(export, view, text)


gate()
with store().connect():
    main()
