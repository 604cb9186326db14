"""The DDL: every canonical table has exactly the columns of the data contract, and a store
made before a column joined the contract gains it without losing a row."""

from __future__ import annotations

import duckdb

from analytics.ingest import undo_import
from analytics.store.connection import Store
from analytics.store.schema import TABLES
from analytics.store.tables import add_missing_columns
from tests.conftest import load, rows


def test_canonical_tables_have_exactly_the_contract_columns(store):
    with store.connect() as cur:
        for name, table in TABLES.items():
            got = cur.execute(f"SELECT * FROM {name} LIMIT 0").description
            assert [d[0] for d in got] == [c.name for c in table.columns] + ["import_id"]


# The layout of a store made before `site` and `status` joined the contract, written out
# literally: the canonical tables that changed, their undo copies, and a stored fact's entry.
OLD_LAYOUT = {
    "deliveries": "po_number VARCHAR, po_line VARCHAR, receipt_id VARCHAR, supplier VARCHAR, "
    "sku VARCHAR, order_date DATE, promised_date DATE, ordered_qty DOUBLE, received_date DATE, "
    "received_qty DOUBLE, unit_cost DOUBLE",
    "orders": "order_number VARCHAR, order_line VARCHAR, customer VARCHAR, sku VARCHAR, "
    "order_date DATE, requested_date DATE, shipped_date DATE, ordered_qty DOUBLE, "
    "shipped_qty DOUBLE, unit_price DOUBLE",
    "defects": "defect_id VARCHAR, date DATE, sku VARCHAR, supplier VARCHAR, po_number VARCHAR, "
    "stage VARCHAR, cause VARCHAR, qty DOUBLE, cost DOUBLE, disposition VARCHAR",
    "inventory": "date DATE, sku VARCHAR, location VARCHAR, on_hand_qty DOUBLE, unit_cost DOUBLE",
}


def old_store(path) -> None:
    con = duckdb.connect(str(path))
    for name, columns in OLD_LAYOUT.items():
        con.execute(f"CREATE TABLE {name} ({columns}, import_id INTEGER)")
        con.execute(
            f"CREATE TABLE {name}__prior ({columns}, import_id INTEGER, "
            "replaced_by INTEGER NOT NULL)"
        )
    con.execute("INSERT INTO deliveries VALUES ('PO1', '1', 'G1', 'Acme', 'SKU1', "
                "'2024-02-01', '2024-02-10', 100, '2024-02-09', 100, 2.5, NULL)")  # fmt: skip
    con.execute("INSERT INTO inventory VALUES ('2024-03-01', 'SKU1', 'MAIN', 12, 2.5, NULL)")
    con.execute(
        "CREATE TABLE marts (name VARCHAR PRIMARY KEY, data_version BIGINT NOT NULL, "
        "params VARCHAR NOT NULL, valid_from DATE)"
    )
    con.execute("INSERT INTO marts VALUES ('po_line_facts', 1, '{}', NULL)")
    con.close()


def test_a_store_of_the_old_layout_gains_the_new_columns_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.duckdb"
    old_store(path)
    store = Store(path, lock_timeout=20)
    try:
        with store.connect() as cur:
            for name, table in TABLES.items():  # every contract column, the new ones last
                got = [d[0] for d in cur.execute(f"SELECT * FROM {name} LIMIT 0").description]
                assert sorted(got) == sorted([c.name for c in table.columns] + ["import_id"])
            # the rows are intact; the new columns hold their defaults: one site, no status
            assert cur.execute(
                "SELECT po_number, received_qty, unit_cost, site, status FROM deliveries"
            ).fetchall() == [("PO1", 100.0, 2.5, "", None)]
            assert cur.execute(
                "SELECT date::VARCHAR, sku, site, location, on_hand_qty FROM inventory"
            ).fetchall() == [("2024-03-01", "SKU1", "", "MAIN", 12.0)]
            # facts stored for the old layout are no longer trusted
            assert cur.execute("SELECT count(*) FROM marts").fetchone() == (0,)
        # the upsert matches the old row on the new key (site '' = the default) and keeps
        # the replaced version by column name, so undo restores it exactly
        report = load(store, "stock.csv", "Date,SKU,Location,On Hand\n2024-03-01,SKU1,MAIN,15\n")
        assert (report.status, report.inserted, report.updated) == ("imported", 0, 1)
        assert rows(store, "SELECT on_hand_qty, site FROM inventory") == [(15.0, "")]
        undo_import(store, report.import_id)
        assert rows(store, "SELECT on_hand_qty, site, location FROM inventory") == [
            (12.0, "", "MAIN")
        ]
    finally:
        store.close()


def test_opening_a_store_twice_adds_nothing_the_second_time(tmp_path):
    path = tmp_path / "old.duckdb"
    old_store(path)
    for _ in range(2):
        store = Store(path, lock_timeout=20)
        with store.connect() as cur:
            assert add_missing_columns(cur) == 0  # the first lease added them already
        store.close()
