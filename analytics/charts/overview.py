"""Figures and small pure helpers of the Manage page (the overview scorecard).

A plant manager reads the overview in a few seconds: every headline KPI as a card (value,
target, change against the previous period of the same length, a weekly sparkline, the
amount of data it rests on) and below it the trends with their target lines. What the cards
and charts need beyond the registry lives here, without Streamlit, so it can be tested with
hand-worked numbers.
"""

from __future__ import annotations

import base64
import html

import plotly.graph_objects as go

from analytics.charts import trend
from analytics.formatting import DEFAULT_CURRENCY, format_delta, money_prefix
from analytics.metrics.registry import KPIS

# The order a plant manager reads the scorecard in: supply first, then what it costs.
SECTIONS: dict[str, tuple[str, ...]] = {
    "Supplier delivery": (
        "otif_rate",
        "on_time_rate",
        "in_full_rate",
        "early_rate",
        "lead_time_mean_days",
        "lead_time_sd_days",
        "lead_time_p95_days",
    ),
    "Quality": ("defect_ppm", "copq"),
    "Inventory": (
        "avg_inventory_value",
        "cogs",
        "inventory_turnover",
        "dio_days",
        "excess_value",
    ),
    "Customers": ("fill_rate", "customer_otif_rate"),
    "Supply risk": ("hhi",),
}
# What a section needs imported before its cards can show anything.
SECTION_INPUTS = {
    "Supplier delivery": "deliveries",
    "Quality": "defects and deliveries",
    "Inventory": "inventory snapshots and customer orders",
    "Customers": "customer orders",
    "Supply risk": "deliveries with unit costs",
}
KEY_FOUR = ("otif_rate", "lead_time_mean_days", "defect_ppm", "avg_inventory_value")

# The words for what each count column counts ("412 due PO lines").
COUNT_NOUNS = {
    "due_lines": "due PO lines",
    "due_received_lines": "received due PO lines",
    "lead_time_lines": "received PO lines",
    "received_qty": "units received",
    "defect_events": "defect events",
    "snapshot_dates": "stock snapshots",
    "shipped_lines": "shipped customer lines",
    "due_order_lines": "due customer lines",
    "stocked_skus": "stocked SKUs",
    "suppliers_with_spend": "suppliers with spend",
}
# Series models name some counts differently from the one-row KPI models.
SERIES_COUNTS = {
    "stocked_skus": ("skus", "SKUs"),
    "suppliers_with_spend": ("suppliers", "suppliers"),
}


def count_text(kpi_name: str, row: dict) -> str:
    """How much data a figure rests on, in words: a card without it invites over-reading."""
    column = KPIS[kpi_name].count_column
    n = row.get(column)
    return f"{int(n or 0):,} {COUNT_NOUNS.get(column, 'rows')}"


def delta_of(
    now, before, unit: str, currency: str = DEFAULT_CURRENCY
) -> tuple[float | None, str | None]:
    """The change and its text; None when either side has no data."""
    if now is None or before is None:
        return None, None
    delta = now - before
    text = f"{delta:+.3f}" if unit == "index" else format_delta(delta, unit, currency)
    return delta, text


def is_flat(text: str | None) -> bool:
    """A change that shows as zero at the card's precision gets no arrow and no colour."""
    return text is not None and not any(ch in "123456789" for ch in text)


def series_points(rows: list[dict], kpi_name: str) -> tuple[list, list, list | None]:
    """Buckets, values and the counts behind each point of a KPI's series."""
    kpi = KPIS[kpi_name]
    count_column = _series_count(kpi.count_column)[0]
    buckets = [r["bucket"] for r in rows]
    values = [r.get(kpi_name) for r in rows]
    counts = [r.get(count_column) or 0 for r in rows] if rows and count_column in rows[0] else None
    return buckets, values, counts


def _series_count(count_column: str) -> tuple[str, str]:
    """The series' name for a KPI's count column, and what it counts."""
    default = (count_column, COUNT_NOUNS.get(count_column, "rows"))
    return SERIES_COUNTS.get(count_column, default)


