"""The Pull page's buffer chart: on hand and net flow against the red, yellow and green zones.

Zones are stacked bands that move with the zones recomputed as of each snapshot day (METRICS.md
section 11), drawn in the fixed meanings of the house colours, faint so the two lines read
first: on hand in the primary blue, net flow in the second series colour, dashed.
"""

from __future__ import annotations

import plotly.graph_objects as go

from analytics.charts import COLORS, SERIES, styled

BANDS = (  # name, the row's top of the band, colour
    ("Red zone", "safety_stock", "rgba(198, 40, 40, 0.18)"),
    ("Yellow zone", "reorder_point", "rgba(242, 169, 0, 0.22)"),
    ("Green zone", "top_of_green", "rgba(46, 125, 50, 0.18)"),
)


def buffer_chart(rows: list[dict], height: int = 420) -> go.Figure:
    """`rows` are `analytics.metrics.replenish.buffer_history` rows of one sku and site,
    oldest first. A day without zones (not enough data then) leaves a gap in the bands."""
    days = [r["date"] for r in rows]
    fig = go.Figure()
    for name, top, colour in BANDS:
        fig.add_trace(
            go.Scatter(
                x=days,
                y=[r[top] for r in rows],
                name=name,
                mode="lines",
                line=dict(width=0.5, color=colour),
                fill="tozeroy" if top == "safety_stock" else "tonexty",
                fillcolor=colour,
                hovertemplate=f"{name} up to %{{y:,.0f}}<extra></extra>",
                connectgaps=False,
            )
        )
    fig.add_trace(_line(days, [r["on_hand"] for r in rows], "On hand", COLORS["primary"]))
    net = _line(days, [r["net_flow"] for r in rows], "Net flow", SERIES[1])
    net.line.dash = "dash"
    fig.add_trace(net)
    fig.update_yaxes(title="units", rangemode="tozero")
    return styled(fig, height)


def _line(days, values, name: str, colour: str) -> go.Scatter:
    return go.Scatter(
        x=days,
        y=values,
        name=name,
        mode="lines+markers",
        line=dict(color=colour, width=3),
        marker=dict(size=6),
        hovertemplate=f"%{{x|%d %b %Y}}: {name.lower()} %{{y:,.0f}}<extra></extra>",
    )
