"""The Establish page: how each supplier delivers, one supplier in detail, and supply risk.

UI only: figures come from `analytics.kpis` through the cache, shaping from
`analytics.suppliers`, figures from `analytics.charts.suppliers`. Supplier names, skus and
causes come from the data, so they appear only in tables, plain text and chart labels.
The scorecard and the concentration tab compare suppliers, so they ignore the sidebar's
supplier filter (a comparison of one is no comparison); the filter picks the detail view.
"""

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics.charts import trend
from analytics.charts.suppliers import defect_causes, lead_time_histogram, spend_pareto
from analytics.formatting import format_money, format_value
from analytics.metrics.registry import hhi_band
from analytics.metrics.suppliers import (
    default_detail,
    grade_counts,
    late_open_total,
    otif_sparklines,
    pareto,
    scorecard_table,
    trend_grain,
    vital_few,
)
from analytics.models.params import Scope
from ui.auth import gate
from ui.cache import call
from ui.scope import current_scope, scope_caption
from ui.widgets import downloads, user_text

TABS = ["Scorecard", "Supplier detail", "Concentration risk"]
GRADE_STYLE = {
    "A": "background-color: #2e7d32; color: white; font-weight: 600",
    "B": "background-color: #a5d6a7; color: #1e2a33; font-weight: 600",
    "C": "background-color: #f2a900; color: #1e2a33; font-weight: 600",
    "D": "background-color: #c62828; color: white; font-weight: 600",
}
PCT = "%.1f%%"
DAYS = "%.1f d"
MONEY = "€ %,.0f"
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
    "spend": "Spend (€)",
    "spend_share": "Spend share (%)",
}
LATE_COLUMNS = {
    "po_number": st.column_config.TextColumn("PO"),
    "po_line": st.column_config.TextColumn("Line"),
    "sku": st.column_config.TextColumn("SKU"),
    "order_date": st.column_config.DateColumn("Ordered", format="YYYY-MM-DD"),
    "promised_date": st.column_config.DateColumn("Promised", format="YYYY-MM-DD"),
    "days_late": st.column_config.NumberColumn("Days late", format="%d"),
    "ordered_qty": st.column_config.NumberColumn("Ordered qty", format="%,.0f"),
    "delivered_qty": st.column_config.NumberColumn("Received qty", format="%,.0f"),
    "open_qty": st.column_config.NumberColumn("Open qty", format="%,.0f"),
    "open_value": st.column_config.NumberColumn("Open value", format=MONEY),
    "last_receipt": st.column_config.DateColumn("Last receipt", format="YYYY-MM-DD"),
}
SOLE_COLUMNS = {
    "sku": st.column_config.TextColumn("SKU"),
    "description": st.column_config.TextColumn("Description", width="medium"),
    "category": st.column_config.TextColumn("Category"),
    "supplier": st.column_config.TextColumn("Only supplier", width="medium"),
    "spend": st.column_config.NumberColumn("Spend, last 365 days", format=MONEY),
}


def load(name: str, *args):
    """A cached analytics call; filters the figures cannot be computed for stop the page."""
    try:
        return call(name, *args)
    except ValueError as error:
        st.error("These figures cannot be computed for the chosen filters. Please change them.")
        user_text(str(error))
        st.stop()


def table(rows: list[dict], columns: dict, name: str, key: str) -> None:
    """A table with labelled, formatted columns and its CSV and Excel downloads."""
    df = pd.DataFrame(rows, columns=list(columns))
    st.dataframe(df, column_config=columns, hide_index=True, width="stretch", placeholder="–")
    downloads(df.rename(columns={k: c["label"] for k, c in columns.items()}), name, key)


def open_detail(names: list[str]) -> None:
    """Clicking a scorecard row opens that supplier's detail (a callback: runs before the
    rerun, so it may still set the tab and the detail picker)."""
    picked = st.session_state["scorecard"].selection.rows
    if picked:
        st.session_state["detail"] = names[picked[0]]
        st.session_state["view"] = TABS[1]


