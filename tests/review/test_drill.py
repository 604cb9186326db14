"""The Review drill-down, the defect Pareto and control charts on tiny hand-made data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from analytics.demo.generate import QUALITY_CAUSE, QUALITY_SUPPLIER
from analytics.metrics.targets import set_target
from analytics.models.params import Scope
from analytics.review.actions import create_action
from analytics.review.control import control_chart, describe
from analytics.review.drill import GROUPINGS, breakdown, gap, next_groupings, rows
from analytics.review.pareto import cause_events, pareto, pareto_suppliers
from analytics.review.path import apply_path, make_path, parse_path
from analytics.review.view import ReviewView
from tests.conftest import d, insert
from tests.metrics.test_suppliers import shared_miss


def line(n: int, supplier: str, sku: str, otif: bool, qty: float = 10, promised=None) -> dict:
    """One PO line (promised 03-01): OTIF arrives on the day, the other a week late."""
    promised = promised or d("03-01")
    return {
        "po_number": f"PO{n}",
        "supplier": supplier,
        "sku": sku,
        "order_date": d("02-01"),
        "promised_date": promised,
        "ordered_qty": qty,
        "received_date": promised if otif else promised + timedelta(days=7),
        "received_qty": qty,
    }


@pytest.fixture
def delivered(store):
    # Acme: SKU1 2 lines, both late; SKU2 2 lines, both OTIF. Bolt: SKU2 6 lines, all OTIF.
    # OTIF = 8 / 10 = 0.80, target 0.95: the gap is 0.15 points.
    lines = [line(1, "Acme", "SKU1", False), line(2, "Acme", "SKU1", False)]
    lines += [line(3, "Acme", "SKU2", True), line(4, "Acme", "SKU2", True)]
    lines += [line(5 + i, "Bolt", "SKU2", True) for i in range(6)]
    insert(store, "deliveries", *lines)
    return store


def by_key(result: list[dict]) -> dict:
    return {r["key"]: r for r in result}


def test_rate_contributions_add_up_to_the_gap(delivered):
    # Acme 2/4 = 0.5: (0.95 - 0.5) x 4 / 10 = 0.18; Bolt 6/6: (0.95 - 1.0) x 6 / 10 = -0.03
    result = breakdown(delivered, "otif_rate", "supplier")
    assert [r["key"] for r in result] == ["Acme", "Bolt"]  # largest contribution first
    acme, bolt = result
    assert (acme["value"], acme["n"], acme["contribution"]) == (0.5, 4, pytest.approx(0.18))
    assert (bolt["value"], bolt["n"], bolt["contribution"]) == (1.0, 6, pytest.approx(-0.03))
    assert acme["share_of_gap"] == pytest.approx(0.18 / 0.15)
    summary = gap(delivered, "otif_rate")
    assert (summary["value"], summary["target"], summary["gap"]) == (
        0.8,
        0.95,
        pytest.approx(0.15),
    )


def test_sku_level_and_the_next_level_down(delivered):
    # SKU1 0/2: 0.95 x 2 / 10 = 0.19; SKU2 8/8: -0.05 x 8 / 10 = -0.04
    skus = by_key(breakdown(delivered, "otif_rate", "sku"))
    assert skus["SKU1"]["contribution"] == pytest.approx(0.19)
    assert skus["SKU2"]["contribution"] == pytest.approx(-0.04)
    # Acme's skus: OTIF 2/4, gap 0.45; SKU1 0.95 x 2/4 = 0.475, SKU2 -0.05 x 2/4 = -0.025
    scope, cause = apply_path(Scope(), "supplier=Acme")
    assert cause is None and scope.supplier == "Acme"
    acme = by_key(breakdown(delivered, "otif_rate", "sku", scope))
    assert acme["SKU1"]["contribution"] == pytest.approx(0.475)
    assert acme["SKU2"]["contribution"] == pytest.approx(-0.025)
    lines = rows(delivered, "otif_rate", scope)
    assert sorted(r["po_number"] for r in lines) == ["PO1", "PO2", "PO3", "PO4"]
    assert len(rows(delivered, "otif_rate", scope, limit=3)) == 3


def test_without_a_target_rates_are_ranked_against_the_overall_value(delivered):
    set_target(delivered, "otif_rate", None)
    result = by_key(breakdown(delivered, "otif_rate", "supplier"))
    # reference 0.8: Acme (0.8 - 0.5) x 4/10 = 0.12, Bolt (0.8 - 1.0) x 6/10 = -0.12
    assert result["Acme"]["contribution"] == pytest.approx(0.12)
    assert result["Bolt"]["contribution"] == pytest.approx(-0.12)
    assert result["Acme"]["share_of_gap"] is None  # the gap is 0


@pytest.fixture
def defects(store):
    # Received: Acme 1,000 units, Bolt 3,000. Defects: Acme Porosity 3 (cost 30), Crack 2
    # (cost 20); Bolt Porosity 1 (cost 10); a production scrap without supplier 4 (cost 40).
    insert(store, "deliveries", line(1, "Acme", "SKU1", True, 1000))
    insert(store, "deliveries", line(2, "Bolt", "SKU2", True, 3000))
    events = [
        ("D1", "Acme", "SKU1", "Porosity", 3, 30),
        ("D2", "Acme", "SKU1", "Crack", 2, 20),
        ("D3", "Bolt", "SKU2", "Porosity", 1, 10),
        ("D4", None, "SKU2", "Setup scrap", 4, 40),
    ]
    insert(
        store,
        "defects",
        *[
            {"defect_id": i, "date": d("03-05"), "supplier": s, "sku": k, "cause": c, "qty": q,
             "cost": v}
            for i, s, k, c, q, v in events
        ],
    )  # fmt: skip
    return store


def test_ppm_contributions_by_supplier_and_by_cause(defects):
    # PPM = (3 + 2 + 1) / 4,000 x 1e6 = 1,500; target 1,000; gap 500.
    # Acme: (5 - 1,000e-6 x 1,000) / 4,000 x 1e6 = 1,000; Bolt: (1 - 3) / 4,000 x 1e6 = -500
    suppliers = breakdown(defects, "defect_ppm", "supplier")
    assert [(r["key"], r["value"], r["n"]) for r in suppliers] == [
        ("Acme", 5000.0, 1000),
        ("Bolt", pytest.approx(333.333, abs=1e-3), 3000),
    ]
    assert [r["contribution"] for r in suppliers] == [pytest.approx(1000), pytest.approx(-500)]
    # causes own no receipts: Porosity 4 units = 1,000 ppm points, share 4/6 of the gap
    causes = by_key(breakdown(defects, "defect_ppm", "cause"))
    assert causes["Porosity"]["value"] == pytest.approx(1000)
    assert causes["Porosity"]["contribution"] == pytest.approx(500 * 4 / 6)
    assert causes["Crack"]["contribution"] == pytest.approx(500 * 2 / 6)
    assert "Setup scrap" not in causes or causes["Setup scrap"]["contribution"] == 0
    # one cause, by supplier: Porosity at Acme 3,000 ppm; (3 - 1) / 4,000 x 1e6 = 500
    porosity = by_key(breakdown(defects, "defect_ppm", "supplier", cause="Porosity"))
    assert porosity["Acme"]["contribution"] == pytest.approx(500)


def test_copq_shares_of_the_whole_cost(defects):
    # no COPQ target: all 100 of cost is the gap; each group contributes its cost
    result = breakdown(defects, "copq", "supplier")
    assert [(r["key"], r["contribution"]) for r in result] == [
        ("Acme", pytest.approx(50)),
        (None, pytest.approx(40)),
        ("Bolt", pytest.approx(10)),
    ]
    assert [r["n"] for r in result] == [2, 1, 1]  # events


def test_pareto_and_its_drill_to_suppliers_and_events(defects):
    # units: Setup scrap 4, Porosity 4, Crack 2 (ties by name): 0.4, 0.8 -> vital few
    result = pareto(defects)
    assert [(r["cause"], r["value"], r["cumulative_share"], r["vital_few"]) for r in result] == [
        ("Porosity", 4.0, pytest.approx(0.4), True),
        ("Setup scrap", 4.0, pytest.approx(0.8), True),
        ("Crack", 2.0, pytest.approx(1.0), False),
    ]
    by_cost = pareto(defects, measure="cost")
    assert [(r["cause"], r["value"]) for r in by_cost] == [
        ("Porosity", 40.0),
        ("Setup scrap", 40.0),
        ("Crack", 20.0),
    ]
    suppliers = pareto_suppliers(defects, "Porosity")
    assert [(r["supplier"], r["qty"], r["share"]) for r in suppliers] == [
        ("Acme", 3.0, 0.75),
        ("Bolt", 1.0, 0.25),
    ]
    assert sorted(e["defect_id"] for e in cause_events(defects, "Porosity")) == ["D1", "D3"]
    with pytest.raises(ValueError, match="'qty' or 'cost'"):
        pareto(defects, measure="events")


@pytest.mark.parametrize(
    ("quantities", "vital"),
    [
        ({"A": 50, "B": 30, "C": 15, "D": 5}, ["A", "B"]),  # B reaches exactly 80%
        ({"A": 50, "B": 29, "C": 16, "D": 5}, ["A", "B", "C"]),  # 79% is not there yet
        ({"A": 85, "B": 15}, ["A"]),  # the first cause alone passes 80%
    ],
)
def test_vital_few_boundary(store, quantities, vital):
    insert(
        store,
        "defects",
        *[
            {"defect_id": c, "date": d("03-05"), "sku": "SKU1", "cause": c, "qty": q}
            for c, q in quantities.items()
        ],
    )
    assert [r["cause"] for r in pareto(store) if r["vital_few"]] == vital


# -- control charts ----------------------------------------------------------------------
LEAD_TIMES = [20, 22, 21, 23, 10, 12, 11, 13]  # one line a week, weeks from Monday 01-01


@pytest.fixture
def weekly(store):
    rows_ = []
    for week, lead in enumerate(LEAD_TIMES):
        received = d("01-03") + timedelta(weeks=week)  # the Wednesday of the week
        rows_.append(
            {
                "po_number": f"W{week}",
                "supplier": "Acme",
                "sku": "SKU1",
                "order_date": received - timedelta(days=lead),
                "promised_date": received,
                "ordered_qty": 1,
                "received_date": received,
                "received_qty": 1,
            }
        )
    insert(store, "deliveries", *rows_)
    return store


def test_control_chart_limits_per_phase_split_at_an_action(weekly):
    create_action(weekly, title="Supplier kanban", kpi="lead_time_mean_days", start_date=d("01-29"))
    chart = control_chart(weekly, "lead_time_mean_days")
    assert chart["chart"] == "xmr" and len(chart["points"]) == 8
    # phase 0: mean 21.5, moving ranges 2, 1, 2 -> 5/3; UCL 21.5 + 2.66 x 5/3 = 25.9333
    # phase 1: mean 11.5, the same moving ranges -> UCL 15.9333, LCL 7.0667
    first, last = chart["points"][0], chart["points"][-1]
    assert (first["phase"], first["center"], first["ucl"]) == (
        0,
        21.5,
        pytest.approx(25.9333, abs=1e-4),
    )
    assert (last["phase"], last["center"], last["lcl"]) == (
        1,
        11.5,
        pytest.approx(7.0667, abs=1e-4),
    )
    assert [p["phase"] for p in chart["points"]] == [0, 0, 0, 0, 1, 1, 1, 1]
    assert [p["bucket"] for p in chart["points"]][4] == d("01-29")
    assert [(p["phase"], p["start"], p["end"]) for p in chart["phases"]] == [
        (0, d("01-01"), d("01-22")),
        (1, d("01-29"), d("02-19")),
    ]
    assert [(a["title"], a["date"], a["splits"]) for a in chart["actions"]] == [
        ("Supplier kanban", d("01-29"), True)
    ]
    assert not any(p["rules"] for p in chart["points"])
    # one set of limits: centre 16.5, MR-bar (2+1+2+13+2+1+2)/7 = 23/7; no point passes
    # 3 sigma (rule 1 is the default), so the drop would go unflagged without the split
    whole = control_chart(weekly, "lead_time_mean_days", split_at_actions=False)
    assert {p["center"] for p in whole["points"]} == {16.5}
    assert whole["points"][0]["ucl"] == pytest.approx(16.5 + 2.66 * 23 / 7)


def test_an_action_too_close_to_the_end_is_marked_but_does_not_split(weekly):
    create_action(weekly, title="late", kpi="lead_time_mean_days", start_date=d("02-19"))
    chart = control_chart(weekly, "lead_time_mean_days", rules=(1, 2, 3, 4))
    assert {p["phase"] for p in chart["points"]} == {0}
    assert [a["splits"] for a in chart["actions"]] == [False]
    assert chart["rules"] == [1, 2, 3, 4]
    # one phase (sigma = 2.66 x 23/7 / 3 = 2.913): weeks 4-8 are 6.5, -6.5, -4.5, -5.5, -3.5
    # from the centre, four of five below -1 sigma: rule 3 on the last point, and only there
    assert [(p["index"], p["rules"]) for p in chart["points"] if p["rules"]] == [(8, [3])]
    with pytest.raises(ValueError, match="unknown rules"):
        control_chart(weekly, "lead_time_mean_days", rules=(9,))


def test_rates_get_a_p_chart_with_each_weeks_lines_as_n(store):
    # week of 03-04: 8 of 10 lines OTIF; week of 03-11: 10 of 20. p-bar = 18 / 30 = 0.6.
    # n = 10: sigma = sqrt(0.6 x 0.4 / 10) = 0.154919, limits 0.135242 .. 1.064758 -> 1
    # n = 20: sigma = 0.109545, limits 0.271366 .. 0.928634
    week1 = [line(i, "Acme", "SKU1", i < 8, promised=d("03-05")) for i in range(10)]
    week2 = [line(10 + i, "Acme", "SKU1", i < 10, promised=d("03-12")) for i in range(20)]
    insert(store, "deliveries", *week1, *week2)
    chart = control_chart(store, "otif_rate", chart="p")
    assert chart["chart"] == "p"
    assert [(p["bucket"], p["value"], p["n"]) for p in chart["points"]] == [
        (d("03-04"), 0.8, 10),
        (d("03-11"), 0.5, 20),
    ]
    first, second = chart["points"]
    assert first["center"] == pytest.approx(0.6)
    assert (first["lcl"], first["ucl"]) == (pytest.approx(0.135242, abs=1e-6), 1.0)
    assert (second["lcl"], second["ucl"]) == (
        pytest.approx(0.271366, abs=1e-6),
        pytest.approx(0.928634, abs=1e-6),
    )


def test_rates_get_laney_p_by_default_when_over_dispersed(store):
    # z = (0.8 - 0.6) / 0.154919 = 1.290994 and (0.5 - 0.6) / 0.109545 = -0.912871; one
    # moving range 2.203865; sigma_z = 2.203865 / 1.128 = 1.953781 > 1: Laney p', limits
    # widened: week 2 sigma 0.109545 x 1.953781 = 0.214027, UCL 0.6 + 0.642082 -> 1, LCL 0
    week1 = [line(i, "Acme", "SKU1", i < 8, promised=d("03-05")) for i in range(10)]
    week2 = [line(10 + i, "Acme", "SKU1", i < 10, promised=d("03-12")) for i in range(20)]
    insert(store, "deliveries", *week1, *week2)
    chart = control_chart(store, "otif_rate")
    assert chart["chart"] == "laney"
    assert chart["sigma_z"] == pytest.approx(1.953781, abs=1e-6)
    assert chart["points"][1]["sigma"] == pytest.approx(0.214027, abs=1e-6)
    assert (chart["points"][1]["lcl"], chart["points"][1]["ucl"]) == (0.0, 1.0)
    assert describe(chart).startswith("Laney p' chart (sigma_z = 1.95")
    with pytest.raises(ValueError, match="only an XmR chart"):
        control_chart(store, "lead_time_mean_days", chart="laney")


def test_rates_keep_the_p_chart_when_not_over_dispersed(store):
    # weeks of 10 lines: 6, 5 and 7 OTIF; p-bar 0.6, s = 0.154919; z = 0, -0.645497,
    # 0.645497; moving ranges 0.645497 and 1.290994, mean 0.968246; sigma_z 0.858374 < 1
    lines, n = [], 0
    for week, good in (("03-05", 6), ("03-12", 5), ("03-19", 7)):
        lines += [line(n + i, "Acme", "SKU1", i < good, promised=d(week)) for i in range(10)]
        n += 10
    insert(store, "deliveries", *lines)
    chart = control_chart(store, "otif_rate")
    assert chart["chart"] == "p"
    assert chart["sigma_z"] == pytest.approx(0.858374, abs=1e-6)
    assert describe(chart).startswith("p-chart (sigma_z = 0.86")


def test_demo_ppm_chart_splits_at_the_quality_fix(demo):
    chart = control_chart(demo, "defect_ppm", Scope(supplier=QUALITY_SUPPLIER))
    assert [a["splits"] for a in chart["actions"]] == [True]
    before, after = chart["phases"]
    assert after["center"] < before["center"] / 10
    assert pareto(demo, Scope(supplier=QUALITY_SUPPLIER))[0]["cause"] == QUALITY_CAUSE


# -- paths and allow-lists ---------------------------------------------------------------
def test_paths_round_trip_names_with_slashes_and_equals_signs():
    levels = [("supplier", "Nordlys Sensor A/S"), ("sku", "a=b 100%")]
    path = make_path(levels)
    assert path == "supplier=Nordlys Sensor A%2FS/sku=a%3Db 100%25"
    assert parse_path(path) == levels
    assert parse_path("") == []
    assert make_path([("supplier", "Acme"), ("sku", "SKU-1")]) == "supplier=Acme/sku=SKU-1"


@pytest.mark.parametrize("bad", ["supplier", "colour=red", "supplier=", "sku=1/sku=2", "a//b"])
def test_malformed_paths_are_refused(bad):
    with pytest.raises(ValueError):
        parse_path(bad)


def test_a_hostile_value_is_only_a_value(delivered):
    scope, _ = apply_path(Scope(), "supplier=x' or 1=1 --/")
    assert scope.supplier == "x' or 1=1 --"
    assert breakdown(delivered, "otif_rate", "sku", scope) == []
    assert rows(delivered, "otif_rate", scope) == []


def test_groupings_follow_the_kpi_and_the_path():
    assert GROUPINGS["otif_rate"] == ("supplier", "sku", "category", "site")
    assert GROUPINGS["defect_ppm"] == ("supplier", "cause", "sku", "category", "site")
    assert GROUPINGS["fill_rate"] == ("sku", "category", "site")
    assert GROUPINGS["excess_value"] == ("sku", "category")  # a position per sku, not site
    assert GROUPINGS["hhi"] == ()
    assert next_groupings("copq", "supplier=Acme/cause=Crack") == ["sku", "category", "site"]
    assert next_groupings("otif_rate", "site=1000/supplier=Acme") == ["sku", "category"]


@pytest.mark.parametrize(
    ("kpi", "by", "cause", "message"),
    [
        (
            "otif_rate",
            "cause",
            None,
            "breaks down by supplier, sku, category, site, not by 'cause'",
        ),
        ("fill_rate", "supplier", None, "breaks down by sku, category"),
        ("hhi", "supplier", None, "breaks down by nothing"),
        ("otif_rate", "sku", "Crack", "has no defect cause"),
        ("otif_rate", "supplier; drop table deliveries", None, "breaks down by"),
        ("speed", "sku", None, "unknown KPI"),
    ],
)
def test_breakdowns_outside_the_allow_list_are_refused(store, kpi, by, cause, message):
    with pytest.raises(ValueError, match=message):
        breakdown(store, kpi, by, cause=cause)


# -- sites: KPI -> site -> supplier -> sku (tests/conftest.py's fill_two_sites) -------------
MARCH = Scope(d("03-01"), d("03-31"), d("03-31"))


def test_otif_by_site_then_supplier_then_sku(two_sites):
    # 1000: P1 OTIF, P2 late: 1/2, (0.95 - 0.5) x 2 / 4 = 0.225; 2000: P3, P4 OTIF: 2/2,
    # (0.95 - 1) x 2 / 4 = -0.025; together 0.2 = 0.95 - 3/4, the gap
    sites = breakdown(two_sites, "otif_rate", "site", MARCH)
    assert [(r["key"], r["value"], r["n"]) for r in sites] == [("1000", 0.5, 2), ("2000", 1.0, 2)]
    assert [r["contribution"] for r in sites] == pytest.approx([0.225, -0.025])
    assert gap(two_sites, "otif_rate", MARCH)["gap"] == pytest.approx(0.2)
    at_2000, _ = apply_path(MARCH, "site=2000")
    suppliers = breakdown(two_sites, "otif_rate", "supplier", at_2000)
    assert [(r["key"], r["value"], r["n"]) for r in suppliers] == [
        ("Acme", 1.0, 1),
        ("Bolt", 1.0, 1),
    ]
    node, _ = apply_path(MARCH, "site=1000/supplier=Acme")
    assert [
        (r["key"], r["value"], r["n"]) for r in breakdown(two_sites, "otif_rate", "sku", node)
    ] == [("S1", 0.5, 2)]
    assert sorted(r["po_number"] for r in rows(two_sites, "otif_rate", node)) == ["P1", "P2"]


def test_customer_stock_and_quality_by_site(two_sites):
    def values(kpi):
        return {r["key"]: (r["value"], r["n"]) for r in breakdown(two_sites, kpi, "site", MARCH)}

    # fill: 1000 16 of 20, 2000 20 of 20
    assert values("fill_rate") == {"1000": (0.8, 20), "2000": (1.0, 20)}
    # inventory value over the scope's 3 snapshot dates: 1000 (100 + 60) / 3, 2000
    # (40 + 20) / 3; together 220 / 3, the KPI
    stock = values("avg_inventory_value")
    assert stock == {"1000": (pytest.approx(160 / 3), 1), "2000": (pytest.approx(20.0), 1)}
    # PPM: 1000 0 of 20 received, 2000 1 of 20
    assert values("defect_ppm") == {"1000": (0.0, 20), "2000": (50_000.0, 20)}
    with pytest.raises(ValueError, match="not by 'site'"):
        breakdown(two_sites, "excess_value", "site", MARCH)


def test_rows_without_a_site_are_the_one_empty_site(delivered):
    # no row names a site: one group, not attributed (it cannot be opened), all 8 of 10
    [one] = breakdown(delivered, "otif_rate", "site")
    assert (one["key"], one["value"], one["n"]) == (None, 0.8, 10)


def test_customer_otif_has_a_supplier_level_down_to_the_missing_po_lines(store):
    # tests/metrics/test_suppliers.py shared_miss: SO1 missed, owed by Acme 30 and Bolt 40
    # units; SO2 missed but not traced (stock was enough); SO3 OTIF. OTIF = 1/3, target 0.95,
    # gap 0.616667. Acme: n = 3/7, value 0, contribution 0.95 x (3/7) / 3 = 0.135714; Bolt:
    # n = 4/7, 0.95 x (4/7) / 3 = 0.180952; not attributed: n = 2, value 1/2,
    # (0.95 - 0.5) x 2 / 3 = 0.3; together the gap.
    shared_miss(store)
    march = Scope(d("03-01"), d("03-31"), d("03-31"))
    groups = {g["key"]: g for g in breakdown(store, "customer_otif_rate", "supplier", march)}
    assert set(groups) == {"Acme", "Bolt", None}
    assert groups["Acme"]["n"] == pytest.approx(3 / 7) and groups["Acme"]["value"] == 0
    assert groups["Acme"]["contribution"] == pytest.approx(0.95 / 7)
    assert groups["Bolt"]["contribution"] == pytest.approx(0.95 * 4 / 21)
    assert (groups[None]["n"], groups[None]["value"]) == (2, 0.5)
    assert groups[None]["contribution"] == pytest.approx(0.3)
    view = ReviewView("customer_otif_rate", march, by="supplier", node="Acme")
    assert view.next_by is None  # below a supplier: the PO lines that were missing
    scope, _ = view.focus()
    missing = rows(store, "customer_otif_rate", scope)
    assert [(r["order_number"], r["po_number"], r["owed_qty"]) for r in missing] == [
        ("SO1", "PO-A", 30)
    ]
