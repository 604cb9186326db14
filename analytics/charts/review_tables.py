"""The Review page's tables as text rows: gap breakdowns, actions with their verified
effect, and the weeks that break a control rule, each figure in its KPI's own unit.
"""

from __future__ import annotations

from analytics.charts import COLORS
from analytics.charts.review import GAP_AXES, shown_limit
from analytics.formatting import DEFAULT_CURRENCY, format_delta, format_value
from analytics.metrics.registry import KPIS
from analytics.review.actions import scope_label
from analytics.review.spc import RULE_NAMES


def gap_rows(rows: list[dict], unit: str) -> list[dict]:
    """Breakdown rows for a table: a rate's contribution in percentage points, like the bars."""
    scale = GAP_AXES.get(unit, ("", "", "", 1.0))[3]
    return [
        {**r, "contribution": None if r["contribution"] is None else r["contribution"] * scale}
        for r in rows
    ]


# -- tables of the page and the meeting export ----------------------------------------------
VERDICT_COLORS = {
    "verified": COLORS["good"],
    "worse": COLORS["bad"],
    "not yet significant": "#b07d00",
    "insufficient data": COLORS["neutral"],
}


def p_text(p_value) -> str:
    if p_value is None:
        return "–"
    return "< 0.001" if p_value < 0.001 else f"{p_value:.3f}"


def action_rows(effects: list[dict], currency: str = DEFAULT_CURRENCY) -> list[dict]:
    """Actions with their verified effect, each figure in its KPI's own unit, as text."""
    out = []
    for a in effects:
        unit = KPIS[a["kpi"]].unit

        def shown(value, unit=unit):
            return format_value(value, unit, currency)

        out.append(
            {
                "action_id": a["action_id"],
                "title": a["title"],
                "verdict": a["verdict"],
                "before": shown(a["before"]),
                "after": shown(a["after"]),
                "change": format_delta(a["change"], unit, currency) or "–",
                "p_value": p_text(a["p_value"]),
                "kpi": KPIS[a["kpi"]].label,
                "scope": scope_label(a),
                "start_date": a["start_date"],
                "owner": a["owner"],
                "status": a["status"],
                "notes": a["notes"],
            }
        )
    return out


ACTION_COLUMNS = {
    "action_id": "#",
    "title": "Action",
    "verdict": "Verdict",
    "before": "Before",
    "after": "After",
    "change": "Change",
    "p_value": "p-value",
    "kpi": "KPI",
    "scope": "Scope",
    "start_date": "Start",
    "owner": "Owner",
    "status": "Status",
}


def signal_rows(chart: dict, unit: str, currency: str = DEFAULT_CURRENCY) -> list[dict]:
    """The weeks that break a rule: when, how far out, which rules, in words."""

    def shown(value):
        return format_value(value, unit, currency)

    return [
        {
            "week": p["bucket"],
            "value": shown(p["value"]),
            "center": shown(p["center"]),
            "limits": f"{shown(shown_limit(p['lcl'], unit))} – {shown(p['ucl'])}",
            "rules": "; ".join(f"rule {r}: {RULE_NAMES[r]}" for r in p["rules"]),
        }
        for p in chart["points"]
        if p["rules"]
    ]


SIGNAL_COLUMNS = {
    "week": "Week of",
    "value": "Value",
    "center": "Centre",
    "limits": "Limits",
    "rules": "Rules broken",
}
