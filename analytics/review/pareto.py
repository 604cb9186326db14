"""The defect Pareto: causes ranked by quantity or cost, the vital few that make 80%,
and for one cause the suppliers and events behind it.
"""

from __future__ import annotations

from analytics.models.params import Scope
from analytics.review.drill import DEFAULT_SCOPE, _run, rows

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
