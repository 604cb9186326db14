"""The Design page as a user drives it (AppTest): targets, baselines, settings, what-if sizing.

The app starts on a database file holding the demo's imports (`seed_with_demo`); every number the
page shows is compared with the analytics function that computes it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.formatting import format_value
from analytics.ingest import import_file, undo_import
from analytics.metrics.figures import currency, overview, sku_sizing
from analytics.metrics.planning import (
    current_settings,
    save_currency,
    save_settings,
    sizing_totals,
    what_if,
)
from analytics.metrics.targets import get_targets
from analytics.models.params import Scope, latest_date, period_of
from analytics.store.connection import Store
from analytics.store.schema import SETTINGS
from tests.conftest import button, open_app, use_db

PAGE = "pages/design.py"
EDITOR = "targets-editor"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from use_db(tmp_path_factory.mktemp("design") / "takt.duckdb")


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    """A database whose one import was undone: no data, and the demo is not loaded."""
    path = tmp_path_factory.mktemp("design-empty") / "takt.duckdb"
    store = Store.shared(str(path))
    upload = Path(store.spool_dir) / "one.csv"
    upload.write_text("sku,on_hand_qty,date\nSKU-1,5,2024-01-02\n")
    report = import_file(store, upload, display_name="one.csv", kind="inventory")
    undo_import(store, report.import_id)
    yield from use_db(path, seed=False)


def open_page() -> AppTest:
    return open_app(PAGE)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def widget(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def targets_shown(at: AppTest):
    """The targets editor's table as the page passed it in (AppTest reads no cell edits)."""
    return next(d for d in at.data_editor if d.key == EDITOR).value


def scope_of(db) -> Scope:
    """The sidebar's default: the last 12 months ending at the latest date."""
    with db.connect() as cur:
        start, end = period_of("Last 12 months", latest_date(cur))
    return Scope(start=start, end=end)


def edit_targets(at: AppTest, edits: dict[int, float | None]) -> AppTest:
    at.session_state[EDITOR] = {
        "edited_rows": {row: {"target": value} for row, value in edits.items()},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    button(at, "Save targets").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_demo_sizing_matches_the_analytics(db):
    at = open_page()
    rows = sku_sizing(db, scope_of(db))
    totals = sizing_totals(rows)
    assert metric(at, "SKUs with lead-time drift") == f"{totals['drift_skus']:,}"
    assert totals["drift_skus"] == sum(1 for r in rows if r["drift_flag"]) > 0
    assert metric(at, "Safety stock value") == format_value(totals["safety_stock_value"], "money")
    assert metric(at, "Kanban cards") == f"{totals['kanban_cards']:,.0f}"
    table = next(d.value for d in at.dataframe if "drift_icon" in d.value.columns)
    assert len(table) == len(rows)
    assert (table["drift_icon"] == "⚠ drift").sum() == totals["drift_skus"]
    assert len(at.get("plotly_chart")) == 2


def test_what_if_slider_recomputes_without_saving(db):
    at = open_page()
    widget(at.slider, "Service level (what-if)").set_value(99.0).run()
    assert not at.exception
    rows = sku_sizing(db, scope_of(db))
    before, after = sizing_totals(rows), sizing_totals(what_if(rows, 0.99, 0.10))
    shown = next(m for m in at.metric if m.label == "Safety stock value")
    assert shown.value == format_value(after["safety_stock_value"], "money")
    assert after["safety_stock_value"] > before["safety_stock_value"]
    assert shown.delta.startswith("+€")
    assert current_settings(db)["service_level"] == 0.95  # nothing was stored


def test_targets_table_shows_current_values(db):
    at = open_page()
    table = targets_shown(at)
    shown = dict(zip(table["kpi"], table["current"], strict=True))
    head = overview(db, scope_of(db))
    assert shown["otif_rate"] == format_value(head["otif_rate"], "rate")
    assert dict(zip(table["kpi"], table["target"], strict=True))["otif_rate"] == 95.0


def test_an_impossible_target_is_refused_and_stores_nothing(db):
    before = get_targets(db)
    at = edit_targets(open_page(), {0: 150.0})  # row 0: Supplier OTIF, 150%
    assert [e.value for e in at.error] == [
        "Supplier OTIF: type a percentage between 0 and 100 (95 = 95%)."
    ]
    assert get_targets(db) == before


def test_a_good_target_is_kept_beside_a_refused_one(db):
    at = edit_targets(open_page(), {0: 90.0, 12: -4.0})  # OTIF 90%; DIO -4 days
    assert [e.value for e in at.error] == [
        "Days inventory outstanding: a target cannot be negative."
    ]
    targets = get_targets(db)
    assert targets["otif_rate"]["target"] == pytest.approx(0.90)
    assert targets["dio_days"]["target"] == 45.0


def test_baseline_is_computed_and_shown(db):
    at = open_page()
    at.selectbox(key="baseline-kpi").set_value("fill_rate")
    at.date_input(key="baseline-start").set_value(date(2026, 1, 1))
    at.date_input(key="baseline-end").set_value(date(2026, 3, 31))
    button(at, "Compute baseline").click().run()
    assert not at.exception
    stored = get_targets(db)["fill_rate"]
    assert (stored["baseline_start"], stored["baseline_end"]) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
    )
    shown = format_value(stored["baseline"], "rate")
    assert any(shown in s.value for s in at.success)
    table = targets_shown(at)
    assert dict(zip(table["kpi"], table["baseline"], strict=True))["fill_rate"] == shown


