"""Targets and baselines: defaults, validation, storage and baselines computed from data."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.ingest import data_version
from analytics.metrics.targets import get_targets, set_baseline, set_target
from tests.metrics.test_figures_delivery import lines  # noqa: F401  (fixture)


def test_defaults_until_someone_sets_a_target(store):
    targets = get_targets(store)
    assert targets["otif_rate"]["target"] == 0.95 and targets["copq"]["target"] is None
    before = data_version(store)
    set_target(store, "otif_rate", 0.9)
    assert get_targets(store)["otif_rate"]["target"] == 0.9
    assert data_version(store) == before + 1  # cached pages see the new target


@pytest.mark.parametrize(
    ("kpi", "value", "message"),
    [
        ("otif_rate", 1.5, "between 0 and 1"),
        ("dio_days", -3, "cannot be negative"),
        ("nonsense", 1, "unknown KPI"),
    ],
)
def test_targets_are_validated(store, kpi, value, message):
    with pytest.raises(ValueError, match=message):
        set_target(store, kpi, value)


def test_baseline_is_the_kpi_over_the_chosen_period(lines):  # noqa: F811
    value = set_baseline(lines, "otif_rate", date(2024, 3, 1), date(2024, 3, 31))
    stored = get_targets(lines)["otif_rate"]
    assert value == pytest.approx(0.4)  # 2 of the 5 due lines of March (test_figures_delivery)
    assert (stored["baseline"], stored["baseline_start"], stored["target"]) == (
        pytest.approx(0.4),
        date(2024, 3, 1),
        0.95,
    )
