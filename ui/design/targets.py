"""The Targets tab: what the plant aims for per KPI, edited in a table by editors.

It owns the targets editor (`targets-editor`), whose edits are cleared once every changed
target is stored, so the table shows the saved values; a refused target is named and the
others are kept. Editors find the baseline form (`ui.design.baseline`) below the table.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.metrics.planning import changed_targets, target_from_display, target_table
from analytics.metrics.registry import KPIS
from analytics.models.params import Scope
from ui.cache import call, currency, store
from ui.design.baseline import baseline_form
from ui.design.widgets import flash, show_flash
from ui.widgets import downloads
from ui.writes import EditRefused, set_target

EDITOR = "targets-editor"
TARGET_COLUMNS = {
    "label": st.column_config.TextColumn("KPI", width="medium"),
    "current": st.column_config.TextColumn("Current", help="Over the period and filters chosen"),
    "status": st.column_config.TextColumn("Against target"),
    "target": st.column_config.NumberColumn(
        "Target ✎",
        help="Type rates as percentages: 95 means 95%. Empty: no target.",
        min_value=0.0,
        format="localized",
    ),
    "unit": st.column_config.TextColumn("Unit of target"),
    "better": st.column_config.TextColumn("Better"),
    "baseline": st.column_config.TextColumn("Baseline"),
    "baseline_period": st.column_config.TextColumn("Baseline period"),
}


def targets_tab(scope: Scope, has_data: bool, editable: bool) -> None:
    st.caption(
        "What the plant aims for, per KPI, shared by the whole team. "
        + (
            "Edit a target in the ✎ column and save: rates are typed as percentages (95 "
            "means 95%), days in days, money in euros. "
            if editable
            else ""
        )
        + "The current value covers the period and filters in the sidebar."
    )
    head = call("overview", scope) if has_data else {}
    rows = target_table(call("targets"), head, currency())
    frame = pd.DataFrame(rows)
    height = 35 * (len(rows) + 1) + 3
    if editable:
        target_editor(rows, frame, height)
    else:
        target_view(frame, height)
    labelled = frame[list(TARGET_COLUMNS)].rename(
        columns={k: c["label"] for k, c in TARGET_COLUMNS.items()}
    )
    downloads(labelled, "targets", "targets")
    if editable:
        baseline_form(head)


def target_editor(rows: list[dict], frame: pd.DataFrame, height: int) -> None:
    """Only the target column is editable; the save button stores what was changed."""
    edited = st.data_editor(
        frame,
        key=EDITOR,
        column_config=TARGET_COLUMNS,
        column_order=list(TARGET_COLUMNS),
        disabled=[c for c in frame.columns if c != "target"],
        hide_index=True,
        width="stretch",
        height=height,
    )
    if st.button("Save targets", type="primary", icon=":material/save:"):
        save_targets(rows, edited)
    show_flash("targets")


def target_view(frame: pd.DataFrame, height: int) -> None:
    """The same table for those who may not edit: no ✎ in the target's heading."""
    columns = {**TARGET_COLUMNS, "target": {**TARGET_COLUMNS["target"], "label": "Target"}}
    st.dataframe(
        frame,
        column_config=columns,
        column_order=list(TARGET_COLUMNS),
        hide_index=True,
        width="stretch",
        height=height,
    )


def save_targets(rows: list[dict], edited: pd.DataFrame) -> None:
    """Store each changed target; a refused one is named and the others are kept."""
    before = {r["kpi"]: r["target"] for r in rows}
    changes = changed_targets(before, dict(zip(edited["kpi"], edited["target"], strict=True)))
    saved, errors = [], []
    for kpi, typed in changes.items():
        try:
            set_target(store(), kpi, target_from_display(kpi, typed))
            saved.append(KPIS[kpi].label)
        except (ValueError, EditRefused) as error:
            errors.append(str(error))
    for text in errors:
        st.error(text, icon=":material/error:")
    if saved and not errors:
        del st.session_state[EDITOR]
        flash("targets", f"Saved {len(saved)} target(s): {', '.join(saved)}.")
    elif saved:
        st.success(
            f"Saved {len(saved)} target(s): {', '.join(saved)}.", icon=":material/check_circle:"
        )
    elif not errors:
        st.info("No target was changed.")
