"""The Overview's trends as Vega-Lite specs (analytics.charts.vegalite), hand-worked."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.charts.vegalite import trend_spec

# Three months of OTIF: 9 of 10 due lines, no due line in February, 19 of 20.
ROWS = [
    {"bucket": date(2024, 1, 1), "otif_rate": 0.9, "due_lines": 10},
    {"bucket": date(2024, 2, 1), "otif_rate": None, "due_lines": 0},
    {"bucket": date(2024, 3, 1), "otif_rate": 0.95, "due_lines": 20},
]


def test_the_points_the_target_and_the_title():
    spec = trend_spec(ROWS, "otif_rate", 0.95, "month", height=320)
    assert spec["title"]["text"] == "Supplier OTIF" and spec["height"] == 320
    line, rule = spec["layer"]
    assert "data" not in spec  # Streamlit would send top-level data through pandas and Arrow
    assert line["data"]["values"] == [
        {"bucket": "2024-01-01", "value": 0.9, "count": 10},
        {"bucket": "2024-02-01", "value": None, "count": 0},  # a gap, not a zero
        {"bucket": "2024-03-01", "value": 0.95, "count": 20},
    ]
    assert rule["data"]["values"] == [{"target": 0.95}] and rule["mark"]["strokeDash"]
    assert line["encoding"]["y"]["axis"]["format"] == ".0%"
    assert trend_spec(ROWS, "otif_rate", None, "month")["layer"] == [line]  # no target: no rule


@pytest.mark.parametrize(
    ("grain", "hover", "tick"), [("week", "week of %d %b %Y", "%d %b"), ("month", "%b %Y", "%b %Y")]
)
def test_the_hover_names_the_bucket_the_value_and_the_count(grain, hover, tick):
    line = trend_spec(ROWS, "otif_rate", 0.95, grain)["layer"][0]
    bucket, value, count = line["encoding"]["tooltip"]
    assert (bucket["format"], value["format"]) == (hover, ".1%")
    assert count["title"] == "Based on (due PO lines)"
    assert line["encoding"]["x"]["axis"]["format"] == tick


def test_money_axes_carry_the_currency_given():
    rows = [{"bucket": date(2024, 1, 1), "avg_inventory_value": 3.2e6, "snapshot_dates": 4}]
    y = trend_spec(rows, "avg_inventory_value", None, "week", money_prefix="$")["layer"][0]
    assert y["encoding"]["y"]["axis"] == {"format": "~s", "labelExpr": "'$' + datum.label"}
    rate = trend_spec(ROWS, "otif_rate", None, "week", money_prefix="$")["layer"][0]
    assert "labelExpr" not in rate["encoding"]["y"]["axis"]  # only money gets the prefix
