"""Figures and small pure helpers of the Review page: drill-down, Pareto, control chart.

Made for the screen on the wall of a review meeting. Bar colours carry the status against
target (red off, orange near, green on), rule-breaking points are red, phases and actions
are marked where the eye looks for them. Names from the data (suppliers, skus, causes,
action titles) are drawn as plain text: plotly reads a few HTML tags in labels, so `<` and
`>` are written as entities, which plotly shows as the characters themselves.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.charts import AXIS_FORMATS, COLORS, SERIES, styled, unit_title
from analytics.formatting import DEFAULT_CURRENCY, format_value, money_label, money_prefix, status
from analytics.review.spc import RULE_NAMES

LABEL_CHARS = 26
MAX_BARS = 15

STATUS_COLORS = {
    "bad": COLORS["bad"],
    "watch": COLORS["watch"],
    "good": COLORS["good"],
    "unknown": COLORS["primary"],
}

# (tick format, prefix, unit words, scale) of a contribution to the gap, by the KPI's unit:
# a rate's contribution is shown in percentage points (0.0064 -> 0.64 pts); money's prefix
# and words are the currency's (gap_axes).
GAP_AXES = {
    "rate": (",.2f", "", "percentage points", 100.0),
    "days": (",.1f", "", "days", 1.0),
    "ppm": (",.0f", "", "PPM", 1.0),
    "money": (",.0f", "", "", 1.0),
    "ratio": (",.2f", "", "", 1.0),
    "index": (".3f", "", "", 1.0),
}


def gap_axes(unit: str, currency: str = DEFAULT_CURRENCY) -> tuple[str, str, str, float]:
    tick, prefix, words, scale = GAP_AXES.get(unit, (",.2f", "", "", 1.0))
    if unit == "money":
        prefix, words = money_prefix(currency), money_prefix(currency).strip()
    return tick, prefix, words, scale


def plain(text) -> str:
    """User text as plotly draws it literally (no bold, links or line breaks from data)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def short(name, limit: int = LABEL_CHARS) -> str:
    """A name cut to fit the axis; the hover keeps the full one."""
    name = str(name)
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _bar_text(row: dict, unit: str, noun: str, currency: str = DEFAULT_CURRENCY) -> str:
    text = format_value(row.get("value"), unit, currency)
    return f"{text} · {int(row.get('n') or 0):,} {noun}" if noun else text


def drill_bars(
    rows: list[dict],
    unit: str,
    *,
    target=None,
    higher_is_better: bool = True,
    noun: str = "",
    judged: bool = True,
    height: int | None = None,
    currency: str = DEFAULT_CURRENCY,
) -> go.Figure:
    """One horizontal bar per group, the largest contributor to the gap on top.

    `rows` are `analytics.drill.breakdown` rows, ranked: key, value (the KPI within the
    group), n (the data it rests on), contribution (its part of the gap, in the KPI's unit)
    and share_of_gap. Bar length is the contribution; colour is the group's own status
    against target when it can be `judged` so (else all blue); the label gives its value and
    count. Point i of the trace is row i, so
    a click's `point_index` names the row. Only the first MAX_BARS rows are drawn.
    """
    rows = rows[:MAX_BARS]
    names = ["(not attributed)" if r["key"] is None else str(r["key"]) for r in rows]
    colors = [
        COLORS["neutral"]
        if r.get("value") is None
        else STATUS_COLORS[status(r["value"], target if judged else None, higher_is_better)]
        for r in rows
    ]
    texts = [_bar_text(r, unit, noun, currency) for r in rows]
    tick, prefix, words, scale = gap_axes(unit, currency)
    title = "Part of the gap against target" + (f" ({words})" if words else "")
    shares = [
        "" if r.get("share_of_gap") is None else f"<br>{r['share_of_gap']:.0%} of the gap"
        for r in rows
    ]
    fig = go.Figure(
        go.Bar(
            y=list(range(len(rows))),
            x=[(r.get("contribution") or 0) * scale for r in rows],
            orientation="h",
            marker_color=colors,
            text=texts,
            textposition="auto",
            insidetextanchor="start",
            textfont=dict(size=14),
            customdata=[[plain(n), t, sh] for n, t, sh in zip(names, texts, shares, strict=True)],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
            + f"part of the gap: {prefix}%{{x:{tick}}} {words}%{{customdata[2]}}<extra></extra>",
        )
    )
    fig = styled(fig, height or 110 + 44 * max(len(rows), 1))
    fig.update_layout(showlegend=False, clickmode="event+select", dragmode=False, margin=dict(t=10))
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(len(rows))),
        ticktext=[plain(short(n)) for n in names],
        autorange="reversed",
        showgrid=False,
        tickfont=dict(size=15),
    )
    fig.update_xaxes(title=title, tickformat=tick, tickprefix=prefix, zeroline=True, showgrid=True)
    return fig


