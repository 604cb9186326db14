"""The Scorecard tab: every supplier graded and ranked, best score first.

It owns the scorecard table (`scorecard`): selecting a row opens that supplier in the
detail tab, through a callback that sets the detail picker (`detail`) and the open tab
(`view`) before the rerun.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.metrics.suppliers import (
    grade_counts,
    late_open_total,
    otif_sparklines,
    scorecard_table,
    trend_grain,
    with_customer_hits,
)
from analytics.models.params import Scope
from ui.suppliers import TABS
from ui.suppliers.widgets import MONEY
from ui.widgets import downloads, load, priced

GRADE_STYLE = {
    "A": "background-color: #2e7d32; color: white; font-weight: 600",
    "B": "background-color: #a5d6a7; color: #1e2a33; font-weight: 600",
    "C": "background-color: #f2a900; color: #1e2a33; font-weight: 600",
    "D": "background-color: #c62828; color: white; font-weight: 600",
}
GRADE_HELP = {
    "A": "Score 90 or more",
    "B": "Score 75 to 90",
    "C": "Score 60 to 75",
    "D": "Score below 60: talk to them",
}
PCT = "%.1f%%"
DAYS = "%.1f d"
CARD_COLUMNS = {
    "score_rank": st.column_config.NumberColumn(
        "Rank", format="%d", help="1 = best score", pinned=True
    ),
    "supplier": st.column_config.TextColumn("Supplier", pinned=True, width=240),
    "grade": st.column_config.TextColumn("Grade", help="A ≥ 90, B ≥ 75, C ≥ 60, else D"),
    "score": st.column_config.NumberColumn(
        "Score", format="%.0f", help="0-100: OTIF 50%, quality 30%, lead-time reliability 20%"
    ),
    "otif_trend": st.column_config.LineChartColumn("OTIF trend", y_min=0, y_max=1),
    "otif_rate": st.column_config.NumberColumn("OTIF", format=PCT),
    "on_time_rate": st.column_config.NumberColumn("On time", format=PCT),
    "in_full_rate": st.column_config.NumberColumn("In full", format=PCT),
    "early_rate": st.column_config.NumberColumn("Early", format=PCT),
    "due_lines": st.column_config.NumberColumn("Due lines", format="%,d"),
    "lead_time_mean_days": st.column_config.NumberColumn("Lead time", format=DAYS),
    "lead_time_sd_days": st.column_config.NumberColumn("Lead time sd", format=DAYS),
    "lead_time_cv": st.column_config.NumberColumn("Lead time CV", format="%.2f"),
    "lead_time_p95_days": st.column_config.NumberColumn("Lead time p95", format=DAYS),
    "lateness_mean_days": st.column_config.NumberColumn("Lateness", format="%+.1f d"),
    "defect_ppm": st.column_config.NumberColumn("Defects (PPM)", format="%,.0f"),
    "spend": st.column_config.NumberColumn("Spend", format=MONEY),
    "spend_share": st.column_config.NumberColumn("Spend share", format=PCT),
    "late_open_lines": st.column_config.NumberColumn("Late open lines", format="%,d"),
    "customer_lines_hit": st.column_config.NumberColumn(
        "Customer lines hit",
        format="%,d",
        help="Missed customer lines traced to its PO lines that were still open (section 12).",
    ),
    "value_hit": st.column_config.NumberColumn(
        "Value hit",
        format=MONEY,
        help="Its share of those lines' value, in proportion to what it still owed.",
    ),
}
DOWNLOAD_LABELS = {
    "otif_rate": "OTIF (%)",
    "on_time_rate": "On time (%)",
    "in_full_rate": "In full (%)",
    "early_rate": "Early (%)",
    "lead_time_mean_days": "Lead time mean (days)",
    "lead_time_sd_days": "Lead time sd (days)",
    "lead_time_p95_days": "Lead time p95 (days)",
    "lateness_mean_days": "Lateness mean (days)",
    "spend_share": "Spend share (%)",
}


def open_detail(names: list[str]) -> None:
    """Clicking a scorecard row opens that supplier's detail (a callback: runs before the
    rerun, so it may still set the tab and the detail picker)."""
    picked = st.session_state["scorecard"].selection.rows
    if picked:
        st.session_state["detail"] = names[picked[0]]
        st.session_state["view"] = TABS[1]


def scorecard_tab(rows: list[dict], scope: Scope) -> None:
    grade_metrics(rows)
    rows = with_customer_hits(rows, load("table_rows", "supplier_customer_hits", scope))
    series = load("series", "supplier_series", trend_grain(scope.start, scope.end), scope)
    columns = priced(CARD_COLUMNS)
    df = pd.DataFrame(scorecard_table(rows, otif_sparklines(series)), columns=list(columns))
    names = df["supplier"].tolist()
    st.dataframe(
        df.style.map(lambda g: GRADE_STYLE.get(g, ""), subset=["grade"]),
        column_config=columns,
        hide_index=True,
        width="stretch",
        placeholder="–",
        height=min(40 + 35 * len(df), 640),
        key="scorecard",
        on_select=lambda: open_detail(names),
        selection_mode="single-row",
    )
    st.caption(
        "Best score first. Click a column header to sort, or a row to open that supplier. "
        "Rates are shares of due PO lines; the trend line is OTIF per month (per week for "
        "periods up to 120 days). Lateness is the mean of last receipt minus promised date: "
        "negative means early."
    )
    labels = {k: DOWNLOAD_LABELS.get(k, c["label"]) for k, c in columns.items()}
    downloads(df.drop(columns="otif_trend").rename(columns=labels), "supplier-scorecard", "card")


def grade_metrics(rows: list[dict]) -> None:
    """How many suppliers hold each grade, and the late open lines of them all."""
    counts = grade_counts(rows)
    columns = st.columns(5)
    for column, (grade, n) in zip(columns, counts.items(), strict=False):
        column.metric(f"Grade {grade} suppliers", f"{n:,}", help=GRADE_HELP[grade])
    columns[4].metric(
        "Late open lines",
        f"{late_open_total(rows):,}",
        help="Due PO lines, promised before the as-of date, not yet received in full.",
    )
