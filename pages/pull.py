"""The Pull page: what to order now, each sku's buffer, whether the sizing works, and the
demand forecast.

Layout and calls only: each tab is a module of `ui.pull`, which reads figures through
`ui.cache.call` (`analytics.metrics.replenish`, METRICS.md section 11; the stored forecasts
of `analytics.forecast.stored`, section 14) and draws them with `analytics.charts.pull` and
`analytics.charts.forecast`. The status and ABC filters, the open tab and the sku in view
are in the URL, so a link reproduces the view; the sidebar's supplier keeps the skus it is
the proposed supplier of. Skus, descriptions and suppliers are shown only in tables, plain
text and chart labels.
"""

import streamlit as st

from analytics.metrics.replenish import STATUSES, demand_note, keep, status_counts
from ui.auth import gate
from ui.pull import TABS
from ui.pull.buffer import buffer_tab
from ui.pull.demand import demand_tab as demand_tab_view
from ui.pull.order_list import list_tab
from ui.pull.performance import performance_tab
from ui.scope import current_scope, scope_caption
from ui.widgets import empty_state, load, user_text

gate()
st.title("Pull: what to order now")
scope = current_scope()
if scope.start:
    user_text(scope_caption(scope))
st.caption(
    "Net flow = on hand + open supply due within the lead time - customer demand due now "
    "(plus spikes), against zones sized from measured lead time and demand. Order up to the "
    "top of green when net flow is at or below the reorder point."
)
rows = load("replenishment", scope)
if not rows:
    empty_state("There is nothing to size yet: import stock, open POs and customer orders.")
    st.stop()
st.caption(demand_note(rows))
counts = status_counts(rows)
for column, name in zip(st.columns(len(STATUSES)), STATUSES, strict=True):
    column.metric(f"SKUs {name}", f"{counts[name]:,}")
left, right = st.columns(2)
statuses = left.pills(
    "Status",
    STATUSES,
    selection_mode="multi",
    key="status",
    bind="query-params",
    help="None chosen: every status.",
)
classes = right.pills(
    "ABC class",
    ["A", "B", "C", "none"],
    selection_mode="multi",
    key="abc",
    bind="query-params",
    help="The sku's class on the Design page; none = unknown cost.",
)
chosen = keep(rows, statuses, classes)
order_tab, sku_tab, sizing_tab, demand_tab = st.tabs(TABS, key="view", bind="query-params")
if order_tab.open:
    with order_tab:
        list_tab(chosen)
if sku_tab.open:
    with sku_tab:
        buffer_tab(chosen, scope)
if sizing_tab.open:
    with sizing_tab:
        performance_tab(scope)
if demand_tab.open:
    with demand_tab:
        demand_tab_view(scope)