def sparkline(rows: list[dict], kpi_name: str) -> list[float] | None:
    """The weekly values for a card's sparkline; buckets without a value are left out."""
    values = [float(v) for v in series_points(rows, kpi_name)[1] if v is not None]
    return values if len(values) >= 2 else None


# The sparkline's colour follows the card's change, as Streamlit colours the change itself:
# better, worse, or no change at the card's precision (and no previous period).
SPARK_TONES = {"good": "#079464", "bad": "#d94a57", "flat": "#6b7280"}
SPARK_HEIGHT = 48  # px; the line keeps 2 px clear of the top and the bottom


def spark_tone(delta: float | None, flat: bool, higher_is_better: bool) -> str:
    """ "good", "bad" or "flat" for a card's change (`delta_of`, `is_flat`)."""
    if delta is None or flat or delta == 0:
        return "flat"
    return "good" if (delta > 0) == higher_is_better else "bad"


def spark_points(values: list[float], height: int = SPARK_HEIGHT) -> str:
    """The polyline's points in a 100-wide box `height` high: x spread evenly, y scaled
    from the lowest value (bottom) to the highest (top); a flat series sits in the middle."""
    lo, hi = min(values), max(values)
    last = len(values) - 1
    inner = height - 4

    def y(v: float) -> float:
        return height / 2 if hi == lo else 2 + (hi - v) * inner / (hi - lo)

    return " ".join(f"{i * 100 / last:.2f},{y(v):.2f}" for i, v in enumerate(values))


def sparkline_html(values: list[float] | None, tone: str, label: str) -> str | None:
    """A card's weekly sparkline as an inline SVG image, for `st.markdown` (HTML allowed).

    Not st.metric's own chart: each of those is a Vega view, and compiling nine of them in
    the browser held the first page back by about 0.25 s (bench/results.md, issue 16).
    Only numbers and a fixed label go into it; `label` is ours (the KPI's name), escaped
    all the same. None when there is no line to draw (fewer than two points)."""
    if not values or len(values) < 2:
        return None
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 {SPARK_HEIGHT}" '
        f'preserveAspectRatio="none"><polyline points="{spark_points(values)}" fill="none" '
        f'stroke="{SPARK_TONES[tone]}" stroke-width="2" stroke-linejoin="round" '
        'vector-effect="non-scaling-stroke"/></svg>'
    )
    data = base64.b64encode(svg.encode()).decode()
    alt = html.escape(f"{label}: weekly trend, {len(values)} weeks", quote=True)
    return (
        f'<img src="data:image/svg+xml;base64,{data}" alt="{alt}" title="{alt}" '
        f'style="width:100%;height:{SPARK_HEIGHT}px;display:block">'
    )


HOVER_DATES = {"week": "week of %{x|%d %b %Y}", "month": "%{x|%b %Y}"}


def kpi_trend(
    rows: list[dict],
    kpi_name: str,
    target: float | None,
    grain: str,
    height: int = 320,
    currency: str = DEFAULT_CURRENCY,
) -> go.Figure:
    """One KPI over time with its target; hover names the bucket and what its count counts."""
    kpi = KPIS[kpi_name]
    buckets, values, counts = series_points(rows, kpi_name)
    fig = trend(
        buckets, values, kpi.unit, kpi.label, target=target, counts=counts, height=height,
        currency=currency,
    )  # fmt: skip
    hover = fig.data[0].hovertemplate.replace("%{x|%d %b %Y}", HOVER_DATES[grain])
    if counts is not None:
        hover = hover.replace(" rows", f" {_series_count(kpi.count_column)[1]}")
    fig.update_traces(hovertemplate=hover)
    if kpi.unit == "money":  # 3.2M reads faster on a projector than 3,200,000
        fig.update_yaxes(tickprefix=money_prefix(currency), tickformat="~s", title=None)
    fig.update_layout(
        title=dict(text=kpi.label, x=0, xanchor="left", font=dict(size=18)),
        margin=dict(l=10, r=10, t=50, b=10),
        showlegend=False,
    )
    return fig
