"""Undo returns the database to exactly its state before an import, or says why not."""

from __future__ import annotations

import pytest

from analytics.ingest import UndoRefused, data_version, list_imports, undo_import
from tests.conftest import GOOD_ROWS, csv_text, load, rows, snapshot

CHANGED = GOOD_ROWS[1].replace(",50,2024-02-15,50,", ",50,2024-02-15,45,")
NEW = "PO9,1,G9,Acme,SKU9,2024-04-01,2024-04-10,20,2024-04-09,20,3.5"


def test_undo_removes_inserted_and_restores_updated_rows(loaded):
    before = snapshot(loaded)
    report = load(loaded, "second.csv", csv_text(GOOD_ROWS[0], CHANGED, NEW))
    assert (report.inserted, report.updated, report.unchanged) == (1, 2, 1)
    assert snapshot(loaded) != before
    message = undo_import(loaded, report.import_id)
    assert message == "Import #2 (second.csv) undone: 2 rows removed, 1 earlier rows restored."
    after = snapshot(loaded)
    assert {k: v for k, v in after.items() if k != "imports"} == {
        k: v for k, v in before.items() if k != "imports"
    }
    assert after["imports"] == [(1, "imported"), (2, "undone")]


def test_undo_is_refused_while_a_later_import_changed_its_rows(loaded):
    second = load(loaded, "second.csv", csv_text(CHANGED))
    third = load(loaded, "third.csv", csv_text(CHANGED.replace(",45,", ",44,")))
    assert third.updated == 1
    with pytest.raises(UndoRefused, match=r"changed by later imports \(#3 third.csv on "):
        undo_import(loaded, second.import_id)
    undo_import(loaded, third.import_id)
    undo_import(loaded, second.import_id)
    assert rows(
        loaded, "SELECT received_qty, import_id FROM deliveries WHERE po_number = 'PO2'"
    ) == [(50.0, 1)]


def test_undo_twice_or_unknown_is_refused(loaded):
    undo_import(loaded, 1)
    assert rows(loaded, "SELECT count(*) FROM deliveries") == [(0,)]
    with pytest.raises(UndoRefused, match="import #1 \\(base.csv\\) was already undone on "):
        undo_import(loaded, 1)
    with pytest.raises(UndoRefused, match="there is no import #7"):
        undo_import(loaded, 7)


def test_an_undone_file_can_be_imported_again(loaded):
    undo_import(loaded, 1)
    report = load(loaded, "base.csv", csv_text(*GOOD_ROWS))
    assert (report.status, report.import_id, report.inserted) == ("imported", 2, 3)
    assert [(r["import_id"], r["status"]) for r in list_imports(loaded)] == [
        (2, "imported"),
        (1, "undone"),
    ]


def test_data_version_moves_on_every_write(loaded):
    first = data_version(loaded)
    load(loaded, "n.csv", csv_text(NEW))
    assert data_version(loaded) == first + 1
    undo_import(loaded, 2)
    assert data_version(loaded) == first + 2
    load(loaded, "n.csv", csv_text(NEW)), load(loaded, "n.csv", csv_text(NEW))
    assert data_version(loaded) == first + 3  # the duplicate changed nothing


def test_old_abandoned_uploads_are_pruned(store):
    import os
    import time

    from analytics.ingest import save_upload

    old = save_upload(store, "a.csv", b"x")
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    fresh = save_upload(store, "b.csv", b"y")
    assert not old.exists() and fresh.exists()
