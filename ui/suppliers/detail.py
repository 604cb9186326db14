"""The Supplier detail tab: one supplier's figures, trends, spread, defects and late lines.

It owns the detail picker (`detail`, kept in the URL), which follows a supplier newly
chosen in the sidebar (`detail_follows` remembers the last one seen) or a scorecard click.
The picker is rendered on every run, open tab or not; the figures only when the tab is open.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analytics.charts import trend
from analytics.charts.pack import file_name, supplier_pack
from analytics.charts.suppliers import defect_causes, lead_time_histogram
from analytics.formatting import format_value
from analytics.metrics.suppliers import default_detail, pareto, trend_grain
from analytics.models.params import Scope
from analytics.review.pack import gather_pack, shared
from ui.cache import store
from ui.suppliers.widgets import MONEY, chart_or_note, table
from ui.widgets import load

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
    pack_button(scope, name)
    detail_metrics(row)
    grain = trend_grain(scope.start, scope.end)
    left, right = st.columns(2)
    with left:
        otif_trend(one, grain)
    with right:
        lead_time_trend(one, grain)
    left, right = st.columns(2)
    with left:
        lead_time_spread(one, row)
    with right:
        defects_by_cause(one)
    late_lines(one)


def pack_button(scope: Scope, name: str) -> None:
    """The supplier's pack, built only when someone clicks (it runs a dozen scorecards)."""
    path = store().path
    st.download_button(
        "Download pack (HTML)",
        data=lambda: supplier_pack(gather_pack(store(path), name, shared(store(path), scope))),
        file_name=file_name(1, name).replace("01-", "pack-", 1),
        mime="text/html",
        icon=":material/summarize:",
        on_click="ignore",
        key="pack",
        help="One offline page for this supplier: score and rank, monthly history, OTIF, "
        "lead times, late lines to confirm, defects, actions and customer lines hit.",
    )


def detail_metrics(row: dict) -> None:
    score = "no data" if row["score"] is None else f"{row['score']:.0f} ({row['grade']})"
    columns = st.columns(5)
    columns[0].metric("Score (grade)", score, help="0-100; A ≥ 90, B ≥ 75, C ≥ 60, else D")
    columns[1].metric("OTIF", format_value(row["otif_rate"], "rate"))
    columns[2].metric("Lead time (mean)", format_value(row["lead_time_mean_days"], "days"))
    columns[3].metric("Defects", format_value(row["defect_ppm"], "ppm"))
    columns[4].metric("Late open lines", f"{row['late_open_lines'] or 0:,}")


def otif_trend(one: Scope, grain: str) -> None:
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


def lead_time_trend(one: Scope, grain: str) -> None:
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


def lead_time_spread(one: Scope, row: dict) -> None:
    st.subheader("Lead-time spread")
    spread = load("table_rows", "supplier_lead_times", one)
    chart_or_note(
        spread,
        lambda: lead_time_histogram(spread, row["lead_time_mean_days"], row["lead_time_p95_days"]),
        "Nothing of this supplier was received in the period.",
    )
    st.caption("PO lines received in the period by days from order to last receipt.")


def defects_by_cause(one: Scope) -> None:
    st.subheader("Defects by cause")
    causes = pareto(load("table_rows", "supplier_defect_causes", one), "cause", "qty")
    chart_or_note(
        causes,
        lambda: defect_causes(causes),
        "No defects attributed to this supplier in the period.",
    )
    st.caption("Defective units attributed to this supplier, dated in the period.")


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
