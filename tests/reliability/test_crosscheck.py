"""The SQL KPIs against an independent pandas reading of the same definitions.

`tests/pandas_reference.py` was written from METRICS.md and docs/metrics.md alone; the
hand-made cases below check that reading against numbers worked out on paper, and the
cross-check compares it with `analytics.metrics.figures.compute_kpis` on the demo data and on stores
holding the hand-made frames (corner cases the demo does not reach).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics.demo.generate import UNRELIABLE_SUPPLIERS
from analytics.demo.load import load_demo
from analytics.metrics.figures import compute_kpis, waste
from analytics.models.params import Scope
from analytics.store.connection import Store
from analytics.store.settings import get_settings, set_setting
from tests.pandas_reference import (
    COLUMNS,
    DEFAULT_SETTINGS,
    KPI_KEYS,
    kpis_reference,
    load_frames,
    unit_costs,
    waste_reference,
)

D = pd.Timestamp
NAN = float("nan")


def close(got, expected, rel=1e-9) -> bool:
    if expected is None or got is None:
        return got is None and expected is None
    return math.isclose(got, expected, rel_tol=rel, abs_tol=1e-12)


def assert_kpis(got: dict, expected: dict, rel=1e-9):
    bad = {k: (got[k], v) for k, v in expected.items() if not close(got[k], v, rel)}
    assert not bad, f"(got, expected): {bad}"


# -- hand-made frames ------------------------------------------------------------------------
def deliveries(*rows) -> pd.DataFrame:
    """rows: (po, line, supplier, sku, order, promised, qty, received, received_qty, cost)."""
    cols = ["po_number", "po_line", "supplier", "sku", "order_date", "promised_date"]
    cols += ["ordered_qty", "received_date", "received_qty", "unit_cost"]
    df = pd.DataFrame(list(rows), columns=cols)
    df["receipt_id"] = [f"G{i}" for i in range(len(df))]
    for c in ("order_date", "promised_date", "received_date"):
        df[c] = pd.to_datetime(df[c])
    return df


# Period for the hand-made cases: Q1 2024 (a leap year), as_of = end.
Q1 = {"start": "2024-01-01", "end": "2024-03-31", "as_of": "2024-03-31"}


def test_three_lines_split_over_delivery_and_open():
    # L1: Q=100, P=02-10; split receipt 60 on 02-09 and 40 on 02-12.
    #     delivered 100 -> in full; last receipt 02-12 > P -> late; on_time_qty 60 < 100 ->
    #     not OTIF; first receipt 02-09 is not before P - 2 = 02-08 -> not early.
    # L2: Q=50, P=02-20; 60 received on 02-15 (over-delivery, 5 days early).
    #     on time, in full, OTIF (60 >= 50), early (02-15 < 02-18).
    # L3: Q=10, P=03-01, nothing received; P < as_of -> due, late, not in full, not OTIF.
    # Due = 3 lines: OTIF 1/3, OT 1/3, IF 2/3; early 1 of the 2 due lines with a receipt.
    # Lead times: L1 02-01 -> 02-12 = 11 days, L2 02-01 -> 02-15 = 14 days:
    #     mean 12.5, sd sqrt((1.5^2 + 1.5^2) / 1) = sqrt(4.5), p95 = 11 + 0.95 x 3 = 13.85.
    dl = deliveries(
        ("PO1", "1", "Acme", "A", "2024-02-01", "2024-02-10", 100, "2024-02-09", 60, 1.0),
        ("PO1", "1", "Acme", "A", "2024-02-01", "2024-02-10", 100, "2024-02-12", 40, 1.0),
        ("PO2", "1", "Acme", "A", "2024-02-01", "2024-02-20", 50, "2024-02-15", 60, 1.0),
        ("PO3", "1", "Acme", "A", "2024-02-01", "2024-03-01", 10, None, NAN, 1.0),
    )
    got = kpis_reference({"deliveries": dl}, **Q1)
    assert_kpis(
        got,
        {
            "otif_rate": 1 / 3,
            "on_time_rate": 1 / 3,
            "in_full_rate": 2 / 3,
            "early_rate": 1 / 2,
            "lead_time_mean_days": 12.5,
            "lead_time_sd_days": math.sqrt(4.5),
            "lead_time_p95_days": 13.85,
            # spend: a single supplier
            "hhi": 1.0,
        },
    )
    # OT x IF would be 1/3 x 2/3; OTIF is judged on the quantity received on time instead.
    # With a 40% in-full tolerance L1's 60 units on time are enough: OTIF 2/3, and L3 (0
    # received) still fails.
    loose = kpis_reference({"deliveries": dl}, **Q1, settings={"in_full_tolerance": 0.4})
    assert close(loose["otif_rate"], 2 / 3)
    # A late tolerance of 2 days makes L1's last receipt (P + 2) on time: OT 2/3, OTIF 2/3.
    late = kpis_reference({"deliveries": dl}, **Q1, settings={"late_tolerance_days": 2})
    assert_kpis(late, {"on_time_rate": 2 / 3, "otif_rate": 2 / 3, "in_full_rate": 2 / 3})
    # An early tolerance of 5 days: 02-15 is not before 02-20 - 5 = 02-15 -> not early.
    relaxed = kpis_reference({"deliveries": dl}, **Q1, settings={"early_tolerance_days": 5})
    assert relaxed["early_rate"] == 0.0


def test_due_rule_as_of_and_lead_time_period():
    # M1: P = as_of (03-31), nothing received: not complete and P not < as_of -> not due.
    # M2: P = 03-31, received in full on 03-30: complete -> due; OT, IF, OTIF.
    # M3: P = 03-20, received in full on 04-02, after as_of: counts as not received -> due,
    #     late, not in full, not OTIF, no lead time.
    # M4: ordered 04-05 (after as_of): left out everywhere.
    # M5: P = 2023-12-31 (before the period), received 2024-01-05: not due; but its last
    #     receipt is in the period, so its lead time (12-01 -> 01-05 = 35 days) counts.
    # Due = M2, M3: OTIF 1/2, OT 1/2, IF 1/2; early 0 of 1 (M2, received 1 day early).
    # Lead times: M2 03-01 -> 03-30 = 29, M5 = 35: mean 32, sd sqrt(18), p95 29 + 0.95 x 6.
    dl = deliveries(
        ("M1", "10", "Acme", "A", "2024-03-01", "2024-03-31", 5, None, NAN, 1.0),
        ("M2", "10", "Acme", "A", "2024-03-01", "2024-03-31", 5, "2024-03-30", 5, 1.0),
        ("M3", "10", "Acme", "A", "2024-03-01", "2024-03-20", 5, "2024-04-02", 5, 1.0),
        ("M4", "10", "Acme", "A", "2024-04-05", "2024-04-20", 5, None, NAN, 1.0),
        ("M5", "10", "Acme", "A", "2023-12-01", "2023-12-31", 5, "2024-01-05", 5, 1.0),
    )
    got = kpis_reference({"deliveries": dl}, **Q1)
    assert_kpis(
        got,
        {
            "otif_rate": 0.5,
            "on_time_rate": 0.5,
            "in_full_rate": 0.5,
            "early_rate": 0.0,
            "lead_time_mean_days": 32.0,
            "lead_time_sd_days": math.sqrt(18),
            "lead_time_p95_days": 29 + 0.95 * 6,
        },
    )
    # as_of defaults to the latest event (M4's order date, 04-05; its promise, 04-20, is a
    # plan and does not count); period = 365 days, [2023-04-07, 2024-04-05].
    # Then M1 (P 03-31 < 04-05) is due and late, M3's receipt has happened (late, in full),
    # and M5 (P 2023-12-31 in the period) is due: late, in full.
    # Due = M1, M2, M3, M5: OTIF 1/4 (M2), IF 3/4. M4 is open, promised after the period.
    default = kpis_reference({"deliveries": dl})
    assert_kpis(default, {"otif_rate": 0.25, "in_full_rate": 0.75, "on_time_rate": 0.25})


def test_one_line_has_no_spread_and_empty_is_null():
    dl = deliveries(
        ("P1", "1", "Acme", "A", "2024-02-01", "2024-02-10", 10, "2024-02-10", 10, 1.0),
    )
    got = kpis_reference({"deliveries": dl}, **Q1)
    assert got["lead_time_mean_days"] == 9.0
    assert got["lead_time_sd_days"] is None  # sample sd of one value is undefined
    assert got["lead_time_p95_days"] == 9.0
    # A supplier with nothing: every rate and ratio is null, never 0 or 1; sums are 0.
    none = kpis_reference({"deliveries": dl}, **Q1, supplier="Nobody")
    for key in ("otif_rate", "on_time_rate", "in_full_rate", "early_rate", "defect_ppm"):
        assert none[key] is None, key
    for key in ("lead_time_mean_days", "lead_time_p95_days", "hhi", "fill_rate"):
        assert none[key] is None, key
    assert none["avg_inventory_value"] is None and none["inventory_turnover"] is None
    assert none["copq"] == 0.0 and none["cogs"] == 0.0


def quirky_lines() -> pd.DataFrame:
    return deliveries(
        # Q1: schedule lines promised 02-01 and 02-05, both received 02-05: P = 02-01, late.
        ("Q1", "1", "X", "A", "2024-01-10", "2024-02-01", 20, "2024-02-05", 10, 2.0),
        ("Q1", "1", "X", "A", "2024-01-10", "2024-02-05", 20, "2024-02-05", 10, 2.0),
        # Q2: 4 on P, the other 6 after as_of: on time (its last receipt so far), not in full.
        ("Q2", "1", "Y", "B", "2024-02-10", "2024-03-01", 10, "2024-03-01", 4, 3.0),
        ("Q2", "1", "Y", "B", "2024-02-10", "2024-03-01", 10, "2024-04-03", 6, 3.0),
        # Q3: a receipt of 0 units on P nets to zero: no receipt, late, not in full.
        ("Q3", "1", "Z", "B", "2024-02-10", "2024-03-05", 10, "2024-03-05", 0, 3.0),
        # Q4: promised after as_of but complete by then: due once the period reaches 04-15.
        ("Q4", "1", "X", "A", "2024-03-01", "2024-04-15", 5, "2024-03-28", 5, 2.0),
        # Q5: promised after as_of, open: never due as of 03-31.
        ("Q5", "1", "X", "A", "2024-03-01", "2024-04-16", 5, None, NAN, 2.0),
        # Q6: 95 of 100 a day early; Q7: in full 2 days late.
        ("Q6", "1", "Y", "A", "2024-01-05", "2024-01-20", 100, "2024-01-19", 95, 2.0),
        ("Q7", "1", "Z", "A", "2024-01-05", "2024-01-20", 10, "2024-01-22", 10, 2.0),
        # Q8 arrives exactly P - 2 (not early), Q9 at P - 3 (early).
        ("Q8", "1", "Z", "A", "2024-01-05", "2024-01-20", 10, "2024-01-18", 10, 2.0),
        ("Q9", "1", "Z", "A", "2024-01-05", "2024-01-20", 10, "2024-01-17", 10, 2.0),
    )


LOOSE = {
    "late_tolerance_days": 2,
    "in_full_tolerance": 0.05,
    "early_tolerance_days": 0,
    "target_cover_days": 3,
}


def test_schedule_lines_partial_zero_receipts_and_tolerances():
    # Due in Q1: Q1, Q2, Q3, Q6, Q7, Q8, Q9 (Q4, Q5 promised after the period).
    # OT: Q2, Q6, Q8, Q9 = 4/7 (Q3's 0 units are no receipt). IF: Q1, Q7, Q8, Q9 = 4/7.
    # OTIF: Q8, Q9 = 2/7. Early: Q9 of the 6 due lines with a receipt (Q3 has none).
    # Lead times (last receipt by as_of, in the period; Q4 counts though not due):
    #   Q1 26, Q2 20, Q4 27, Q6 14, Q7 17, Q8 13, Q9 12 -> mean 129 / 7.
    # p95 of [12, 13, 14, 17, 20, 26, 27]: rank 0.95 x 6 = 5.7 -> 26 + 0.7 x 1.
    got = kpis_reference({"deliveries": quirky_lines()}, **Q1)
    assert_kpis(
        got,
        {
            "on_time_rate": 4 / 7,
            "in_full_rate": 4 / 7,
            "otif_rate": 2 / 7,
            "early_rate": 1 / 6,
            "lead_time_mean_days": 129 / 7,
            "lead_time_p95_days": 26.7,
        },
    )
    # Late tolerance 2, in-full tolerance 5%, early tolerance 0, period to 04-30: Q4 joins.
    # OT: the 4 + Q7 (P + 2) + Q4 = 6/8 (Q1's last receipt is P + 4).
    # IF (>= 95%): Q1, Q4, Q6, Q7, Q8, Q9 = 6/8. OTIF: Q4, Q6, Q7, Q8, Q9 = 5/8.
    # Early (before P): Q4, Q6, Q8, Q9 of the 7 due lines with a receipt = 4/7.
    loose = kpis_reference(
        {"deliveries": quirky_lines()}, **{**Q1, "end": "2024-04-30"}, settings=LOOSE
    )
    assert_kpis(
        loose,
        {
            "on_time_rate": 6 / 8,
            "in_full_rate": 6 / 8,
            "otif_rate": 5 / 8,
            "early_rate": 4 / 7,
            "lead_time_mean_days": 129 / 7,
        },
    )


# A small plant for quality, inventory, customers and spend (period Q1 2024, 91 days).
# Unit costs: A 2.0 (item master); B 3.0 (no item row; its latest snapshot with a cost, 03-25,
# beats 5.0 on 01-01); C 3.25 (no item, no snapshot cost; receipts 10 x 1.0 and 30 x 4.0 ->
# 130 / 40); D unknown (an item row without cost, no costs anywhere).
def plant() -> dict[str, pd.DataFrame]:
    items = pd.DataFrame(
        {
            "sku": ["A", "D"],
            "description": ["a", "d"],
            "category": ["Parts", "Boxes"],
            "container_qty": [1.0, 1.0],
            "planned_lead_time_days": [10.0, 10.0],
            "unit_cost": [2.0, NAN],
        }
    )
    inventory = pd.DataFrame(
        [
            ("2023-12-25", "A", "MAIN", 100, NAN),  # before the period
            ("2024-01-01", "A", "MAIN", 10, NAN),
            ("2024-01-01", "A", "LINE", 5, NAN),
            ("2024-01-01", "B", "MAIN", 4, 5.0),
            ("2024-01-01", "D", "MAIN", 7, NAN),
            ("2024-03-25", "A", "MAIN", 20, NAN),
            ("2024-03-25", "A", "LINE", 5, NAN),
            ("2024-03-25", "B", "MAIN", 2, 3.0),
            ("2024-03-25", "D", "MAIN", 7, NAN),
        ],
        columns=["date", "sku", "location", "on_hand_qty", "unit_cost"],
    )
    inventory["date"] = pd.to_datetime(inventory.date)
    orders = pd.DataFrame(
        [
            # order, sku, ordered, requested, shipped date, shipped qty
            ("S0", "A", "2023-12-20", "2023-12-28", "2023-12-28", 1000, 1000),  # before
            ("S1", "A", "2024-02-01", "2024-02-10", "2024-02-09", 10, 10),  # OTIF
            ("S2", "B", "2024-02-01", "2024-02-15", "2024-02-20", 5, 5),  # late
            ("S3", "A", "2024-03-01", "2024-03-10", "2024-03-09", 8, 6),  # short
            ("S4", "C", "2024-03-01", "2024-03-31", None, 4, NAN),  # open, P = as_of
            ("S5", "A", "2024-03-01", "2024-03-20", "2024-04-02", 3, 3),  # ships after as_of
            ("S6", "D", "2024-01-02", "2024-02-01", "2024-02-01", 2, 2),  # OTIF, cost unknown
        ],
        columns=["order_number", "sku", "order_date", "requested_date", "shipped_date"]
        + ["ordered_qty", "shipped_qty"],
    )
    orders["order_line"], orders["customer"], orders["unit_price"] = "1", "Cust", 9.0
    for c in ("order_date", "requested_date", "shipped_date"):
        orders[c] = pd.to_datetime(orders[c])
    # All receipts on their promised date, ordered 10 days before.
    dl = deliveries(
        ("P1", "1", "X", "C", "2024-01-22", "2024-02-01", 10, "2024-02-01", 10, 1.0),
        ("P2", "1", "Y", "C", "2024-01-26", "2024-02-05", 30, "2024-02-05", 30, 4.0),
        ("P3", "1", "X", "A", "2024-01-31", "2024-02-10", 50, "2024-02-10", 50, NAN),
        ("P4", "1", "Z", "D", "2024-02-20", "2024-03-01", 5, "2024-03-01", 5, NAN),
        ("P5", "1", "Y", "A", "2023-12-05", "2023-12-15", 100, "2023-12-15", 100, 2.0),
    )
    defects = pd.DataFrame(
        [
            ("N1", "2024-02-02", "C", "X", 2, NAN),  # 2 x 3.25 = 6.5
            ("N2", "2024-02-06", "C", "Y", 1, 10.0),  # 10
            ("N3", "2024-03-01", "A", None, 4, NAN),  # production: 4 x 2 = 8
            ("N4", "2024-03-02", "D", "Z", 1, NAN),  # cost unknown: out of COPQ, in PPM
            ("N5", "2023-12-20", "A", "Y", 50, 1.0),  # before the period
        ],
        columns=["defect_id", "date", "sku", "supplier", "qty", "cost"],
    )
    defects["date"] = pd.to_datetime(defects.date)
    defects["cause"] = "Burrs"
    return {
        "deliveries": dl,
        "orders": orders,
        "defects": defects,
        "inventory": inventory,
        "items": items,
    }


W_LINE = ("W1", "1", "W", "A", "2024-02-01", "2024-02-10", 8, "2024-02-10", 8, 2.0)


def test_unit_cost_precedence():
    cost = unit_costs(plant())
    assert cost.to_dict() == {"A": 2.0, "B": 3.0, "C": 3.25}


def test_plant_kpis():
    # PPM: defects naming a supplier in the period, 2 + 1 + 1 = 4 units, over units received
    #   in the period 10 + 30 + 50 + 5 = 95 -> 4 / 95 x 1e6.
    # COPQ: 6.5 + 10 + 8 = 24.5 (N4 has no cost).
    # Inventory value: 01-01: A 15 x 2 + B 4 x 3 = 42 (D unknown); 03-25: A 25 x 2 + B 2 x 3
    #   = 56; mean 49.
    # COGS: shipped in the period by as_of: S1 10 x 2 + S2 5 x 3 + S3 6 x 2 = 47 (S6 unknown).
    # Turnover 47 / 49 x 365 / 91; DIO = 365 / turnover = 49 x 91 / 47.
    # Customer lines due: S1, S2, S3, S5, S6 (S4: open with requested = as_of; S0 before).
    #   fill = (10 + 5 + 6 + 0 + 2) / (10 + 5 + 8 + 3 + 2) = 23 / 28; OTIF: S1, S6 -> 2 / 5.
    # Excess: d over [01-02, 03-31] / 90: A 21/90, B 5/90, D 2/90 (C has no snapshot).
    #   A: (25 - 10 x 21/90) x 2 = 50 - 14/3; B: (2 - 50/90) x 3 = 6 - 5/3 -> 56 - 19/3.
    # Spend: X 10 x 1 + 50 x 2 (the sku's cost) = 110; Y 30 x 4 = 120; Z unknown (left out).
    #   HHI = (110/230)^2 + (120/230)^2.
    # Delivery lines: P1-P4 due, all on time and in full; P5 is outside the period.
    got = kpis_reference(plant(), **Q1)
    assert_kpis(
        got,
        {
            "otif_rate": 1.0,
            "on_time_rate": 1.0,
            "in_full_rate": 1.0,
            "early_rate": 0.0,
            "lead_time_mean_days": 10.0,
            "lead_time_sd_days": 0.0,
            "lead_time_p95_days": 10.0,
            "defect_ppm": 4 / 95 * 1e6,
            "copq": 24.5,
            "avg_inventory_value": 49.0,
            "cogs": 47.0,
            "inventory_turnover": 47 / 49 * 365 / 91,
            "dio_days": 49 * 91 / 47,
            "fill_rate": 23 / 28,
            "customer_otif_rate": 2 / 5,
            "excess_value": 56 - 19 / 3,
            "hhi": (110 / 230) ** 2 + (120 / 230) ** 2,
        },
    )


def test_plant_filters():
    # Supplier X: its defects (N1, 2 units) over its receipts (10 + 50); COPQ 6.5; HHI 1.
    # Stock and customers ignore the supplier filter.
    x = kpis_reference(plant(), **Q1, supplier="X")
    assert_kpis(
        x,
        {
            "defect_ppm": 2 / 60 * 1e6,
            "copq": 6.5,
            "hhi": 1.0,
            "avg_inventory_value": 49.0,
            "cogs": 47.0,
            "fill_rate": 23 / 28,
            "excess_value": 56 - 19 / 3,
            "otif_rate": 1.0,
        },
    )
    # Sku A: receipts P3 (50); A's only defect in the period names no supplier -> PPM 0.
    # Value 01-01 30, 03-25 50 -> 40; COGS 20 + 12 = 32; lines S1, S3, S5: fill 16 / 21,
    # OTIF 1 / 3; excess 50 - 14/3.
    a = kpis_reference(plant(), **Q1, sku="A")
    assert_kpis(
        a,
        {
            "defect_ppm": 0.0,
            "copq": 8.0,
            "hhi": 1.0,
            "avg_inventory_value": 40.0,
            "cogs": 32.0,
            "inventory_turnover": 32 / 40 * 365 / 91,
            "fill_rate": 16 / 21,
            "customer_otif_rate": 1 / 3,
            "excess_value": 50 - 14 / 3,
        },
    )
    # Sku D has no known cost: its stock value, COGS (S6), COPQ (N4), excess and spend are
    # unknown (None), not 0; its PPM is 1 / 5 (N4 over P4); its service figures are known.
    d = kpis_reference(plant(), **Q1, sku="D")
    for key in ("avg_inventory_value", "cogs", "inventory_turnover", "copq", "excess_value"):
        assert d[key] is None, key
    assert d["hhi"] is None
    assert_kpis(d, {"defect_ppm": 1 / 5 * 1e6, "fill_rate": 1.0, "customer_otif_rate": 1.0})
    # Sku B: no defects -> COPQ 0 (not unknown) and PPM None (no receipts of B either).
    b = kpis_reference(plant(), **Q1, sku="B")
    assert b["copq"] == 0.0 and b["defect_ppm"] is None
    # Supplier W: receipts but no defects -> PPM 0, COPQ 0.
    w = plant()
    w["deliveries"] = pd.concat([w["deliveries"], deliveries(W_LINE)], ignore_index=True)
    assert_kpis(kpis_reference(w, **Q1, supplier="W"), {"defect_ppm": 0.0, "copq": 0.0})
    # Category "Boxes" is sku D; "Parts" is sku A.
    assert kpis_reference(plant(), **Q1, category="Parts") == a


def quirks() -> dict[str, pd.DataFrame]:
    """The plant plus corner cases for the SQL: schedule lines, receipts, snapshots, shipments
    and defects after as_of, a sku (E) whose only cost is on a snapshot after as_of, a sku (F)
    costed as the mean over two locations, a stale snapshot (G), an over-shipment, a shipment
    of 0 units, a demand line one day outside the 90-day window, a supplier (W) without
    defects."""
    f = plant()
    more = deliveries(
        W_LINE,
        ("QE", "1", "Z", "E", "2024-01-05", "2024-01-20", 10, "2024-01-20", 10, NAN),
    )
    f["deliveries"] = pd.concat([f["deliveries"], quirky_lines(), more], ignore_index=True)
    inv = pd.DataFrame(
        [
            ("2024-04-08", "E", "MAIN", 3, 7.0),  # after as_of 03-31
            ("2024-03-25", "E", "MAIN", 3, NAN),
            ("2024-02-05", "F", "MAIN", 10, 4.0),  # F costs (4 + 6) / 2 = 5
            ("2024-02-05", "F", "LINE", 10, 6.0),
            ("2024-02-05", "F", "BIN", 1, NAN),
            ("2023-11-01", "G", "MAIN", 50, 1.0),  # G's latest snapshot, before the period
            ("2024-04-08", "A", "MAIN", 999, NAN),  # after as_of
            ("2024-03-04", "H", "MAIN", 10, 1.5),  # dead stock: no demand at all
        ],
        columns=["date", "sku", "location", "on_hand_qty", "unit_cost"],
    )
    inv["date"] = pd.to_datetime(inv.date)
    orders = pd.DataFrame(
        [
            ("T1", "F", "2024-01-02", "2024-01-10", "2024-01-09", 10, 12),  # over-shipped
            ("T2", "F", "2024-01-01", "2024-01-10", "2024-01-12", 10, 10),  # late; old demand
            ("T3", "A", "2024-04-02", "2024-04-10", None, 5, NAN),  # ordered after as_of
            ("T4", "G", "2024-03-01", "2024-03-29", "2024-03-29", 9, 0),  # shipped 0
            ("T5", "E", "2024-03-01", "2024-03-10", "2024-03-10", 2, 2),
        ],
        columns=["order_number", "sku", "order_date", "requested_date", "shipped_date"]
        + ["ordered_qty", "shipped_qty"],
    )
    orders["order_line"], orders["customer"], orders["unit_price"] = "1", None, NAN
    for c in ("order_date", "requested_date", "shipped_date"):
        orders[c] = pd.to_datetime(orders[c])
    defects = pd.DataFrame(
        [
            ("N6", "2024-04-02", "A", "X", 3, 5.0),  # after as_of
            ("N7", "2024-03-03", "A", "X", 2, NAN),
            ("N8", "2024-03-04", "E", "Z", 1, NAN),  # E's cost: 7, from after as_of
        ],
        columns=["defect_id", "date", "sku", "supplier", "qty", "cost"],
    )
    defects["date"] = pd.to_datetime(defects.date)
    defects["cause"] = "Burrs"
    for name, extra in (("inventory", inv), ("orders", orders), ("defects", defects)):
        f[name] = pd.concat([f[name], extra], ignore_index=True)
    return f


def test_quirks_costs_and_dead_stock():
    # E's only cost is on a snapshot after as_of: unit cost is computed over all data.
    # F: mean over the locations that have a cost on its latest snapshot date.
    cost = unit_costs(quirks())
    assert cost["E"] == 7.0 and cost["F"] == 5.0 and cost["H"] == 1.5 and cost["G"] == 1.0
    # H: 10 on hand on 03-04 and never shipped: value 15, COGS 0, turnover 0, DIO undefined,
    # all 10 units excess (no demand): 15.
    h = kpis_reference(quirks(), **Q1, sku="H")
    assert_kpis(
        h,
        {"avg_inventory_value": 15.0, "cogs": 0.0, "inventory_turnover": 0.0},
    )
    assert h["dio_days"] is None and h["excess_value"] == 15.0
    # G: its latest snapshot (2023-11-01, 50 on hand) is before the period but still its
    # latest: 9 ordered in the 90 days -> d = 0.1; excess (50 - 10 x 0.1) x 1 = 49. No
    # snapshot in the period -> no inventory value.
    g = kpis_reference(quirks(), **Q1, sku="G")
    assert g["excess_value"] == pytest.approx(49.0, rel=1e-12)
    assert g["avg_inventory_value"] is None
    # F: T1 (ordered 01-02, in the window [01-02, 03-31]) counts as demand, T2 (01-01) not:
    # d = 10 / 90; excess (20 - 10/9) x 5 = 100 - 50/9 (the BIN location has 1 more unit:
    # latest on hand = 21 -> (21 - 10/9) x 5). Over-shipped T1 fills 10 of 10.
    f = kpis_reference(quirks(), **Q1, sku="F")
    assert_kpis(f, {"excess_value": (21 - 10 / 9) * 5, "fill_rate": 1.0, "customer_otif_rate": 0.5})


def test_waste_reference_inventory_is_excess_only_and_dead_stock_is_exposure():
    # H alone (dead: no demand at all; 10 on hand at 1.5): excess = all 10 units = 15, held
    # for Q1's 91 days at 25% a year: 15 x 0.25 x 91 / 365; dead stock's 15 is not added
    # again but shown as the write-off exposure.
    h = waste_reference(quirks(), **Q1, sku="H")
    assert h["inventory"] == pytest.approx(15 * 0.25 * 91 / 365, rel=1e-12)
    assert (h["write_off_exposure"], h["dead_skus"]) == (15.0, 1)
    # The whole plant: H is the only dead sku (F's demand on 01-02 is the first day of the
    # 90); the inventory waste is the plant's excess held for the period.
    q = waste_reference(quirks(), **Q1)
    excess = kpis_reference(quirks(), **Q1)["excess_value"]
    assert q["inventory"] == pytest.approx(excess * 0.25 * 91 / 365, rel=1e-12)
    assert (q["write_off_exposure"], q["dead_skus"]) == (15.0, 1)
    # D alone: dead after 30 days without demand (its only order, 01-02, is older), 7 on hand
    # of unknown cost: the exposure is unknown, not 0.
    d = waste_reference(quirks(), **Q1, sku="D", settings={"dead_stock_days": 30})
    assert d["write_off_exposure"] is None and d["dead_skus"] == 1


def netting() -> dict[str, pd.DataFrame]:
    """The plant plus reversals, returns, cancelled lines and sites (METRICS.md section 1a).

    Acme's lines R-V are tests/metrics/test_figures_netting.py's, on sku A; more corners:
    QD is reversed before its receipt (the 4 taken back come out of the next receipt), QS is
    received and reversed on one day, QP is received in January and reversed after as_of.
    X and Y (Bolt) and two orders are cancelled; V's status "Closed" counts as usual. Rows
    carry sites 1000 and 2000, and sku A has a snapshot at both sites on 03-25 and one at
    site 1000 on 03-20 only: its latest there, so A's stock at as-of is 25 + 7 + 3."""
    f = plant()
    more = deliveries(
        ("R", "1", "Acme", "A", "2024-03-01", "2024-03-11", 100, "2024-03-10", 100, 2.0),
        ("R", "1", "Acme", "A", "2024-03-01", "2024-03-11", 100, "2024-03-12", -100, 2.0),
        ("S", "1", "Acme", "A", "2024-03-01", "2024-03-11", 100, "2024-03-10", 100, 2.0),
        ("S", "1", "Acme", "A", "2024-03-01", "2024-03-11", 100, "2024-03-12", -40, 2.0),
        ("T", "1", "Acme", "A", "2024-03-01", "2024-03-11", 100, "2024-03-09", 60, 2.0),
        ("T", "1", "Acme", "A", "2024-03-01", "2024-03-11", 100, "2024-03-14", 40, 2.0),
        ("T", "1", "Acme", "A", "2024-03-01", "2024-03-11", 100, "2024-03-15", -40, 2.0),
        ("U", "1", "Acme", "A", "2024-03-01", "2024-03-11", 100, "2024-03-10", 100, 2.0),
        ("U", "1", "Acme", "A", "2024-03-01", "2024-03-11", 100, "2024-03-12", -100, 2.0),
        ("U", "1", "Acme", "A", "2024-03-01", "2024-03-11", 100, "2024-03-15", 100, 2.0),
        ("V", "1", "Acme", "A", "2024-03-01", "2024-03-20", 50, "2024-03-20", 50, 2.0),
        ("QD", "1", "Y", "C", "2024-02-01", "2024-02-20", 10, "2024-02-10", -4, 4.0),
        ("QD", "1", "Y", "C", "2024-02-01", "2024-02-20", 10, "2024-02-15", 10, 4.0),
        ("QS", "1", "Y", "C", "2024-02-01", "2024-02-20", 10, "2024-02-18", 10, 4.0),
        ("QS", "1", "Y", "C", "2024-02-01", "2024-02-20", 10, "2024-02-18", -10, 4.0),
        ("QP", "1", "X", "B", "2024-01-05", "2024-01-20", 10, "2024-01-18", 10, NAN),
        ("QP", "1", "X", "B", "2024-01-05", "2024-01-20", 10, "2024-04-02", -10, NAN),
        ("X", "1", "Bolt", "A", "2024-03-01", "2024-03-15", 30, "2024-03-14", 30, 9.0),
        ("Y", "1", "Bolt", "A", "2024-03-01", "2024-03-05", 20, None, NAN, 9.0),
    )
    more["receipt_id"] = [f"N{i}" for i in range(len(more))]
    more["status"] = [None] * 10 + ["Closed"] + [None] * 6 + ["Cancelled", "2"]
    more["site"] = ["1000"] * 11 + ["2000"] * 8
    f["deliveries"] = pd.concat([f["deliveries"], more], ignore_index=True)
    orders = pd.DataFrame(
        [
            ("SX", "A", "2024-03-01", "2024-03-12", None, 10, NAN, "cancel"),
            ("SY", "B", "2024-02-01", "2024-02-10", "2024-02-05", 5, 5, " CANCELLED"),
        ],
        columns=["order_number", "sku", "order_date", "requested_date", "shipped_date"]
        + ["ordered_qty", "shipped_qty", "status"],
    )
    orders["order_line"], orders["customer"], orders["unit_price"] = "1", "Cust", 9.0
    for c in ("order_date", "requested_date", "shipped_date"):
        orders[c] = pd.to_datetime(orders[c])
    stock = pd.DataFrame(
        [("2024-03-25", "A", "2000", "MAIN", 7, NAN), ("2024-03-20", "A", "1000", "MAIN", 3, NAN)],
        columns=["date", "sku", "site", "location", "on_hand_qty", "unit_cost"],
    )
    stock["date"] = pd.to_datetime(stock.date)
    f["orders"] = pd.concat([f["orders"], orders], ignore_index=True)
    f["inventory"] = pd.concat([f["inventory"], stock], ignore_index=True)
    return f


