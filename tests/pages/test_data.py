"""The Data page (AppTest): it imports, reports and undoes as a user would.

The app starts on a database file (TAKT_DB in a temporary folder) holding the demo's imports
(`seed_with_demo`); the expected numbers are read from that database, not assumed.
"""

import pytest
from streamlit.testing.v1 import AppTest

from analytics.ingest import list_imports
from analytics.store.freshness import table_counts
from tests.conftest import button, metrics, open_app, use_db

# 4 records: PO-T1 and PO-T2 are fine; PO-T3 has a negative quantity (line 4); the record on
# line 5 has 8 of 9 fields. So: read 4, inserted 2, updated 0, rejected 2.
NEW_DELIVERIES = (
    b"PO Number,Line,Supplier,SKU,Order Date,Promised Date,Ordered Qty,Received Date,"
    b"Received Qty\n"
    b"PO-T1,1,Test Supplier,SKU-T1,2026-01-05,2026-01-15,10,2026-01-14,10\n"
    b"PO-T2,1,Test Supplier,SKU-T2,2026-01-05,2026-01-15,20,2026-01-16,20\n"
    b'PO-T3,1,=HYPERLINK("http://x"),SKU-T3,2026-01-05,2026-01-15,-3,2026-01-16,3\n'
    b"PO-T4,1,Test Supplier,SKU-T4,2026-01-05,2026-01-15,5,2026-01-16\n"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from use_db(tmp_path_factory.mktemp("data") / "takt.duckdb")


def history(at: AppTest):
    return next(d.value for d in at.dataframe if "ID" in d.value.columns)


def test_data_page_history_matches_the_database(db):
    at = open_app("pages/data.py")
    shown = history(at)
    imports = list_imports(db)
    assert len(shown) == len(imports) >= 5
    active = shown[shown["Status"] == "imported"]
    # nothing undone yet: every row in the tables was inserted by exactly one import
    assert int(active["Inserted"].sum()) == sum(table_counts(db).values())


def test_upload_import_report_and_undo(db):
    before = table_counts(db)["deliveries"]
    at = open_app("pages/data.py")
    at.file_uploader[0].set_value(("new deliveries.csv", NEW_DELIVERIES, "text/csv")).run()
    assert not at.exception
    assert "new deliveries.csv" in [t.value for t in at.text]
    assert at.file_uploader[0].value in (None, [])  # the upload was spooled and dropped
    button(at, "Import").click().run()
    assert not at.exception
    assert {k: metrics(at)[k] for k in ("Read", "Inserted", "Updated", "Rejected")} == {
        "Read": "4",
        "Inserted": "2",
        "Updated": "0",
        "Rejected": "2",
    }
    errors = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert errors["line"].tolist() == [4, 5]
    assert at.get("download_button")
    assert table_counts(db)["deliveries"] == before + 2

    import_id = max(r["import_id"] for r in list_imports(db))
    at.selectbox(key="undo-id").set_value(import_id).run()
    button(at, "Undo…").click().run()
    button(at, f"Yes, undo import #{import_id}").click().run()
    assert not at.exception
    assert ":green[:material/check_circle: **Import undone.**]" in [m.value for m in at.markdown]
    assert table_counts(db)["deliveries"] == before
    assert history(at).iloc[0]["Status"].startswith("undone 20")


def test_ambiguous_dates_ask_before_importing(db):
    data = (
        b"PO Number,Supplier,SKU,Order Date,Promised Date,Ordered Qty\n"
        b"PO-A1,Acme,SKU-A1,03/04/2026,05/06/2026,7\n"
    )
    at = open_app("pages/data.py")
    at.file_uploader[0].set_value(("ambiguous.csv", data, "text/csv")).run()
    assert button(at, "Import").disabled
    at.radio[0].set_value("dayfirst").run()
    button(at, "Import").click().run()
    assert not at.exception
    assert metrics(at)["Inserted"] == "1"
    with db.connect() as cur:
        got = cur.execute(
            "select order_date::varchar from deliveries where po_number = 'PO-A1'"
        ).fetchone()[0]
    assert got == "2026-04-03"


def test_a_file_of_another_table_shows_missing_columns(db):
    at = open_app("pages/data.py")
    at.file_uploader[0].set_value(("x.csv", NEW_DELIVERIES, "text/csv")).run()
    at.selectbox[0].set_value("defects").run()
    assert not at.exception
    assert any("Required columns not mapped" in e.value for e in at.error)
    assert button(at, "Import").disabled


def test_unreadable_upload_is_reported_with_the_file_name(db):
    at = open_app("pages/data.py")
    at.file_uploader[0].set_value(("empty.csv", b"", "text/csv")).run()
    assert not at.exception
    assert ":red[:material/error: **This file cannot be read.**]" in [m.value for m in at.markdown]
    assert "empty.csv: file is empty" in [t.value for t in at.text]


def test_a_file_with_unknown_headers_can_be_given_its_table(db):
    at = open_app("pages/data.py")
    at.file_uploader[0].set_value(("odd.csv", b"Foo,Bar\nx,1\n", "text/csv")).run()
    assert not at.exception
    assert button(at, "Remove") and not [b for b in at.button if b.label == "Import"]
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Read it as")).set_value(
        "items"
    ).run()
    assert not at.exception
    assert any("Required columns not mapped: `sku`" in e.value for e in at.error)
    assert button(at, "Import").disabled
