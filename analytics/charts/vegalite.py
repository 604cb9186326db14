"""Vega-Lite specs for the Overview's trends, the first page a user sees.

Plotly's browser bundle is 4.7 MB: parsing it held the Overview's first paint (its KPI
cards included) back by 1.5 to 2 s on a 2-CPU machine (bench/results.md, issue 16), so the
Overview draws its four trends with Vega-Lite, which Streamlit ships lighter; the other
pages keep plotly. (The cards' sparklines are plain SVG: nine more Vega views cost the
first page about 0.25 s, `charts.overview.sparkline_html`.) Data in, spec out
(`st.vega_lite_chart` draws it); no Streamlit, no store.
"""

from __future__ import annotations

from analytics.charts import COLORS
from analytics.charts.overview import COUNT_NOUNS, SERIES_COUNTS, series_points
from analytics.metrics.registry import KPIS

# d3 formats: the axis, and the hover that names the exact value
AXIS = {"rate": ".0%", "money": "~s", "days": ",.1~f", "ppm": ",.0f", "ratio": ",.1~f"}
EXACT = {"rate": ".1%", "money": ",.0f", "days": ",.1f", "ppm": ",.0f", "ratio": ",.2f"}
DATES = {"week": "week of %d %b %Y", "month": "%b %Y"}
TICKS = {"week": "%d %b", "month": "%b %Y"}


def trend_spec(
    rows: list[dict],
    kpi_name: str,
    target: float | None,
    grain: str,
    height: int = 320,
    money_prefix: str = "",
) -> dict:
    """One KPI by week or month with its target as a dashed line; the hover names the
    bucket, the value and how much data the point rests on."""
    kpi = KPIS[kpi_name]
    buckets, values, counts = series_points(rows, kpi_name)
    counts = counts if counts is not None else [None] * len(buckets)
    points = [
        {"bucket": b.isoformat(), "value": v, "count": c}
        for b, v, c in zip(buckets, values, counts, strict=True)
    ]
    prefix = money_prefix if kpi.unit == "money" else ""
    y = {
        "field": "value",
        "type": "quantitative",
        "title": None,
        "axis": {"format": AXIS.get(kpi.unit, ".3f")}
        | ({"labelExpr": f"'{prefix}' + datum.label"} if prefix else {}),
        "scale": {"zero": False},
    }
    tooltip = [
        {"field": "bucket", "type": "temporal", "title": "Bucket", "timeUnit": "yearmonthdate",
         "format": DATES[grain]},
        {"field": "value", "type": "quantitative", "title": kpi.label,
         "format": EXACT.get(kpi.unit, ".3f")},
    ]  # fmt: skip
    if any(c is not None for c in counts):
        column = kpi.count_column
        noun = SERIES_COUNTS.get(column, (column, COUNT_NOUNS.get(column, "rows")))[1]
        tooltip.append({"field": "count", "type": "quantitative", "title": f"Based on ({noun})",
                        "format": ","})  # fmt: skip
    x = {"field": "bucket", "type": "temporal", "title": None, "timeUnit": "yearmonthdate",
         "axis": {"format": TICKS[grain]}}  # fmt: skip
    # the points ride in the line's layer, not at the top of the spec: Streamlit turns top-level
    # data into Arrow through pandas and pyarrow (0.5 s of imports on the first page), and
    # leaves a layer's own values in the spec's JSON
    layers = [
        {
            "data": {"values": points},
            "mark": {"type": "line", "point": {"size": 50}, "strokeWidth": 3,
                     "color": COLORS["primary"]},
            "encoding": {"x": x, "y": y, "tooltip": tooltip},
        }
    ]  # fmt: skip
    if target is not None:
        layers.append(
            {
                "data": {"values": [{"target": target}]},
                "mark": {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 2,
                         "color": COLORS["target"]},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            }
        )  # fmt: skip
    return {
        "title": {"text": kpi.label, "anchor": "start", "fontSize": 18},
        "height": height,
        "layer": layers,
    }