def test_reference_nets_reversals_and_leaves_cancelled_lines_out():
    # Acme's lines R-V (test_figures_netting.py): due 5; OTIF V = 1/5; OT S T V = 3/5;
    # IF U V = 2/5; early 0 of 4; lead times 9, 8, 14, 19: mean 12.5, p95 18.25; all spend
    # Acme's: HHI 1; no Acme defect: PPM 0 over 270 net units.
    acme = kpis_reference(netting(), **Q1, supplier="Acme")
    assert_kpis(
        acme,
        {
            "otif_rate": 1 / 5,
            "on_time_rate": 3 / 5,
            "in_full_rate": 2 / 5,
            "early_rate": 0.0,
            "lead_time_mean_days": 12.5,
            "lead_time_sd_days": math.sqrt(77 / 3),
            "lead_time_p95_days": 18.25,
            "hhi": 1.0,
            "defect_ppm": 0.0,
        },
    )
    # Bolt's lines are all cancelled: no figure has anything of Bolt's
    bolt = kpis_reference(netting(), **Q1, supplier="Bolt")
    for key in ("otif_rate", "lead_time_mean_days", "hhi", "defect_ppm"):
        assert bolt[key] is None, key
    # Sku C: plant's P1 and P2 (in full on P, lead 10 each) and QD: -4 on 02-10, then 10 on
    # 02-15 pays the 4 back first: 6 kept, on time, short, lead 14. QS nets to 0 on 02-18:
    # no receipt, late, short. Due P1 P2 QD QS: OTIF 2/4, OT 3/4, IF 2/4; lead mean 34 / 3.
    # C's delivery cost: P1 10 x 1 + P2 30 x 4 + QD (10 - 4) x 4 + QS (10 - 10) x 4 = 154
    # over 10 + 30 + 6 + 0 = 46 units.
    c = kpis_reference(netting(), **Q1, sku="C")
    assert_kpis(
        c,
        {"otif_rate": 2 / 4, "on_time_rate": 3 / 4, "in_full_rate": 2 / 4},
    )
    assert c["lead_time_mean_days"] == pytest.approx(34 / 3)
    assert unit_costs(netting())["C"] == pytest.approx(154 / 46)
    # Sku B: QP's reversal on 04-02 is after as_of: its 10 units still count (in full, on
    # time); the cancelled shipment SY is no COGS: B's COGS stays plant's 5 x 3.
    b = kpis_reference(netting(), **Q1, sku="B")
    assert_kpis(b, {"otif_rate": 1.0, "cogs": 15.0})


