"""The Design page's planning helpers: what-if sizing, totals, ABC-XYZ cells, settings, targets.

Numbers are worked out by hand in the comments; the what-if is also checked against the
SQL model `sku_planning` on the demo data, so the two can never drift apart.
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from scipy.stats import norm

from analytics.ingest import data_version
from analytics.metrics.figures import sku_sizing
from analytics.metrics.planning import (
    abc_xyz_matrix,
    changed_targets,
    check_settings,
    current_settings,
    filter_sizing,
    save_settings,
    setting_from_display,
    setting_to_display,
    size_one,
    sizing_totals,
    target_from_display,
    target_table,
    target_to_display,
    what_if,
)
from analytics.metrics.targets import DEFAULT_TARGETS, get_targets, set_target
from analytics.store.schema import SETTINGS
from analytics.store.settings import get_settings

Z95 = norm.ppf(0.95)  # 1.6448536...


def sku(**values) -> dict:
    """A sizing row as sku_planning returns it, with the fields a test does not care about."""
    row = {
        "sku": "S",
        "unit_cost": 2.0,
        "container_qty": 5.0,
        "daily_demand": 3.0,
        "daily_demand_sd": 2.0,
        "lead_time_mean_days": 4.0,
        "lead_time_sd_days": 1.0,
        "abc_class": "A",
        "xyz_class": "X",
        "consumption_value": 100.0,
        "drift_flag": False,
        "safety_stock": None,
        "reorder_point": None,
        "kanban_cards": None,
    }
    return {**row, **values}


# -- what-if sizing -----------------------------------------------------------------------------
def test_one_sku_sized_by_hand():
    # sqrt(L sd_d^2 + d^2 sd_L^2) = sqrt(4 x 4 + 9 x 1) = 5, so safety stock = 5 z;
    # reorder point = d L + ss = 12 + 5 z; kanban = ceil(3 x 4 x 1.1 / 5) = ceil(2.64) = 3.
    got = size_one(sku(), Z95, 0.10)
    assert got["safety_stock"] == pytest.approx(5 * Z95)  # 8.224
    assert got["reorder_point"] == pytest.approx(12 + 5 * Z95)
    assert got["kanban_cards"] == 3


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        # one measured lead time: no spread, so no safety stock or reorder point; cards still
        ({"lead_time_sd_days": None}, (None, None, 3)),
        # no measured lead time at all: nothing can be sized
        ({"lead_time_mean_days": None, "lead_time_sd_days": None}, (None, None, None)),
        ({"container_qty": None}, (pytest.approx(5 * Z95), pytest.approx(12 + 5 * Z95), None)),
    ],
)
def test_missing_inputs_give_none_not_zero(missing, expected):
    got = size_one(sku(**missing), Z95, 0.10)
    assert (got["safety_stock"], got["reorder_point"], got["kanban_cards"]) == expected


def test_kanban_exactly_one_container_is_one_card():
    # 2.5 a day x 4 days x (1 + 0) / 10 per container = 1.0 exactly
    assert size_one(sku(daily_demand=2.5, container_qty=10.0), Z95, 0.0)["kanban_cards"] == 1


def test_what_if_moves_with_service_level_and_keeps_other_fields():
    low, high = what_if([sku()], 0.80, 0.0), what_if([sku()], 0.99, 0.5)
    assert low[0]["safety_stock"] == pytest.approx(5 * norm.ppf(0.80))  # 4.208
    assert high[0]["safety_stock"] == pytest.approx(5 * norm.ppf(0.99))  # 11.63
    assert high[0]["kanban_cards"] == 4  # ceil(12 x 1.5 / 5) = ceil(3.6)
    assert high[0]["sku"] == "S" and high[0]["consumption_value"] == 100.0


@pytest.mark.parametrize(("service", "factor"), [(1.0, 0.1), (0.0, 0.1), (0.95, -0.1)])
def test_what_if_refuses_impossible_inputs(service, factor):
    with pytest.raises(ValueError):
        what_if([sku()], service, factor)


def test_what_if_with_the_stored_settings_equals_the_sql(demo):
    rows = sku_sizing(demo)
    with demo.connect() as cur:
        settings = get_settings(cur)
    again = what_if(rows, settings["service_level"], settings["kanban_safety_factor"])
    assert len(again) == len(rows) > 100
    for sql, py in zip(rows, again, strict=True):
        for column in ("safety_stock", "reorder_point", "kanban_cards"):
            if sql[column] is None:
                assert py[column] is None, (sql["sku"], column)
            else:
                assert py[column] == pytest.approx(sql[column], rel=1e-9), (sql["sku"], column)


# -- totals, filters and the matrix -----------------------------------------------------------
def test_totals_value_stock_at_unit_cost_and_count_uncosted():
    rows = [
        # 10 units of safety stock at 2.0 = 20; loop 3 cards x 5 per container x 2.0 = 30
        sku(safety_stock=10.0, kanban_cards=3.0, drift_flag=True),
        # cost unknown: counted as uncosted, not valued; its 2 cards still count
        sku(safety_stock=4.0, kanban_cards=2.0, unit_cost=None, drift_flag=None),
        # not sizable (one lead-time line): no safety stock
        sku(safety_stock=None, kanban_cards=1.0, unit_cost=1.0, container_qty=1.0),
    ]
    assert sizing_totals(rows) == {
        "safety_stock_value": 20.0,
        "loop_value": 31.0,  # 30 + 1 card x 1 x 1.0
        "kanban_cards": 6.0,
        "sized_skus": 2,
        "uncosted": 1,
        "drift_skus": 1,
    }


def test_filter_by_class_and_drift():
    rows = [
        sku(sku="a", abc_class="A", drift_flag=True),
        sku(sku="b", abc_class="B", drift_flag=False),
        sku(sku="n", abc_class=None, drift_flag=None),
    ]
    names = [r["sku"] for r in filter_sizing(rows, ["A", "none"], False)]
    assert names == ["a", "n"]
    assert [r["sku"] for r in filter_sizing(rows, ["A", "B", "C", "none"], True)] == ["a"]


def test_abc_xyz_matrix_counts_and_values():
    rows = [
        sku(abc_class="A", xyz_class="X", consumption_value=500.0, safety_stock=10.0),
        sku(abc_class="A", xyz_class="X", consumption_value=300.0, safety_stock=None),
        sku(abc_class="C", xyz_class="Z", consumption_value=5.0, safety_stock=1.0),
        sku(abc_class=None, xyz_class="Z", consumption_value=None),  # no class: in no cell
    ]
    cells = {(c["abc_class"], c["xyz_class"]): c for c in abc_xyz_matrix(rows)}
    assert len(cells) == 9
    assert (cells["A", "X"]["skus"], cells["A", "X"]["consumption_value"]) == (2, 800.0)
    assert cells["A", "X"]["safety_stock_value"] == 20.0  # 10 units x 2.0
    assert (cells["C", "Z"]["skus"], cells["C", "Z"]["safety_stock_value"]) == (1, 2.0)
    assert sum(c["skus"] for c in cells.values()) == 3
    assert cells["A", "X"]["policy"].startswith("Kanban")


# -- settings -------------------------------------------------------------------------------
def defaults() -> dict[str, float]:
    return {name: float(default) for name, (default, *_r) in SETTINGS.items()}


@pytest.mark.parametrize(
    ("name", "stored", "shown"),
    [
        ("service_level", 0.95, 95.0),  # typed as a percentage
        ("service_level", 0.999, 99.9),
        ("kanban_safety_factor", 0.1, 10.0),
        ("late_tolerance_days", 2.0, 2),  # whole days stay whole
        ("xyz_cutoff_x", 0.5, 0.5),  # a CV is not a percentage
    ],
)
def test_settings_are_shown_as_people_type_them(name, stored, shown):
    assert setting_to_display(name, stored) == shown
    assert type(setting_to_display(name, stored)) is type(shown)
    assert setting_from_display(name, shown) == pytest.approx(stored)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"abc_cutoff_a": 0.95, "abc_cutoff_b": 0.80}, "A class must end before the B class"),
        ({"abc_cutoff_a": 0.9, "abc_cutoff_b": 0.9}, "A class must end before the B class"),
        ({"xyz_cutoff_x": 1.5}, "X class must end before the Y class"),
        (
            {"score_weight_otif": 0, "score_weight_quality": 0, "score_weight_lead_time": 0},
            "At least one supplier-score weight",
        ),
        ({"service_level": 1.0}, "Service level (%) must be between 50.0 and 99.99"),
    ],
)
def test_cross_field_rules(changes, message):
    errors = check_settings({**defaults(), **changes})
    assert len(errors) == 1 and message in errors[0]


def test_defaults_pass():
    assert check_settings(defaults()) == []


def test_save_settings_stores_only_changes_and_moves_the_version(store):
    before = data_version(store)
    changed = save_settings(store, {**current_settings(store), "late_tolerance_days": 3.0})
    assert changed == {"late_tolerance_days": 3.0}
    assert current_settings(store)["late_tolerance_days"] == 3.0
    assert data_version(store) > before  # cached figures expire
    assert save_settings(store, current_settings(store)) == {}


def test_save_settings_refuses_a_bad_combination_and_stores_nothing(store):
    before = current_settings(store)
    with pytest.raises(ValueError, match="A class must end before the B class"):
        save_settings(store, {"late_tolerance_days": 5.0, "abc_cutoff_a": 0.99})
    assert current_settings(store) == before


# -- targets --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kpi", "shown", "stored"),
    [
        ("otif_rate", 95, 0.95),  # rates are typed in percent
        ("otif_rate", 0, 0.0),
        ("otif_rate", 100, 1.0),
        ("dio_days", 45, 45.0),
        ("hhi", 0.15, 0.15),  # an index is typed as it is
        ("copq", None, None),  # empty: no target
        ("copq", float("nan"), None),  # the editor's empty cell
    ],
)
def test_targets_typed_in_display_units(kpi, shown, stored):
    assert target_from_display(kpi, shown) == (pytest.approx(stored) if stored else stored)


@pytest.mark.parametrize(
    ("kpi", "shown", "message"),
    [
        ("otif_rate", 150, "Supplier OTIF: type a percentage between 0 and 100"),
        ("otif_rate", -5, "between 0 and 100"),
        ("hhi", 15, "the index runs from 0 to 1"),
        ("dio_days", -1, "cannot be negative"),
    ],
)
def test_impossible_targets_are_named(kpi, shown, message):
    with pytest.raises(ValueError, match=message):
        target_from_display(kpi, shown)


def test_target_table_rows():
    targets = {
        k: {"target": v, "baseline": None, "baseline_start": None, "baseline_end": None}
        for k, v in DEFAULT_TARGETS.items()
    }
    targets["otif_rate"].update(
        baseline=0.9, baseline_start=date(2024, 1, 1), baseline_end=date(2024, 3, 31)
    )
    rows = {r["kpi"]: r for r in target_table(targets, {"otif_rate": 0.93, "copq": 5000.0})}
    otif = rows["otif_rate"]
    assert otif["target"] == 95.0 and otif["unit"] == "%" and otif["current"] == "93.0%"
    assert otif["status"] == "≈ close"  # 2 points short of 95%, within 5% of it
    assert (otif["baseline"], otif["baseline_period"]) == ("90.0%", "01 Jan 2024 – 31 Mar 2024")
    assert rows["copq"]["status"] == "no target" and rows["copq"]["target"] is None
    assert rows["dio_days"]["current"] == "no data"


def test_changed_targets_sees_edits_and_clears_only():
    before = {"otif_rate": 95.0, "copq": None, "dio_days": 45.0}
    after = {"otif_rate": 95.0 + 1e-12, "copq": float("nan"), "dio_days": None}
    assert changed_targets(before, after) == {"dio_days": None}
    assert changed_targets(before, {"otif_rate": 90, "copq": 1000}) == {
        "otif_rate": 90.0,
        "copq": 1000.0,
    }


def test_round_trip_of_a_rate_target_is_exact(store):
    set_target(store, "fill_rate", target_from_display("fill_rate", 97.5))
    stored = get_targets(store)["fill_rate"]["target"]
    assert math.isclose(stored, 0.975) and target_to_display("fill_rate", stored) == 97.5
