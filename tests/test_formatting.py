"""Figures as people read them: values in their units, deltas, and the status against a target."""

from __future__ import annotations

import pytest

from analytics.formatting import format_delta, format_value, status


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
