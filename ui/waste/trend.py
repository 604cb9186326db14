"""Inventory value and turns over time, by month or by week.

It owns the grain choice (`waste-grain`, month unless changed); the turns chart carries
the turns target as a dashed line.
"""

from __future__ import annotations

import streamlit as st

from analytics.charts import trend
from analytics.formatting import format_delta, format_value
from analytics.models.params import Scope
from ui.cache import call, currency
from ui.widgets import empty_state, load_view


def trend_section(scope: Scope) -> None:
    st.subheader("Inventory value and turns")
    grain = st.segmented_control(
        "Trend by", ["month", "week"], default="month", key="waste-grain", format_func=str.title
    )
    view = load_view(trend_view, grain or "month", scope)
    if view is None:
        empty_state("No inventory snapshots or shipments in this period.", ("inventory", "orders"))
        return
    head = view["head"]
    st.caption(
        "Average value on hand per snapshot date, and turns = cost of goods shipped / "
        "average inventory, annualised. The dashed line is the turns target."
    )
    left, right = st.columns(2, gap="large")
    with left:
        st.metric(
            "Average inventory", format_value(head["avg_inventory_value"], "money", currency())
        )
        st.plotly_chart(view["value"], width="stretch", key="inventory-value")
    with right:
        inventory_turns(head, view["target"])
        st.plotly_chart(view["turns"], width="stretch", key="inventory-turns")


def trend_view(grain: str, scope: Scope) -> dict | None:
    """Both charts and the figures above them (ui.widgets.load_view); None without rows."""
    rows = call("series", "series_inventory", grain, scope)
    if not rows:
        return None
    target = call("targets")["inventory_turnover"]["target"]
    buckets = [r["bucket"] for r in rows]
    values = [r["avg_inventory_value"] for r in rows]
    counts = [r["snapshot_dates"] for r in rows]
    value = trend(buckets, values, "money", "Average inventory", counts=counts, currency=currency())
    values = [r["inventory_turnover"] for r in rows]
    counts = [r["shipped_lines"] for r in rows]
    turns = trend(buckets, values, "ratio", "Inventory turns", target=target, counts=counts)
    return {"head": call("overview", scope), "target": target, "value": value, "turns": turns}


def inventory_turns(head: dict, target: float | None) -> None:
    turns = head["inventory_turnover"]
    gap = None if turns is None or target is None else turns - target
    st.metric(
        "Inventory turns",
        format_value(turns, "ratio"),
        delta=None if gap is None else f"{format_delta(gap, 'ratio')} vs target",
        help="Higher is better: stock turns into sales faster.",
    )
