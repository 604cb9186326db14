"""The buffer chart draws the rows it is given: three stacked zone bands, on hand, net flow."""

from __future__ import annotations

from datetime import date

from analytics.charts.pull import buffer_chart

ROWS = [  # a day without zones (not enough data then), then two sized days
    {"date": date(2024, 6, 1), "on_hand": 50.0, "net_flow": None,
     "safety_stock": None, "reorder_point": None, "top_of_green": None},
    {"date": date(2024, 6, 8), "on_hand": 20.0, "net_flow": 25.0,
     "safety_stock": 4.0, "reorder_point": 24.0, "top_of_green": 38.0},
    {"date": date(2024, 6, 15), "on_hand": 3.0, "net_flow": 3.0,
     "safety_stock": 4.0, "reorder_point": 24.0, "top_of_green": 38.0},
]  # fmt: skip


def test_zones_are_stacked_bands_under_the_two_lines():
    fig = buffer_chart(ROWS)
    names = [t.name for t in fig.data]
    assert names == ["Red zone", "Yellow zone", "Green zone", "On hand", "Net flow"]
    red, yellow, green, on_hand, net = fig.data
    assert (red.fill, yellow.fill, green.fill) == ("tozeroy", "tonexty", "tonexty")
    assert list(green.y) == [None, 38.0, 38.0]  # no zones on 06-01: a gap, not 0
    assert list(on_hand.y) == [50.0, 20.0, 3.0]
    assert list(net.y) == [None, 25.0, 3.0] and net.line.dash == "dash"