# -- the cross-check against the SQL ---------------------------------------------------------
def store_of(path, frames: dict[str, pd.DataFrame], settings=None) -> Store:
    """A store holding exactly these frames (written straight into the canonical tables)."""
    store = Store(path, lock_timeout=20)
    with store.writer() as cur:
        for name, cols in COLUMNS.items():
            df = frames.get(name, pd.DataFrame(columns=list(cols)))
            df = df.reindex(columns=list(cols))
            cur.register("incoming", df)
            cur.execute(f"INSERT INTO {name} BY NAME SELECT * FROM incoming")
            cur.unregister("incoming")
        for key, value in (settings or {}).items():
            set_setting(cur, key, value)
    return store


def typed(kwargs: dict) -> dict:
    """The same arguments with dates as datetime.date, as the app passes them."""
    return {k: (D(v).date() if k in ("as_of", "start", "end") else v) for k, v in kwargs.items()}


def mismatches(got: dict, expected: dict) -> dict:
    assert set(got) >= set(KPI_KEYS)
    return {k: (got[k], expected[k]) for k in KPI_KEYS if not close(got[k], expected[k])}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("crosscheck") / "takt.duckdb", lock_timeout=20)
    load_demo(store)
    with store.connect() as cur:
        settings = get_settings(cur)
    yield store, load_frames(store), settings
    store.close()


