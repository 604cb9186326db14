"""The Design page's drift map (analytics.charts.design), with hand-worked points."""

from __future__ import annotations

import math

from analytics.charts.design import drift_map


def sku(name, planned, measured, flag):
    return {
        "sku": name,
        "planned_lead_time_days": planned,
        "lead_time_mean_days": measured,
        "drift_flag": flag,
    }


def test_drift_map_splits_on_plan_from_drift_and_leaves_unplanned_skus_out():
    # A: 10 planned, 11 measured (within 20%); B: 10 -> 15 (drift); C: no plan (left out);
    # D: planned 20, never measured (on plan by flag, not drawn: NaN, as plotly skips None)
    rows = [
        sku("A", 10, 11.0, False),
        sku("B", 10, 15.0, True),
        sku("C", None, 9.0, None),
        sku("D", 20, None, False),
    ]
    band, on_plan, drift = drift_map(rows).data
    assert (on_plan.name, drift.name) == ("on plan (2 SKUs)", "drift (1 SKUs)")
    assert list(on_plan.x) == [10.0, 20.0] and list(on_plan.text) == ["A", "D"]
    assert on_plan.y[0] == 11.0 and math.isnan(on_plan.y[1])
    assert (list(drift.x), list(drift.y), list(drift.text)) == ([10.0], [15.0], ["B"])
    top = 20 * 1.1  # the band reaches 10% past the longest plan
    assert list(band.x) == [0, top, top, 0]
