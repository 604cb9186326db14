"""Targets and baselines: defaults, validation, storage and baselines computed from data."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.formatting import format_delta, format_value, status
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


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.9156, "rate", "91.6%"),
        (None, "rate", "no data"),
        (14.51, "days", "14.5 d"),
        (1620.2, "ppm", "1,620 ppm"),
        (2_831_368.9, "money", "€2.83M"),
        (88_883, "money", "€88.9k"),
        (950.4, "money", "€950"),
        (6.8155, "ratio", "6.82×"),
        (0.1004, "index", "0.100"),
    ],
)
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text


def test_deltas_and_status():
    assert format_delta(0.012, "rate") == "+1.2 pts"
    assert format_delta(-25_000, "money") == "-€25.0k"
    assert [
        status(0.96, 0.95, True),
        status(0.93, 0.95, True),
        status(0.80, 0.95, True),
        status(None, 0.95, True),
        status(40, 45, False),
    ] == ["good", "watch", "bad", "unknown", "good"]
