"""Weekly and monthly series: buckets, counts behind each point, and no value without data."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.metrics.figures import series
from analytics.models.params import Scope
from tests.conftest import insert
from tests.metrics.test_figures_delivery import MARCH, lines  # noqa: F401  (fixture)


def test_weekly_otif_with_the_lines_behind_each_point(lines):  # noqa: F811
    # Promised dates: A 03-10 (week of Mon 03-04), B 03-15 (03-11), C 03-20 (03-18),
    # D 03-25 and H 03-28 (03-25). OTIF: A no, B yes, C yes, D no, H no.
    got = [
        (r["bucket"], r["due_lines"], r["otif_rate"])
        for r in series(lines, "series_delivery", "week", Scope(**MARCH))
    ]
    assert got == [
        (date(2024, 3, 4), 1, 0.0),
        (date(2024, 3, 11), 1, 1.0),
        (date(2024, 3, 18), 1, 1.0),
        (date(2024, 3, 25), 2, 0.0),
    ]


def test_monthly_series_matches_the_period_kpi(lines):  # noqa: F811
    [march] = series(lines, "series_delivery", "month", Scope(**MARCH))
    assert (march["bucket"], march["due_lines"], march["otif_rate"]) == (
        date(2024, 3, 1),
        5,
        pytest.approx(0.4),
    )
    lead = series(lines, "series_lead_time", "month", Scope(**MARCH))
    assert [(r["bucket"], r["lead_time_lines"], r["lead_time_mean_days"]) for r in lead] == [
        (date(2024, 3, 1), 5, 14.0)
    ]


def test_a_bucket_without_due_lines_has_no_point(lines):  # noqa: F811
    # January has no due line: no point (not 0%). G (promised 02-20, came late) is February's.
    scope = Scope(start=date(2024, 1, 1), end=date(2024, 3, 31), as_of=date(2024, 3, 31))
    got = [
        (r["bucket"], r["due_lines"], r["otif_rate"])
        for r in series(lines, "series_delivery", "month", scope)
    ]
    assert got == [(date(2024, 2, 1), 1, 0.0), (date(2024, 3, 1), 5, pytest.approx(0.4))]


def test_grain_is_checked(lines):  # noqa: F811
    with pytest.raises(ValueError, match="grain must be 'week' or 'month'"):
        series(lines, "series_delivery", "day")


def test_stock_trend_counts_the_90_days_ending_at_each_counted_snapshot(store):
    # S1 at 1.00; target cover 10 days. Snapshots: 100 on Fri 03-01 (week of 02-26), 50 on
    # Sun 03-31 (week of 03-25). The 90 days ending 03-01 are 2023-12-03 .. 03-01: O1 (90 on
    # 2023-12-03, their first day) counts, O2 (900 on 2023-12-02) does not: demand 1 a day,
    # excess 100 - 10 x 1 = 90. The 90 days ending 03-31 are 01-02 .. 03-31: only O3 (45 on
    # 03-31): 0.5 a day, excess 50 - 5 = 45. O4 (900 on 04-01) is after every counted date.
    def order(number, day, qty):
        return {"order_number": number, "customer": "C", "sku": "S1", "order_date": day,
                "requested_date": day, "ordered_qty": qty}  # fmt: skip

    insert(store, "items", {"sku": "S1", "unit_cost": 1.0})
    insert(
        store,
        "orders",
        order("O1", date(2023, 12, 3), 90),
        order("O2", date(2023, 12, 2), 900),
        order("O3", date(2024, 3, 31), 45),
        order("O4", date(2024, 4, 1), 900),
    )
    insert(
        store,
        "inventory",
        {"date": date(2024, 3, 1), "sku": "S1", "location": "MAIN", "on_hand_qty": 100},
        {"date": date(2024, 3, 31), "sku": "S1", "location": "MAIN", "on_hand_qty": 50},
    )
    got = [
        (r["bucket"], r["snapshot_date"], r["excess_value"])
        for r in series(store, "series_stock", "week", Scope(**MARCH))
    ]
    assert got == [
        (date(2024, 2, 26), date(2024, 3, 1), pytest.approx(90.0)),
        (date(2024, 3, 25), date(2024, 3, 31), pytest.approx(45.0)),
    ]
