"""Weekly and monthly series: buckets, counts behind each point, and no value without data."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.metrics.figures import series
from analytics.models.params import Scope
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
