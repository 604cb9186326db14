"""Improvement actions: storing them, and verifying their effect (METRICS.md section 10)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from scipy.stats import fisher_exact, mannwhitneyu

from analytics.demo.generate import QUALITY_FIX_DATE, QUALITY_SUPPLIER
from analytics.demo.load import load_demo
from analytics.models import materialize
from analytics.models.params import Scope, resolve
from analytics.review.actions import (
    action_effects,
    close_action,
    create_action,
    get_action,
    list_actions,
    markers,
    update_action,
    verify,
)
from analytics.store.settings import set_setting
from tests.conftest import d, insert

START = d("03-04")  # a Monday; with a 4-week window: before 02-05..03-03, after 03-04..03-31


def version(store) -> int:
    with store.connect() as cur:
        row = cur.execute("select value from meta where name = 'data_version'").fetchone()
    return row[0] if row else 0


def window(store, weeks: int = 4) -> None:
    with store.writer() as cur:
        set_setting(cur, "effect_window_weeks", weeks)


def action(**fields) -> dict:
    base = {"title": "Milk run for Acme", "kpi": "otif_rate", "start_date": START}
    return {**base, **fields}


# -- storing ---------------------------------------------------------------------------
def test_create_update_close_and_list(store):
    v0 = version(store)
    first = create_action(
        store, **action(scope_kind="supplier", scope_value="Acme", owner=" Purchasing ")
    )
    second = create_action(store, **action(title="Kanban loop", start_date="2024-04-01"))
    assert (first, second) == (1, 2)
    assert version(store) == v0 + 2
    stored = get_action(store, first)
    assert {k: stored[k] for k in ("title", "kpi", "scope_kind", "scope_value", "owner")} == {
        "title": "Milk run for Acme",
        "kpi": "otif_rate",
        "scope_kind": "supplier",
        "scope_value": "Acme",
        "owner": "Purchasing",
    }
    assert (stored["start_date"], stored["status"], stored["notes"]) == (START, "open", None)

    update_action(store, first, title="Milk run, twice a week", notes="agreed with Acme")
    close_action(store, second, "dropped")
    assert version(store) == v0 + 4
    listed = list_actions(store)
    assert [a["action_id"] for a in listed] == [2, 1]  # latest start first
    assert (listed[1]["title"], listed[1]["notes"]) == (
        "Milk run, twice a week",
        "agreed with Acme",
    )
    assert listed[1]["scope_value"] == "Acme"  # untouched fields stay
    assert listed[0]["status"] == "dropped"

    update_action(store, first, scope_kind="all")  # a scope of everything has no name
    assert get_action(store, first)["scope_value"] is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kpi": "otif"}, "unknown KPI 'otif'"),
        ({"title": "  "}, "needs a title"),
        ({"scope_kind": "plant"}, "scope must be one of all, supplier, sku, site"),
        ({"scope_kind": "supplier"}, "a supplier scope needs the supplier's name"),
        ({"scope_kind": "sku", "scope_value": " "}, "a sku scope needs the sku's name"),
        (
            {"kpi": "fill_rate", "scope_kind": "supplier", "scope_value": "Acme"},
            "does not depend on the supplier",
        ),
        ({"status": "closed"}, "status must be one of open, done, dropped"),
        ({"start_date": "next week"}, "start date must be a date"),
        ({"start_date": None}, "start date must be a date"),
        ({"colour": "red"}, "unknown action fields: colour"),
    ],
)
def test_bad_actions_are_refused_with_a_clear_message(store, fields, message):
    with pytest.raises(ValueError, match=message):
        create_action(store, **action(**fields))
    assert list_actions(store) == []


def test_updates_are_validated_and_missing_actions_named(store):
    action_id = create_action(store, **action())
    with pytest.raises(ValueError, match="unknown KPI"):
        update_action(store, action_id, kpi="speed")
    with pytest.raises(ValueError, match="there is no action #99"):
        update_action(store, 99, title="x")
    with pytest.raises(ValueError, match="closed as done or dropped"):
        close_action(store, action_id, "open")
    assert get_action(store, action_id)["kpi"] == "otif_rate"


def test_markers_are_the_kpis_live_actions_whose_scope_applies(store):
    create_action(store, **action(title="plant-wide"))
    create_action(store, **action(title="Acme only", scope_kind="supplier", scope_value="Acme"))
    create_action(store, **action(title="Bolt only", scope_kind="supplier", scope_value="Bolt"))
    create_action(store, **action(title="dropped", status="dropped"))
    create_action(store, **action(title="other KPI", kpi="defect_ppm"))
    titles = [a["title"] for a in markers(store, "otif_rate", Scope(supplier="Acme"))]
    assert titles == ["plant-wide", "Acme only"]
    assert [a["title"] for a in markers(store, "otif_rate")] == ["plant-wide"]


# -- verification on hand-made data ------------------------------------------------------
def po_lines(supplier: str, promised: date, on_time: int, late: int, start: int = 0) -> list:
    """PO lines of 10 units promised on one day: `on_time` arrive 1 day early, `late` 5 late."""
    lines = []
    for i in range(on_time + late):
        arrived = promised + timedelta(days=-1 if i < on_time else 5)
        lines.append(
            {
                "po_number": f"{supplier}-{promised}-{start + i}",
                "supplier": supplier,
                "sku": "SKU1",
                "order_date": promised - timedelta(days=20),
                "promised_date": promised,
                "ordered_qty": 10,
                "received_date": arrived,
                "received_qty": 10,
            }
        )
    return lines


def test_a_real_otif_improvement_is_verified(store):
    # Acme: before (promised 02-12) 2 of 10 lines OTIF; after (promised 03-11) 10 of 10.
    # Bolt (outside the action's scope) is all late after the start and must not count.
    insert(store, "deliveries", *po_lines("Acme", d("02-12"), 2, 8))
    insert(store, "deliveries", *po_lines("Acme", d("03-11"), 10, 0))
    insert(store, "deliveries", *po_lines("Bolt", d("03-11"), 0, 10))
    window(store, 4)
    create_action(store, **action(scope_kind="supplier", scope_value="Acme"))
    effect = verify(store, list_actions(store)[0])
    assert (effect.before, effect.after, effect.change) == (0.2, 1.0, pytest.approx(0.8))
    assert (effect.n_before, effect.n_after) == (10, 10)
    assert effect.p_value == pytest.approx(fisher_exact([[2, 8], [10, 0]]).pvalue)  # 0.00071
    assert effect.verdict == "verified"
    # the windows: 4 weeks each side, the after window capped at the latest date (03-16)
    assert (effect.before_start, effect.before_end) == (d("02-05"), d("03-03"))
    assert (effect.after_start, effect.after_end) == (d("03-04"), d("03-16"))


def test_a_site_action_counts_only_that_sites_lines(store):
    # Acme delivers to two plants. At "North" 3 of 10 lines OTIF before, 9 of 10 after;
    # at "South" 10 of 10 before and 0 of 10 after, which a plant-wide test would mix in.
    north = po_lines("Acme", d("02-12"), 3, 7) + po_lines("Acme", d("03-11"), 9, 1, start=10)
    south = po_lines("Acme", d("02-12"), 10, 0, 20) + po_lines("Acme", d("03-11"), 0, 10, 30)
    insert(store, "deliveries", *({**r, "site": "North"} for r in north))
    insert(store, "deliveries", *({**r, "site": "South"} for r in south))
    window(store, 4)
    create_action(store, **action(title="North cell", scope_kind="site", scope_value="North"))
    effect = verify(store, list_actions(store)[0])
    assert (effect.before, effect.after) == (0.3, 0.9)
    assert (effect.n_before, effect.n_after) == (10, 10)
    assert effect.p_value == pytest.approx(fisher_exact([[3, 7], [9, 1]]).pvalue)  # 0.0198
    # plant-wide the same weeks read 13/20 before and 9/20 after
    create_action(store, **action(title="everywhere"))
    everywhere = next(a for a in action_effects(store) if a["title"] == "everywhere")
    assert (everywhere["before"], everywhere["after"]) == (0.65, 0.45)
    assert [a["title"] for a in markers(store, "otif_rate", Scope(site="North"))] == [
        "North cell",
        "everywhere",
    ]
    assert [a["title"] for a in markers(store, "otif_rate", Scope(site="South"))] == ["everywhere"]


def test_no_real_change_is_not_yet_significant(store):
    # 5 of 10 OTIF before, 6 of 10 after: Fisher's p = 1.0
    insert(store, "deliveries", *po_lines("Acme", d("02-12"), 5, 5))
    insert(store, "deliveries", *po_lines("Acme", d("03-11"), 6, 4))
    window(store, 4)
    create_action(store, **action())
    [row] = action_effects(store)
    assert (row["before"], row["after"]) == (0.5, 0.6)
    assert row["p_value"] == pytest.approx(fisher_exact([[5, 5], [6, 4]]).pvalue)
    assert row["p_value"] == pytest.approx(1.0)
    assert row["verdict"] == "not yet significant"


def test_defect_ppm_compares_defective_with_received_units(store):
    # 1000 units received each side; 30 defective before, 2 after: 30,000 -> 2,000 ppm
    for day in ("02-14", "03-13"):
        insert(store, "deliveries", *po_lines("Acme", d(day), 1, 0))
        insert(
            store,
            "deliveries",
            {
                "po_number": f"BIG-{day}",
                "supplier": "Acme",
                "sku": "SKU1",
                "order_date": d(day) - timedelta(days=10),
                "promised_date": d(day),
                "ordered_qty": 990,
                "received_date": d(day),
                "received_qty": 990,
            },
        )
    insert(
        store,
        "defects",
        {
            "defect_id": "D1",
            "date": d("02-20"),
            "sku": "SKU1",
            "supplier": "Acme",
            "cause": "Porosity",
            "qty": 30,
        },
        {
            "defect_id": "D2",
            "date": d("03-14"),
            "sku": "SKU1",
            "supplier": "Acme",
            "cause": "Porosity",
            "qty": 2,
        },
    )
    window(store, 4)
    create_action(store, **action(kpi="defect_ppm", scope_kind="supplier", scope_value="Acme"))
    effect = verify(store, list_actions(store)[0])
    assert (effect.before, effect.after) == (pytest.approx(30_000), pytest.approx(2_000))
    assert effect.change == pytest.approx(-28_000)
    assert effect.p_value == pytest.approx(fisher_exact([[30, 970], [2, 998]]).pvalue)
    assert effect.verdict == "verified"


def test_lead_time_uses_mann_whitney_on_the_lines(store):
    before = [20, 22, 19, 25, 21, 23, 24, 20, 22, 26]
    after = [14, 15, 13, 16, 15, 14, 17, 13, 15, 16]
    rows = []
    for received, lead_times in ((d("02-20"), before), (d("03-20"), after)):
        for i, lead in enumerate(lead_times):
            rows.append(
                {
                    "po_number": f"LT-{received}-{i}",
                    "supplier": "Acme",
                    "sku": "SKU1",
                    "order_date": received - timedelta(days=lead),
                    "promised_date": received,
                    "ordered_qty": 1,
                    "received_date": received,
                    "received_qty": 1,
                }
            )
    insert(store, "deliveries", *rows)
    window(store, 4)
    create_action(store, **action(kpi="lead_time_mean_days"))
    effect = verify(store, list_actions(store)[0])
    assert (effect.before, effect.after, effect.change) == (22.0, 15.0, -7.0)  # medians
    assert effect.p_value == pytest.approx(
        mannwhitneyu(before, after, alternative="two-sided").pvalue
    )
    assert effect.verdict == "verified"


def test_what_cannot_be_tested_says_why(store):
    insert(store, "deliveries", *po_lines("Acme", d("02-12"), 2, 8))
    create_action(store, **action(kpi="copq", title="copq"))
    create_action(store, **action(title="future", start_date=d("06-03")))
    effects = {e["title"]: e for e in action_effects(store)}
    assert effects["copq"]["verdict"] == "insufficient data"
    assert "no before/after test is defined for Cost of poor quality" in effects["copq"]["reason"]
    assert effects["future"]["verdict"] == "insufficient data"
    assert effects["future"]["reason"] == "the action starts after the latest date in the data"
    assert effects["future"]["before"] is None and effects["future"]["p_value"] is None


# -- the demo ----------------------------------------------------------------------------
def test_the_demo_quality_fix_verifies(demo):
    [fix] = [a for a in list_actions(demo) if a["scope_value"] == QUALITY_SUPPLIER]
    assert fix["title"] == f"Porosity countermeasure at {QUALITY_SUPPLIER}"
    assert (fix["kpi"], fix["scope_kind"], fix["start_date"]) == (
        "defect_ppm",
        "supplier",
        QUALITY_FIX_DATE,
    )
    assert (fix["owner"], fix["status"]) == ("Quality", "done")
    effect = verify(demo, fix)
    assert effect.verdict == "verified"
    assert effect.p_value < 0.05 and effect.after < effect.before


@pytest.mark.slow
def test_reloading_the_demo_resets_its_actions_and_notes(store):
    from analytics.review.notes import add_note, notes_for

    load_demo(store)
    load_demo(store)  # loading again adds no second copy
    assert len(list_actions(store)) == 1
    create_action(store, **action())
    add_note(store, "otif_rate", "", "five whys", "QM")
    with store.connect() as cur:  # actions and notes change no figure: marts stay in use
        assert materialize.usable(cur, resolve(cur)) == set(materialize.FACTS)
    load_demo(store, replace=True)
    assert [a["kpi"] for a in list_actions(store)] == ["defect_ppm"]
    assert notes_for(store, "otif_rate", "") == []
