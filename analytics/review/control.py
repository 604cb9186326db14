"""Control charts of a KPI's weekly series, as plain data for the page.

Rate KPIs use a p-chart on their weekly counts, or Laney's p' when the weeks vary more
than binomial chance allows (sigma_z > 1, METRICS.md section 13); the others an XmR chart.
Improvement actions split the chart into phases where enough weeks lie on both sides.
"""

from __future__ import annotations

from datetime import timedelta

from analytics.metrics.figures import series
from analytics.metrics.registry import KPIS
from analytics.models.params import Scope
from analytics.review.actions import markers
from analytics.review.drill import DEFAULT_SCOPE
from analytics.review.spc import RULE_NAMES, laney_p, laney_sigma_z, p_chart, phased, xmr

# -- control charts ------------------------------------------------------------------------
# kpi -> (events column or None = rate x n, n column) for p-charts; others get XmR.
P_COUNTS = {
    "otif_rate": ("otif_lines", "due_lines"),
    "on_time_rate": (None, "due_lines"),
    "in_full_rate": (None, "due_lines"),
    "early_rate": (None, "due_received_lines"),
    "customer_otif_rate": ("otif_order_lines", "due_order_lines"),
}

CHARTS = {"p": p_chart, "laney": laney_p}  # the charts of a rate; others get XmR

EXTRA_SERIES = {"lateness_mean_days": ("series_lead_time", "Lateness (mean)", "days")}


def chartable() -> dict[str, str]:
    """Name -> label of every series a control chart can show."""
    return {**{k: v.label for k, v in KPIS.items()}, **{k: v[1] for k, v in EXTRA_SERIES.items()}}


def control_chart(
    store,
    kpi: str,
    scope: Scope = DEFAULT_SCOPE,
    rules=(1,),
    split_at_actions: bool = True,
    chart: str | None = None,
) -> dict:
    """A KPI's weekly series with limits per phase and the Western Electric rules it breaks.

    Rates with line counts get a p-chart (limits vary with n); everything else an XmR chart
    of the weekly values. Phases split at the start of each action on the KPI whose scope
    applies (not dropped) when each side keeps at least two points. Returns plain data:
    points (bucket, value, n, center, ucl, lcl, phase, rules), phases and action markers.
    `chart` forces "p" or "laney" for a rate; by default a rate gets Laney p' when sigma_z
    over the whole series is above 1, and `sigma_z` is returned either way.
    """
    bad = set(rules) - set(RULE_NAMES)
    if bad:
        raise ValueError(f"unknown rules {sorted(bad)}; rules are 1 to 8")
    if kpi not in chartable():
        raise ValueError(f"unknown series {kpi!r}")
    model = EXTRA_SERIES[kpi][0] if kpi in EXTRA_SERIES else KPIS[kpi].series_model
    weeks = [r for r in series(store, model, "week", scope) if r.get(kpi) is not None]
    data, sizes = _chart_data(kpi, weeks)
    chart, sigma_z = _chart_kind(kpi, data, chart)
    found = _actions(store, kpi, scope, weeks)
    starts = [a["date"] for a in found] if split_at_actions else []
    phase_of, kept = _phases([w["bucket"] for w in weeks], starts)
    build = (
        (lambda part: CHARTS[chart]([e for e, _ in part], [n for _, n in part]))
        if chart in CHARTS
        else xmr
    )
    points = phased(build, data, phase_of, rules) if len(weeks) >= 2 else []
    out = [
        {
            "index": p.index,
            "bucket": weeks[p.index - 1]["bucket"],
            "value": p.value,
            "n": sizes[p.index - 1],
            "center": p.center,
            "ucl": p.ucl,
            "lcl": p.lcl,
            "sigma": p.sigma,
            "phase": phase_of[p.index - 1],
            "rules": p.rules,
            "sigma_z": p.sigma_z,
        }
        for p in points
    ]
    for action in found:
        action["splits"] = action["date"] in kept
    return {
        "kpi": kpi,
        "chart": chart,
        "sigma_z": sigma_z,
        "rules": sorted(set(rules)),
        "points": out,
        "phases": _phase_summary(out),
        "actions": found,
    }


CHART_NAMES = {"p": "p-chart", "laney": "Laney p' chart", "xmr": "XmR chart"}


def describe(chart: dict) -> str:
    """Which chart this is, in words, with sigma_z for a rate (the page and report say it)."""
    name = CHART_NAMES[chart["chart"]]
    sigma_z = chart.get("sigma_z")
    if sigma_z is None:
        return name
    if chart["chart"] == "laney":
        return (
            f"{name} (sigma_z = {sigma_z:.2f}: the weeks vary {sigma_z:.1f} times more than "
            "their line counts explain, so the p-chart's limits are widened by that much)"
        )
    return f"{name} (sigma_z = {sigma_z:.2f}: no wider spread than the line counts explain)"


def _chart_kind(kpi: str, data: list, forced: str | None) -> tuple[str, float | None]:
    """Which chart a series gets, and its sigma_z (rates only)."""
    if kpi not in P_COUNTS:
        if forced not in (None, "xmr"):
            raise ValueError(f"{kpi!r} is not a rate: only an XmR chart fits it")
        return "xmr", None
    if forced not in (None, *CHARTS):
        raise ValueError(f"unknown chart {forced!r} for a rate; choose p or laney")
    sigma_z = laney_sigma_z([e for e, _ in data], [n for _, n in data]) if data else None
    if forced:
        return forced, sigma_z
    return ("laney" if sigma_z is not None and sigma_z > 1 else "p"), sigma_z


def _chart_data(kpi: str, weeks: list[dict]) -> tuple[list, list]:
    if kpi not in P_COUNTS:
        return [float(w[kpi]) for w in weeks], [None] * len(weeks)
    events_col, n_col = P_COUNTS[kpi]
    sizes = [int(w[n_col]) for w in weeks]
    events = [
        int(w[events_col]) if events_col else round(w[kpi] * n)
        for w, n in zip(weeks, sizes, strict=True)
    ]
    return list(zip(events, sizes, strict=True)), sizes


def _actions(store, kpi: str, scope: Scope, weeks: list[dict]) -> list[dict]:
    if kpi not in KPIS or not weeks:
        return []
    first, last = weeks[0]["bucket"], weeks[-1]["bucket"] + timedelta(days=6)
    return [
        {
            "action_id": a["action_id"],
            "date": a["start_date"],
            "title": a["title"],
            "status": a["status"],
        }
        for a in markers(store, kpi, scope)
        if first <= a["start_date"] <= last
    ]


def _phases(buckets: list, starts: list, least: int = 2) -> tuple[list[int], list]:
    """Phase of each bucket: a week starting on or after a kept split date is past it."""
    kept: list = []
    for start in sorted(set(starts)):
        before = sum(1 for b in buckets if b < start and (not kept or b >= kept[-1]))
        after = sum(1 for b in buckets if b >= start)
        if before >= least and after >= least:
            kept.append(start)
    return [sum(1 for s in kept if b >= s) for b in buckets], kept


def _phase_summary(points: list[dict]) -> list[dict]:
    phases: dict[int, dict] = {}
    for p in points:
        entry = phases.setdefault(
            p["phase"], {"phase": p["phase"], "start": p["bucket"], "center": p["center"]}
        )
        entry["end"] = p["bucket"]
    return list(phases.values())