CASES = {
    "defaults": {},
    "earlier_period": {"as_of": "2026-06-30", "start": "2026-01-01", "end": "2026-06-30"},
    "supplier": {"supplier": UNRELIABLE_SUPPLIERS[0]},
    "sku": {"sku": "SKU-10001"},
    "category": {"category": "Castings"},
    "second_site": {"site": "Werk Süd"},
    "main_site_castings": {"site": "Werk Nord", "category": "Castings"},
}


@pytest.mark.parametrize("case", CASES)
def test_sql_matches_reference(demo, case):
    store, frames, settings = demo
    got = compute_kpis(store, **typed(CASES[case]))
    expected = kpis_reference(frames, **CASES[case], settings=settings)
    assert not mismatches(got, expected), f"{case}: (sql, reference): {mismatches(got, expected)}"


def test_sql_matches_reference_for_every_supplier(demo):
    # Some demo suppliers have no defect in the default period: PPM 0 and COPQ 0 for them.
    store, frames, settings = demo
    bad = {}
    for supplier in sorted(frames["deliveries"].supplier.unique()):
        got = compute_kpis(store, supplier=supplier)
        diff = mismatches(got, kpis_reference(frames, supplier=supplier, settings=settings))
        if diff:
            bad[supplier] = diff
    assert not bad, f"(sql, reference): {bad}"


