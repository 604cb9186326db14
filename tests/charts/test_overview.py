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
    spark_points,
    spark_tone,
    sparkline,
    sparkline_html,
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


def test_spark_points_scale_into_the_box_by_hand():
    # 48 high, 2 px clear: the highest value at y=2, the lowest at y=46, x at 0, 50, 100
    assert spark_points([1.0, 3.0, 2.0]) == "0.00,46.00 50.00,2.00 100.00,24.00"
    # a flat series sits in the middle instead of dividing by zero
    assert spark_points([5.0, 5.0]) == "0.00,24.00 100.00,24.00"


@pytest.mark.parametrize(
    ("delta", "flat", "higher", "tone"),
    [
        (0.05, False, True, "good"),  # OTIF up
        (-0.05, False, True, "bad"),
        (0.2, False, False, "bad"),  # lead time up
        (-0.2, False, False, "good"),
        (0.0001, True, True, "flat"),  # zero at the card's precision
        (None, False, True, "flat"),  # no previous period
    ],
)
def test_spark_tone_follows_the_change(delta, flat, higher, tone):
    assert spark_tone(delta, flat, higher) == tone


def test_sparkline_html_is_an_image_of_the_line():
    import base64
    import re

    html = sparkline_html([1.0, 3.0, 2.0], "bad", 'OTIF "A" <b>')
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
    svg = base64.b64decode(data).decode()
    assert 'points="0.00,46.00 50.00,2.00 100.00,24.00"' in svg
    assert 'stroke="#d94a57"' in svg  # the "worse" red
    assert 'alt="OTIF &quot;A&quot; &lt;b&gt;: weekly trend, 3 weeks"' in html
    assert "<b>" not in html
    assert sparkline_html([1.0], "good", "OTIF") is None
    assert sparkline_html(None, "good", "OTIF") is None
