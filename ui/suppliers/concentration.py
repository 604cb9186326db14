"""The Concentration risk tab: how much of the spend rides on a few suppliers.

It compares all suppliers (the sidebar's supplier filter does not apply) and keeps no
state of its own beyond its download buttons: HHI and its band, the spend Pareto, and the
SKUs that only one supplier delivers.
"""

from __future__ import annotations

import streamlit as st

from analytics.charts.suppliers import spend_pareto
from analytics.formatting import format_money, format_value
from analytics.metrics.registry import hhi_band
from analytics.metrics.suppliers import pareto, vital_few
from analytics.models.params import Scope
from ui.cache import currency
from ui.suppliers.widgets import MONEY, chart_or_note, table
from ui.widgets import load

BAND_HELP = "Below 0.15 unconcentrated; 0.15 to 0.25 moderately; above 0.25 highly concentrated."
SOLE_COLUMNS = {
    "sku": st.column_config.TextColumn("SKU"),
    "description": st.column_config.TextColumn("Description", width="medium"),
    "category": st.column_config.TextColumn("Category"),
    "supplier": st.column_config.TextColumn("Only supplier", width="medium"),
    "spend": st.column_config.NumberColumn("Spend, last 365 days", format=MONEY),
}


def concentration_tab(scope: Scope) -> None:
    kpis = load("overview", scope)
    spend = pareto(load("table_rows", "supplier_spend", scope), "supplier", "spend")
    concentration_metrics(kpis, spend)
    st.subheader("Spend Pareto")
    chart_or_note(
        spend,
        lambda: spend_pareto(spend, currency=currency()),
        "No receipts with a known value in the period.",
    )
    single_sourced(scope)


def concentration_metrics(kpis: dict, spend: list[dict]) -> None:
    hhi = kpis["hhi"]
    columns = st.columns(4)
    columns[0].metric(
        "Supplier concentration (HHI)",
        format_value(hhi, "index"),
        help="Sum of squared spend shares: 0 = spread over many, 1 = a single supplier.",
    )
    columns[1].metric("Band", (hhi_band(hhi) or "no data").capitalize(), help=BAND_HELP)
    columns[2].metric("Suppliers with spend", f"{len(spend):,}")
    columns[3].metric(
        "Suppliers making 80% of spend",
        f"{vital_few(spend):,}",
        help="The fewest suppliers, largest first, whose spend reaches 80% of the total.",
    )
    if hhi:
        total = format_money(kpis["total_spend"], currency())
        st.caption(
            f"Spend is as concentrated as if it were split evenly over {1 / hhi:,.1f} "
            f"suppliers. Total spend in the period: {total}."
        )


def single_sourced(scope: Scope) -> None:
    st.subheader("Single-sourced SKUs")
    sole = load("table_rows", "single_sourced", scope)
    sole = sorted(sole, key=lambda r: (-(r["spend"] or 0), r["sku"]))
    st.caption(
        "SKUs delivered by exactly one supplier in the 365 days up to the as-of date: a "
        "late or lost supplier stops them. Largest spend first."
    )
    if sole:
        table(sole, SOLE_COLUMNS, "single-sourced-skus", "sole")
    else:
        st.info("No SKU depends on a single supplier.", icon=":material/info:")
