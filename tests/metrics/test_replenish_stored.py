"""The Pull list read from its stored inputs (issue 13's speed goal) gives what the models give.

At refresh the inputs of the list that no request changes are stored for the default as-of
and period: demand and lead time per sku and site (`buffer_inputs`), stock, open supply, due
demand and the proposed supplier (`pull_positions`), each supplier's OTIF and p95
(`supplier_pull_figures`) and the ABC classes. The plant is tests/metrics/test_replenish.py's
(its docstring works every figure out by hand); here every store is refreshed, so the list
reads the stored tables, and each write (a setting, a load, an undo, a forecast) must move
the list exactly as the pandas reference says.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest

from analytics.ingest import undo_import
from analytics.metrics.planning import save_settings
from analytics.metrics.replenish import replenishment
from analytics.models import materialize
from analytics.models.compose import compose, duckdb_dialect, parameters
from analytics.models.params import resolve
from analytics.store.version import bump_keeping_facts
from tests.conftest import csv_text, load
from tests.metrics.test_replenish import AS_OF, SCOPE, _stored_forecast, assert_reference, fill

PULL_FACTS = {"buffer_inputs", "pull_positions", "supplier_pull_figures", "abc_classes"}


@pytest.fixture
def plant(store):
    fill(store)
    materialize.refresh_store(store)
    return store


def stored_in_use(store) -> bool:
    with store.connect() as cur:
        return materialize.usable(cur, resolve(cur, SCOPE)) >= PULL_FACTS


def rows_of(store) -> dict:
    return {(r["sku"], r["site"]): r for r in replenishment(store, SCOPE)}


def from_the_models(store) -> dict:
    """The list computed on request from the canonical tables, no stored table read."""
    with store.connect() as cur:
        sql = duckdb_dialect(compose("replenishment"))
        params = resolve(cur, SCOPE)
        result = cur.execute(sql, {k: params[k] for k in parameters(sql)})
        names = [d[0] for d in result.description]
        rows = [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    return {(r["sku"], r["site"]): r for r in rows}


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def test_the_stored_inputs_hold_the_hand_worked_figures(plant):
    """LATE: on hand 2, 10 overdue (one line) + 5 within the horizon, nothing later; FAR: the
    100 promised 09-30 is later supply; SPIKE: 1 due (06-25), Bolt proposed (40 > 30).
    TWO@2000: d = 1, L = mean(4, 6, 8) = 6, sd_L = 2, horizon 6. Bolt: OTIF 3/4, p95 7.85;
    Acme: 16 lines received on time, OVD (promised 06-20) due and open: 16/17; p95 of
    its 16 lead times (four 8s, five 10s, three 11s, four 12s) = 12."""
    with plant.connect() as cur:
        positions = {
            r[0]: r[1:]
            for r in cur.execute(
                "SELECT sku, on_hand, open_supply, overdue_supply, overdue_lines, "
                "later_supply, due_demand, supplier FROM mart_pull_positions WHERE site = ''"
            ).fetchall()
        }
        inputs = cur.execute(
            "SELECT daily_demand_90, daily_demand_sd, lead_time_lines, lead_time_mean_days, "
            "lead_time_sd_days, horizon_days FROM mart_buffer_inputs "
            "WHERE sku = 'TWO' AND site = '2000'"
        ).fetchone()
        figures = cur.execute("FROM mart_supplier_pull_figures").fetchall()
    suppliers = {s: (otif, p95) for s, otif, p95 in figures}
    assert positions["LATE"] == (2, 15, 10, 1, 0, None, "Acme")
    assert positions["FAR"] == (3, 0, 0, 0, 100, None, "Acme")
    assert positions["SPIKE"] == (30, None, None, None, None, 1, "Bolt")
    assert inputs == (1, 0, 3, 6, 2, 6)
    assert suppliers["Bolt"] == (0.75, pytest.approx(7.85))
    assert suppliers["Acme"] == (pytest.approx(16 / 17), 12)


def test_the_list_from_stored_inputs_equals_the_models_and_the_reference(plant):
    assert stored_in_use(plant)
    got, expected = rows_of(plant), from_the_models(plant)
    assert set(got) == set(expected)
    bad = {
        (key, name): (value, expected[key][name])
        for key, row in got.items()
        for name, value in row.items()
        if not same(value, expected[key][name])
    }
    assert bad == {}
    assert_reference(plant, AS_OF)


def _z2(rows):
    """z = 2: FAR's safety stock 2 x 2 x 2 = 8, reorder point 20 + 8 = 28, top of green
    28 + 14 = 42; net flow 3: red, order 39."""
    far = rows["FAR", ""]
    return far["safety_stock"], far["top_of_green"], far["status"], far["suggested_qty"]


@pytest.mark.parametrize(
    ("setting", "value", "read", "expected"),
    [
        # FAR: top of green 24 + max(1, 2 x 10) = 44; net flow 3: order 41
        ("order_cycle_days", 10, lambda r: (r["FAR", ""]["top_of_green"],
                                            r["FAR", ""]["suggested_qty"]), (44, 41)),
        # SPIKE: threshold 0.1 x 4 = 0.4: the 1 on 07-08 is a spike too; demand 1 + 25 + 1,
        # net flow 30 - 27 = 3: 38 - 3 = 35 -> 4 containers of 10
        ("spike_factor", 0.1, lambda r: (r["SPIKE", ""]["qualified_demand"],
                                         r["SPIKE", ""]["net_flow"],
                                         r["SPIKE", ""]["suggested_qty"]), (27, 3, 40)),
        # SPIKE: threshold 20 x 4 = 80: no spike; net flow 29 > 24: green, nothing to order
        ("spike_factor", 20, lambda r: (r["SPIKE", ""]["qualified_demand"],
                                        r["SPIKE", ""]["status"],
                                        r["SPIKE", ""]["suggested_qty"]), (1, "green", None)),
        # Bolt's late line (3 days) is on time with 3 days' tolerance: OTIF 4/4
        ("late_tolerance_days", 3, lambda r: r["SPIKE", ""]["supplier_otif_rate"], 1.0),
        ("service_level", NormalDist().cdf(2.0), _z2, (8, 42, "red", 39)),
    ],
)  # fmt: skip
def test_a_settings_change_rebuilds_the_stored_inputs(plant, setting, value, read, expected):
    save_settings(plant, {setting: value})  # as the Design page: stored, then refreshed
    assert stored_in_use(plant)
    assert read(rows_of(plant)) == pytest.approx(expected)
    assert_reference(plant, AS_OF)


def test_a_load_and_its_undo_move_the_list(plant):
    """A PO line of 40 for FAR promised 07-05 (within its horizon, to 07-10): net flow
    3 + 40 = 43 > 38, over, nothing to order. Undone: red again, order 35."""
    report = load(plant, "po.csv", csv_text("NEW,1,,Acme,FAR,2024-06-20,2024-07-05,40,,,1"))
    assert report.status == "imported"
    assert stored_in_use(plant)
    far = rows_of(plant)["FAR", ""]
    assert (far["open_supply"], far["net_flow"], far["status"]) == (40, 43, "over")
    assert far["suggested_qty"] is None
    assert_reference(plant, AS_OF)
    undo_import(plant, report.import_id)
    assert stored_in_use(plant)
    far = rows_of(plant)["FAR", ""]
    assert (far["open_supply"], far["status"], far["suggested_qty"]) == (0, "red", 35)
    assert_reference(plant, AS_OF)


def test_a_new_forecast_reaches_the_list_while_the_inputs_stay_stored(plant):
    """The forecast batch writes forecasts without outdating the stored facts: the blend is
    made on request. FAR (tests/metrics/test_replenish.py): d = 0.5 x 3.9 + 0.5 x 2 = 2.95,
    top of green 56.05."""
    save_settings(plant, {"forecast_weight": 0.5})
    with plant.connect() as cur:
        _stored_forecast(cur, "FAR", AS_OF, [21.0, 42.0] + [7.0] * 11)
        bump_keeping_facts(cur)  # as analytics.forecast.batch does
    assert stored_in_use(plant)
    far = rows_of(plant)["FAR", ""]
    assert (far["daily_demand"], far["top_of_green"]) == pytest.approx((2.95, 56.05))
    assert far["demand_basis"] == "blend: 50% forecast"
