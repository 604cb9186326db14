"""The Data page (AppTest): it imports, reports and undoes as a user would.

The app starts on a database file (TAKT_DB in a temporary folder) holding the demo's imports
(`seed_with_demo`); the expected numbers are read from that database, not assumed.
"""

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.ingest import import_file, list_imports, undo_import
from analytics.store.freshness import table_counts
from tests.conftest import ROOT, button, metrics, open_app, use_db
from tests.demo_files import demo_file

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


def test_the_demos_cancelled_lines_are_listed_as_cancelled(db):
    """The sample files' cancelled lines (Status `cancelled`, counted with pandas): listed
    once each under their own header, every one shown as cancelled."""
    po, so = demo_file("deliveries"), demo_file("orders")
    cancelled_po = po[po.Status == "cancelled"].drop_duplicates(["Purchasing Document", "Item"])
    cancelled_so = so[so.Status == "cancelled"]
    at = open_app("pages/data.py")
    assert "Cancelled lines" in [h.value for h in at.header]
    assert any(
        m.value.startswith(f"{len(cancelled_po)} PO lines and {len(cancelled_so)} customer order")
        for m in at.markdown
    )
    shown = next(d.value for d in at.dataframe if "Supplier / customer" in d.value.columns)
    assert len(shown) == len(cancelled_po) + len(cancelled_so)
    assert set(shown["Status"]) == {"cancelled"}
    assert set(shown["Document"]) == set(cancelled_po["Purchasing Document"]) | set(
        cancelled_so["Sales Order"]
    )


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


def test_check_without_importing_counts_and_writes_nothing(db):
    before = table_counts(db)
    imports = len(list_imports(db))
    at = open_app("pages/data.py")
    at.file_uploader[0].set_value(("checked deliveries.csv", NEW_DELIVERIES, "text/csv")).run()
    button(at, "Check without importing").click().run()
    assert not at.exception
    shown = metrics(at)
    assert {k: shown[k] for k in ("Read", "Would insert", "Would update", "Would reject")} == {
        "Read": "4",
        "Would insert": "2",
        "Would update": "0",
        "Would reject": "2",
    }
    errors = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert errors["line"].tolist() == [4, 5]  # the rejections are named before any import
    assert table_counts(db) == before
    assert len(list_imports(db)) == imports
    # the Import that follows does what the check said
    button(at, "Import").click().run()
    assert {k: metrics(at)[k] for k in ("Inserted", "Rejected")} == {
        "Inserted": "2",
        "Rejected": "2",
    }
    assert table_counts(db)["deliveries"] == before["deliveries"] + 2


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


def test_a_stock_list_without_dates_asks_for_the_day_it_was_exported(db):
    mb52 = (ROOT / "tests/fixtures/erp/sap/mb52_en.csv").read_bytes()
    at = open_app("pages/data.py")
    at.file_uploader[0].set_value(("mb52.csv", mb52, "text/csv")).run()
    assert not at.exception
    assert button(at, "Import").disabled
    at.date_input(key=next(d.key for d in at.date_input)).set_value(date(2024, 3, 29)).run()
    button(at, "Import").click().run()
    assert not at.exception
    assert metrics(at)["Inserted"] == "5"
    with db.connect() as cur:
        got = cur.execute(
            "select date::varchar, on_hand_qty from inventory where sku = 'MAT-400'"
        ).fetchall()
    assert got == [("2024-03-29", 1525.0)]  # 1,200 unrestricted + 300 in QI + 25 blocked


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


def test_a_receipts_export_says_which_defects_it_added(db):
    """ERPNext PO lines, then receipts, as read (a mapping left as found keeps the export's
    own rules: totals rows skipped, receipts attached). GSK-20's 20 rejected units are one
    defect; PUR-ORD-2024-00019 is no PO line of the file (tests/ingest/test_rejections.py)."""
    from analytics.ingest import undo_import
    from tests.ingest.test_profiles import FIXTURES

    counts = {
        "purchase_order_items.csv": {"Read": "5", "Inserted": "5", "Rejected": "0"},
        "purchase_receipt_items.csv": {"Read": "5", "Inserted": "4", "Rejected": "1"},
    }
    for name, expected in counts.items():
        at = open_app("pages/data.py")
        data = (FIXTURES / "erpnext" / name).read_bytes()
        at.file_uploader[0].set_value((name, data, "text/csv")).run()
        button(at, "Import").click().run()
        assert not at.exception
        assert {k: metrics(at)[k] for k in expected} == expected
    captions = [c.value for c in at.caption]
    assert "From the same rows: defects added 1, defects updated 0, defects unchanged 0." in (
        captions
    )
    for entry in list_imports(db)[:2]:  # leave the module's database as it was
        undo_import(db, entry["import_id"])


def test_amounts_without_a_rate_are_named_until_a_rates_file_converts_them(db):
    spool = Path(db.spool_dir)
    (spool / "gbp.csv").write_bytes(
        b"PO Number,Supplier,SKU,Order Date,Promised Date,Ordered Qty,Received Date,"
        b"Received Qty,Unit Cost,Currency\n"
        b"PO-G1,Test Supplier,SKU-G1,2026-01-05,2026-01-15,10,2026-01-14,10,2.5,GBP\n"
        b"PO-G2,Test Supplier,SKU-G1,2026-01-05,2026-01-15,10,2026-01-14,10,2.5,GBP\n"
    )
    (spool / "rates.csv").write_bytes(b"Currency,Rate\nGBP,1.17\n")
    receipts = import_file(db, spool / "gbp.csv", display_name="gbp.csv")
    try:
        at = open_app("pages/data.py")
        assert not at.exception
        headline = "Some amounts have no rate into EUR"
        assert any(headline in m.value for m in at.markdown)
        assert "2 deliveries rows in GBP" in [t.value for t in at.text]
        rates = import_file(db, spool / "rates.csv", display_name="rates.csv")
        assert rates.inspection.kind == "rates"
        at = open_app("pages/data.py")
        assert not any(headline in m.value for m in at.markdown)
        undo_import(db, rates.import_id)
    finally:
        undo_import(db, receipts.import_id)
