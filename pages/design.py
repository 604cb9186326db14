"""The Design page: what the plant aims for, the rules the figures follow, the pull system's size.

Layout and calls only: each tab is a module of `ui.design` (targets with the baseline form,
settings, sizing), which reads figures through `ui.cache.call` and writes through
`ui.writes`, which checks the role again. Text from the data (skus, descriptions,
categories) is shown only in tables and chart labels. Viewers and read-only serving see
targets and settings without the means to change them.
"""

import streamlit as st

from ui.auth import can_edit, gate, read_only_notice
from ui.cache import call
from ui.design.settings import settings_tab
from ui.design.sizing import sizing_tab
from ui.design.targets import targets_tab
from ui.scope import current_scope, scope_caption
from ui.widgets import empty_state, user_text

gate()
st.title("Design")
st.caption("Set what the plant aims for, the rules the figures follow, and size the pull system.")
editable = can_edit()
if not editable:
    read_only_notice()
scope = current_scope()
has_data = call("choices")["latest"] is not None
if has_data:
    user_text(scope_caption(scope))
else:
    empty_state(
        "There is no data yet. Targets and settings can be set now; import data to size.",
        ("deliveries", "orders", "inventory"),
    )
targets, settings, sizing = st.tabs(["Targets and baselines", "Settings", "Pull-system sizing"])
with targets:
    targets_tab(scope, has_data, editable)
with settings:
    settings_tab(editable)
with sizing:
    sizing_tab(scope, has_data)
