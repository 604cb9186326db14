"""The actions tab: every improvement action with its measured effect, then the forms.

The table shows each action's verdict (verified, no change, worse...) from the before/after
test; below it, editors get the forms to record a new action and to edit or close one
(`action_forms`). The outcome of a form's callback is shown here once, above the forms.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.charts.review_tables import ACTION_COLUMNS, VERDICT_COLORS, action_rows
from analytics.review.view import ReviewView
from ui.auth import read_only_notice
from ui.cache import call, currency
from ui.review.action_forms import edit_action, new_action
from ui.review.state import flash
from ui.widgets import downloads


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
        effects_table(effects)
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


def effects_table(effects: list[dict]) -> None:
    """The actions and their verdicts, coloured, with downloads."""
    table = pd.DataFrame(action_rows(effects, currency()))
    st.dataframe(
        table.style.map(verdict_style, subset=["verdict"]),
        hide_index=True,
        column_config={**ACTION_COLUMNS, "notes": "Notes"},
    )
    downloads(table, "actions", key="dl-actions")
