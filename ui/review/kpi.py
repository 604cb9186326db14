"""The KPI under review: its picker, kept in the URL by name, and its headline.

The KPI is not a bound widget: a bound selectbox keeps its displayed label in the URL, and
the Manage cards link here with the name (`?kpi=otif_rate`). Choosing another KPI clears
the path and the cause, which belong to the KPI that was under review.
"""

from __future__ import annotations

import streamlit as st

from analytics.charts.overview import count_text
from analytics.formatting import format_delta, format_value, status
from analytics.metrics.registry import KPIS
from ui.cache import currency
from ui.review.state import PATH_KEYS, clear

BADGES = {
    "good": ("On target", "green", ":material/check_circle:"),
    "watch": ("Near target", "orange", ":material/warning:"),
    "bad": ("Off target", "red", ":material/error:"),
    "unknown": ("No target", "gray", ":material/remove:"),
}


def kpi_picker() -> str:
    """The KPI, kept in the URL as its name (`?kpi=otif_rate`, as Manage cards link to it).

    Not a bound widget: a bound selectbox keeps its displayed label in the URL, and the
    Manage cards send the name.
    """
    names = list(KPIS)
    wanted = st.query_params.get("kpi")
    name = st.selectbox(
        "KPI",
        names,
        index=names.index(wanted) if wanted in KPIS else 0,
        key="kpi_pick",
        format_func=lambda n: KPIS[n].label,
        on_change=clear,
        args=(*PATH_KEYS, "cause"),
    )
    st.query_params["kpi"] = name
    return name


def headline(kpi_name: str, now: dict, target) -> None:
    """The figure under review against its target."""
    kpi = KPIS[kpi_name]
    value = now[kpi_name]
    gap = None if value is None or target is None else value - target
    delta = format_delta(gap, kpi.unit, currency())
    st.metric(
        kpi.label,
        format_value(value, kpi.unit, currency()),
        f"{delta} vs target" if delta else None,
        delta_color="normal" if kpi.higher_is_better else "inverse",
    )


def status_line(kpi_name: str, now: dict, target, text: str) -> None:
    """Status badge, target, the data the figure rests on and the period, on one line."""
    kpi = KPIS[kpi_name]
    value = now[kpi_name]
    label, color, icon = BADGES[status(value, target, kpi.higher_is_better)]
    aim = (
        f"Target {format_value(target, kpi.unit, currency())}"
        if target is not None
        else "No target set"
    )
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.badge(label if value is not None else "No data", color=color, icon=icon)
        st.caption(f"{aim} · {count_text(kpi_name, now)}")
        st.text(text)  # names a supplier or sku when the sidebar filters one: user text
