"""Reversals, returns and cancelled lines (METRICS.md section 1a), worked out by hand.

Period March 2024, as-of 2024-03-31, default tolerances (late 0, early 2, in-full 0). Every
line is ordered 03-01 from Acme for sku S1 at 2.00 a unit, except the cancelled ones.

| line | Q   | P     | receipts (signed)                  | kept       | OT | IF | OTIF | lead |
|------|-----|-------|------------------------------------|------------|----|----|------|------|
| R    | 100 | 03-11 | 03-10 +100, 03-12 -100             | nothing    | no | no | no   | -    |
| S    | 100 | 03-11 | 03-10 +100, 03-12 -40              | 03-10: 60  | yes| no | no   | 9    |
| T    | 100 | 03-11 | 03-09 +60, 03-14 +40, 03-15 -40    | 03-09: 60  | yes| no | no   | 8    |
| U    | 100 | 03-11 | 03-10 +100, 03-12 -100, 03-15 +100 | 03-15: 100 | no | yes| no   | 14   |
| V    | 50  | 03-20 | 03-20 +50                          | 03-20: 50  | yes| yes| yes  | 19   |
| X    | 30  | 03-15 | 03-14 +30 at 9.00, status Cancelled, supplier Bolt: counted nowhere      |
| Y    | 20  | 03-05 | none, status storniert, supplier Bolt: counted nowhere (else due, late)  |

R: the reversal takes back the only receipt: no receipt, delivered 0. S: delivered 60 and
all of it by P: on time, not in full. T: the reversal takes back the latest receipt (03-14),
so the last receipt is 03-09. U: 03-10's receipt is taken back, 03-15's is kept: late.
Due R S T U V = 5: OTIF V = 1/5, OT S T V = 3/5, IF U V = 2/5, early none of the 4 with a
receipt (T's 03-09 is P - 2, not before it). Lead times 9, 8, 14, 19: mean 12.5, sd
sqrt((3.5^2 + 4.5^2 + 1.5^2 + 6.5^2) / 3) = sqrt(77 / 3), p95 = 14 + 0.85 x 5 = 18.25.
Received in March, net: R 0 + S 60 + T 60 + U 100 + V 50 = 270 units (550 received, 280
reversed), spend 540, all Acme's: HHI 1. A 27-unit Acme defect: PPM = 27 / 270 x 1e6.
S1's unit cost from deliveries: 540 / 270 = 2.00 (X's 9.00 is not counted).
Customers: O1 10 requested 03-10, shipped that day; O2 10 requested 03-12, cancelled,
unshipped. Due O1 only: fill rate 1, customer OTIF 1; demand (90 days) 10: d = 10 / 90;
S1 on hand 100 on 03-31: excess (100 - 10 x 10 / 90) x 2. COGS 10 x 2.
"""

from __future__ import annotations

import math
import re
from datetime import date

import pytest

from analytics.metrics.figures import compute_kpis, scorecard, table_rows
from analytics.models import materialize
from analytics.models.compose import compose, duckdb_dialect, parameters
from analytics.models.params import Scope, resolve
from tests.conftest import ROOT, d, insert, rows
from tests.pandas_reference import CANCELLED

MARCH = {"start": date(2024, 3, 1), "end": date(2024, 3, 31), "as_of": date(2024, 3, 31)}


def receipt(po, q, promised, received=None, qty=None, n=0, supplier="Acme", cost=2.0, status=None):
    return {
        "po_number": po,
        "receipt_id": f"{po}-{n}",
        "supplier": supplier,
        "sku": "S1",
        "order_date": d("03-01"),
        "promised_date": d(promised),
        "ordered_qty": q,
        "received_date": d(received) if received else None,
        "received_qty": qty,
        "unit_cost": cost,
        "status": status,
    }


