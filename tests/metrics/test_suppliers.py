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

from dataclasses import replace
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
    with_customer_hits,
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


# -- customer misses traced to suppliers (METRICS.md section 12) ---------------------------
def shared_miss(store):
    """One customer line missed for two suppliers, worked by hand.

    SO1/1 asks 100 of SKU1 at 5.00 for 03-10 and ships on 03-15: not OTIF, value 500. The
    snapshot of 03-08 has 20 on hand (< 100). Lead times of SKU1: PO-A 11 days (03-01 ->
    03-12), PO-B 12 (03-02 -> 03-14), PO-C 12 (02-20 -> 03-03); p95 (linear) = 12, so the
    window is [02-27, 03-10]. On 03-10 PO-A (Acme, 60, 30 in on 03-07) owes 30, PO-B (Bolt,
    40, all in on 03-14) owes 40, PO-C (Acme, in full on 03-03) owes 0; PO-D (Bolt, promised
    03-20) is outside. Split: Acme 30/70 x 500 = 214.29, Bolt 40/70 x 500 = 285.71.
    SO2/1 (10 wanted, 20 on hand) and SO3/1 (OTIF) are not traced.
    """

    def po(number, supplier, ordered, promised, qty, received=None, got=None):
        return {
            "po_number": number,
            "supplier": supplier,
            "sku": "SKU1",
            "order_date": d(ordered),
            "promised_date": d(promised),
            "ordered_qty": qty,
            "received_date": d(received) if received else None,
            "received_qty": got,
            "receipt_id": received or "",
        }

    insert(
        store,
        "deliveries",
        po("PO-A", "Acme", "03-01", "03-05", 60, "03-07", 30),
        po("PO-A", "Acme", "03-01", "03-05", 60, "03-12", 30),
        po("PO-B", "Bolt", "03-02", "03-09", 40, "03-14", 40),
        po("PO-C", "Acme", "02-20", "03-03", 50, "03-03", 50),
        po("PO-D", "Bolt", "03-02", "03-20", 10),
    )

    def so(number, qty, shipped, shipped_qty):
        return {
            "order_number": number,
            "customer": "Cust",
            "sku": "SKU1",
            "order_date": d("03-01"),
            "requested_date": d("03-10"),
            "shipped_date": d(shipped),
            "ordered_qty": qty,
            "shipped_qty": shipped_qty,
            "unit_price": 5.0,
        }

    insert(store, "orders", so("SO1", 100, "03-15", 100), so("SO2", 10, "03-15", 10))
    insert(store, "orders", so("SO3", 5, "03-10", 5))
    insert(store, "inventory", {"date": d("03-08"), "sku": "SKU1", "on_hand_qty": 20})
    return store


def test_two_suppliers_share_one_customer_miss_by_what_they_owed(store):
    shared_miss(store)
    march = Scope(**MARCH)
    traced = table_rows(store, "customer_miss_lines", march)
    assert sorted((r["order_number"], r["po_number"], r["owed_qty"]) for r in traced) == [
        ("SO1", "PO-A", 30),
        ("SO1", "PO-B", 40),
    ]
    assert {r["on_hand_qty"] for r in traced} == {20} and {r["line_value"] for r in traced} == {500}
    hits = {r["supplier"]: r for r in table_rows(store, "supplier_customer_hits", march)}
    assert set(hits) == {"Acme", "Bolt"}
    assert hits["Acme"]["customer_lines_hit"] == 1 and hits["Bolt"]["customer_lines_hit"] == 1
    assert hits["Acme"]["value_hit"] == pytest.approx(500 * 30 / 70)  # 214.29
    assert hits["Bolt"]["value_hit"] == pytest.approx(500 * 40 / 70)  # 285.71
    # the scorecard: a supplier with no traced miss hit 0 lines, not an unknown number
    card = with_customer_hits(
        [{"supplier": "Acme"}, {"supplier": "Bolt"}, {"supplier": "Cobalt"}], hits.values()
    )
    assert [(r["customer_lines_hit"], round(r["value_hit"], 2)) for r in card] == [
        (1, 214.29),
        (1, 285.71),
        (0, 0.0),
    ]
    # the supplier filter keeps its PO lines but not its share of the others'
    only_bolt = table_rows(store, "customer_miss_lines", replace(march, supplier="Bolt"))
    assert [(r["po_number"], r["share"]) for r in only_bolt] == [("PO-B", pytest.approx(4 / 7))]
