"""The "One sku's buffer" tab: on hand and net flow against the zones over the period, and
the open PO and customer lines behind today's net flow.

The sku picker (`item`) is bound to the URL, so a link opens the same sku; it offers the
rows of the list as filtered, most urgent first.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.charts.pull import buffer_chart
from analytics.models.params import Scope
from ui.widgets import load


def label(row: dict) -> str:
    return f"{row['sku']} @ {row['site']}" if row["site"] else row["sku"]


def buffer_tab(rows: list[dict], scope: Scope) -> None:
    if not rows:
        st.info("No sku matches these filters.", icon=":material/info:")
        return
    by_label = {label(r): r for r in rows}
    picked = st.selectbox("SKU", list(by_label), key="item", bind="query-params")
    row = by_label[picked]
    history = load("buffer_history", scope, row["sku"], row["site"])
    st.caption(
        f"Status {row['status']}: on hand {_n(row['on_hand'])} + open supply "
        f"{_n(row['open_supply'])} - demand {_n(row['qualified_demand'])} = net flow "
        f"{_n(row['net_flow'])}; zones red to {_n(row['safety_stock'])}, yellow to "
        f"{_n(row['reorder_point'])}, green to {_n(row['top_of_green'])}."
    )
    if history:
        st.plotly_chart(buffer_chart(history), width="stretch", key="buffer-chart")
    else:
        st.info("No stock counts of this sku in the period.", icon=":material/info:")
    supply, demand = load("lines_behind", scope, row)
    st.markdown("**Open purchase-order lines**")
    _lines(supply, "No open PO lines.")
    st.markdown("**Open customer lines**")
    _lines(demand, "No open customer lines.")


def _n(value) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _lines(rows: list[dict], empty: str) -> None:
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.caption(empty)
