"""The baseline form of the Targets tab: where a KPI stood over a reference period.

It owns the form `baseline-form` and its widgets (`baseline-kpi`, `baseline-start`,
`baseline-end`); a computed baseline is stored for every KPI asked for and announced after
the rerun that shows it in the targets table.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from analytics.formatting import format_value
from analytics.metrics.registry import KPIS
from ui.cache import currency, store
from ui.design.widgets import flash, show_flash
from ui.writes import EditRefused, set_baseline

ALL_KPIS = "All KPIs"


def baseline_form(head: dict) -> None:
    st.subheader("Compute a baseline")
    st.caption(
        "A baseline is where a KPI stood over a reference period, computed by the same query "
        "as the figure itself, plant-wide (the sidebar filters do not apply). Improvement is "
        "judged against it."
    )
    end = head.get("end") or date.today()
    with st.form("baseline-form", border=True):
        kpi = st.selectbox(
            "KPI",
            [ALL_KPIS, *KPIS],
            format_func=lambda k: k if k == ALL_KPIS else KPIS[k].label,
            key="baseline-kpi",
        )
        left, right = st.columns(2)
        start = left.date_input(
            "From", value=head.get("start") or end, key="baseline-start", format="YYYY-MM-DD"
        )
        end = right.date_input("To", value=end, key="baseline-end", format="YYYY-MM-DD")
        submitted = st.form_submit_button("Compute baseline", icon=":material/calculate:")
    show_flash("baseline")
    if submitted:
        store_baselines(list(KPIS) if kpi == ALL_KPIS else [kpi], start, end)


def store_baselines(names: list[str], start: date, end: date) -> None:
    if start > end:
        st.error("The baseline period starts after it ends: choose a From date before To.")
        return
    try:
        values = {k: set_baseline(store(), k, start, end) for k in names}
    except (ValueError, EditRefused) as error:
        st.error(f"The baseline could not be computed: {error}.")
        return
    shown = ", ".join(
        f"{KPIS[k].label} {format_value(v, KPIS[k].unit, currency())}" for k, v in values.items()
    )
    flash("baseline", f"Baseline {start:%d %b %Y} – {end:%d %b %Y} stored: {shown}.")
