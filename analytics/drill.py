"""The Review drill-down, the defect Pareto and control charts, as plain data for the page.

A drill-down is a chain of parameterised queries, one per level, each keyed by its parent's
value (evidence-dev style): KPI -> groups (supplier, cause, sku, category) ranked by how much
of the gap against target each explains -> ... -> the rows behind the figure. Every level
runs a `drill_*` SQL model with the grouping as a bound value (`$by`, checked against an
allow-list first), so no user value is ever spliced into SQL. The path of a node travels as
text ("supplier=Acme/sku=SKU-1") so a URL or a note can name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as replace_scope
from datetime import timedelta
from urllib.parse import unquote

from analytics import models
from analytics.kpis import Scope, resolve, series
from analytics.metrics import KPIS
from analytics.spc import RULE_NAMES, p_chart, phased, xmr

DEFAULT_SCOPE = Scope()  # the sidebar defaults: 365 days to the latest date, no filter
LEVELS = ("supplier", "cause", "sku", "category")
_DELIVERY = ("supplier", "sku", "category")
_QUALITY = ("supplier", "cause", "sku", "category")
_STOCK = ("sku", "category")


@dataclass(frozen=True)
class Spec:
    """How a KPI splits into groups: its model, kind, columns and possible groupings."""

    model: str
    kind: str  # "rate", "mean", "ratio" or "sum"
    num: str  # events / the value column / the numerator / the summed column
    den: str  # n / the count column / the denominator / the count column
    groupings: tuple[str, ...]
    scale: float = 1.0  # ratio x scale is the KPI ("days" = the period's days)


SPECS = {
    "otif_rate": Spec("drill_delivery", "rate", "otif_lines", "due_lines", _DELIVERY),
    "on_time_rate": Spec("drill_delivery", "rate", "on_time_lines", "due_lines", _DELIVERY),
    "in_full_rate": Spec("drill_delivery", "rate", "in_full_lines", "due_lines", _DELIVERY),
    "early_rate": Spec("drill_delivery", "rate", "early_lines", "due_received_lines", _DELIVERY),
    **{
        k: Spec("drill_delivery", "mean", k, "lead_time_lines", _DELIVERY)
        for k in ("lead_time_mean_days", "lead_time_sd_days", "lead_time_p95_days")
    },
    "defect_ppm": Spec(
        "drill_quality", "ratio", "supplier_defect_qty", "received_qty", _QUALITY, 1e6
    ),
    "copq": Spec("drill_quality", "sum", "cost", "events", _QUALITY),
    "fill_rate": Spec("drill_customer", "rate", "filled_qty", "ordered_qty", _STOCK),
    "customer_otif_rate": Spec(
        "drill_customer", "rate", "otif_order_lines", "due_order_lines", _STOCK
    ),
    "avg_inventory_value": Spec("drill_inventory", "sum", "inventory_value", "skus", _STOCK),
    "excess_value": Spec("drill_inventory", "sum", "excess_value", "skus", _STOCK),
    "dio_days": Spec("drill_inventory", "ratio", "inventory_value", "cogs", _STOCK),
}
# KPIs without a breakdown: cogs, inventory_turnover and hhi (see docs/metrics.md).
GROUPINGS = {name: SPECS[name].groupings if name in SPECS else () for name in KPIS}


# -- paths ---------------------------------------------------------------------------------
def make_path(levels: list[tuple[str, str]]) -> str:
    """'supplier=Acme/sku=SKU-1': '%', '/' and '=' inside a value are %-escaped."""
    parts = []
    for by, value in levels:
        if by not in LEVELS:
            raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(LEVELS)}")
        escaped = value.replace("%", "%25").replace("/", "%2F").replace("=", "%3D")
        parts.append(f"{by}={escaped}")
    return "/".join(parts)


def parse_path(path: str) -> list[tuple[str, str]]:
    """The levels of a path; ValueError for a malformed one (e.g. from an edited URL)."""
    levels: list[tuple[str, str]] = []
    path = (path or "").strip("/")
    for part in path.split("/") if path else []:
        by, sep, value = part.partition("=")
        if not sep or by not in LEVELS or not value:
            raise ValueError(f"not a drill-down level: {part!r}")
        if by in dict(levels):
            raise ValueError(f"the path groups by {by} twice")
        levels.append((by, unquote(value)))
    return levels


def apply_path(scope: Scope, path: str) -> tuple[Scope, str | None]:
    """The scope narrowed to a node, and the cause it names (Scope has no cause)."""
    levels = dict(parse_path(path))
    narrowed = replace_scope(
        scope, **{k: v for k, v in levels.items() if k in ("supplier", "sku", "category")}
    )
    return narrowed, levels.get("cause")


def next_groupings(kpi: str, path: str = "") -> list[str]:
    """Groupings still open below a node: those of the KPI not already on the path."""
    used = dict(parse_path(path))
    return [by for by in GROUPINGS[_known(kpi)] if by not in used]


def _known(kpi: str) -> str:
    if kpi not in KPIS:
        raise ValueError(f"unknown KPI {kpi!r}")
    return kpi


# -- one level -----------------------------------------------------------------------------
def _run(store, model: str, scope: Scope, by: str, cause: str | None) -> tuple[list, dict]:
    with store.connect() as cur:
        params = {**resolve(cur, scope), "by": by, "cause": cause}
        return models.run_rows(cur, model, params), params


def _spec(kpi: str, by: str, cause: str | None) -> Spec:
    spec = SPECS.get(_known(kpi))
    if spec is None or by not in spec.groupings:
        allowed = ", ".join(GROUPINGS[kpi]) or "nothing"
        raise ValueError(f"{KPIS[kpi].label} breaks down by {allowed}, not by {by!r}")
    if cause is not None and spec.model != "drill_quality":
        raise ValueError(f"{KPIS[kpi].label} has no defect cause to filter on")
    return spec


def _target(store, kpi: str):
    from analytics.targets import get_targets

    return get_targets(store)[kpi]["target"]


def breakdown(
    store, kpi: str, by: str, scope: Scope = DEFAULT_SCOPE, cause: str | None = None
) -> list[dict]:
    """Groups of one level, ranked by their contribution to the gap against target.

    Each row: key (the supplier, cause, sku or category; None = not attributed), value (the
    KPI within the group), n (the count it rests on), contribution (how much of the gap the
    group explains, in the KPI's unit; positive = pulls the KPI away from target; the
    contributions add up to the gap, see docs/metrics.md "Review models") and share_of_gap.
    """
    spec = _spec(kpi, by, cause)
    groups, params = _run(store, spec.model, scope, by, cause)
    summary = _summarise(store, kpi, spec, groups, params, by)
    out = []
    for g in groups:
        value, n, contribution = _group(spec, g, summary, by)
        if value is None and not contribution:
            continue  # e.g. a supplier with receipts but no defects, for COPQ
        share = (
            contribution / summary["gap"] if summary["gap"] and contribution is not None else None
        )
        out.append(
            {
                "key": g["key"],
                "value": value,
                "n": n,
                "contribution": contribution,
                "share_of_gap": share,
            }
        )
    return sorted(
        out, key=lambda r: (r["contribution"] is None, -(r["contribution"] or 0), str(r["key"]))
    )


def gap(store, kpi: str, scope: Scope = DEFAULT_SCOPE, cause: str | None = None) -> dict:
    """The figure the level explains: value, target, reference (target, else see docs), gap."""
    if SPECS.get(_known(kpi)) is None:
        raise ValueError(f"{KPIS[kpi].label} has no breakdown")
    by = SPECS[kpi].groupings[0]
    spec = _spec(kpi, by, cause)
    groups, params = _run(store, spec.model, scope, by, cause)
    return _summarise(store, kpi, spec, groups, params, by)


def _summarise(store, kpi, spec, groups, params, by) -> dict:
    num = sum(g[spec.num] or 0 for g in groups)
    if spec.model == "drill_quality":
        den = (groups[0]["total_received_qty"] or 0) if groups else 0
    else:
        den = sum(g[spec.den] or 0 for g in groups)
    scale = (params["end"] - params["start"]).days + 1 if kpi == "dio_days" else spec.scale
    if spec.kind == "rate" or spec.kind == "ratio":
        value = num / den * scale if den else None
    elif spec.kind == "mean":
        from analytics.kpis import table_rows

        value = table_rows(store, "kpi_delivery", _scope_of(params))[0][kpi]
    else:
        value = num
    target = _target(store, kpi)
    reference = target if target is not None else (0.0 if spec.kind == "sum" else value)
    sign = -1 if KPIS[kpi].higher_is_better else 1
    diff = None if value is None or reference is None else sign * (value - reference)
    return {
        "kpi": kpi,
        "value": value,
        "target": target,
        "reference": reference,
        "gap": diff,
        "num": num,
        "den": den,
        "scale": scale,
        "sign": sign,
    }


def _scope_of(params: dict) -> Scope:
    return Scope(
        params["start"],
        params["end"],
        params["as_of"],
        params["supplier"],
        params["sku"],
        params["category"],
    )


def _group(spec: Spec, g: dict, s: dict, by: str) -> tuple:
    """(value, n, contribution) of one group; the formulas are in docs/metrics.md."""
    ref, sign = s["reference"], s["sign"]
    if spec.kind in ("rate", "mean"):
        n = g[spec.den] or 0
        value = (g[spec.num] / n if spec.kind == "rate" else g[spec.num]) if n else None
        if value is None or ref is None or not s["den"]:
            return value, n, None
        return value, n, sign * (value - ref) * n / s["den"]
    num, den = g[spec.num] or 0, g[spec.den]
    if spec.kind == "sum":
        share = num / s["num"] if s["num"] else 0.0
        return g[spec.num], den or 0, share * s["gap"] if s["gap"] is not None else None
    if by == "cause":  # a ratio whose denominator no cause owns (received units)
        value = num / s["den"] * s["scale"] if s["den"] else None
        part = num / s["num"] if s["num"] else 0.0
        contribution = None if value is None or ref is None else value - ref * part
        return value, num, contribution
    den = den or 0
    value = num / den * s["scale"] if den else None
    if not s["den"] or ref is None:
        return value, den, None
    return value, den, (num - ref / s["scale"] * den) / s["den"] * s["scale"]


# -- the rows behind a figure --------------------------------------------------------------
def rows(
    store, kpi: str, scope: Scope = DEFAULT_SCOPE, limit: int = 5000, cause: str | None = None
) -> list[dict]:
    """The rows a KPI was computed from at the deepest level (at most `limit`)."""
    k = KPIS[_known(kpi)]
    where = [k.rows_filter] if k.rows_filter else []
    if k.unit == "days" and k.rows_model == "po_lines":
        where.append("last_receipt between $start and $end")
    if kpi == "defect_ppm":
        where.append("supplier is not null")
    if cause is not None:
        if k.rows_model != "defect_events":
            raise ValueError(f"{k.label} has no defect cause to filter on")
        where.append("cause = $cause")
    condition = f"where {' and '.join(where)}" if where else ""
    around = f"select * from ({{sql}}) as rows_behind {condition} limit {int(limit)}"
    with store.connect() as cur:
        params = {**resolve(cur, scope), "cause": cause}
        sql, values = models.prepare(cur, k.rows_model, params, around)
        return cur.sql(sql, params=values).to_arrow_table().to_pylist()


# -- Pareto of defect causes ---------------------------------------------------------------
VITAL_FEW = 0.80


def pareto(store, scope: Scope = DEFAULT_SCOPE, measure: str = "qty") -> list[dict]:
    """Causes by defective units or cost, largest first, with the running share.

    vital_few marks the causes up to and including the first whose cumulative share reaches
    80% (METRICS.md section 4). With cost, causes none of whose events can be valued are left
    out.
    """
    column = _measure(measure)
    groups, _ = _run(store, "drill_quality", scope, "cause", None)
    items = sorted(
        ((g["key"], float(g[column]), g["events"]) for g in groups if g[column] is not None),
        key=lambda item: (-item[1], item[0]),
    )
    total = sum(value for _, value, _ in items)
    out, running, reached = [], 0.0, False
    for cause, value, events in items if total > 0 else []:
        running += value
        cumulative = running / total
        out.append(
            {
                "cause": cause,
                "value": value,
                "events": events,
                "share": value / total,
                "cumulative_share": cumulative,
                "vital_few": not reached,
            }
        )
        reached = reached or cumulative >= VITAL_FEW - 1e-12
    return out


def _measure(measure: str) -> str:
    if measure not in ("qty", "cost"):
        raise ValueError(f"a Pareto measures 'qty' or 'cost', not {measure!r}")
    return "defect_qty" if measure == "qty" else "cost"


def pareto_suppliers(store, cause: str, scope: Scope = DEFAULT_SCOPE, measure: str = "qty") -> list:
    """One cause's defects by supplier (None = not attributed), largest first, with shares."""
    column = _measure(measure)
    groups, _ = _run(store, "drill_quality", scope, "supplier", cause)
    found = [g for g in groups if g["events"]]
    total = sum(g[column] or 0 for g in found)
    out = [
        {
            "supplier": g["key"],
            "events": g["events"],
            "qty": g["defect_qty"],
            "cost": g["cost"],
            "value": g[column],
            "share": (g[column] or 0) / total if total else None,
        }
        for g in found
    ]
    return sorted(out, key=lambda r: (-(r["value"] or 0), str(r["supplier"])))


