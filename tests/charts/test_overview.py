"""The helpers behind the Overview page's cards and trends (analytics.charts.overview),
with hand-worked numbers."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.charts.overview import (
    SECTIONS,
    count_text,
    delta_of,
    is_flat,
    kpi_trend,
    series_points,
    sparkline,
)
from analytics.metrics.registry import KPIS


def test_every_kpi_is_in_exactly_one_section():
    names = [n for section in SECTIONS.values() for n in section]
    assert sorted(names) == sorted(KPIS)


@pytest.mark.parametrize(
    ("now", "before", "unit", "text", "flat"),
    [
        (0.90, 0.85, "rate", "+5.0 pts", False),
        (0.1003, 0.1, "index", "+0.000", True),  # HHI needs 3 decimals; 0.0003 shows as 0
        (0.104, 0.1, "index", "+0.004", False),
        (14.52, 14.54, "days", "-0.0 d", True),
        (1620.0, 2796.0, "ppm", "-1,176 ppm", False),
        (None, 0.9, "rate", None, False),
    ],
)
def test_delta_text_and_flatness(now, before, unit, text, flat):
    assert delta_of(now, before, unit)[1] == text
    assert is_flat(text) is flat


def test_count_text_names_what_was_counted():
    assert count_text("otif_rate", {"due_lines": 4490}) == "4,490 due PO lines"
    assert count_text("defect_ppm", {"received_qty": 2764422.0}) == "2,764,422 units received"
    assert count_text("lead_time_mean_days", {"lead_time_lines": None}) == "0 received PO lines"


ROWS = [
    {"bucket": date(2024, 1, 1), "hhi": 0.2, "suppliers": 3},
    {"bucket": date(2024, 1, 8), "hhi": None, "suppliers": 0},
    {"bucket": date(2024, 1, 15), "hhi": 0.5, "suppliers": 2},
]


def test_series_points_use_the_series_name_of_the_count():
    # kpi 'hhi' counts suppliers_with_spend; the series model calls it 'suppliers'
    buckets, values, counts = series_points(ROWS, "hhi")
    assert (values, counts) == ([0.2, None, 0.5], [3, 0, 2])
    assert sparkline(ROWS, "hhi") == [0.2, 0.5]
    assert sparkline(ROWS[:1], "hhi") is None  # one point is not a line


@pytest.mark.parametrize(
    ("grain", "when"), [("week", "week of %{x|%d %b %Y}"), ("month", "%{x|%b %Y}")]
)
def test_trend_hover_names_the_bucket_and_the_count(grain, when):
    fig = kpi_trend(ROWS, "hhi", 0.15, grain)
    hover = fig.data[0].hovertemplate
    assert hover.startswith(when) and "suppliers" in hover
    assert fig.layout.shapes[0].y0 == 0.15
