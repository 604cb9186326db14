"""The Review page's figures and tables (analytics.charts.review and review_tables), with
hand-worked numbers."""

from __future__ import annotations

import pytest

from analytics.charts import COLORS


def test_counts_and_contributions_read_in_their_own_units():
    from analytics.charts.review import shown_limit
    from analytics.charts.review_tables import gap_rows
    from analytics.review.view import count_noun

    rows = [{"key": "A", "contribution": 0.0064}, {"key": "B", "contribution": None}]
    assert [r["contribution"] for r in gap_rows(rows, "rate")] == [0.64, None]  # points
    assert gap_rows([{"key": "A", "contribution": 620.0}], "ppm")[0]["contribution"] == 620.0
    assert count_noun("otif_rate", "supplier") == "due PO lines"
    assert count_noun("defect_ppm", "supplier") == "units received"
    assert count_noun("defect_ppm", "cause") == "defective units"  # no receipts per cause
    assert count_noun("dio_days", "sku") == ""  # its denominator is COGS, not a count
    assert count_noun("hhi", "supplier") == ""
    assert shown_limit(-5.0, "ppm") == 0.0 and shown_limit(-5.0, "days") == -5.0


def test_drill_bars_rank_colour_and_keep_names_inert():
    from analytics.charts.review import drill_bars

    rows = [
        {"key": "<b>Acme</b>", "value": 0.80, "n": 10, "contribution": 0.02, "share_of_gap": 0.5},
        {"key": "Bolt", "value": 0.93, "n": 30, "contribution": 0.01, "share_of_gap": 0.25},
        {"key": None, "value": 0.97, "n": 5, "contribution": -0.001, "share_of_gap": None},
    ]
    spec = drill_bars(rows, "rate", target=0.95, noun="due PO lines").to_plotly_json()
    bars = spec["data"][0]
    assert list(bars["x"]) == pytest.approx([2.0, 1.0, -0.1])  # points of the gap
    # 80% is off target, 93% within 5% of 95% (near), 97% on target
    assert list(bars["marker"]["color"]) == [COLORS["bad"], COLORS["watch"], COLORS["good"]]
    assert list(bars["text"]) == [
        "80.0% · 10 due PO lines",
        "93.0% · 30 due PO lines",
        "97.0% · 5 due PO lines",
    ]
    ticks = list(spec["layout"]["yaxis"]["ticktext"])
    assert ticks == ["&lt;b&gt;Acme&lt;/b&gt;", "Bolt", "(not attributed)"]
    assert spec["layout"]["yaxis"]["autorange"] == "reversed"  # row 0 on top
    parts = drill_bars(rows, "rate", target=0.95, judged=False).to_plotly_json()
    assert set(parts["data"][0]["marker"]["color"]) == {COLORS["primary"]}


def test_control_chart_draws_phases_signals_and_actions():
    from datetime import date

    from analytics.charts.review import control_chart
    from analytics.charts.review_tables import signal_rows

    def point(week, value, center, ucl, lcl, rules=()):
        return {
            "bucket": date(2026, 1, 5 + 7 * week),
            "value": value,
            "center": center,
            "ucl": ucl,
            "lcl": lcl,
            "rules": list(rules),
        }

    chart = {
        "chart": "xmr",
        "points": [
            point(0, 900.0, 600.0, 1200.0, -20.0),
            point(1, 1500.0, 600.0, 1200.0, -20.0, [1]),
            point(2, 100.0, 90.0, 150.0, 30.0),
        ],
        "actions": [{"date": date(2026, 1, 19), "title": "Fix <porosity>"}],
    }
    spec = control_chart(chart, "ppm", "PPM").to_plotly_json()
    traces = {t["name"]: t for t in spec["data"]}
    assert list(traces["Centre"]["y"]) == [600.0, 600.0, 90.0]  # a new phase, a new centre
    assert list(traces["Lower limit"]["y"]) == [0.0, 0.0, 30.0]  # PPM is not limited below 0
    signal = traces["Signal (breaks a rule)"]
    assert list(signal["y"]) == [1500.0]
    assert list(signal["customdata"]) == ["rule 1: 1 point beyond 3 sigma"]
    assert [s["x0"] for s in spec["layout"]["shapes"]] == [date(2026, 1, 19)]
    assert spec["layout"]["annotations"][0]["text"] == "Fix &lt;porosity&gt;"
    assert signal_rows(chart, "ppm") == [
        {
            "week": date(2026, 1, 12),
            "value": "1,500 ppm",
            "center": "600 ppm",
            "limits": "0 ppm – 1,200 ppm",
            "rules": "rule 1: 1 point beyond 3 sigma",
        }
    ]


def test_action_rows_show_each_figure_in_its_unit():
    from datetime import date

    from analytics.charts.review_tables import action_rows

    effect = {
        "action_id": 3,
        "title": "Daily call",
        "kpi": "otif_rate",
        "scope_kind": "supplier",
        "scope_value": "Acme",
        "start_date": date(2026, 3, 2),
        "owner": "Ann",
        "status": "open",
        "notes": None,
        "before": 0.8,
        "after": 0.9,
        "change": 0.1,
        "p_value": 0.0004,
        "verdict": "verified",
    }
    row = action_rows([effect])[0]
    assert (row["before"], row["after"], row["change"], row["p_value"]) == (
        "80.0%",
        "90.0%",
        "+10.0 pts",
        "< 0.001",
    )
    assert (row["scope"], row["kpi"], row["verdict"]) == (
        "supplier: Acme",
        "Supplier OTIF",
        "verified",
    )
    empty = action_rows(
        [{**effect, "before": None, "after": None, "change": None, "p_value": None}]
    )
    assert (empty[0]["before"], empty[0]["change"], empty[0]["p_value"]) == ("no data", "–", "–")
