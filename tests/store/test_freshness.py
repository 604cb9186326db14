"""Row counts and freshness per table, from a tiny hand-written import."""

import datetime as dt

import pytest

from analytics.ingest import import_file, save_upload, undo_import
from analytics.store.connection import Store
from analytics.store.freshness import freshness, freshness_lines, table_counts
from analytics.store.schema import TABLES

# Two receipts. Latest event: received 2024-01-09 (the promised 2024-02-01 is a promise,
# not an event, so it does not count).
DELIVERIES = (
    b"PO Number,Supplier,SKU,Order Date,Promised Date,Ordered Qty,Received Date,"
    b"Received Qty\n"
    b"PO-1,Acme,S1,2024-01-02,2024-02-01,5,2024-01-09,5\n"
    b"PO-2,Acme,S2,2024-01-05,2024-02-01,5,,\n"
)
ITEMS = b"SKU,Description\nS1,Bolt\nS2,Nut\nS3,Washer\n"


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "takt.duckdb")
    yield s
    s.close()


def test_empty_store(store):
    f = freshness(store)
    assert f.last_import_at is None
    assert f.rows == dict.fromkeys(TABLES, 0)
    assert f.latest == dict.fromkeys(TABLES)
    assert freshness_lines(f)[:2] == ["Last import never", "Deliveries 0"]


def test_counts_and_latest_dates(store):
    import_file(store, save_upload(store, "d.csv", DELIVERIES), display_name="d.csv")
    items = import_file(store, save_upload(store, "i.csv", ITEMS), display_name="i.csv")
    assert table_counts(store) == {
        "deliveries": 2,
        "orders": 0,
        "defects": 0,
        "inventory": 0,
        "items": 3,
        "rates": 0,
    }
    f = freshness(store)
    assert f.latest["deliveries"] == dt.date(2024, 1, 9)
    assert f.latest["items"] is None
    assert isinstance(f.last_import_at, dt.datetime)
    assert freshness_lines(f)[1:] == [
        "Deliveries 2 · to 2024-01-09",
        "Orders 0",
        "Defects 0",
        "Inventory 0",
        "Items 3",
        "Rates 0",
    ]
    undo_import(store, items.import_id)
    assert table_counts(store)["items"] == 0
