"""Targets and baselines per KPI, stored in DuckDB so the whole team sees the same goals.

A target is what the plant aims for; a baseline is where it stood over a chosen period,
computed by the same KPI query. Defaults are common JIT benchmarks, used until someone sets
their own on the Design page.
"""

from __future__ import annotations

from datetime import date

from analytics.metrics.figures import compute_kpis
from analytics.metrics.registry import KPIS
from analytics.store.version import bump_keeping_facts

DEFAULT_TARGETS = {
    "otif_rate": 0.95,
    "on_time_rate": 0.95,
    "in_full_rate": 0.98,
    "early_rate": 0.05,
    "lead_time_mean_days": None,
    "lead_time_sd_days": None,
    "lead_time_p95_days": None,
    "defect_ppm": 1000.0,
    "copq": None,
    "avg_inventory_value": None,
    "cogs": None,
    "inventory_turnover": 8.0,
    "dio_days": 45.0,
    "fill_rate": 0.98,
    "customer_otif_rate": 0.95,
    "excess_value": None,
    "hhi": 0.15,
}


def get_targets(store) -> dict[str, dict]:
    """kpi -> {target, baseline, baseline_start, baseline_end}, defaults filled in."""
    with store.connect() as cur:
        stored = {
            r[0]: r[1:]
            for r in cur.execute(
                "SELECT kpi, target, baseline, baseline_start, baseline_end FROM targets"
            ).fetchall()
        }
    out = {}
    for name in KPIS:
        target, baseline, start, end = stored.get(name, (DEFAULT_TARGETS[name], None, None, None))
        out[name] = {
            "target": target,
            "baseline": baseline,
            "baseline_start": start,
            "baseline_end": end,
        }
    return out


def validate_target(kpi: str, value) -> float | None:
    if kpi not in KPIS:
        raise ValueError(f"unknown KPI {kpi!r}")
    if value is None:
        return None
    value = float(value)
    unit = KPIS[kpi].unit
    if unit in ("rate", "index") and not 0 <= value <= 1:
        raise ValueError(f"a target for {KPIS[kpi].label} must be between 0 and 1")
    if value < 0:
        raise ValueError(f"a target for {KPIS[kpi].label} cannot be negative")
    return value


def set_target(store, kpi: str, value) -> None:
    value = validate_target(kpi, value)
    with store.writer() as cur:
        cur.execute(
            """
            INSERT INTO targets (kpi, target, updated_at) VALUES (?, ?, now()::TIMESTAMP)
            ON CONFLICT (kpi) DO UPDATE SET target = excluded.target,
                updated_at = excluded.updated_at""",
            [kpi, value],
        )
        bump_keeping_facts(cur)


def set_baseline(store, kpi: str, start: date, end: date) -> float | None:
    """Compute the KPI over [start, end] (as of end) and store it as the baseline."""
    if kpi not in KPIS:
        raise ValueError(f"unknown KPI {kpi!r}")
    value = compute_kpis(store, start=start, end=end, as_of=end)[kpi]
    with store.writer() as cur:
        cur.execute(
            """
            INSERT INTO targets (kpi, target, baseline, baseline_start, baseline_end, updated_at)
            VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)
            ON CONFLICT (kpi) DO UPDATE SET baseline = excluded.baseline,
                baseline_start = excluded.baseline_start, baseline_end = excluded.baseline_end,
                updated_at = excluded.updated_at""",
            [kpi, DEFAULT_TARGETS[kpi], value, start, end],
        )
        bump_keeping_facts(cur)
    return value
