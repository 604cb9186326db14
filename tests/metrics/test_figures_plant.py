"""Quality, inventory, customers, stock, risk, sizing and waste (METRICS.md sections 1, 4-8).

A small plant, period March 2024 (31 days), as-of 2024-03-31, default settings.

Unit costs (section 1): S1 = 2 (item master); S2 = 7 (no master; its latest snapshot date
with a cost, 03-25, has 6 and 8 at two locations: mean 7); S3 = 4.5 (no master, no snapshot
cost; receipts 10 @ 3 and 30 @ 5: 180 / 40); S4 unknown.

Receipts in March: P1 1000 (S1, 900 ordered), P2 10, P3 30, P4 100, P6 100 = 1240 units.
Defects in March: Acme S1 5 (no cost: 5 x 2 = 10), S2 2 without supplier (cost 20), Bolt
S3 3 (3 x 4.5 = 13.5), Bolt S4 1 (cost unknown). PPM = (5 + 3 + 1) / 1240 x 1e6;
COPQ = 43.5 with one event of unknown cost.
Snapshots: 03-04 = S1 100 x 2 + S2 10 x 7 = 270; 03-25 = S1 50 x 2 + S2 30 x 7 + S3 0 +
S4 5 x unknown = 310; average 290.
Customer lines: O1 100 shipped on time; O2 10 shipped 2 days late; O3 40 of 50 on the
requested day; O4 requested in April; O5 requested on the as-of date, unshipped (not due).
Due O1 O2 O3: fill = (100 + 10 + 40) / 160; OTIF 1 / 3. COGS = 100 x 2 + 10 x 7 + 40 x 2.
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from scipy.stats import norm

from analytics.metrics.figures import compute_kpis, sku_sizing, table_rows, waste
from analytics.metrics.registry import hhi_band
from analytics.metrics.waste import money_total
from analytics.models.params import Scope
from tests.conftest import d, insert

MARCH = {"start": date(2024, 3, 1), "end": date(2024, 3, 31), "as_of": date(2024, 3, 31)}


def receipt(po, supplier, sku, ordered, promised, received, qty, cost=None, ordered_qty=None):
    return {
        "po_number": po,
        "supplier": supplier,
        "sku": sku,
        "order_date": d(ordered),
        "promised_date": d(promised),
        "ordered_qty": ordered_qty or qty,
        "received_date": d(received),
        "received_qty": qty,
        "unit_cost": cost,
    }


@pytest.fixture
def plant(store):
    insert(
        store,
        "items",
        {
            "sku": "S1",
            "category": "Fasteners",
            "container_qty": 10,
            "planned_lead_time_days": 10,
            "unit_cost": 2.0,
        },
    )
    insert(
        store,
        "deliveries",
        receipt("P1", "Acme", "S1", "02-20", "03-05", "03-05", 1000, 2.0, ordered_qty=900),
        receipt("P2", "Acme", "S3", "03-01", "03-10", "03-06", 10, 3.0),
        receipt("P3", "Bolt", "S3", "03-01", "03-07", "03-07", 30, 5.0),
        receipt("P4", "Bolt", "S4", "02-25", "03-01", "03-08", 100),
        receipt("P5", "Bolt", "S2", "02-01", "02-15", "02-15", 500, 7.0),
        receipt("P6", "Acme", "S1", "03-01", "03-12", "03-11", 100, 2.0),
    )
    insert(
        store,
        "defects",
        {
            "defect_id": "1",
            "date": d("03-10"),
            "sku": "S1",
            "supplier": "Acme",
            "stage": "receiving",
            "cause": "Burr",
            "qty": 5,
        },
        {
            "defect_id": "2",
            "date": d("03-11"),
            "sku": "S2",
            "stage": "production",
            "cause": "Scratch",
            "qty": 2,
            "cost": 20.0,
        },
        {
            "defect_id": "3",
            "date": d("03-12"),
            "sku": "S3",
            "supplier": "Bolt",
            "stage": "receiving",
            "cause": "Burr",
            "qty": 3,
        },
        {
            "defect_id": "4",
            "date": d("03-13"),
            "sku": "S4",
            "supplier": "Bolt",
            "stage": "receiving",
            "cause": "Dent",
            "qty": 1,
        },
        {
            "defect_id": "5",
            "date": d("02-20"),
            "sku": "S1",
            "supplier": "Acme",
            "stage": "receiving",
            "cause": "Burr",
            "qty": 100,
        },
    )
    insert(
        store,
        "inventory",
        {"date": d("02-26"), "sku": "S1", "on_hand_qty": 999},
        {"date": d("03-04"), "sku": "S1", "on_hand_qty": 100},
        {"date": d("03-04"), "sku": "S2", "location": "X", "on_hand_qty": 10, "unit_cost": 5.0},
        {"date": d("03-25"), "sku": "S1", "on_hand_qty": 50},
        {"date": d("03-25"), "sku": "S2", "location": "X", "on_hand_qty": 10, "unit_cost": 6.0},
        {"date": d("03-25"), "sku": "S2", "location": "Y", "on_hand_qty": 20, "unit_cost": 8.0},
        {"date": d("03-25"), "sku": "S3", "on_hand_qty": 0},
        {"date": d("03-25"), "sku": "S4", "on_hand_qty": 5},
    )

    def order(no, sku, ordered, requested, qty, shipped=None, shipped_qty=None):
        return {
            "order_number": no,
            "sku": sku,
            "order_date": d(ordered),
            "requested_date": d(requested),
            "ordered_qty": qty,
            "shipped_date": d(shipped) if shipped else None,
            "shipped_qty": shipped_qty,
        }

    insert(
        store,
        "orders",
        order("O1", "S1", "03-01", "03-10", 100, "03-09", 100),
        order("O2", "S2", "03-02", "03-12", 10, "03-14", 10),
        order("O3", "S1", "03-05", "03-20", 50, "03-20", 40),
        order("O4", "S3", "03-25", "04-10", 20),
        order("O5", "S1", "03-20", "03-31", 30),
    )
    return store


def test_unit_cost_falls_back_in_the_contract_order(plant):
    costs = {
        r["sku"]: (r["unit_cost"], r["cost_source"])
        for r in table_rows(plant, "dim_sku", Scope(**MARCH))
    }
    assert costs == {
        "S1": (2.0, "item master"),
        "S2": (7.0, "inventory snapshot"),
        "S3": (4.5, "deliveries"),
        "S4": (None, None),
    }


def test_quality(plant):
    k = compute_kpis(plant, **MARCH)
    assert k["defect_ppm"] == pytest.approx(9 / 1240 * 1e6)
    assert k["copq"] == pytest.approx(43.5)
    k = compute_kpis(plant, supplier="Bolt", **MARCH)
    # Bolt: defects 3 + 1 over its receipts 30 + 100; COPQ only 13.5 (S4's cost is unknown)
    assert (k["defect_ppm"], k["copq"]) == (pytest.approx(4 / 130 * 1e6), pytest.approx(13.5))


def test_inventory_and_turnover(plant):
    k = compute_kpis(plant, **MARCH)
    assert k["avg_inventory_value"] == pytest.approx(290.0)
    assert k["cogs"] == pytest.approx(350.0)
    turns = 350 / 290 * 365 / 31
    assert k["inventory_turnover"] == pytest.approx(turns)
    assert k["dio_days"] == pytest.approx(365 / turns)


def test_customer_service(plant):
    k = compute_kpis(plant, **MARCH)
    assert k["fill_rate"] == pytest.approx(150 / 160)
    assert k["customer_otif_rate"] == pytest.approx(1 / 3)


def test_stock_position_excess_and_dead_stock(plant):
    # Demand over the 90 days to 03-31: S1 100 + 50 + 30 = 180 (2 a day), S2 10, S3 20.
    # Excess at 10 days of cover: S1 50 - 20 = 30 units (60); S2 30 - 10/9 units x 7.
    rows = {r["sku"]: r for r in table_rows(plant, "sku_stock", Scope(**MARCH))}
    assert rows["S1"]["days_of_cover"] == pytest.approx(25.0)
    assert rows["S2"]["excess_value"] == pytest.approx((30 - 100 / 90) * 7)
    assert rows["S4"]["is_dead"] and rows["S4"]["excess_value"] is None
    assert not rows["S3"]["is_dead"]  # nothing on hand is not dead stock
    k = compute_kpis(plant, **MARCH)
    assert k["excess_value"] == pytest.approx(60 + (30 - 100 / 90) * 7)


def test_spend_concentration(plant):
    # Spend in March: Acme 1000 x 2 + 10 x 3 + 100 x 2 = 2230, Bolt 30 x 5 = 150 (S4 has no
    # cost at all, so its 100 units cannot be valued). HHI = (2230^2 + 150^2) / 2380^2.
    k = compute_kpis(plant, **MARCH)
    assert k["hhi"] == pytest.approx((2230**2 + 150**2) / 2380**2)
    assert hhi_band(k["hhi"]) == "highly concentrated"
    assert [hhi_band(x) for x in (None, 0.1, 0.2)] == [
        None,
        "unconcentrated",
        "moderately concentrated",
    ]


def test_pull_system_sizing(plant):
    rows = {r["sku"]: r for r in sku_sizing(plant, Scope(**MARCH))}
    s1 = rows["S1"]
    # d = 180 / 90 = 2; daily sd over 90 days: (13400 - 180^2 / 90) / 89; L from P1 (14
    # days) and P6 (10 days): mean 12, sd sqrt(8).
    var_d = (100**2 + 50**2 + 30**2 - 180**2 / 90) / 89
    assert (s1["daily_demand"], s1["daily_demand_sd"]) == (2.0, pytest.approx(math.sqrt(var_d)))
    assert (s1["lead_time_mean_days"], s1["lead_time_sd_days"]) == (12.0, pytest.approx(8**0.5))
    safety = norm.ppf(0.95) * math.sqrt(12 * var_d + 4 * 8)
    assert s1["safety_stock"] == pytest.approx(safety)
    assert s1["reorder_point"] == pytest.approx(24 + safety)
    assert s1["kanban_cards"] == 3  # ceil(2 x 12 x 1.1 / 10) = ceil(2.64)
    assert (s1["lead_time_drift_days"], s1["drift_flag"]) == (2.0, False)  # 20% exactly
    # ABC by consumption value over 365 days: S1 360, S3 90, S2 70 of 520:
    # cumulative 0.692 (A), 0.865 (B), 1.0 (C); S4 has no cost, so no class.
    assert {s: rows[s]["abc_class"] for s in ("S1", "S2", "S3", "S4")} == {
        "S1": "A",
        "S2": "C",
        "S3": "B",
        "S4": None,
    }
    assert s1["xyz_class"] == "Z"  # demand in only 3 of the 52 weeks


def test_waste_ledger(plant):
    ledger = {r["waste"]: r for r in waste(plant, Scope(**MARCH))}
    excess = 60 + (30 - 100 / 90) * 7
    assert ledger["Inventory"]["value"] == pytest.approx(excess * 0.25 * 31 / 365)
    assert ledger["Overproduction / over-delivery"]["value"] == pytest.approx(100 * 2.0)
    # P2: 10 units of S3 four days early (03-06 vs 03-10), valued at S3's cost 4.5
    assert ledger["Early arrival"]["value"] == pytest.approx(10 * 4 * 4.5 * 0.25 / 365)
    # P4 came 7 days late; S3 had 0 on hand on 03-25 with an order that day
    assert (ledger["Waiting"]["value"], ledger["Waiting"]["unit"]) == (8.0, "days")
    assert ledger["Defects"]["value"] == pytest.approx(43.5)
    assert [ledger[w]["measurable"] for w in ("Transport", "Motion", "Over-processing")] == [
        False,
        False,
        False,
    ]
    assert ledger["Transport"]["value"] is None


@pytest.fixture
def dead_stock(store):
    """Three skus counted on 03-31: K1 (2.00, item master) 100 on hand with 90 ordered on
    03-15; K2 (5.00) 40 on hand and never ordered; K3 (no cost anywhere) 7 on hand, never
    ordered. Nothing was received or is defective, so Inventory is the only money waste."""
    insert(
        store,
        "items",
        {"sku": "K1", "unit_cost": 2.0},
        {"sku": "K2", "unit_cost": 5.0},
        {"sku": "K3"},
    )
    insert(
        store,
        "inventory",
        *(
            {"date": d("03-31"), "sku": s, "on_hand_qty": q}
            for s, q in (("K1", 100), ("K2", 40), ("K3", 7))
        ),
    )
    insert(
        store,
        "orders",
        {
            "order_number": "O1",
            "sku": "K1",
            "order_date": d("03-15"),
            "requested_date": d("03-20"),
            "ordered_qty": 90,
            "shipped_date": d("03-20"),
            "shipped_qty": 90,
        },
    )
    return store


def test_dead_stock_is_write_off_exposure_beside_the_ledger(dead_stock):
    # Daily demand over the 90 days to 03-31: K1 90 / 90 = 1, K2 and K3 none.
    # Excess at 10 days of cover: K1 (100 - 10) x 2 = 180; K2, dead, all 40 x 5 = 200; K3 has
    #   no cost: counted, not valued. excess_value = 380.
    # Inventory waste = 380 x 0.25 x 31 / 365 = 2945 / 365 = 8.07 (dead stock's 200 is in the
    #   380 already, so it is not added again: before it was 8.07 + 200 = 208.07).
    # Write-off exposure = dead stock's value at 03-31: K2 200 (K3, dead too, has no cost).
    ledger = waste(dead_stock, Scope(**MARCH))
    rows = {r["waste"]: r for r in ledger}
    assert rows["Inventory"]["value"] == pytest.approx(2945 / 365)
    exposure = rows["Dead stock (write-off exposure)"]
    assert (exposure["value"], exposure["unit"], exposure["position"]) == (200.0, "stock", 9)
    assert exposure["basis"].startswith("2 dead SKUs on hand at the as-of date")
    assert money_total(ledger) == pytest.approx(2945 / 365)  # the exposure is not added
    # The rest of the ledger is empty: no receipts, no late lines, no stock-outs, no defects.
    assert [rows[w]["value"] for w in ("Overproduction / over-delivery", "Early arrival")] == [
        0.0,
        0.0,
    ]
    assert (rows["Waiting"]["value"], rows["Defects"]["value"]) == (0.0, 0.0)


def test_dead_stock_of_unknown_cost_is_unknown_exposure_not_zero(dead_stock):
    # K3 alone: dead, 7 on hand, no cost: its excess and its exposure are unknown, not 0.
    rows = {r["waste"]: r for r in waste(dead_stock, Scope(**MARCH, sku="K3"))}
    assert rows["Inventory"]["value"] is None
    assert rows["Dead stock (write-off exposure)"]["value"] is None
    # K1 alone has demand: no dead stock, an exposure of 0 over 0 dead SKUs.
    rows = {r["waste"]: r for r in waste(dead_stock, Scope(**MARCH, sku="K1"))}
    exposure = rows["Dead stock (write-off exposure)"]
    assert exposure["value"] == 0.0 and exposure["basis"].startswith("0 dead SKUs")
    assert rows["Inventory"]["value"] == pytest.approx(180 * 0.25 * 31 / 365)


@pytest.mark.parametrize(
    ("supplier", "skus"),
    [
        (None, ["S1", "S2", "S3", "S4"]),
        ("Acme", ["S1", "S3"]),  # P1 and P6 (S1), P2 (S3)
        ("Bolt", ["S2", "S3", "S4"]),  # P3 (S3), P4 (S4), P5 (S2, ordered in February)
    ],
)
def test_pull_system_sizing_of_one_supplier_lists_the_skus_it_delivers(plant, supplier, skus):
    rows = sku_sizing(plant, Scope(**MARCH, supplier=supplier))
    assert sorted(r["sku"] for r in rows) == skus
