"""The Establish page: how each supplier delivers, one supplier in detail, and supply risk.

Layout and calls only: each tab is a module of `ui.suppliers` (scorecard, detail,
concentration), which reads figures through `ui.cache.call`, shapes them with
`analytics.metrics.suppliers` and draws them with `analytics.charts.suppliers`. Supplier
names, skus and causes come from the data, so they appear only in tables, plain text and
chart labels. The scorecard and the concentration tab compare suppliers, so they ignore the
sidebar's supplier filter (a comparison of one is no comparison); the filter picks the
detail view.
"""

from dataclasses import replace

import streamlit as st

from ui.auth import gate
from ui.scope import current_scope, scope_caption
from ui.suppliers import TABS
from ui.suppliers.concentration import concentration_tab
from ui.suppliers.detail import detail_picker, detail_tab
from ui.suppliers.scorecard import scorecard_tab
from ui.suppliers.widgets import empty_state
from ui.widgets import load, user_text

gate()
scope = current_scope()
st.title("Suppliers")
user_text(scope_caption(scope))
st.caption(
    "Establish reliable supply: who delivers on time and in full, how steady their lead "
    "times are, and how much of the spend rides on a few suppliers. The scorecard and "
    "concentration compare all suppliers, so the sidebar's supplier filter only chooses "
    "the detail view."
)
compared = replace(scope, supplier=None)
card = load("scorecard", compared)
if not card:
    empty_state()
    st.stop()
score_tab, supplier_tab, risk_tab = st.tabs(TABS, key="view", bind="query-params")
if score_tab.open:
    with score_tab:
        scorecard_tab(card, compared)
with supplier_tab:
    detail = detail_picker(card, scope)
    if supplier_tab.open:
        detail_tab(card, scope, detail)
if risk_tab.open:
    with risk_tab:
        concentration_tab(compared)
