"""The skus-in-red card of the Overview's supply band, linking to the Pull page filtered to red.

The sidebar filters live in the URL, so the link keeps them and adds `status=red`.
"""

from __future__ import annotations

import streamlit as st

from analytics.models.params import Scope
from ui.cache import call
from ui.widgets import load_view

OWN_KEYS = ("grain", "trend", "kpi", "since")  # the Overview's and Review's own URL parameters


def red_counts(scope: Scope) -> dict:
    """Skus by status, counted in the database once per data version and scope
    (ui.widgets.load_view)."""
    return call("status_counts", scope)


def red_card(scope: Scope) -> None:
    counts = load_view(red_counts, scope)
    sized = sum(n for s, n in counts.items() if s != "not enough data")
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in OWN_KEYS}
    with st.container(border=True):
        st.metric(
            "SKUs in red",
            f"{counts['red']:,}",
            help="Net flow (on hand + open supply - demand due) at or below safety stock: "
            "order now (METRICS.md section 11).",
        )
        st.caption(f"of {sized:,} sized skus · {counts['yellow']:,} yellow")
        st.page_link(
            "pages/pull.py",
            label="What to order",
            icon=":material/shopping_cart:",
            query_params={**params, "status": "red"},
        )