def pareto(
    rows: list[dict], measure: str, height: int = 460, currency: str = DEFAULT_CURRENCY
) -> go.Figure:
    """Defect causes, largest first, with the running share on a second axis.

    `rows`: cause, value, share, cumulative_share, vital_few (analytics.drill.pareto). The
    vital few (the causes up to and including the first whose running share reaches 80%)
    are red, the rest grey, so the meeting sees at once where the effort should go.
    """
    names = [str(r["cause"]) for r in rows]
    positions = list(range(1, len(rows) + 1))
    money = measure == "cost"
    value_format = ",.0f"
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(
            x=positions,
            y=[r["value"] for r in rows],
            name="Vital few (red)" if any(r["vital_few"] for r in rows) else "Causes",
            marker_color=[COLORS["bad"] if r["vital_few"] else COLORS["muted"] for r in rows],
            customdata=[
                [plain(n), r["share"], "vital few" if r["vital_few"] else "useful many"]
                for n, r in zip(names, rows, strict=True)
            ],
            hovertemplate="<b>%{customdata[0]}</b><br>"
            + (money_prefix(currency) if money else "")
            + f"%{{y:{value_format}}}"
            + ("" if money else " defective units")
            + " · %{customdata[1]:.1%} of the total<br>%{customdata[2]}<extra></extra>",
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=positions,
            y=[r["cumulative_share"] for r in rows],
            name="Cumulative share",
            mode="lines+markers",
            line=dict(color=SERIES[0], width=3),
            marker=dict(size=7),
            customdata=[plain(n) for n in names],
            hovertemplate="up to %{customdata}: %{y:.1%}<extra></extra>",
        ),
        secondary_y=True,
    )
    fig.add_hline(y=0.8, secondary_y=True, line=dict(color=COLORS["neutral"], dash="dash", width=2))
    fig.add_annotation(
        x=0.01,
        xref="paper",
        y=0.8,
        yref="y2",
        text="80% of the total",
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font=dict(size=14, color=COLORS["neutral"]),
    )
    fig = styled(fig, height)
    fig.update_layout(clickmode="event+select", dragmode=False)
    fig.update_xaxes(
        tickmode="array",
        tickvals=positions,
        ticktext=[plain(short(n, 22)) for n in names],
        tickangle=-30 if len(rows) > 5 else 0,
        tickfont=dict(size=14),
    )
    fig.update_yaxes(
        title=money_label("Defect cost", currency) if money else "Defective units",
        tickformat="~s" if money else ",d",
        tickprefix=money_prefix(currency) if money else "",
        secondary_y=False,
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


NON_NEGATIVE = ("rate", "ppm", "money", "ratio", "index")


def shown_limit(value, unit: str):
    """A lower limit as drawn: a measure that cannot go below zero is not limited below it."""
    if value is None:
        return None
    return max(0.0, value) if unit in NON_NEGATIVE else value


def _rule_text(rules) -> str:
    return "<br>".join(f"rule {r}: {RULE_NAMES.get(r, r)}" for r in rules)


def control_chart(
    chart: dict, unit: str, label: str, height: int = 460, currency: str = DEFAULT_CURRENCY
) -> go.Figure:
    """The weekly series with its centre line and 3-sigma limits, per phase, as step lines.

    `chart` is `analytics.drill.control_chart(...)`: points (bucket, value, center, ucl,
    lcl, rules) and `actions` (date, title) of the improvement actions on this KPI.
    Limits are drawn as steps centred on each week (a p-chart's limits move with the week's
    count; a new phase starts new limits); points that break a rule are red with the rules
    named in the hover; actions are dotted vertical lines with their title on top.
    """
    points = chart["points"]
    x = [p["bucket"] for p in points]
    fmt = AXIS_FORMATS.get(unit, "")
    fig = go.Figure()
    for name, column, color, dash in (
        ("Upper limit", "ucl", COLORS["bad"], "dash"),
        ("Centre", "center", COLORS["target"], "solid"),
        ("Lower limit", "lcl", COLORS["bad"], "dash"),
    ):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[
                    shown_limit(p.get(column), unit) if column == "lcl" else p.get(column)
                    for p in points
                ],
                name=name,
                mode="lines",
                line=dict(color=color, dash=dash, width=2, shape="hvh"),
                hovertemplate=f"{name}: %{{y:{fmt}}}<extra></extra>",
                showlegend=name != "Lower limit",
                legendgroup="limits" if column != "center" else None,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[p.get("value") for p in points],
            name=label,
            mode="lines+markers",
            line=dict(color=COLORS["primary"], width=3),
            marker=dict(size=7),
            hovertemplate=f"week of %{{x|%d %b %Y}}: %{{y:{fmt}}}<extra></extra>",
        )
    )
    flagged = [p for p in points if p.get("rules") and p.get("value") is not None]
    fig.add_trace(
        go.Scatter(
            x=[p["bucket"] for p in flagged],
            y=[p["value"] for p in flagged],
            name="Signal (breaks a rule)",
            mode="markers",
            marker=dict(color=COLORS["bad"], size=15, symbol="circle-open", line=dict(width=3)),
            customdata=[_rule_text(p["rules"]) for p in flagged],
            hovertemplate=f"week of %{{x|%d %b %Y}}: %{{y:{fmt}}}<br>%{{customdata}}"
            "<extra></extra>",
            visible=True if flagged else "legendonly",
        )
    )
    _action_lines(fig, chart.get("actions") or [])
    fig = styled(fig, height, unit, currency)
    fig.update_yaxes(title=unit_title(unit, currency) or label)
    return fig


def _action_lines(fig: go.Figure, actions: list[dict]) -> None:
    """Improvement actions as dotted vertical lines, titled at the top of the plot."""
    for i, action in enumerate(actions):
        when, title = action["date"], action["title"]
        fig.add_vline(x=when, line=dict(color=COLORS["neutral"], dash="dot", width=2))
        fig.add_annotation(
            x=when,
            y=1 - 0.07 * (i % 3),
            yref="paper",
            text=plain(short(title, 40)),
            showarrow=False,
            xanchor="left",
            yanchor="top",
            bgcolor="rgba(255,255,255,0.8)",
            font=dict(size=13, color="#1e2a33"),
        )