HAND_CASES = {
    "plant": ("plant", None, Q1),
    "plant_supplier": ("plant", None, {**Q1, "supplier": "X"}),
    "plant_sku_unknown_cost": ("plant", None, {**Q1, "sku": "D"}),
    "plant_sku_no_defects": ("plant", None, {**Q1, "sku": "B"}),
    "plant_before_any_data": ("plant", None, {"as_of": "2023-01-01"}),
    "quirks": ("quirks", None, Q1),
    "quirks_defaults": ("quirks", None, {}),
    "quirks_end_after_as_of": ("quirks", None, {**Q1, "end": "2024-04-30"}),
    "quirks_feb": (
        "quirks",
        None,
        {"start": "2024-02-01", "end": "2024-02-29", "as_of": "2024-03-31"},
    ),
    "quirks_supplier_without_defects": ("quirks", None, {**Q1, "supplier": "W"}),
    "quirks_sku_cost_after_as_of": ("quirks", None, {**Q1, "sku": "E"}),
    "quirks_sku_two_locations": ("quirks", None, {**Q1, "sku": "F"}),
    "quirks_sku_dead_stock": ("quirks", None, {**Q1, "sku": "H"}),
    "quirks_category": ("quirks", None, {**Q1, "category": "Parts"}),
    "quirks_loose": ("quirks", LOOSE, {**Q1, "end": "2024-04-30"}),
    "quirks_loose_supplier": ("quirks", LOOSE, {**Q1, "supplier": "Z"}),
    "quirks_dead_after_30_days": ("quirks", {"dead_stock_days": 30}, Q1),
    "netting": ("netting", None, Q1),
    "netting_defaults": ("netting", None, {}),
    "netting_march": (
        "netting",
        None,
        {"start": "2024-03-01", "end": "2024-03-31", "as_of": "2024-03-31"},
    ),
    "netting_before_the_reversals": (
        "netting",
        None,
        {"start": "2024-03-01", "end": "2024-03-11", "as_of": "2024-03-11"},
    ),
    "netting_supplier": ("netting", None, {**Q1, "supplier": "Acme"}),
    "netting_cancelled_supplier": ("netting", None, {**Q1, "supplier": "Bolt"}),
    "netting_sku": ("netting", None, {**Q1, "sku": "C"}),
    "netting_loose": ("netting", LOOSE, {**Q1, "end": "2024-04-30"}),
    "netting_site_1000": ("netting", None, {**Q1, "site": "1000"}),
    "netting_site_2000": ("netting", None, {**Q1, "site": "2000"}),
    "netting_site_2000_sku": ("netting", None, {**Q1, "site": "2000", "sku": "C"}),
    "netting_the_empty_site": ("netting", None, {**Q1, "site": ""}),
    "netting_site_1000_defaults": ("netting", None, {"site": "1000"}),
}


