"""The Demand view's charts: one sku's weekly history with its 13-week forecast and 80% band,
and how the least trustworthy forecasts did against naive (METRICS.md section 14).

Drawn from the rows they are given (`analytics.forecast.stored`): history and forecast in
the primary blue, the forecast dashed over a faint band; accuracy as paired bars, the
chosen model's WAPE against naive's.
"""

from __future__ import annotations

import plotly.graph_objects as go

from analytics.charts import COLORS, SERIES, styled

BAND = "rgba(31, 95, 139, 0.15)"


def forecast_chart(history: list[dict], weeks: list[dict], height: int = 420) -> go.Figure:
    """`history`: rows of week_end and demand, oldest first; `weeks`: rows of week_end,
    forecast, lo and hi (lo and hi None when the model gives no interval)."""
    fig = go.Figure()
    ends = [w["week_end"] for w in weeks]
    if weeks and weeks[0]["lo"] is not None:
        fig.add_trace(_edge(ends, [w["hi"] for w in weeks], "80% band: high", None))
        fig.add_trace(_edge(ends, [w["lo"] for w in weeks], "80% band", "tonexty"))
    fig.add_trace(
        go.Scatter(
            x=[h["week_end"] for h in history],
            y=[h["demand"] for h in history],
            name="Ordered per week",
            mode="lines",
            line=dict(color=COLORS["primary"], width=2),
            hovertemplate="week to %{x|%d %b %Y}: %{y:,.0f} ordered<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=ends,
            y=[w["forecast"] for w in weeks],
            name="Forecast",
            mode="lines+markers",
            line=dict(color=SERIES[1], width=3, dash="dash"),
            marker=dict(size=6),
            hovertemplate="week to %{x|%d %b %Y}: forecast %{y:,.1f}<extra></extra>",
        )
    )
    fig.update_yaxes(title="units a week", rangemode="tozero")
    return styled(fig, height)


def _edge(x, y, name: str, fill: str | None) -> go.Scatter:
    return go.Scatter(
        x=x,
        y=y,
        name=name,
        mode="lines",
        line=dict(width=0, color=BAND),
        fill=fill,
        fillcolor=BAND,
        showlegend=fill is not None,
        hovertemplate="%{y:,.1f}<extra>" + name + "</extra>",
    )


def accuracy_chart(rows: list[dict], labels: list[str], height: int = 420) -> go.Figure:
    """Paired horizontal bars per sku, in the order given (least trustworthy at the top):
    the chosen model's backtest WAPE and naive's."""
    fig = go.Figure()
    for name, key, colour in (
        ("Chosen model", "wape", COLORS["primary"]),
        ("Naive (last week)", "naive_wape", COLORS["muted"]),
    ):
        fig.add_trace(
            go.Bar(
                y=labels,
                x=[r[key] for r in rows],
                name=name,
                orientation="h",
                marker_color=colour,
                hovertemplate="%{y}: WAPE %{x:.0%}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="WAPE of the backtest (lower is better)", tickformat=".0%")
    return styled(fig, height)
