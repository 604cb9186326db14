"""Figures of the Refine page: the waste waterfall and the days-of-cover bands.

The page's ABC-XYZ heatmap is the Design page's (`analytics.charts.design`): one matrix,
drawn one way wherever it is shown.

Waste is drawn in the "bad" red and totals in the primary blue, so a projector audience
reads cost at a glance; every bar carries its value as text, not only on hover.
"""

from __future__ import annotations

import plotly.graph_objects as go

from analytics.charts import COLORS, styled
from analytics.formatting import DEFAULT_CURRENCY, format_money

# Short names for the waterfall axis (the ledger keeps the full ones).
SHORT = {"Overproduction / over-delivery": "Over-delivery"}
BAND_COLORS = {
    "< 5 days": COLORS["watch"],  # stock-out risk
    "5–10 days": COLORS["good"],
    "10–30 days": COLORS["secondary"],
    "30–90 days": COLORS["watch"],
    "90+ days": COLORS["bad"],
    "No demand": COLORS["bad"],
}


def waste_waterfall(
    steps: list[dict], total: float | None, height: int = 420, currency: str = DEFAULT_CURRENCY
) -> go.Figure:
    """The money wastes building up to their total; a step without a value counts as 0."""
    names = [SHORT.get(r["waste"], r["waste"]) for r in steps] + ["Total"]
    values = [r["value"] or 0.0 for r in steps] + [0.0]
    text = [format_money(r["value"], currency) for r in steps] + [format_money(total, currency)]
    basis = [r["basis"] for r in steps] + ["sum of the money wastes"]
    fig = go.Figure(
        go.Waterfall(
            x=names,
            y=values,
            measure=["relative"] * len(steps) + ["total"],
            text=text,
            textposition="outside",
            customdata=basis,
            hovertemplate="%{x}: %{text}<br>%{customdata}<extra></extra>",
            increasing=dict(marker=dict(color=COLORS["bad"])),
            decreasing=dict(marker=dict(color=COLORS["good"])),
            totals=dict(marker=dict(color=COLORS["primary"])),
            connector=dict(line=dict(color=COLORS["neutral"], dash="dot", width=1)),
            cliponaxis=False,
        )
    )
    fig = styled(fig, height, "money", currency)
    fig.update_layout(showlegend=False, margin=dict(l=10, r=10, t=50, b=10))
    top = max(total or 0.0, sum(values))
    fig.update_yaxes(range=[0, top * 1.15 if top > 0 else 1])
    return fig


def cover_bands(
    bands: list[dict], height: int = 380, currency: str = DEFAULT_CURRENCY
) -> go.Figure:
    """Skus per days-of-cover band; the bar label gives the money on hand in that band."""
    fig = go.Figure(
        go.Bar(
            x=[b["band"] for b in bands],
            y=[b["skus"] for b in bands],
            marker_color=[BAND_COLORS.get(b["band"], COLORS["neutral"]) for b in bands],
            text=[format_money(b["on_hand_value"], currency) for b in bands],
            textposition="outside",
            customdata=[b["skus"] for b in bands],
            hovertemplate="%{x}: %{customdata:,} SKUs<br>on hand %{text}<extra></extra>",
            cliponaxis=False,
        )
    )
    fig = styled(fig, height)
    top = max([b["skus"] for b in bands] + [1])
    fig.update_yaxes(title="SKUs", tickformat=",d", range=[0, top * 1.2])
    fig.update_layout(showlegend=False)
    return fig