@pytest.fixture
def netting(store):
    insert(
        store,
        "deliveries",
        receipt("R", 100, "03-11", "03-10", 100, 1),
        receipt("R", 100, "03-11", "03-12", -100, 2),
        receipt("S", 100, "03-11", "03-10", 100, 1),
        receipt("S", 100, "03-11", "03-12", -40, 2),
        receipt("T", 100, "03-11", "03-09", 60, 1),
        receipt("T", 100, "03-11", "03-14", 40, 2),
        receipt("T", 100, "03-11", "03-15", -40, 3),
        receipt("U", 100, "03-11", "03-10", 100, 1),
        receipt("U", 100, "03-11", "03-12", -100, 2),
        receipt("U", 100, "03-11", "03-15", 100, 3),
        receipt("V", 50, "03-20", "03-20", 50, 1),
        receipt("X", 30, "03-15", "03-14", 30, 1, supplier="Bolt", cost=9.0, status="Cancelled"),
        receipt("Y", 20, "03-05", supplier="Bolt", status=" storniert "),
    )
    order = {"sku": "S1", "order_line": "1", "order_date": d("03-01"), "ordered_qty": 10}
    insert(
        store,
        "orders",
        {**order, "order_number": "O1", "requested_date": d("03-10")}
        | {"shipped_date": d("03-10"), "shipped_qty": 10},
        {**order, "order_number": "O2", "requested_date": d("03-12"), "status": "CANCELED"},
    )
    insert(
        store,
        "defects",
        {"defect_id": "N1", "date": d("03-20"), "sku": "S1", "supplier": "Acme"}
        | {"stage": "receiving", "cause": "Burrs", "qty": 27},
    )
    insert(store, "inventory", {"date": d("03-31"), "sku": "S1", "on_hand_qty": 100})
    return store


def po_lines(store) -> dict[str, dict]:
    return {r["po_number"]: r for r in table_rows(store, "po_lines", Scope(**MARCH))}


def test_a_reversed_receipt_nets_to_no_receipt(netting):
    r = po_lines(netting)["R"]
    assert (r["delivered_qty"], r["on_time_qty"], r["has_receipt"], r["receipts"]) == (0, 0, 0, 0)
    assert (r["first_receipt"], r["last_receipt"], r["lead_time_days"]) == (None, None, None)
    # due (P has passed) and judged like a line nothing came for: late, not in full
    assert (r["is_due"], r["is_on_time"], r["is_complete"], r["is_otif"]) == (1, 0, 0, 0)
    assert (r["returned_qty"], r["returns"]) == (100, 1)


def test_a_partial_reversal_keeps_the_rest_on_its_receipt_date(netting):
    lines = po_lines(netting)
    s, t, u = lines["S"], lines["T"], lines["U"]
    # S: 100 on 03-10, 40 back on 03-12: 60 delivered, all by P; on time, short
    assert (s["delivered_qty"], s["on_time_qty"], s["last_receipt"]) == (60, 60, d("03-10"))
    assert (s["is_on_time"], s["is_complete"], s["is_otif"], s["lead_time_days"]) == (1, 0, 0, 9)
    # T: the reversal takes back the late receipt (last in, first out): last receipt 03-09
    assert (t["delivered_qty"], t["last_receipt"], t["is_on_time"]) == (60, d("03-09"), 1)
    assert (t["receipts"], t["returns"], t["returned_qty"]) == (1, 1, 40)
    # U: the first receipt is taken back; the redelivery on 03-15 is the receipt: late
    assert (u["first_receipt"], u["last_receipt"], u["delivered_qty"]) == (
        d("03-15"),
        d("03-15"),
        100,
    )
    assert (u["is_on_time"], u["is_complete"], u["is_otif"], u["on_time_qty"]) == (0, 1, 0, 0)


