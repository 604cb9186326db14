"""The Refine page: what the seven wastes cost, where stock is tied up, and which skus to act on.

Layout and calls only: each section is a module of `ui.waste` (ledger, stock, ABC-XYZ,
trend), which reads figures through `ui.cache.call`, shapes them with the small helpers of
`analytics.metrics.waste` and draws them with `analytics.charts`. Text from the data (skus,
descriptions, categories) is only shown in tables and chart labels, never as markdown.
"""

import streamlit as st

from analytics.metrics.waste import stock_settings
from ui.auth import gate
from ui.cache import call, store
from ui.scope import current_scope, scope_caption
from ui.waste.abc_xyz import abc_xyz_section
from ui.waste.ledger import ledger_section
from ui.waste.stock import stock_section
from ui.waste.trend import trend_section
from ui.widgets import empty_state, user_text

gate()
st.title("Waste and stock")
scope = current_scope()
if call("choices")["latest"] is None:
    empty_state(
        "There is no data yet. Import deliveries, orders, defects and stock on Data.",
        ("deliveries", "orders", "defects", "inventory"),
    )
    st.stop()
if scope.start:  # app.py sets the scope; a page run on its own has none
    user_text(scope_caption(scope))
settings = stock_settings(store())
ledger_section(scope, settings)
stock_section(scope, settings)
abc_xyz_section(scope, settings)
trend_section(scope)
