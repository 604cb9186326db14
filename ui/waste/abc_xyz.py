"""ABC-XYZ on the Waste page: where the value sits and how steady its demand is.

The same matrix and heatmap as the Design page's sizing tab (`analytics.charts.design`),
here with the cutoffs of the stored settings spelled out and the cells as a downloadable
table (`abc-xyz`) with a suggested replenishment rule for each.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.charts.design import abc_xyz_heatmap
from analytics.metrics.planning import abc_xyz_matrix
from analytics.metrics.waste import unclassified_skus
from analytics.models.params import Scope
from ui.cache import call, currency
from ui.waste.widgets import MONEY, table
from ui.widgets import empty_state, load_view

ABC_XYZ_COLUMNS = {
    "abc_class": st.column_config.TextColumn("Value class"),
    "xyz_class": st.column_config.TextColumn("Variability class"),
    "skus": st.column_config.NumberColumn("SKUs", format="%,d"),
    "consumption_value": st.column_config.NumberColumn("Consumption value", format=MONEY),
    "policy": st.column_config.TextColumn("Suggested replenishment", width="medium"),
}


def abc_xyz_section(scope: Scope, settings: dict) -> None:
    st.subheader("ABC-XYZ: where the value sits and how steady its demand is")
    view = load_view(abc_xyz_view, scope)
    cells = view["cells"]
    if not any(c["skus"] for c in cells):
        empty_state(
            "No customer demand with a known cost yet: import orders to classify skus.",
            ("orders", "items"),
        )
        return
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.plotly_chart(view["heatmap"], width="stretch", key="abc-xyz")
    with right:
        class_notes(settings, view["unclassified"])
    frame = pd.DataFrame(cells, columns=list(ABC_XYZ_COLUMNS))
    table(frame, ABC_XYZ_COLUMNS, "abc-xyz", "abc-xyz")


def abc_xyz_view(scope: Scope) -> dict:
    """The matrix, its figure and the skus without a class (ui.widgets.load_view)."""
    sizing = call("sku_sizing", scope)
    cells = abc_xyz_matrix(sizing)
    return {
        "cells": cells,
        "heatmap": abc_xyz_heatmap(cells, shade="consumption_value", currency=currency()),
        "unclassified": unclassified_skus(sizing),
    }


def class_notes(settings: dict, missing: int) -> None:
    """How the classes are cut, from the stored settings, and how many SKUs have none."""
    a, b = settings["abc_cutoff_a"], settings["abc_cutoff_b"]
    x, y = settings["xyz_cutoff_x"], settings["xyz_cutoff_y"]
    st.caption(
        "ABC ranks SKUs by consumption value over the last 365 days: A makes the first "
        f"{a:.0%} of the value, B the next {b - a:.0%}, C the rest. XYZ grades how much "
        f"weekly demand swings (coefficient of variation): X up to {x:.2g}, Y up to "
        f"{y:.2g}, Z above, or fewer than 4 weeks with demand. The table below suggests "
        "a replenishment rule for each cell."
    )
    if missing:
        st.caption(
            f"{missing:,} SKU{'s' if missing > 1 else ''} without a class: "
            "no consumption value with a known cost in the last 365 days."
        )