def cause_events(store, cause: str, scope: Scope = DEFAULT_SCOPE, limit: int = 5000) -> list[dict]:
    """The defect events of one cause in the scope."""
    return rows(store, "copq", scope, limit, cause=cause)


# -- control charts ------------------------------------------------------------------------
# kpi -> (events column or None = rate x n, n column) for p-charts; others get XmR.
P_COUNTS = {
    "otif_rate": ("otif_lines", "due_lines"),
    "on_time_rate": (None, "due_lines"),
    "in_full_rate": (None, "due_lines"),
    "early_rate": (None, "due_received_lines"),
    "customer_otif_rate": ("otif_order_lines", "due_order_lines"),
}
EXTRA_SERIES = {"lateness_mean_days": ("series_lead_time", "Lateness (mean)", "days")}


def chartable() -> dict[str, str]:
    """Name -> label of every series a control chart can show."""
    return {**{k: v.label for k, v in KPIS.items()}, **{k: v[1] for k, v in EXTRA_SERIES.items()}}


def control_chart(
    store, kpi: str, scope: Scope = DEFAULT_SCOPE, rules=(1,), split_at_actions: bool = True
) -> dict:
    """A KPI's weekly series with limits per phase and the Western Electric rules it breaks.

    Rates with line counts get a p-chart (limits vary with n); everything else an XmR chart
    of the weekly values. Phases split at the start of each action on the KPI whose scope
    applies (not dropped) when each side keeps at least two points. Returns plain data:
    points (bucket, value, n, center, ucl, lcl, phase, rules), phases and action markers.
    """
    bad = set(rules) - set(RULE_NAMES)
    if bad:
        raise ValueError(f"unknown rules {sorted(bad)}; rules are 1, 2, 3 and 4")
    if kpi not in chartable():
        raise ValueError(f"unknown series {kpi!r}")
    model = EXTRA_SERIES[kpi][0] if kpi in EXTRA_SERIES else KPIS[kpi].series_model
    weeks = [r for r in series(store, model, "week", scope) if r.get(kpi) is not None]
    chart = "p" if kpi in P_COUNTS else "xmr"
    data, sizes = _chart_data(kpi, weeks)
    found = _actions(store, kpi, scope, weeks)
    starts = [a["date"] for a in found] if split_at_actions else []
    phase_of, kept = _phases([w["bucket"] for w in weeks], starts)
    build = (
        (lambda part: p_chart([e for e, _ in part], [n for _, n in part])) if chart == "p" else xmr
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
        }
        for p in points
    ]
    for action in found:
        action["splits"] = action["date"] in kept
    return {
        "kpi": kpi,
        "chart": chart,
        "rules": sorted(set(rules)),
        "points": out,
        "phases": _phase_summary(out),
        "actions": found,
    }


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
    from analytics.actions import markers

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
