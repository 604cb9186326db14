"""Supplier delivery performance (METRICS.md section 3), worked out by hand.

The fixture: eight PO lines of two suppliers, period March 2024, as-of 2024-03-31,
default tolerances (late 0, early 2, in-full 0).

| line | Q  | P     | receipts             | due? | OT | IF | OTIF | early | lead |
|------|----|-------|----------------------|------|----|----|------|-------|------|
| A    | 100| 03-10 | 03-08 60, 03-12 40   | yes  | no | yes| no   | no    | 11   |
| B    | 50 | 03-15 | 03-15 60 (over)      | yes  | yes| yes| yes  | no    | 10   |
| C    | 20 | 03-20 | 03-16 20 (4 d early) | yes  | yes| yes| yes  | yes   | 6    |
| D    | 30 | 03-25 | none                 | yes  | no | no | no   | -     | -    |
| E    | 10 | 04-05 | none                 | no: promised after the period       |
| F    | 10 | 03-31 | none                 | no: P = as-of and not complete      |
| G    | 10 | 02-20 | 03-02 10             | no (P in Feb), but lead time 30     |
| H    | 40 | 03-28 | 03-28 39 (short)     | yes  | yes| no | no   | no    | 13   |

Due: A B C D H = 5. OTIF B C = 2/5; OT B C H = 3/5; IF A B C = 3/5; early C = 1 of the 4
due lines with a receipt. Lead times with a last receipt in March: 11 10 6 30 13: mean 14,
sd sqrt(((-3)^2 + (-4)^2 + (-8)^2 + 16^2 + (-1)^2) / 4) = sqrt(86.5), p95 = 13 + 0.8 x 17.
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from analytics.metrics.figures import compute_kpis, kpi_rows, overview, scorecard, table_rows
from analytics.models.params import Scope
from analytics.store.settings import set_setting
from tests.conftest import d, insert

MARCH = {"start": date(2024, 3, 1), "end": date(2024, 3, 31), "as_of": date(2024, 3, 31)}


def line(po, q, promised, ordered, received=None, qty=None, receipt="", supplier="Acme", sku="S1"):
    return {
        "po_number": po,
        "receipt_id": receipt,
        "supplier": supplier,
        "sku": sku,
        "order_date": d(ordered),
        "promised_date": d(promised),
        "ordered_qty": q,
        "received_date": d(received) if received else None,
        "received_qty": qty,
    }


@pytest.fixture
def lines(store):
    insert(
        store,
        "deliveries",
        line("A", 100, "03-10", "03-01", "03-08", 60, "r1"),
        line("A", 100, "03-10", "03-01", "03-12", 40, "r2"),
        line("B", 50, "03-15", "03-05", "03-15", 60),
        line("C", 20, "03-20", "03-10", "03-16", 20),
        line("D", 30, "03-25", "03-10", supplier="Bolt"),
        line("E", 10, "04-05", "03-20", supplier="Bolt"),
        line("F", 10, "03-31", "03-20", supplier="Bolt"),
        line("G", 10, "02-20", "02-01", "03-02", 10, supplier="Bolt"),
        line("H", 40, "03-28", "03-15", "03-28", 39, supplier="Bolt"),
    )
    return store


def test_rates_and_lead_time_statistics(lines):
    k = compute_kpis(lines, **MARCH)
    assert (k["otif_rate"], k["on_time_rate"], k["in_full_rate"], k["early_rate"]) == (
        pytest.approx(2 / 5),
        pytest.approx(3 / 5),
        pytest.approx(3 / 5),
        pytest.approx(1 / 4),
    )
    assert k["lead_time_mean_days"] == pytest.approx(14.0)
    assert k["lead_time_sd_days"] == pytest.approx(math.sqrt(86.5))
    assert k["lead_time_p95_days"] == pytest.approx(26.6)


def test_counts_behind_the_rates(lines):
    o = overview(lines, Scope(**MARCH))
    assert (o["due_lines"], o["otif_lines"], o["due_received_lines"], o["lead_time_lines"]) == (
        5,
        2,
        4,
        5,
    )


def test_per_line_outcomes(lines):
    rows = {r["po_number"]: r for r in table_rows(lines, "po_lines", Scope(**MARCH))}
    a, b = rows["A"], rows["B"]
    assert (a["delivered_qty"], a["on_time_qty"], a["receipts"], a["lateness_days"]) == (
        100,
        60,
        2,
        2,
    )
    assert (b["over_qty"], b["is_otif"], rows["F"]["is_due"], rows["E"]["is_due"]) == (
        10,
        True,
        False,
        False,
    )


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        # late tolerance 2: A's last receipt (P + 2) becomes on time and all 100 on-time units OTIF
        ("late_tolerance_days", 2, {"on_time_rate": 4 / 5, "otif_rate": 3 / 5}),
        # in-full tolerance 5%: H's 39 of 40 (>= 38) is in full and OTIF
        ("in_full_tolerance", 0.05, {"in_full_rate": 4 / 5, "otif_rate": 3 / 5}),
        # early tolerance 4: C's receipt 4 days before P is no longer early
        ("early_tolerance_days", 4, {"early_rate": 0 / 4}),
    ],
)
def test_tolerance_boundaries(lines, setting, value, expected):
    with lines.connect() as cur:
        set_setting(cur, setting, value)
    k = compute_kpis(lines, **MARCH)
    assert {key: k[key] for key in expected} == pytest.approx(expected)


def test_receipts_after_as_of_have_not_happened(lines):
    # As of 03-11 (period 03-01..03-11): A has only its 60 units; P = 03-10 < as-of, so it is
    # due and short. Its last receipt so far (03-08) came by P, so by the contract's
    # definition it is on time; OTIF (60 < 100 on time) and in full are not met.
    k = compute_kpis(lines, start=date(2024, 3, 1), end=date(2024, 3, 11), as_of=date(2024, 3, 11))
    assert (k["otif_rate"], k["on_time_rate"], k["in_full_rate"]) == (0.0, 1.0, 0.0)
    # lead time: G (03-02, 30 days) and A's receipt so far (03-08, 7 days): mean 18.5
    assert k["lead_time_mean_days"] == 18.5
    assert k["lead_time_sd_days"] == pytest.approx(math.sqrt(2 * 11.5**2))


def test_no_due_lines_gives_no_value_not_zero(lines):
    k = compute_kpis(lines, start=date(2024, 1, 1), end=date(2024, 1, 31), as_of=date(2024, 3, 31))
    assert [
        k[x]
        for x in ("otif_rate", "on_time_rate", "in_full_rate", "early_rate", "lead_time_mean_days")
    ] == [None] * 5


def test_supplier_filter_and_scorecard(lines):
    k = compute_kpis(lines, supplier="Bolt", **MARCH)
    # Bolt's due lines: D (late, missing) and H (on time, short)
    assert (k["otif_rate"], k["on_time_rate"], k["in_full_rate"]) == (0.0, 0.5, 0.0)
    cards = {c["supplier"]: c for c in scorecard(lines, Scope(**MARCH))}
    assert cards["Acme"]["otif_rate"] == pytest.approx(2 / 3)
    assert cards["Acme"]["lead_time_mean_days"] == pytest.approx(9.0)  # 11, 10, 6
    assert cards["Bolt"]["late_open_lines"] == 2  # D (nothing came) and H (1 unit short)
    # Bolt: G (30) and H (13): mean 21.5, sd = sqrt(2 x 8.5^2) = 12.02...
    assert cards["Bolt"]["lead_time_sd_days"] == pytest.approx(math.sqrt(2 * 8.5**2))


def test_a_supplier_with_no_data_in_the_period_scores_nothing(lines):
    insert(lines, "deliveries", line("Z", 5, "06-01", "05-01", supplier="Quiet"))
    k = compute_kpis(lines, supplier="Quiet", **MARCH)
    assert k["otif_rate"] is None and k["lead_time_mean_days"] is None
    assert "Quiet" not in {c["supplier"] for c in scorecard(lines, Scope(**MARCH))}


def test_rows_behind_a_kpi_are_the_lines_it_counts(lines):
    table = kpi_rows(lines, "otif_rate", Scope(**MARCH))
    assert sorted(table.column("po_number").to_pylist()) == ["A", "B", "C", "D", "H"]
    assert kpi_rows(lines, "lead_time_mean_days", Scope(**MARCH), limit=2).num_rows == 2
