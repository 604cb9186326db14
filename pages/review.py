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
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from analytics.charts.report import review_report
from analytics.charts.review_tables import (
    ACTION_COLUMNS,
    VERDICT_COLORS,
    action_rows,
)
from analytics.metrics.registry import KPIS
from analytics.review.actions import STATUSES
from analytics.review.meeting import gather
from analytics.review.view import (
    DIMENSIONS,
    ReviewView,
)
from ui.auth import gate, read_only_notice
from ui.cache import call, store
from ui.review.control import control_tab
from ui.review.drill import drill_tab
from ui.review.kpi import headline, kpi_picker, status_line
from ui.review.pareto import pareto_tab
from ui.review.path import path_bar
from ui.review.state import flash
from ui.scope import current_scope, scope_caption
from ui.widgets import definition_card, downloads
from ui.writes import EditRefused, close_action, create_action, update_action

TABS = ("Drill down", "Pareto", "Control chart", "Actions")


def empty_state() -> None:
    st.info(
        "There is nothing to review yet. Import deliveries, defects, orders or inventory "
        "snapshots on the Data page, or reload the demo data there.",
        icon=":material/inbox:",
    )
    st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")


# -- the KPI and its headline ----------------------------------------------------------------


# -- the drill path ----------------------------------------------------------------------------


# -- the tabs ----------------------------------------------------------------------------------


def verdict_style(value: str) -> str:
    color = VERDICT_COLORS.get(value)
    return f"color: {color}; font-weight: 600" if color else ""


def actions_tab(view: ReviewView) -> None:
    st.caption(
        "Each action's effect compares the KPI in the weeks before its start with the weeks "
        "from it on (Settings: window). Verified: the change is in the wanted direction and "
        "unlikely to be chance (p < 0.05). Worse: a real change the wrong way."
    )
    effects = call("action_effects")
    if effects:
        table = pd.DataFrame(action_rows(effects))
        st.dataframe(
            table.style.map(verdict_style, subset=["verdict"]),
            hide_index=True,
            column_config={**ACTION_COLUMNS, "notes": "Notes"},
        )
        downloads(table, "actions", key="dl-actions")
    else:
        st.info("No improvement actions yet: record the first one below.", icon=":material/info:")
    flash("action")
    if read_only_notice():
        return
    left, right = st.columns(2, gap="large")
    with left:
        new_action(view)
    with right:
        edit_action(effects)


def scope_options() -> list[tuple[str, str | None]]:
    options = call("choices")
    return [
        ("all", None),
        *(("supplier", s) for s in options["suppliers"]),
        *(("sku", s) for s in options["skus"]),
    ]


def scope_text(option: tuple[str, str | None]) -> str:
    kind, value = option
    return "Everything" if kind == "all" else f"{DIMENSIONS[kind]}: {value}"


def action_fields(prefix: str, action: dict) -> None:
    """The fields of an action, filled from `action`; read back by `typed_action`."""
    names, options = list(KPIS), scope_options()
    scope = (action["scope_kind"], action["scope_value"])
    st.text_input("Title", action["title"], key=f"{prefix}_title", placeholder="e.g. Daily call")
    st.selectbox(
        "KPI",
        names,
        index=names.index(action["kpi"]),
        key=f"{prefix}_kpi",
        format_func=lambda n: KPIS[n].label,
    )
    st.selectbox(
        "Scope",
        options,
        index=options.index(scope) if scope in options else 0,
        key=f"{prefix}_scope",
        format_func=scope_text,
    )
    st.date_input("Start date", action["start_date"], key=f"{prefix}_start", format="YYYY-MM-DD")
    st.text_input("Owner", action["owner"] or "", key=f"{prefix}_owner")
    st.selectbox("Status", STATUSES, index=STATUSES.index(action["status"]), key=f"{prefix}_status")
    st.text_area("Notes", action["notes"] or "", key=f"{prefix}_notes", height=80)


def typed_action(prefix: str) -> dict:
    state = st.session_state
    kind, value = state[f"{prefix}_scope"]
    return {
        "title": state.get(f"{prefix}_title"),
        "kpi": state[f"{prefix}_kpi"],
        "scope_kind": kind,
        "scope_value": value,
        "start_date": state[f"{prefix}_start"],
        "owner": state.get(f"{prefix}_owner"),
        "status": state[f"{prefix}_status"],
        "notes": state.get(f"{prefix}_notes"),
    }


def new_action(view: ReviewView) -> None:
    st.subheader("Record an action")
    kind = view.by if view.node is not None and view.by in ("supplier", "sku") else "all"
    blank = {
        "title": "",
        "kpi": view.kpi,
        "scope_kind": kind,
        "scope_value": view.node if kind != "all" else None,
        "start_date": date.today(),
        "owner": None,
        "status": "open",
        "notes": None,
    }
    with st.form("new-action", clear_on_submit=True):
        action_fields("new", blank)
        st.form_submit_button("Create action", icon=":material/add_task:", on_click=save_new)


def save_new() -> None:
    try:
        number = create_action(store(), **typed_action("new"))
        st.session_state["flash-action"] = ("success", f"Action #{number} recorded.")
    except (ValueError, EditRefused) as error:
        st.session_state["flash-action"] = ("error", f"The action was not recorded: {error}.")


def edit_action(effects: list[dict]) -> None:
    st.subheader("Edit or close an action")
    if not effects:
        st.caption("Actions you record show up here to edit.")
        return
    by_id = {a["action_id"]: a for a in effects}
    chosen = st.selectbox(
        "Action", list(by_id), key="edit_id", format_func=lambda i: f"#{i} {by_id[i]['title']}"
    )
    with st.form(f"edit-{chosen}"):
        action_fields(f"edit{chosen}", by_id[chosen])
        with st.container(horizontal=True):
            st.form_submit_button("Save changes", on_click=save_edit, args=(chosen,))
            st.form_submit_button("Close as done", on_click=close, args=(chosen, "done"))
            st.form_submit_button("Drop", on_click=close, args=(chosen, "dropped"))


def save_edit(action_id: int) -> None:
    try:
        update_action(store(), action_id, **typed_action(f"edit{action_id}"))
        st.session_state["flash-action"] = ("success", f"Action #{action_id} saved.")
    except (ValueError, EditRefused) as error:
        st.session_state["flash-action"] = ("error", f"Action #{action_id} was not saved: {error}.")


def close(action_id: int, outcome: str) -> None:
    try:
        close_action(store(), action_id, outcome)
        st.session_state["flash-action"] = ("success", f"Action #{action_id} is {outcome}.")
    except (ValueError, EditRefused) as error:
        st.session_state["flash-action"] = ("error", f"Action #{action_id}: {error}.")


# -- the page ----------------------------------------------------------------------------------
def export_button(slot, view: ReviewView, text: str) -> None:
    """The meeting report, built only when someone clicks (it runs every tab's queries)."""
    path = store().path
    slot.download_button(
        "Download meeting report (HTML)",
        data=lambda: review_report(gather(store(path), view), text),
        file_name=f"review-{view.kpi}-{date.today():%Y-%m-%d}.html",
        mime="text/html",
        icon=":material/summarize:",
        on_click="ignore",
        key="export",
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
