"""Plotly figure builders, one module per page area; this module holds the shared look.

Figures are made for a meeting-room projector: large type, few colours with fixed
meanings, units on the axes. No Streamlit here: pages call these and pass the figure to
`st.plotly_chart`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from analytics.formatting import DEFAULT_CURRENCY, money_prefix

# Fixed meanings, used by every chart and status badge.
COLORS = {
    "primary": "#1f5f8b",  # the measured series
    "secondary": "#7a9cb8",
    "target": "#2e7d32",  # targets and "good"
    "good": "#2e7d32",
    "watch": "#f2a900",
    "bad": "#c62828",
    "neutral": "#8a96a3",
    "muted": "#c9d1da",
}
SERIES = ["#1f5f8b", "#e07b39", "#5b8c5a", "#8e6c8a", "#c9a227", "#4f9da6", "#a05252"]
FONT = dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=16, color="#1e2a33")
AXIS_FORMATS = {
    "rate": ".0%",
    "money": ",.0f",
    "days": ",.0f",
    "ppm": ",.0f",
    "ratio": ",.1f",
    "index": ".2f",
}
UNIT_TITLES = {
    "rate": "",
    "money": "",  # the currency's sign: unit_title
    "days": "days",
    "ppm": "PPM",
    "ratio": "turns",
    "index": "HHI",
}


# the trace types the charts draw that plotly_white styles (a waterfall it does not)
TRACE_TYPES = ("bar", "scatter", "heatmap")
# plotly_white's styles of maps, polar, ternary and 3-D plots: no chart here has them
NOT_CARTESIAN = ("geo", "polar", "ternary", "scene")


def house_template() -> go.layout.Template:
    """plotly_white as the charts here use it (its cartesian layout and the styles of the
    trace types drawn), built once.

    Naming "plotly_white" in a figure copies the whole template, every trace type's style
    included, into it: about 10 ms a chart, most of a warm page rerun. This one takes
    about a quarter of that and draws the same charts."""
    white = pio.templates["plotly_white"]
    layout = {k: v for k, v in white.layout.to_plotly_json().items() if k not in NOT_CARTESIAN}
    return go.layout.Template(
        layout=layout, data={kind: getattr(white.data, kind) for kind in TRACE_TYPES}
    )


TEMPLATE = house_template()


def unit_title(unit: str | None, currency: str = DEFAULT_CURRENCY) -> str | None:
    """An axis title for a unit: money is titled with the currency's sign ('$', 'CHF')."""
    if unit == "money":
        return money_prefix(currency).strip()
    return UNIT_TITLES.get(unit)


def styled(
    fig: go.Figure, height: int = 380, unit: str | None = None, currency: str = DEFAULT_CURRENCY
) -> go.Figure:
    """The house style: white plot, light grid, legend on top, the unit's tick format."""
    fig.update_layout(
        height=height,
        font=FONT,
        template=TEMPLATE,
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hoverlabel=dict(font_size=15),
    )
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor="#e8ecf1")
    if unit:
        fig.update_yaxes(tickformat=AXIS_FORMATS.get(unit, ""), title=unit_title(unit, currency))
    return fig


def trend(
    buckets,
    values,
    unit: str,
    name: str,
    target=None,
    counts=None,
    markers: list[tuple] | None = None,
    height: int = 380,
    currency: str = DEFAULT_CURRENCY,
) -> go.Figure:
    """A KPI over time with its target line; hover shows how much data each point rests on.

    `markers` are (date, label) pairs, e.g. improvement actions, drawn as dotted lines.
    """
    hover = (
        "%{x|%d %b %Y}: %{y"
        + (":" + AXIS_FORMATS.get(unit, "") if unit in AXIS_FORMATS else "")
        + "}"
    )
    if counts is not None:
        hover += "<br>based on %{customdata:,} rows"
    fig = go.Figure(
        go.Scatter(
            x=list(buckets),
            y=list(values),
            mode="lines+markers",
            name=name,
            line=dict(color=COLORS["primary"], width=3),
            marker=dict(size=7),
            customdata=list(counts) if counts is not None else None,
            hovertemplate=hover + "<extra></extra>",
            connectgaps=False,
        )
    )
    if target is not None:
        fig.add_hline(
            y=target,
            line=dict(color=COLORS["target"], dash="dash", width=2),
            annotation_text="target",
            annotation_position="top left",
        )
    for when, label in markers or []:
        fig.add_vline(x=when, line=dict(color=COLORS["neutral"], dash="dot", width=2))
        fig.add_annotation(
            x=when,
            y=1,
            yref="paper",
            text=label,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font=dict(size=13),
        )
    return styled(fig, height, unit, currency)