def test_settings_cross_field_error_stores_nothing(db):
    before = current_settings(db)
    at = open_page()
    widget(at.number_input, "A class: first (% of value)").set_value(96.0)
    button(at, "Save settings").click().run()
    assert not at.exception
    assert any("A class must end before the B class" in e.value for e in at.error)
    assert current_settings(db) == before


def test_settings_are_saved_and_used(db):
    at = open_page()
    widget(at.number_input, "Kanban safety factor (%)").set_value(20.0)
    button(at, "Save settings").click().run()
    assert not at.exception
    try:
        assert current_settings(db)["kanban_safety_factor"] == pytest.approx(0.20)
        assert any("Kanban safety factor" in s.value for s in at.success)
        rows = sku_sizing(db, scope_of(db))  # the SQL now sizes with 20%
        assert metric(at, "Kanban cards") == f"{sizing_totals(rows)['kanban_cards']:,.0f}"
        assert widget(at.slider, "Kanban safety factor (what-if)").value == 20
    finally:
        save_settings(db, {n: float(d) for n, (d, *_r) in SETTINGS.items()})


def test_the_currency_is_set_on_the_settings_tab_and_every_amount_follows(db):
    at = open_page()
    assert widget(at.text_input, "Currency").value == "EUR"
    widget(at.text_input, "Currency").set_value("US1")
    button(at, "Save settings").click().run()
    assert any("ISO 4217 code of three letters" in e.value for e in at.error)
    assert currency(db) == "EUR"  # refused: nothing stored
    widget(at.text_input, "Currency").set_value("usd")
    button(at, "Save settings").click().run()
    try:
        assert not at.exception, [e.value for e in at.exception]
        assert currency(db) == "USD"
        assert any("Currency" in s.value for s in at.success)
        rows = sku_sizing(db, scope_of(db))
        shown = metric(at, "Safety stock value")
        assert shown == format_value(sizing_totals(rows)["safety_stock_value"], "money", "USD")
        assert shown.startswith("$")
    finally:
        save_currency(db, "EUR")


def test_empty_database_shows_the_empty_state(empty_db):
    at = open_page()
    assert at.info and "There is no data yet" in at.info[0].value
    assert any("No demand, lead times or stock" in i.value for i in at.info)
    assert at.get("page_link")
    assert not at.metric