def test_delivery_figures_net_reversals_and_leave_cancelled_lines_out(netting):
    k = compute_kpis(netting, **MARCH)
    assert (k["otif_rate"], k["on_time_rate"], k["in_full_rate"], k["early_rate"]) == (
        pytest.approx(1 / 5),
        pytest.approx(3 / 5),
        pytest.approx(2 / 5),
        0.0,
    )
    assert k["lead_time_mean_days"] == pytest.approx(12.5)
    assert k["lead_time_sd_days"] == pytest.approx(math.sqrt(77 / 3))
    assert k["lead_time_p95_days"] == pytest.approx(18.25)


def test_received_quantity_and_spend_are_net(netting):
    k = compute_kpis(netting, **MARCH)
    assert k["defect_ppm"] == pytest.approx(27 / 270 * 1e6)
    assert k["hhi"] == 1.0  # the cancelled Bolt receipt is no spend
    (acme,) = scorecard(netting, Scope(**MARCH))  # Bolt has nothing that counts
    assert (acme["supplier"], acme["spend"], acme["received_qty"], acme["due_lines"]) == (
        "Acme",
        540.0,
        270.0,
        5,
    )
    returns = [r for r in table_rows(netting, "receipts", Scope(**MARCH)) if r["is_return"]]
    assert sorted((r["po_number"], r["received_qty"], r["value"]) for r in returns) == [
        ("R", -100.0, -200.0),
        ("S", -40.0, -80.0),
        ("T", -40.0, -80.0),
        ("U", -100.0, -200.0),
    ]
    # the sku's cost from deliveries ignores the cancelled receipt at 9.00; S1 is
    # single-sourced (Bolt's only receipt is cancelled)
    (dim,) = table_rows(netting, "dim_sku", Scope())
    assert dim["unit_cost"] == 2.0
    assert [(r["sku"], r["supplier"]) for r in table_rows(netting, "single_sourced", Scope())] == [
        ("S1", "Acme")
    ]


def test_a_cancelled_order_line_is_no_demand_and_no_service(netting):
    k = compute_kpis(netting, **MARCH)
    assert (k["fill_rate"], k["customer_otif_rate"], k["cogs"]) == (1.0, 1.0, 20.0)
    assert k["excess_value"] == pytest.approx((100 - 10 * 10 / 90) * 2)
    assert [r["order_number"] for r in table_rows(netting, "order_lines", Scope(**MARCH))] == ["O1"]


def test_cancelled_lines_are_stored_and_listed_nowhere(netting):
    # kept in the canonical table as imported, with their status ...
    assert rows(netting, "select po_number, status from deliveries where status is not null") == [
        ("X", "Cancelled"),
        ("Y", " storniert "),
    ]
    # ... but in no line, receipt or scorecard
    assert set(po_lines(netting)) == {"R", "S", "T", "U", "V"}
    assert {r["po_number"] for r in table_rows(netting, "receipts", Scope(**MARCH))} == set("RSTUV")
    assert {c["supplier"] for c in scorecard(netting, Scope(**MARCH))} == {"Acme"}


def test_before_the_reversal_happened_the_receipt_counts(netting):
    # As of 03-11 the reversals of 03-12 have not happened: R and S hold 100 on 03-10,
    # in full and on time (P 03-11); T holds 60 on 03-09; U 100 on 03-10. Due (P = as-of
    # but complete): R, S, U; T is short with P = as-of: not due. OTIF 3/3.
    k = compute_kpis(
        netting, start=date(2024, 3, 1), end=date(2024, 3, 11), as_of=date(2024, 3, 11)
    )
    assert (k["otif_rate"], k["in_full_rate"]) == (1.0, 1.0)
    assert k["defect_ppm"] == 0.0  # 360 units received by 03-11, no defect yet


def test_the_cancelled_statuses_are_the_documented_ones(store):
    """One list (the model cancelled_statuses); docs/metrics.md and the pandas reference
    spell it out and must not drift from it."""
    listed = {r["status"] for r in table_rows(store, "cancelled_statuses", Scope())}
    docs = (ROOT / "docs" / "metrics.md").read_text()
    bullet = docs[docs.index("- **Which rows are cancelled.**") :].split("\n- ")[0]
    documented = set(re.findall(r"`([^`]+)`", bullet)) - {"status", "cancelled_statuses"}
    assert listed == documented == CANCELLED


