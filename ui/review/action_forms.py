"""The forms that record, edit and close an improvement action, and their callbacks.

Both forms share one set of fields, keyed by a prefix (`new_...`, `edit<id>_...`) so each
form keeps its own state; a new action starts from the KPI and the node under review. The
writes run in the submit callbacks through `ui.writes` and leave their outcome for the
actions tab to show (`flash-action`).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from analytics.metrics.registry import KPIS
from analytics.review.actions import STATUSES
from analytics.review.view import DIMENSIONS, ReviewView
from ui.cache import call, store
from ui.writes import EditRefused, close_action, create_action, update_action


def scope_options() -> list[tuple[str, str | None]]:
    options = call("choices")
    return [
        ("all", None),
        *(("supplier", s) for s in options["suppliers"]),
        *(("sku", s) for s in options["skus"]),
        *(("site", s) for s in options["sites"] if len(options["sites"]) > 1),
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
    kind = view.by if view.node is not None and view.by in ("supplier", "sku", "site") else "all"
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
