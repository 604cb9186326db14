"""Excess and dead stock: what lies above the target cover, and what nobody has asked for.

Stock is the plant's, so the sidebar's supplier filter does not apply here (the caption
says so when one is chosen). The listed SKUs are a downloadable table (`excess`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.charts.waste import cover_bands
from analytics.formatting import format_value
from analytics.metrics.waste import count_excess, cover_distribution, excess_and_dead
from analytics.models.params import Scope
from ui.cache import call, currency
from ui.waste.widgets import MONEY, MONEY_CENTS, QTY, table
from ui.widgets import empty_state, load_view

STOCK_COLUMNS = {
    "sku": st.column_config.TextColumn("SKU"),
    "description": st.column_config.TextColumn("Description", width="medium"),
    "excess_value": st.column_config.NumberColumn("Excess value", format=MONEY),
    "excess_qty": st.column_config.NumberColumn("Excess qty", format=QTY),
    "days_of_cover": st.column_config.NumberColumn("Days of cover", format=QTY),
    "is_dead": st.column_config.CheckboxColumn("Dead"),
    "on_hand_qty": st.column_config.NumberColumn("On hand", format=QTY),
    "daily_demand": st.column_config.NumberColumn("Daily demand", format="%,.1f"),
    "last_demand_date": st.column_config.DateColumn("Last demand", format="YYYY-MM-DD"),
    "on_hand_value": st.column_config.NumberColumn("On-hand value", format=MONEY),
    "unit_cost": st.column_config.NumberColumn("Unit cost", format=MONEY_CENTS),
    "category": st.column_config.TextColumn("Category"),
    "snapshot_date": st.column_config.DateColumn("Stock counted", format="YYYY-MM-DD"),
}


def stock_section(scope: Scope, settings: dict) -> None:
    st.subheader("Excess and dead stock")
    view = load_view(stock_view, scope)
    stock = view["stock"]
    if not stock:
        empty_state(
            "No inventory snapshots yet: import an on-hand stock file to see cover.",
            ("inventory",),
        )
        return
    head = view["head"]
    cover, dead = settings["target_cover_days"], settings["dead_stock_days"]
    st.caption(
        f"Stock at the as-of date. Excess is what lies above {cover:.0f} days of average "
        f"daily demand (last 90 days); dead stock has had no customer demand for {dead:.0f} "
        "days."
        + (" The supplier filter does not apply: stock is the plant's." if scope.supplier else "")
    )
    stock_metrics(head, stock, view["excess_skus"])
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown("**SKUs by days of cover**")
        st.plotly_chart(view["bands"], width="stretch", key="cover")
    with right:
        band_legend()
    frame = view["listed"]
    st.markdown(f"**{len(frame):,} SKUs with excess or dead stock**, most money first")
    table(frame, STOCK_COLUMNS, "excess-stock", "excess")


def stock_view(scope: Scope) -> dict:
    """The section's rows, figure and table for one scope (ui.widgets.load_view)."""
    stock = call("table_rows", "sku_stock", scope)
    if not stock:
        return {"stock": stock}
    return {
        "stock": stock,
        "head": call("overview", scope),
        "excess_skus": count_excess(stock),
        "bands": cover_bands(cover_distribution(stock), currency=currency()),
        "listed": pd.DataFrame(excess_and_dead(stock), columns=list(STOCK_COLUMNS)),
    }


def stock_metrics(head: dict, stock: list[dict], excess_skus: int) -> None:
    cols = st.columns(4)
    cols[0].metric("Excess stock", format_value(head["excess_value"], "money", currency()))
    cols[1].metric("Dead stock", format_value(head["dead_stock_value"], "money", currency()))
    cols[2].metric("SKUs above target cover", f"{excess_skus:,} of {len(stock):,}")
    cols[3].metric("Dead SKUs", f"{head['dead_skus'] or 0:,}")


def band_legend() -> None:
    st.markdown("**Reading the bands**")
    st.caption(
        "Each bar counts SKUs by how many days their stock on hand would last at the "
        "average daily demand of the last 90 days; its label is the money on hand in "
        "the band."
    )
    st.caption(
        ":orange[Under 5 days]: little buffer, a late delivery means a stock-out. "
        ":green[5–10 days]: lean cover. 10–30 days: some buffer. "
        ":orange[30–90 days] and :red[90+ days]: stock tied up for months. "
        ":red[No demand]: nothing ordered in 90 days."
    )
