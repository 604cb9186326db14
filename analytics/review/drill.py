"""The Review drill-down, the defect Pareto and control charts, as plain data for the page.

A drill-down is a chain of parameterised queries, one per level, each keyed by its parent's
value (evidence-dev style): KPI -> groups (supplier, cause, sku, category, site) ranked by how much
of the gap against target each explains -> ... -> the rows behind the figure. Every level
runs a `drill_*` SQL model with the grouping as a bound value (`$by`, checked against an
allow-list first), so no user value is ever spliced into SQL. The path of a node travels as
text ("supplier=Acme/sku=SKU-1") so a URL or a note can name it.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.metrics.figures import table_rows
from analytics.metrics.registry import KPIS
from analytics.metrics.targets import get_targets
from analytics.models.params import Scope, resolve
from analytics.models.run import prepare, run_rows
from analytics.review.path import parse_path

DEFAULT_SCOPE = Scope()  # the sidebar defaults: 365 days to the latest date, no filter
_DELIVERY = ("supplier", "sku", "category", "site")
_QUALITY = ("supplier", "cause", "sku", "category", "site")
_STOCK = ("sku", "category", "site")
_EXCESS = ("sku", "category")  # a stock position is per sku (its sites summed): no site level
# Customer OTIF's supplier level: misses traced to the PO lines missing (section 12), whose
# rows are those PO lines (`customer_miss_lines`), not customer lines.
TRACED = {"customer_otif_rate": ("drill_customer_supplier", "customer_miss_lines")}


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
        "drill_customer", "rate", "otif_order_lines", "due_order_lines", (*_STOCK, "supplier")
    ),
    "avg_inventory_value": Spec("drill_inventory", "sum", "inventory_value", "skus", _STOCK),
    "excess_value": Spec("drill_inventory", "sum", "excess_value", "skus", _EXCESS),
    "dio_days": Spec("drill_inventory", "ratio", "inventory_value", "cogs", _STOCK),
}

# KPIs without a breakdown: cogs, inventory_turnover and hhi (see docs/metrics.md).
GROUPINGS = {name: SPECS[name].groupings if name in SPECS else () for name in KPIS}


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
    if by == "supplier" and model == "drill_customer":
        model = TRACED["customer_otif_rate"][0]
    with store.connect() as cur:
        params = {**resolve(cur, scope), "by": by, "cause": cause}
        return run_rows(cur, model, params), params


def _spec(kpi: str, by: str, cause: str | None) -> Spec:
    spec = SPECS.get(_known(kpi))
    if spec is None or by not in spec.groupings:
        allowed = ", ".join(GROUPINGS[kpi]) or "nothing"
        raise ValueError(f"{KPIS[kpi].label} breaks down by {allowed}, not by {by!r}")
    if cause is not None and spec.model != "drill_quality":
        raise ValueError(f"{KPIS[kpi].label} has no defect cause to filter on")
    return spec


def _target(store, kpi: str):
    return get_targets(store)[kpi]["target"]


def breakdown(
    store, kpi: str, by: str, scope: Scope = DEFAULT_SCOPE, cause: str | None = None
) -> list[dict]:
    """Groups of one level, ranked by their contribution to the gap against target.

    Each row: key (the supplier, cause, sku, category or site; None = not attributed), value
    (the KPI within the group), n (the count it rests on), contribution (how much of the gap the
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
        params["site"],
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
    if kpi in TRACED and scope.supplier is not None:
        return table_rows(store, TRACED[kpi][1], scope)[: int(limit)]
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
        sql, values = prepare(cur, k.rows_model, params, around)
        return cur.sql(sql, params=values).to_arrow_table().to_pylist()