def test_the_cancelled_lines_are_listed_as_cancelled(netting):
    """What the Data page lists: X (its one receipt row) and Y as PO lines, O2 as a customer
    order line, each once, with the status as imported; at a site none of them is at, none."""
    listed = table_rows(netting, "cancelled_lines", Scope())
    assert [
        (
            r["kind"],
            r["document"],
            r["line"],
            r["partner"],
            r["site"],
            r["ordered_qty"],
            r["status"],
        )
        for r in listed
    ] == [
        ("PO line", "X", "1", "Bolt", "", 30, "Cancelled"),
        ("PO line", "Y", "1", "Bolt", "", 20, " storniert "),
        ("customer order line", "O2", "1", None, "", 10, "CANCELED"),
    ]
    assert table_rows(netting, "cancelled_lines", Scope(site="1000")) == []


def test_only_lines_with_a_negative_or_disagreeing_rows_are_netted(store):
    """The stored facts sum a plain line's receipts as they are and net the others.

    Every line ordered 03-01, Q 20, promised 03-05 unless said, default tolerances:
    - W: +10 on 03-03, -4 on 03-04, +6 on 03-07. The reversal takes back 4 of 03-03's 10,
      which keeps 6; 03-07 keeps its 6. Delivered 6 + 6 = 12, on time 6 (03-03's, by P),
      first receipt 03-03, last 03-07, 2 receipts, 1 return of 4.
    - P: +10 on 03-03, +6 on 03-07, no negative: summed as they are. Delivered 16, on
      time 10, first 03-03, last 03-07, 2 receipts, no return.
    - Z: +5 on 03-04 promised 03-05, +5 on 03-06 promised 03-03: its rows disagree, the
      line is promised 03-03 (the earliest), so neither receipt is on time: delivered 10,
      on time 0 (5 if each row were judged by its own promised date), last 03-06.
    - N: +8 on 03-02, -8 on 03-03: nets to zero, so no receipt (like R above).
    """
    w = ("W", 20, "03-05")
    p = ("P", 20, "03-05")
    insert(
        store,
        "deliveries",
        receipt(*w, "03-03", 10, 1),
        receipt(*w, "03-04", -4, 2),
        receipt(*w, "03-07", 6, 3),
        receipt(*p, "03-03", 10, 1),
        receipt(*p, "03-07", 6, 2),
        receipt("Z", 20, "03-05", "03-04", 5, 1),
        receipt("Z", 20, "03-03", "03-06", 5, 2),
        receipt("N", 20, "03-05", "03-02", 8, 1),
        receipt("N", 20, "03-05", "03-03", -8, 2),
    )
    materialize.refresh_store(store)
    expected = [
        ("N", 0.0, 0.0, None, None, 0, 8.0, 1),
        ("P", 16.0, 10.0, d("03-03"), d("03-07"), 2, 0.0, 0),
        ("W", 12.0, 6.0, d("03-03"), d("03-07"), 2, 4.0, 1),
        ("Z", 10.0, 0.0, d("03-04"), d("03-06"), 2, 0.0, 0),
    ]
    columns = (
        "po_number, delivered_qty, on_time_qty, first_receipt, last_receipt, receipts, "
        "returned_qty, returns"
    )
    stored = rows(store, f"select {columns} from mart_po_line_facts order by po_number")
    assert stored == expected
    with store.connect() as cur:  # the model itself, from the canonical tables
        sql = duckdb_dialect(compose("po_line_facts"))
        bound = {k: v for k, v in resolve(cur).items() if k in parameters(sql)}
        model = cur.execute(f"select {columns} from ({sql}) order by po_number", bound)
        assert model.fetchall() == expected
