"""The Refine page (pages/waste.py) on the demo data, on deliveries only, and on no data.

Expected numbers are read from the analytics functions on the same database and scope the
sidebar gives by default (the last 12 months up to the latest date), never assumed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.formatting import format_value
from analytics.ingest import import_file, undo_import
from analytics.metrics import figures
from analytics.store.connection import Store
from tests.conftest import GOOD_ROWS, csv_text, default_scope, metrics, open_app, seed_with_demo

PAGE = "pages/waste.py"


def open_page(monkeypatch, path) -> AppTest:
    monkeypatch.setenv("TAKT_DB", str(path))
    return open_app(PAGE)


def store_with(tmp_path, rows: list[str] | None, undo: bool = False) -> Path:
    """A database with a history (so the demo is not loaded) holding `rows` of deliveries."""
    path = tmp_path / "takt.duckdb"
    store = Store.shared(str(path))
    spooled = store.spool_dir / "tiny.csv"
    spooled.write_text(csv_text(*(rows or GOOD_ROWS)))
    report = import_file(store, spooled, display_name="tiny.csv")
    if undo:
        undo_import(store, report.import_id)
    return path


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("waste") / "takt.duckdb"
    seed_with_demo(path)
    with pytest.MonkeyPatch.context() as mp:
        at = open_page(mp, path)
        yield at, Store.shared(str(path))
    Store.shared(str(path)).close()


def test_the_demo_page_shows_the_overview_excess(demo_page):
    at, store = demo_page
    head = figures.overview(store, default_scope(store))
    shown = metrics(at)
    assert shown["Excess stock"] == format_value(head["excess_value"], "money")
    assert shown["Dead stock"] == format_value(head["dead_stock_value"], "money")
    assert shown["Dead SKUs"] == f"{head['dead_skus']:,}"
    assert shown["Inventory turns"] == format_value(head["inventory_turnover"], "ratio")


def test_the_waste_total_is_the_sum_of_the_money_rows(demo_page):
    at, store = demo_page
    ledger = figures.waste(store, default_scope(store))
    money = [r["value"] for r in ledger if r["unit"] == "money" and r["value"] is not None]
    assert len(money) == 4
    assert metrics(at)["Total waste (money)"] == format_value(sum(money), "money")
    waiting = next(r for r in ledger if r["waste"] == "Waiting")
    assert metrics(at)["Waiting (days, not money)"] == format_value(waiting["value"], "days")
    assert waiting["basis"] in [c.value for c in at.caption]
    waterfall = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert waterfall["type"] == "waterfall"
    assert waterfall["measure"][-1] == "total"
    assert waterfall["y"][:-1] == pytest.approx(
        [r["value"] for r in ledger if r["unit"] == "money" and r["measurable"]]
    )


def test_the_write_off_exposure_is_shown_beside_the_total_not_in_it(demo_page):
    at, store = demo_page
    head = figures.overview(store, default_scope(store))
    ledger = figures.waste(store, default_scope(store))
    (exposure,) = [r for r in ledger if r["unit"] == "stock"]
    assert exposure["value"] == pytest.approx(head["dead_stock_value"])
    shown = metrics(at)
    assert shown["Write-off exposure (dead stock)"] == format_value(exposure["value"], "money")
    assert exposure["basis"] in [c.value for c in at.caption]
    money = sum(r["value"] for r in ledger if r["unit"] == "money" and r["value"] is not None)
    assert shown["Total waste (money)"] == format_value(money, "money")
    table = next(d.value for d in at.dataframe if "basis" in d.value.columns)
    assert exposure["waste"] not in table["waste"].tolist()


def test_the_unmeasurable_wastes_are_shown_as_such(demo_page):
    at, _ = demo_page
    shown = [m.value for m in at.markdown]
    for name in ("Transport", "Motion", "Over-processing"):
        assert f":gray[**{name}** · not measurable from these inputs]" in shown
    ledger = next(d.value for d in at.dataframe if "basis" in d.value.columns)
    assert ledger["measured"].tolist().count("no") == 3
    assert ledger["cost"].iloc[-1] == pytest.approx(ledger["cost"].iloc[:-1].sum())


def test_the_stock_list_is_sorted_by_value_and_downloadable(demo_page):
    at, store = demo_page
    listed = next(d.value for d in at.dataframe if "excess_value" in d.value.columns)
    rows = figures.table_rows(store, "sku_stock", default_scope(store))
    assert len(listed) == sum(1 for r in rows if r["excess_qty"] > 0 or r["is_dead"])
    values = listed["excess_value"].tolist()
    assert values == sorted(values, reverse=True)
    assert len(at.get("download_button")) == 6  # ledger, stock list, ABC-XYZ: CSV + Excel


def test_the_abc_xyz_cells_add_up_to_the_classified_skus(demo_page):
    at, store = demo_page
    cells = next(d.value for d in at.dataframe if "xyz_class" in d.value.columns)
    sizing = figures.sku_sizing(store, default_scope(store))
    assert len(cells) == 9
    assert cells["skus"].sum() == sum(1 for r in sizing if r["abc_class"] is not None)


def test_weekly_trend(demo_page):
    at, _ = demo_page
    at.button_group(key="waste-grain").set_value("week").run()
    assert not at.exception
    turns = json.loads(at.get("plotly_chart")[-1].proto.spec)
    assert len(turns["data"][0]["x"]) > 40  # about 52 weeks


def test_deliveries_only_shows_the_ledger_and_stock_empty_states(tmp_path, monkeypatch):
    path = store_with(tmp_path, GOOD_ROWS)
    try:
        at = open_page(monkeypatch, path)
        assert metrics(at)["Total waste (money)"] == "€0"
        infos = [i.value for i in at.info]
        assert "No waste valued in money in this period." in infos
        assert any("No inventory snapshots yet" in text for text in infos)
        assert any("No customer demand" in text for text in infos)
        assert any("No inventory snapshots or shipments" in text for text in infos)
    finally:
        Store.shared(str(path)).close()


def test_an_empty_database_shows_the_empty_state(tmp_path, monkeypatch):
    path = store_with(tmp_path, GOOD_ROWS, undo=True)  # a history, but no rows left
    try:
        at = open_page(monkeypatch, path)
        [info] = [i.value for i in at.info]
        assert info.startswith(
            "There is no data yet. Import deliveries, orders, defects and stock on Data.\n\n"
            "Import on the Data page:\n- **Supplier deliveries"
        )
        assert "**Item master" not in info  # what this page does not need is not asked for
        assert not at.metric and not at.get("plotly_chart")
        assert at.get("page_link")
    finally:
        Store.shared(str(path)).close()
