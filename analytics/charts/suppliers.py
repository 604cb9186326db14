"""Figures of the Establish page: spend Pareto, lead-time histogram and defect causes.

Measured values are drawn in the primary blue, reference lines (80% of spend, mean and
p95 lead time) in neutral dashes, defects in the "bad" red. Supplier names are long, so
the Pareto's axis shows them shortened and the hover gives the full name.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.charts import COLORS, SERIES, styled
from analytics.formatting import DEFAULT_CURRENCY, money_prefix

LABEL_CHARS = 22


def short(name: str, limit: int = LABEL_CHARS) -> str:
    """A name cut to fit under a bar; the full one stays in the hover."""
    name = str(name)
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def spend_pareto(
    rows: list[dict], height: int = 460, currency: str = DEFAULT_CURRENCY
) -> go.Figure:
    """Spend bars, largest first, with the running share of total spend on a second axis.

    `rows` are `analytics.suppliers.pareto(..., "supplier", "spend")` rows. Bars sit at
    positions 1..n so two names that shorten alike never merge into one bar.
    """
    names = [r["supplier"] for r in rows]
    positions = list(range(1, len(rows) + 1))
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(
            x=positions,
            y=[r["spend"] for r in rows],
            name="Spend",
            marker_color=COLORS["primary"],
            customdata=[[n, r["share"]] for n, r in zip(names, rows, strict=True)],
            hovertemplate="%{customdata[0]}<br>"
            + money_prefix(currency)
            + "%{y:,.0f} · %{customdata[1]:.1%} of spend<extra></extra>",
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=positions,
            y=[r["cumulative_share"] for r in rows],
            name="Cumulative share",
            mode="lines+markers",
            line=dict(color=SERIES[1], width=3),
            marker=dict(size=6),
            customdata=names,
            hovertemplate="up to %{customdata}: %{y:.1%} of spend<extra></extra>",
        ),
        secondary_y=True,
    )
    fig.add_hline(y=0.8, secondary_y=True, line=dict(color=COLORS["neutral"], dash="dash", width=2))
    fig.add_annotation(  # add_hline's own label lands on the first axis, not the second
        x=0.98,
        xref="paper",
        y=0.8,
        yref="y2",
        text="80% of spend",
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font=dict(size=14, color=COLORS["neutral"]),
    )
    fig = styled(fig, height)
    fig.update_xaxes(
        tickmode="array",
        tickvals=positions,
        ticktext=[short(n) for n in names],
        tickangle=-45,
        tickfont=dict(size=13),
    )
    fig.update_yaxes(
        title="Spend", tickprefix=money_prefix(currency), tickformat="~s", secondary_y=False
    )
    fig.update_yaxes(
        title="Cumulative share",
        tickformat=".0%",
        tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0],
        range=[0, 1.04],
        showgrid=False,
        secondary_y=True,
    )
    return fig


def lead_time_histogram(
    rows: list[dict], mean: float | None, p95: float | None, height: int = 380
) -> go.Figure:
    """PO lines per lead time in days (`supplier_lead_times` rows), with mean and p95."""
    rows = sorted(rows, key=lambda r: r["lead_time_days"])
    fig = go.Figure(
        go.Bar(
            x=[r["lead_time_days"] for r in rows],
            y=[r["lines"] for r in rows],
            marker_color=COLORS["primary"],
            hovertemplate="%{x} days: %{y:,} PO lines<extra></extra>",
        )
    )
    for value, label, where in ((mean, "mean", "top left"), (p95, "p95", "top right")):
        if value is not None:
            fig.add_vline(
                x=value,
                line=dict(color=COLORS["neutral"], dash="dash", width=2),
                annotation_text=f"{label} {value:,.1f} d",
                annotation_position=where,
            )
    fig = styled(fig, height)
    fig.update_layout(showlegend=False, bargap=0.1)
    fig.update_xaxes(title="Lead time (days from order to last receipt)")
    fig.update_yaxes(title="PO lines", tickformat=",d")
    return fig


def defect_causes(rows: list[dict], height: int | None = None) -> go.Figure:
    """Defective units by cause, largest at the top (`pareto(..., "cause", "qty")` rows)."""
    rows = list(reversed(rows))  # plotly draws the first category at the bottom
    fig = go.Figure(
        go.Bar(
            x=[r["qty"] for r in rows],
            y=[r["cause"] for r in rows],
            orientation="h",
            marker_color=COLORS["bad"],
            text=[f"{r['qty']:,.0f}" for r in rows],
            textposition="outside",
            customdata=[r["share"] for r in rows],
            hovertemplate="%{y}: %{x:,.0f} units · %{customdata:.0%}<extra></extra>",
            cliponaxis=False,
        )
    )
    fig = styled(fig, height or max(220, 60 + 40 * len(rows)))
    fig.update_layout(showlegend=False)
    top = max([r["qty"] for r in rows] + [1])
    fig.update_xaxes(title="Defective units", tickformat=",~f", range=[0, top * 1.15])
    fig.update_yaxes(title=None, gridcolor="rgba(0,0,0,0)")
    return fig
