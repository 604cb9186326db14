"""Figures of the Design page: the ABC-XYZ planning matrix and the lead-time drift map.

The Refine page draws its ABC-XYZ matrix with the same heatmap, so both pages read alike.

Drift is drawn in the "bad" red against a green band of +/-20% around the plan, so a room
sees at once which skus the planning system sizes with a lead time that is no longer true.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from analytics.charts import COLORS, styled
from analytics.formatting import DEFAULT_CURRENCY, format_money

ABC_LABELS = {"A": "A · top value", "B": "B · middle", "C": "C · low value"}
XYZ_LABELS = {"X": "X · steady", "Y": "Y · variable", "Z": "Z · erratic"}


SHADES = {"skus": COLORS["secondary"], "consumption_value": COLORS["primary"]}


def abc_xyz_heatmap(
    cells: list[dict], height: int = 420, shade: str = "skus", currency: str = DEFAULT_CURRENCY
) -> go.Figure:
    """3x3 cells labelled with skus and yearly value, shaded by how many skus they hold
    (Design: where the planning work is) or by `consumption_value` (Refine: where the
    money sits)."""
    abc, xyz = list(ABC_LABELS), list(XYZ_LABELS)
    by_key = {(c["abc_class"], c["xyz_class"]): c for c in cells}

    def grid(field):
        return [[by_key[(a, x)][field] for x in xyz] for a in abc]

    text = [
        [
            f"{c['skus']:,} SKUs<br>{format_money(c['consumption_value'], currency)} a year"
            for c in row
        ]
        for row in ([by_key[(a, x)] for x in xyz] for a in abc)
    ]
    fig = go.Figure(
        go.Heatmap(
            x=[XYZ_LABELS[x] for x in xyz],
            y=[ABC_LABELS[a] for a in abc],
            z=grid(shade),
            text=text,
            customdata=grid("policy"),
            texttemplate="%{text}",
            textfont=dict(size=17),
            hovertemplate="%{y} / %{x}<br>%{text}<br>Suggested: %{customdata}<extra></extra>",
            colorscale=[[0, "#f4f7fa"], [1, SHADES[shade]]],
            showscale=False,
            xgap=3,
            ygap=3,
        )
    )
    fig = styled(fig, height)
    fig.update_yaxes(autorange="reversed", title="Value class (ABC)", showgrid=False)
    fig.update_xaxes(side="top", title="Demand variability (XYZ)")
    return fig


def drift_map(rows: list[dict], height: int = 420) -> go.Figure:
    """Measured against planned lead time per sku; red points lie outside the 20% band."""
    planned = [r for r in rows if r["drift_flag"] is not None]
    top = max([r["planned_lead_time_days"] for r in planned] + [1.0]) * 1.1
    high = max([r["lead_time_mean_days"] or 0.0 for r in planned] + [top]) * 1.05
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, top, top, 0],
            y=[0, top * 1.2, top * 0.8, 0],
            mode="lines",
            fill="toself",
            fillcolor="rgba(46, 125, 50, 0.12)",
            line=dict(width=0),
            hoverinfo="skip",
            name="within 20% of plan",
        )
    )
    for flagged, color, name in (
        (False, COLORS["primary"], "on plan"),
        (True, COLORS["bad"], "drift"),
    ):
        points = [r for r in planned if bool(r["drift_flag"]) == flagged]
        fig.add_trace(
            go.Scatter(  # arrays: plotly copies and encodes them whole, not point by point
                x=_numbers(r["planned_lead_time_days"] for r in points),
                y=_numbers(r["lead_time_mean_days"] for r in points),
                mode="markers",
                marker=dict(color=color, size=10, opacity=0.75),
                name=f"{name} ({len(points):,} SKUs)",
                text=np.array([r["sku"] for r in points], dtype=object),
                hovertemplate="%{text}<br>planned %{x:.0f} d, measured %{y:.1f} d<extra></extra>",
            )
        )
    fig = styled(fig, height)
    fig.update_xaxes(title="Planned lead time (days)", range=[0, top], showgrid=True)
    fig.update_yaxes(title="Measured lead time (days)", range=[0, high])
    return fig


def _numbers(values) -> np.ndarray:
    """Floats with None as NaN (not drawn, as plotly leaves out a None)."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)
