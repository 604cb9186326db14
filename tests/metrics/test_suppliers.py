"""The Suppliers page's SQL models and helpers, worked out by hand.

The fixture is test_figures_delivery's eight PO lines (period March 2024, as-of 03-31,
default tolerances) plus line I of Acme, so one lead time occurs twice:

| line | supplier | Q  | P     | receipts           | due | OTIF | lead | late open      |
|------|----------|----|-------|--------------------|-----|------|------|----------------|
| A    | Acme     | 100| 03-10 | 03-08 60, 03-12 40 | yes | no   | 11   |                |
| B    | Acme     | 50 | 03-15 | 03-15 60           | yes | yes  | 10   |                |
| C    | Acme     | 20 | 03-20 | 03-16 20           | yes | yes  | 6    |                |
| I    | Acme     | 5  | 03-22 | 03-18 5            | yes | yes  | 6    |                |
| D    | Bolt     | 30 | 03-25 | none               | yes | no   | -    | 30 open, 6 d   |
| E    | Bolt     | 10 | 04-05 | none               | no  |      | -    | (not due)      |
| F    | Bolt     | 10 | 03-31 | none               | no  |      | -    | (P = as-of)    |
| G    | Bolt     | 10 | 02-20 | 03-02 10           | Feb | no   | 30   |                |
| H    | Bolt     | 40 | 03-28 | 03-28 39           | yes | no   | 13   | 1 open, 3 d    |
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.metrics.figures import scorecard, series, table_rows
from analytics.metrics.suppliers import (
    default_detail,
    grade_counts,
    late_open_total,
    otif_sparklines,
    pareto,
    scorecard_table,
    trend_grain,
    vital_few,
)
from analytics.models.params import Scope
from tests.conftest import d, insert
from tests.metrics.test_figures_delivery import MARCH, line
from tests.metrics.test_figures_delivery import lines as delivery_lines  # noqa: F401  (fixture)


@pytest.fixture
def lines(delivery_lines):  # noqa: F811
    insert(delivery_lines, "deliveries", line("I", 5, "03-22", "03-12", "03-18", 5))
    return delivery_lines


def test_supplier_series_by_month_and_week(lines):
    # March: Acme A B C I due, OTIF B C I = 3/4; Bolt D H due, none OTIF.
    monthly = series(lines, "supplier_series", "month", Scope(**MARCH))
    got = sorted((r["supplier"], r["bucket"], r["due_lines"], r["otif_lines"]) for r in monthly)
    assert got == [("Acme", d("03-01"), 4, 3), ("Bolt", d("03-01"), 2, 0)]
    assert {r["supplier"]: r["otif_rate"] for r in monthly} == {"Acme": 0.75, "Bolt": 0.0}
    # Weeks (Monday): A 03-04; B 03-11; C, I 03-18; D, H 03-25.
    weekly = series(lines, "supplier_series", "week", Scope(**MARCH))
    assert otif_sparklines(weekly) == {"Acme": [0.0, 1.0, 1.0], "Bolt": [0.0]}


def test_supplier_series_leaves_months_without_due_lines_out(lines):
    # From February: G (Bolt, promised 02-20, received late) is February's only due line.
    scope = Scope(start=date(2024, 2, 1), end=date(2024, 3, 31), as_of=date(2024, 3, 31))
    got = sorted(
        (r["supplier"], r["bucket"], r["due_lines"], r["otif_rate"])
        for r in series(lines, "supplier_series", "month", scope)
    )
    assert got == [
        ("Acme", d("03-01"), 4, 0.75),
        ("Bolt", d("02-01"), 1, 0.0),
        ("Bolt", d("03-01"), 2, 0.0),
    ]


def test_supplier_series_adds_up_to_the_scorecard(demo):
    rows = series(demo, "supplier_series", "month", Scope())
    due = {}
    for r in rows:
        due[r["supplier"]] = due.get(r["supplier"], 0) + r["due_lines"]
    card = {r["supplier"]: r["due_lines"] for r in scorecard(demo) if r["due_lines"]}
    assert due == card


def test_lead_time_distribution(lines):
    # Last receipt in March: A 11, B 10, C 6, I 6 (Acme); G 30, H 13 (Bolt).
    everyone = table_rows(lines, "supplier_lead_times", Scope(**MARCH))
    assert sorted((r["lead_time_days"], r["lines"]) for r in everyone) == [
        (6, 2),
        (10, 1),
        (11, 1),
        (13, 1),
        (30, 1),
    ]
    bolt = table_rows(lines, "supplier_lead_times", Scope(**MARCH, supplier="Bolt"))
    assert sorted((r["lead_time_days"], r["lines"]) for r in bolt) == [(13, 1), (30, 1)]


def test_late_open_lines_match_the_scorecard(lines):
    insert(lines, "items", {"sku": "S1", "unit_cost": 2.0})
    got = table_rows(lines, "supplier_late_lines", Scope(**MARCH))
    # D: nothing came, 30 open x 2.0 = 60, 31 - 25 = 6 days late; H: 1 short, 3 days late.
    assert sorted(
        (r["po_number"], r["supplier"], r["open_qty"], r["days_late"], r["open_value"]) for r in got
    ) == [("D", "Bolt", 30.0, 6, 60.0), ("H", "Bolt", 1.0, 3, 2.0)]
    card = {r["supplier"]: r["late_open_lines"] for r in scorecard(lines, Scope(**MARCH))}
    assert card == {"Acme": 0, "Bolt": 2}
    assert table_rows(lines, "supplier_late_lines", Scope(**MARCH, supplier="Acme")) == []


def defect(defect_id, day, cause, qty, supplier="Acme", cost=None, sku="S1"):
    return {
        "defect_id": defect_id,
        "date": d(day),
        "sku": sku,
        "supplier": supplier,
        "stage": "receiving" if supplier else "production",
        "cause": cause,
        "qty": qty,
        "cost": cost,
    }


def test_defect_causes(store):
    insert(store, "items", {"sku": "S1", "unit_cost": 2.0})
    insert(
        store,
        "defects",
        defect("d1", "03-05", "Porosity", 3, cost=30.0),
        defect("d2", "03-10", "Porosity", 2),  # no cost: 2 x 2.0 = 4
        defect("d3", "03-12", "Scratch", 5, sku="S2"),  # S2 has no unit cost: unknown
        defect("d4", "03-15", "Scratch", 1, supplier="Bolt", cost=7.0),
        defect("d5", "03-15", "Burr", 9, supplier=None),  # production: no supplier
        defect("d6", "02-28", "Porosity", 4),  # before the period
    )
    acme = table_rows(store, "supplier_defect_causes", Scope(**MARCH, supplier="Acme"))
    assert sorted(
        (r["cause"], r["events"], r["qty"], r["cost"], r["cost_unknown_events"]) for r in acme
    ) == [("Porosity", 2, 5.0, 34.0, 0), ("Scratch", 1, 5.0, None, 1)]
    every = table_rows(store, "supplier_defect_causes", Scope(**MARCH))
    assert sorted((r["cause"], r["events"], r["qty"], r["cost"]) for r in every) == [
        ("Porosity", 2, 5.0, 34.0),
        ("Scratch", 2, 6.0, 7.0),
    ]


def test_pareto_shares_and_vital_few():
    rows = [
        {"supplier": "c", "spend": 20.0},
        {"supplier": "a", "spend": 50.0},
        {"supplier": "d", "spend": None},
        {"supplier": "e", "spend": 0.0},
        {"supplier": "b", "spend": 30.0},
    ]
    got = pareto(rows, "supplier", "spend")
    # total 100: a 50% (50%), b 30% (80%), c 20% (100%); d and e have no spend.
    assert [(r["supplier"], r["share"], r["cumulative_share"]) for r in got] == [
        ("a", 0.5, 0.5),
        ("b", 0.3, pytest.approx(0.8)),
        ("c", 0.2, pytest.approx(1.0)),
    ]
    assert vital_few(got) == 2
    assert pareto([], "supplier", "spend") == [] and vital_few([]) == 0


def test_pareto_breaks_ties_by_name():
    rows = [{"cause": "b", "qty": 1}, {"cause": "a", "qty": 1}]
    assert [r["cause"] for r in pareto(rows, "cause", "qty")] == ["a", "b"]


@pytest.mark.parametrize(
    ("preferred", "expected"),
    [("Bolt", "Bolt"), (None, "Core"), ("Gone", "Core")],
)
def test_default_detail_is_the_sidebar_choice_else_the_lowest_score(preferred, expected):
    card = [
        {"supplier": "Acme", "score": 95.0},
        {"supplier": "Core", "score": 61.0},
        {"supplier": "Bolt", "score": None},
    ]
    assert default_detail(card, preferred) == expected
    assert default_detail([{"supplier": "Bolt", "score": None}], None) == "Bolt"
    assert default_detail([], None) is None


def test_scorecard_table_shows_rates_in_percent_with_each_trend():
    card = [
        {"supplier": "Acme", "grade": "A", "otif_rate": 0.75, "spend_share": 0.5},
        {"supplier": "Bolt", "grade": None, "otif_rate": None, "late_open_lines": 2},
    ]
    got = scorecard_table(card, {"Acme": [0.5, 1.0]})
    assert (got[0]["otif_rate"], got[0]["spend_share"], got[0]["otif_trend"]) == (
        75.0,
        50.0,
        [0.5, 1.0],
    )
    assert (got[1]["otif_rate"], got[1]["otif_trend"]) == (None, [])
    assert grade_counts(card) == {"A": 1, "B": 0, "C": 0, "D": 0}
    assert late_open_total(card) == 2


@pytest.mark.parametrize(
    ("start", "end", "grain"),
    [
        (date(2024, 1, 1), date(2024, 4, 29), "week"),  # 120 days
        (date(2024, 1, 1), date(2024, 4, 30), "month"),  # 121 days
        (None, None, "month"),
    ],
)
def test_trend_grain(start, end, grain):
    assert trend_grain(start, end) == grain
