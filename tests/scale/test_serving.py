"""The dashboard serving the rollup job's output read-only: the same figures as the embedded
database, no write, and a clear refusal without a finished job or a readable lake."""

from __future__ import annotations

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from analytics.metrics import figures
from analytics.models.materialize import usable
from analytics.models.params import Scope, resolve
from analytics.scale.rollup import MANIFEST, RollupError
from analytics.scale.serving import ReadOnlyStore, RollupStore, shared_store
from analytics.store.connection import Store
from tests.conftest import APP
from tests.demo_files import counted_po_lines, demo_otif, demo_rows
from tests.rollup_helpers import close_enough


@pytest.fixture
def served(rollups, monkeypatch):
    monkeypatch.setenv("TAKT_ROLLUPS", str(rollups))
    store = shared_store()
    yield store
    store.close()
    Store._registry.pop(store.path, None)


def test_served_rollups_answer_every_figure_from_the_stored_outcomes(demo, served):
    assert isinstance(served, RollupStore)
    with served.connect() as cur:
        assert usable(cur, resolve(cur)) == {
            "dim_sku",
            "receipt_facts",
            "snapshot_facts",
            "po_line_facts",
            "order_line_facts",
            "sku_stock",
            "abc_classes",
            "buffer_inputs",
            "pull_positions",
            "supplier_pull_figures",
        }
    expected = figures.overview(demo)
    got = figures.overview(served)
    assert all(close_enough(got[k], expected[k]) for k in expected)
    supplier = figures.scorecard(demo)[0]["supplier"]
    scope = Scope(supplier=supplier)
    assert figures.compute_kpis(served, supplier=supplier) == pytest.approx(
        figures.compute_kpis(demo, supplier=supplier), rel=1e-9, nan_ok=True
    )
    assert figures.series(served, "series_delivery", "week", scope) == figures.series(
        demo, "series_delivery", "week", scope
    )
    assert figures.choices(served) == figures.choices(demo)
    assert figures.waste(served) == figures.waste(demo)


def test_served_rollups_refuse_every_write(served):
    from analytics.metrics.targets import get_targets

    with pytest.raises(ReadOnlyStore, match="read-only"), served.writer():
        pass
    assert get_targets(served) is not None  # reading still works


def test_serving_needs_a_finished_job_and_a_readable_lake(rollups, lake, tmp_path):
    with pytest.raises(RollupError, match="no finished rollups"):
        RollupStore(tmp_path)
    moved = tmp_path / "moved"
    shutil.copytree(rollups, moved / "rollups")
    manifest = json.loads((moved / "rollups" / MANIFEST).read_text())
    manifest["input"] = str(tmp_path / "gone")
    (moved / "rollups" / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(RollupError, match="set TAKT_LAKE"):
        RollupStore(moved / "rollups")
    store = RollupStore(moved / "rollups", lake_dir=lake)
    assert round(figures.overview(store)["otif_rate"], 4) == round(demo_otif(), 4)
    store.close()


def test_the_app_opens_on_served_rollups(rollups, demo, monkeypatch):
    monkeypatch.setenv("TAKT_ROLLUPS", str(rollups))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    otif = next(m for m in at.metric if m.label == "Supplier OTIF")
    assert otif.value == f"{demo_otif():.1%}"  # 89.2%
    assert not at.sidebar.toggle  # no switch to a demo beside served rollups
    assert not [m for m in at.markdown if "Demo plant" in m.value]
    for page in ("pages/suppliers.py", "pages/waste.py", "pages/data.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
    # the Data page: which job made the figures, no uploader, no undo, no demo reload
    assert [h.value for h in at.header] == ["Served rollups"]
    assert not at.get("file_uploader") and not at.button
    tables = at.dataframe[0].value
    assert len(tables) == 30  # 4 of them the Pull list's stored inputs
    assert tables.set_index("Table").loc["po_line_facts", "Rows"] == counted_po_lines()
    facts = at.table[0].value
    assert facts.loc["Computed by", "Value"] == "duckdb"
    assert facts.loc["As of", "Value"] == "2026-10-31"
    Store._registry.pop(str(rollups), None)


def test_the_sidebar_says_where_served_figures_come_from(served):
    from analytics.store.freshness import freshness, freshness_lines

    lines = freshness_lines(freshness(served))
    assert lines[0].startswith("Rollups by duckdb, ") and lines[0].endswith(" UTC (read-only)")
    assert lines[1] == f"Deliveries {demo_rows()['deliveries']:,} · to 2026-10-31"


# -- which store a session looks at (issue 16) ----------------------------------------------
def test_a_store_never_imported_into_shows_the_demo_until_the_first_import(tmp_path, monkeypatch):
    from analytics.ingest import undo_import
    from analytics.scale.serving import choose_store
    from tests.conftest import GOOD_ROWS, csv_text, load

    monkeypatch.delenv("TAKT_DEMO_DB", raising=False)
    monkeypatch.delenv("TAKT_ROLLUPS", raising=False)
    user = tmp_path / "takt.duckdb"
    demo = str(tmp_path / "demo.duckdb")
    choice = choose_store(None, str(user))
    assert (choice.demo, choice.asked, choice.path, choice.reason) == (
        True,
        False,
        demo,
        "your store is empty",
    )
    assert not user.exists()  # looking does not create the user's store
    assert choose_store("mine", str(user)).path == str(user)
    store = shared_store(str(user))
    load(store, "mine.csv", csv_text(*GOOD_ROWS))
    assert choose_store(None, str(user)) == choose_store("nonsense", str(user))
    assert (choose_store(None, str(user)).demo, choose_store(None, str(user)).path) == (
        False,
        str(user),
    )
    asked = choose_store("demo", str(user))
    assert (asked.demo, asked.asked, asked.path) == (True, True, demo)
    undo_import(store, 1)  # emptied by the user: still the user's store, not the demo
    assert choose_store(None, str(user)).demo is False
    store.close()
    Store._registry.pop(str(user), None)


def test_the_demo_store_path_follows_the_users_store_or_takt_demo_db(tmp_path, monkeypatch):
    from analytics.scale.serving import DemoStore, choose_store
    from analytics.store.connection import demo_db_path

    monkeypatch.delenv("TAKT_ROLLUPS", raising=False)
    monkeypatch.delenv("TAKT_DEMO_DB", raising=False)
    monkeypatch.setenv("TAKT_DB", str(tmp_path / "plant" / "takt.duckdb"))
    assert demo_db_path() == str(tmp_path / "plant" / "demo.duckdb")
    assert isinstance(shared_store(demo_db_path()), DemoStore)
    Store._registry.pop(demo_db_path(), None)
    monkeypatch.setenv("TAKT_DEMO_DB", str(tmp_path / "elsewhere.duckdb"))
    assert choose_store("demo").path == str(tmp_path / "elsewhere.duckdb")


def test_served_rollups_are_never_replaced_by_the_demo(rollups, monkeypatch):
    from analytics.scale.serving import choose_store

    monkeypatch.setenv("TAKT_ROLLUPS", str(rollups))
    choice = choose_store(None)
    assert (choice.demo, choice.path) == (False, str(rollups.resolve()))