def scorecard_tab(rows: list[dict], scope: Scope) -> None:
    counts = grade_counts(rows)
    columns = st.columns(5)
    for column, (grade, n) in zip(columns, counts.items(), strict=False):
        column.metric(f"Grade {grade} suppliers", f"{n:,}", help=GRADE_HELP[grade])
    columns[4].metric(
        "Late open lines",
        f"{late_open_total(rows):,}",
        help="Due PO lines, promised before the as-of date, not yet received in full.",
    )
    series = load("series", "supplier_series", trend_grain(scope.start, scope.end), scope)
    df = pd.DataFrame(scorecard_table(rows, otif_sparklines(series)), columns=list(CARD_COLUMNS))
    names = df["supplier"].tolist()
    st.dataframe(
        df.style.map(lambda g: GRADE_STYLE.get(g, ""), subset=["grade"]),
        column_config=CARD_COLUMNS,
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
    labels = {k: DOWNLOAD_LABELS.get(k, c["label"]) for k, c in CARD_COLUMNS.items()}
    downloads(df.drop(columns="otif_trend").rename(columns=labels), "supplier-scorecard", "card")


def detail_picker(rows: list[dict], scope: Scope) -> str:
    """Rendered on every run, open tab or not: a value set by a scorecard click reaches
    the URL only for a widget that existed in the previous run (streamlit 1.67)."""
    names = sorted(r["supplier"] for r in rows)
    follow_sidebar(scope.supplier, names)
    return st.selectbox(
        "Show supplier",
        names,
        index=names.index(default_detail(rows, scope.supplier)),
        key="detail",
        bind="query-params",
        help="Starts on the supplier chosen in the sidebar, else on the lowest score.",
    )


def follow_sidebar(supplier: str | None, names: list[str]) -> None:
    """A supplier newly chosen in the sidebar opens in the detail view; the first run
    leaves the choice to the URL (a shared link keeps its detail)."""
    seen = st.session_state.get("detail_follows", supplier)
    if seen != supplier and supplier in names:
        st.session_state["detail"] = supplier
    st.session_state["detail_follows"] = supplier


def detail_tab(rows: list[dict], scope: Scope, name: str) -> None:
    row = next(r for r in rows if r["supplier"] == name)
    one = replace(scope, supplier=name)
    detail_metrics(row)
    grain = trend_grain(scope.start, scope.end)
    left, right = st.columns(2)
    with left:
        st.subheader("OTIF")
        points = load("series", "series_delivery", grain, one)
        target = load("targets")["otif_rate"]["target"]
        chart_or_note(
            points,
            lambda: trend(
                [p["bucket"] for p in points],
                [p["otif_rate"] for p in points],
                "rate",
                "OTIF",
                target=target,
                counts=[p["due_lines"] for p in points],
            ),
            "No PO lines of this supplier were due in the period.",
        )
        st.caption(
            f"Share of due PO lines received complete by the promised date, by {grain} "
            "promised. Dashed: the plant's OTIF target."
        )
    with right:
        st.subheader("Lead time")
        points = load("series", "series_lead_time", grain, one)
        chart_or_note(
            points,
            lambda: trend(
                [p["bucket"] for p in points],
                [p["lead_time_mean_days"] for p in points],
                "days",
                "Mean lead time",
                counts=[p["lead_time_lines"] for p in points],
            ),
            "Nothing of this supplier was received in the period.",
        )
        st.caption(
            f"Mean days from order to last receipt, by {grain} of the last receipt. The "
            f"latest {grain} holds only lines already received, so it tends to look short."
        )
    left, right = st.columns(2)
    with left:
        st.subheader("Lead-time spread")
        spread = load("table_rows", "supplier_lead_times", one)
        chart_or_note(
            spread,
            lambda: lead_time_histogram(
                spread, row["lead_time_mean_days"], row["lead_time_p95_days"]
            ),
            "Nothing of this supplier was received in the period.",
        )
        st.caption("PO lines received in the period by days from order to last receipt.")
    with right:
        st.subheader("Defects by cause")
        causes = pareto(load("table_rows", "supplier_defect_causes", one), "cause", "qty")
        chart_or_note(
            causes,
            lambda: defect_causes(causes),
            "No defects attributed to this supplier in the period.",
        )
        st.caption("Defective units attributed to this supplier, dated in the period.")
    late_lines(one)


def detail_metrics(row: dict) -> None:
    score = "no data" if row["score"] is None else f"{row['score']:.0f} ({row['grade']})"
    columns = st.columns(5)
    columns[0].metric("Score (grade)", score, help="0-100; A ≥ 90, B ≥ 75, C ≥ 60, else D")
    columns[1].metric("OTIF", format_value(row["otif_rate"], "rate"))
    columns[2].metric("Lead time (mean)", format_value(row["lead_time_mean_days"], "days"))
    columns[3].metric("Defects", format_value(row["defect_ppm"], "ppm"))
    columns[4].metric("Late open lines", f"{row['late_open_lines'] or 0:,}")


def chart_or_note(data, figure, note: str) -> None:
    if data:
        st.plotly_chart(figure(), width="stretch")
    else:
        st.info(note, icon=":material/info:")


def late_lines(one: Scope) -> None:
    st.subheader("Late open lines")
    lines = load("table_rows", "supplier_late_lines", one)
    if not lines:
        st.success("Nothing overdue: every due line of this supplier came in full.")
        return
    lines = sorted(lines, key=lambda r: (-r["days_late"], r["po_number"], r["po_line"]))
    st.caption(
        "Due PO lines promised before the as-of date and not yet received in full: what to "
        "chase. Open value uses the SKU's unit cost; most overdue first."
    )
    table(lines, LATE_COLUMNS, "late-open-lines", "late")


def concentration_tab(scope: Scope) -> None:
    kpis = load("overview", scope)
    hhi = kpis["hhi"]
    spend = pareto(load("table_rows", "supplier_spend", scope), "supplier", "spend")
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
        st.caption(
            f"Spend is as concentrated as if it were split evenly over {1 / hhi:,.1f} "
            f"suppliers. Total spend in the period: {format_money(kpis['total_spend'])}."
        )
    st.subheader("Spend Pareto")
    chart_or_note(
        spend, lambda: spend_pareto(spend), "No receipts with a known value in the period."
    )
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


GRADE_HELP = {
    "A": "Score 90 or more",
    "B": "Score 75 to 90",
    "C": "Score 60 to 75",
    "D": "Score below 60: talk to them",
}
BAND_HELP = "Below 0.15 unconcentrated; 0.15 to 0.25 moderately; above 0.25 highly concentrated."


def empty_state() -> None:
    st.info(
        "No supplier data yet: import deliveries (and defects) to see the scorecard.",
        icon=":material/info:",
    )
    st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")


gate()
scope = current_scope()
st.title("Suppliers")
user_text(scope_caption(scope))
st.caption(
    "Establish reliable supply: who delivers on time and in full, how steady their lead "
    "times are, and how much of the spend rides on a few suppliers. The scorecard and "
    "concentration compare all suppliers, so the sidebar's supplier filter only chooses "
    "the detail view."
)
compared = replace(scope, supplier=None)
card = load("scorecard", compared)
if not card:
    empty_state()
    st.stop()
score_tab, supplier_tab, risk_tab = st.tabs(TABS, key="view", bind="query-params")
if score_tab.open:
    with score_tab:
        scorecard_tab(card, compared)
with supplier_tab:
    detail = detail_picker(card, scope)
    if supplier_tab.open:
        detail_tab(card, scope, detail)
if risk_tab.open:
    with risk_tab:
        concentration_tab(compared)
