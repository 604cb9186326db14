"""The Pull-system sizing tab: safety stock, reorder points and kanban cards per SKU.

It owns the what-if sliders (not keyed: when the stored settings change they start again
from them; nothing they try is saved) and the table filters `sizing-abc` and
`sizing-drift`, and draws the ABC-XYZ matrix and the lead-time drift map of what it sized.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.charts.design import abc_xyz_heatmap, drift_map
from analytics.formatting import format_delta, format_value
from analytics.metrics.planning import (
    abc_xyz_matrix,
    current_settings,
    filter_sizing,
    sizing_totals,
    what_if,
)
from analytics.models.params import Scope
from ui.cache import call, currency, store, version
from ui.design.widgets import table
from ui.widgets import MONEY, MONEY_CENTS, empty_state

QTY = "%,.1f"
SIZING_COLUMNS = {
    "sku": st.column_config.TextColumn("SKU"),
    "description": st.column_config.TextColumn("Description"),
    "drift_icon": st.column_config.TextColumn(
        "Drift", help="⚠: measured lead time is more than 20% away from the planned one"
    ),
    "abc_class": st.column_config.TextColumn("ABC"),
    "xyz_class": st.column_config.TextColumn("XYZ"),
    "daily_demand": st.column_config.NumberColumn("Demand / day", format=QTY),
    "daily_demand_sd": st.column_config.NumberColumn("Demand sd", format=QTY),
    "lead_time_mean_days": st.column_config.NumberColumn("Lead time (d)", format=QTY),
    "lead_time_sd_days": st.column_config.NumberColumn("Lead time sd (d)", format=QTY),
    "planned_lead_time_days": st.column_config.NumberColumn("Planned (d)", format=QTY),
    "lead_time_drift_days": st.column_config.NumberColumn("Drift (d)", format="%+.1f"),
    "safety_stock": st.column_config.NumberColumn("Safety stock", format="%,.0f"),
    "reorder_point": st.column_config.NumberColumn("Reorder point", format="%,.0f"),
    "kanban_cards": st.column_config.NumberColumn("Kanban cards", format="%,.0f"),
    "container_qty": st.column_config.NumberColumn("Per container", format="%,.0f"),
    "on_hand_qty": st.column_config.NumberColumn("On hand", format="%,.0f"),
    "days_of_cover": st.column_config.NumberColumn("Days of cover", format="%,.0f"),
    "excess_value": st.column_config.NumberColumn("Excess value", format=MONEY),
    "is_dead": st.column_config.CheckboxColumn("Dead"),
    "unit_cost": st.column_config.NumberColumn("Unit cost", format=MONEY_CENTS),
}
CELL_COLUMNS = {
    "abc_class": st.column_config.TextColumn("Value class"),
    "xyz_class": st.column_config.TextColumn("Variability class"),
    "skus": st.column_config.NumberColumn("SKUs", format="%,d"),
    "consumption_value": st.column_config.NumberColumn("Value a year", format=MONEY),
    "safety_stock_value": st.column_config.NumberColumn("Safety stock value", format=MONEY),
    "policy": st.column_config.TextColumn("Suggested replenishment", width="medium"),
}


def sizing_tab(scope: Scope, has_data: bool) -> None:
    rows = sizing_rows(store().path, version(), scope) if has_data else []
    if not rows:
        empty_state(
            "No demand, lead times or stock to size yet: import orders and deliveries.",
            ("orders", "deliveries", "inventory"),
        )
        return
    st.caption(
        "Per SKU: demand over the last 90 days, supplier lead time measured over the period, "
        "and the safety stock, reorder point and kanban cards they call for. Try another "
        "service level or safety factor: nothing is saved, the stored settings stay."
    )
    service, factor = what_if_sliders(current_settings(store()))
    key = (store().path, version(), scope, service, factor)
    view = sized(*key)
    sizing_metrics(view.stored, view.tried)
    sizing_table(view, key)
    charts(view)


@dataclass(frozen=True)
class SizedView:
    """What the tab shows for one data version, scope and pair of sliders."""

    rows: list[dict]  # resized by the sliders
    stored: dict  # totals with the stored settings
    tried: dict  # totals with the sliders
    cells: list[dict]
    heatmap: go.Figure
    drift: go.Figure


@st.cache_resource(max_entries=16, show_spinner=False)
def sizing_rows(db_path: str, data_version: int, scope: Scope) -> list[dict]:
    """The sized skus, shared read-only: unpickling 20,000 rows from the data cache on
    every rerun cost more than drawing the tab."""
    return call("sku_sizing", scope)


@st.cache_resource(max_entries=16, show_spinner=False)
def sized(db_path: str, data_version: int, scope: Scope, service: float, factor: float):
    """Built once and shared read-only by every rerun that changes none of its inputs:
    resizing and drawing 20,000 skus was most of a rerun. A resource, not data: a rerun
    gets the same objects, without unpickling rows and figures."""
    rows = sizing_rows(db_path, data_version, scope)
    resized = what_if(rows, service, factor)
    cells = abc_xyz_matrix(resized)
    heatmap = abc_xyz_heatmap(cells, currency=currency())
    return SizedView(
        resized, sizing_totals(rows), sizing_totals(resized), cells, heatmap, drift_map(resized)
    )


@st.cache_resource(max_entries=16, show_spinner=False)
def sizing_frame(_view: SizedView, key: tuple, classes: tuple, drift_only: bool) -> pd.DataFrame:
    """The table of the chosen classes; `key` says which view (`_view` is not hashed)."""
    rows = _view.rows
    shown = filter_sizing(rows, list(classes), drift_only)
    frame = pd.DataFrame(shown, columns=[*rows[0].keys(), "drift_icon"])
    frame["drift_icon"] = ["⚠ drift" if r["drift_flag"] else "" for r in shown]
    return frame


def what_if_sliders(stored: dict) -> tuple[float, float]:
    """Service level and kanban safety factor to try, starting from the stored ones.

    Not keyed: when the stored settings change, the sliders start again from them."""
    left, right = st.columns(2, gap="large")
    service = left.slider(
        "Service level (what-if)",
        80.0,
        99.9,
        value=min(max(round(stored["service_level"] * 100, 1), 80.0), 99.9),
        step=0.1,
        format="%.1f%%",
        help=f"Chance of not running out during a lead time. Stored: {stored['service_level']:.1%}",
    )
    factor = right.slider(
        "Kanban safety factor (what-if)",
        0,
        100,
        value=min(int(round(stored["kanban_safety_factor"] * 100)), 100),
        step=5,
        format="%d%%",
        help=f"Extra loop demand. Stored: {stored['kanban_safety_factor']:.0%}",
    )
    return service / 100, factor / 100


def sizing_metrics(stored: dict, tried: dict) -> None:
    """Totals with the what-if sliders; the change from the stored settings as the delta."""
    cols, code = st.columns(4), currency()
    for column, key, label in (
        (cols[0], "safety_stock_value", "Safety stock value"),
        (cols[1], "loop_value", "Stock in kanban loops"),
    ):
        column.metric(
            label,
            format_value(tried[key], "money", code),
            delta=format_delta(tried[key] - stored[key], "money", code)
            if tried[key] != stored[key]
            else None,
            delta_color="off",
            help="At unit cost, with the what-if sliders. With the stored settings: "
            + format_value(stored[key], "money", code),
        )
    cols[2].metric(
        "Kanban cards",
        f"{tried['kanban_cards']:,.0f}",
        delta=f"{tried['kanban_cards'] - stored['kanban_cards']:+,.0f}"
        if tried["kanban_cards"] != stored["kanban_cards"]
        else None,
        delta_color="off",
    )
    cols[3].metric(
        "SKUs with lead-time drift",
        f"{stored['drift_skus']:,}",
        help="Measured lead time more than 20% away from the planned one.",
    )
    if stored["uncosted"]:
        st.caption(f"{stored['uncosted']:,} sized SKUs have no known unit cost and are not valued.")


def sizing_table(view: SizedView, key: tuple) -> None:
    left, right = st.columns([2, 1])
    classes = left.multiselect(
        "ABC class", ["A", "B", "C", "none"], default=["A", "B", "C", "none"], key="sizing-abc"
    )
    drift_only = right.toggle("Only SKUs with drift", key="sizing-drift")
    frame = sizing_frame(view, key, tuple(classes), drift_only)
    st.markdown(f"**{len(frame):,} of {len(view.rows):,} SKUs**, highest yearly value first")
    table(frame, SIZING_COLUMNS, "pull-sizing", "sizing")


def charts(view: SizedView) -> None:
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("ABC-XYZ planning matrix")
        st.caption(
            "ABC ranks SKUs by consumption value over 365 days; XYZ grades how much weekly "
            "demand swings. Steady high-value SKUs suit a kanban loop; erratic low-value ones "
            "are better ordered on demand. Hover a cell for the suggested replenishment."
        )
        st.plotly_chart(view.heatmap, width="stretch", key="abc-xyz")
    with right:
        st.subheader("Lead-time drift")
        st.caption(
            "Each point is a SKU with a planned lead time in the item master. In the green band "
            "the measured lead time is within 20% of the plan; red points are SKUs sized with "
            "a planned lead time that no longer holds."
        )
        st.plotly_chart(view.drift, width="stretch", key="drift-map")
    table(pd.DataFrame(view.cells), CELL_COLUMNS, "abc-xyz-matrix", "matrix")
