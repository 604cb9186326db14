"""Moving the demo out of a store an earlier Takt seeded: the user's imports stay whole."""

from __future__ import annotations

from analytics.demo.load import DEMO_ACTION, load_demo
from analytics.demo.separate import demo_imports, move_demo_out
from analytics.ingest import undo_import
from analytics.metrics.figures import compute_kpis
from analytics.review.actions import list_actions
from analytics.store.freshness import table_counts
from tests.conftest import GOOD_ROWS, csv_text, load, rows


def test_a_store_of_todays_version_keeps_only_the_users_import(store):
    reports = load_demo(store)  # what app.py did on the first start, before issue 16
    mine = load(store, "mine.csv", csv_text(*GOOD_ROWS))
    assert mine.import_id == 6 and mine.inserted == 3
    assert [i["import_id"] for i in demo_imports(store)] == [1, 2, 3, 4, 5]

    moved = move_demo_out(store)

    assert moved.imports == (1, 2, 3, 4, 5)
    assert moved.removed == sum(r.inserted for r in reports) and moved.restored == 0
    assert demo_imports(store) == []
    # Only the user's three lines are left: PO1 on time and in full, PO2 three days late,
    # PO3 due 03-20, after the latest event (03-01), so not yet due. OTIF 1 of 2 = 0.5.
    counts = table_counts(store)
    assert counts == {
        "deliveries": 3,
        "orders": 0,
        "defects": 0,
        "inventory": 0,
        "items": 0,
        "rates": 0,
    }
    assert rows(store, "select po_number from deliveries order by 1") == [
        ("PO1",),
        ("PO2",),
        ("PO3",),
    ]
    assert compute_kpis(store)["otif_rate"] == 0.5
    status = rows(store, "select import_id, status from imports order by 1")
    assert status == [(i, "undone") for i in range(1, 6)] + [(6, "imported")]
    assert DEMO_ACTION not in [a["title"] for a in list_actions(store)]
    assert move_demo_out(store).imports == ()  # a second time: nothing left to move


# Import 1 (the user's): PO1 received 02-09. Import 2 is named like the demo's SAP file:
# it replaces PO1 (received 02-12) and adds PO9 (5 pieces). Import 3 (the user's) replaces
# PO9 with 7 pieces. Moving the demo out takes import 2's PO1 (1 row removed), puts the
# user's PO1 back (1 restored) and keeps import 3's PO9.
USERS_PO1 = GOOD_ROWS[0]
DEMOS_PO1 = "PO1,1,G1,Acme,SKU1,2024-02-01,2024-02-10,100,2024-02-12,100,2.5"
DEMOS_PO9 = "PO9,1,G9,Demo Co,SKU9,2024-02-01,2024-02-10,5,2024-02-10,5,1"
USERS_PO9 = "PO9,1,G9,Demo Co,SKU9,2024-02-01,2024-02-10,7,2024-02-10,7,1"


def test_rows_the_demo_replaced_come_back_and_its_own_never_do(store):
    assert load(store, "base.csv", csv_text(USERS_PO1)).inserted == 1
    demo = load(store, "deliveries_sap.csv", csv_text(DEMOS_PO1, DEMOS_PO9))
    assert (demo.inserted, demo.updated) == (1, 1)
    assert load(store, "po9.csv", csv_text(USERS_PO9)).updated == 1

    moved = move_demo_out(store)

    assert (moved.imports, moved.removed, moved.restored) == ((2,), 1, 1)
    received = "select po_number, received_date::varchar, ordered_qty, import_id from deliveries"
    assert rows(store, received + " order by 1") == [
        ("PO1", "2024-02-09", 100, 1),
        ("PO9", "2024-02-10", 7, 3),
    ]
    # Undoing the user's PO9 import now removes PO9: the demo's version is gone for good.
    undo_import(store, 3)
    assert rows(store, received) == [("PO1", "2024-02-09", 100, 1)]


def test_a_file_of_the_users_with_a_demo_name_in_another_table_is_not_the_demo(store):
    # item_master.csv is the demo's only as the item master; as deliveries it is the user's
    load(store, "item_master.csv", csv_text(*GOOD_ROWS))
    assert demo_imports(store) == []
    assert move_demo_out(store).imports == ()