@pytest.fixture(scope="module")
def hand_stores(tmp_path_factory):
    stores = {}
    yield stores
    for store in stores.values():
        store.close()


def hand_store(hand_stores, tmp_path_factory, case: str):
    """The store of a hand case (one per data set and settings), its frames and arguments."""
    name, settings, kwargs = HAND_CASES[case]
    builder = {"plant": plant, "quirks": quirks, "netting": netting}[name]
    key = (name, tuple(sorted((settings or {}).items())))
    if key not in hand_stores:
        path = tmp_path_factory.mktemp("hand") / "takt.duckdb"
        hand_stores[key] = store_of(path, builder(), settings)
    return hand_stores[key], builder(), settings, kwargs


@pytest.mark.parametrize("case", HAND_CASES)
def test_sql_matches_reference_on_hand_made_data(hand_stores, tmp_path_factory, case):
    store, frames, settings, kwargs = hand_store(hand_stores, tmp_path_factory, case)
    got = compute_kpis(store, **typed(kwargs))
    expected = kpis_reference(frames, **kwargs, settings=settings)
    assert not mismatches(got, expected), f"{case}: (sql, reference): {mismatches(got, expected)}"


def waste_mismatches(store, frames, settings, kwargs) -> dict:
    """The ledger's Inventory line and write-off exposure against the reference (stock is
    the plant's: the supplier filter does not apply to it)."""
    ledger = {r["waste"]: r["value"] for r in waste(store, Scope(**typed(kwargs)))}
    got = {
        "inventory": ledger["Inventory"],
        "write_off_exposure": ledger["Dead stock (write-off exposure)"],
    }
    stock_kwargs = {k: v for k, v in kwargs.items() if k != "supplier"}
    expected = waste_reference(frames, **stock_kwargs, settings=settings)
    return {k: (got[k], expected[k]) for k in got if not close(got[k], expected[k])}


@pytest.mark.parametrize("case", CASES)
def test_waste_inventory_and_exposure_match_reference(demo, case):
    store, frames, settings = demo
    bad = waste_mismatches(store, frames, settings, CASES[case])
    assert not bad, f"{case}: (sql, reference): {bad}"


@pytest.mark.parametrize("case", HAND_CASES)
def test_waste_matches_reference_on_hand_made_data(hand_stores, tmp_path_factory, case):
    store, frames, settings, kwargs = hand_store(hand_stores, tmp_path_factory, case)
    bad = waste_mismatches(store, frames, {**DEFAULT_SETTINGS, **(settings or {})}, kwargs)
    assert not bad, f"{case}: (sql, reference): {bad}"
