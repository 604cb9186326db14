"""Which store the app shows (AppTest): the demo plant's own store while the user's is
empty, with its badge; the Data page on the user's store; the demo read-only when asked for;
and the offer to move the demo out of a store an earlier Takt seeded."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.formatting import format_value
from analytics.ingest import import_file, save_upload
from analytics.metrics import figures
from analytics.scale.serving import shared_store
from analytics.store.connection import Store, demo_db_path
from analytics.store.freshness import table_counts
from tests.conftest import GOOD_ROWS, button, csv_text, default_scope, metrics, open_app, use_db


def badges(at) -> list[str]:
    """The "Demo plant" badges of the page (not the KPI cards' status badges)."""
    return [m.value for m in at.markdown if "badge[" in m.value and "Demo plant" in m.value]


@pytest.fixture
def fresh(tmp_path):
    """An empty data folder, as after a fresh clone."""
    yield from use_db(tmp_path / "takt.duckdb", seed=False)
    Store._registry.pop(str(tmp_path / "demo.duckdb"), None)


def test_a_fresh_store_shows_the_demo_plant_with_its_badge(fresh):
    at = open_app()
    assert any("Demo plant" in b for b in badges(at))  # at the top of the page
    assert any("Demo plant" in m.value for m in at.sidebar.markdown)
    assert at.sidebar.toggle[0].value is True
    [link] = [p for p in at.get("page_link") if p.proto.label == "Import your data"]
    assert link.proto.page == "data"
    demo = shared_store(demo_db_path())
    otif = figures.overview(demo, default_scope(demo))["otif_rate"]
    assert metrics(at)["Supplier OTIF"] == format_value(otif, "rate")
    assert not Path(fresh.path).exists()  # showing the demo wrote nothing of the user's


def test_the_data_page_works_on_the_users_store_and_the_demo_is_read_only(fresh):
    at = open_app("pages/data.py")
    assert len(at.get("file_uploader")) == 1
    assert not any(i.value.startswith("Read-only") for i in at.info)
    assert not any("Demo plant" in b for b in badges(at))
    # the guided first import: five kinds, none in the store yet, and the ERP export guide
    assert "Your first import" in [h.value for h in at.header]
    guide = next(d.value for d in at.dataframe if "Exports to pull" in d.value.columns)
    assert list(guide["In your store"]) == ["not imported yet"] * 6  # five kinds, and rates
    assert guide["Figures it feeds"][0].startswith("Supplier OTIF, On time, In full")
    assert [t.label for t in at.tabs][:3] == ["Overview", "SAP", "Odoo"]
    at = open_app("pages/data.py", store="demo")
    assert len(at.get("file_uploader")) == 0
    assert any(i.value.startswith("Read-only: this is the demo plant") for i in at.info)
    at = open_app("pages/design.py", store="demo")
    assert not at.data_editor  # no targets to edit on the demo, and the reason why
    assert any(i.value.startswith("Read-only: this is the demo plant") for i in at.info)


def test_the_first_import_switches_to_the_users_store(fresh):
    upload = save_upload(fresh, "mine.csv", csv_text(*GOOD_ROWS).encode())
    assert import_file(fresh, upload, display_name="mine.csv").inserted == 3
    at = open_app()
    assert not badges(at) and at.sidebar.toggle[0].value is False
    # GOOD_ROWS: PO1 on time in full, PO2 late, PO3 not yet due: OTIF 1 of 2
    assert metrics(at)["Supplier OTIF"] == format_value(0.5, "rate")
    at = open_app(store="demo")  # the switch back to the demo, by its URL
    assert any("Demo plant" in b for b in badges(at))
    assert metrics(at)["Supplier OTIF"] != format_value(0.5, "rate")


def test_a_store_holding_the_demos_imports_is_offered_to_move_them_out(tmp_path):
    for store in use_db(tmp_path / "takt.duckdb"):  # the demo's five imports, as before
        upload = save_upload(store, "mine.csv", csv_text(*GOOD_ROWS).encode())
        assert import_file(store, upload, display_name="mine.csv").import_id == 6
        at = open_app()
        [offer] = [w.value for w in at.warning if "demo plant's imports" in w.value]
        assert "earlier version of Takt" in offer
        button(at, "Move the demo out").click().run()
        assert not at.exception
        assert at.session_state["demo-moved"].startswith(
            "The demo plant moved out of your store: imports #1, #2, #3, #4, #5 undone"
        )
        assert table_counts(store)["deliveries"] == 3 and table_counts(store)["items"] == 0
        # AppTest reruns only the page after app.py's first run: open the app again
        at = open_app()
        assert metrics(at)["Supplier OTIF"] == format_value(0.5, "rate")
        assert not [w for w in at.warning if "demo plant's imports" in w.value]
