"""A receipt's rejected quantity is a receiving defect, written by the receipt's own import
(METRICS.md 1a "Accepted and rejected quantities"), counted once, undone with the import.

The ERPNext Purchase Receipt fixture (tests/fixtures/erp/erpnext/purchase_receipt_items.csv),
by hand, against the ERPNext PO fixture:
- line 2 MAT-PRE-2024-00021 BOLT-M8 accepted 500 -> PO 00011 line 1;
- line 3 MAT-PRE-2024-00021 GSK-20 received 200, accepted 180, rejected 20 -> PO 00011
  line 2, received_qty 180 and one defect of 20 (receiving, 'rejected at receipt');
- line 4 MAT-PRE-2024-00022 HSG-01 1000 -> PO 00012 line 1;
- line 5 MAT-PR-RET-2024-00001 HSG-01 -50 (a return, already negative) -> PO 00012 line 1;
- line 6 MAT-PRE-2024-00023 Cancelled: skipped; line 8 the totals row: skipped;
- line 7 MAT-PRE-2024-00024 against PUR-ORD-2024-00019, which no PO file holds: rejected.
Rows read 7 - 2 skipped = 5; inserted 4, rejected 1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.ingest import undo_import
from tests.conftest import ROOT, load, rows
from tests.ingest.test_profiles import FIXTURES, load_fixture

PO = "erpnext/purchase_order_items.csv"
PR = "erpnext/purchase_receipt_items.csv"
SKIPPED = {"a totals row (no item)": 1, "not a posted receipt (a draft or a cancelled one)": 1}
DEFECT_ID = "MAT-PRE-2024-00021/PUR-ORD-2024-00011/2/rejected"
DEFECT = (
    DEFECT_ID,
    date(2024, 3, 7),
    "GSK-20",
    "Acme Fasteners",
    "PUR-ORD-2024-00011",
    "receiving",
    "rejected at receipt",
    20.0,
    None,
    None,
    "Stores - TC",
)
RECEIPTS = [
    ("PUR-ORD-2024-00011", "1", "MAT-PRE-2024-00021", 500.0, date(2024, 3, 7), 500.0),
    ("PUR-ORD-2024-00011", "2", "MAT-PRE-2024-00021", 200.0, date(2024, 3, 7), 180.0),
    ("PUR-ORD-2024-00012", "1", "MAT-PR-RET-2024-00001", 1000.0, date(2024, 3, 18), -50.0),
    ("PUR-ORD-2024-00012", "1", "MAT-PRE-2024-00022", 1000.0, date(2024, 3, 14), 1000.0),
]
ADDED_ONE = {"defects_added": 1, "defects_updated": 0, "defects_unchanged": 0}


def defects(store) -> list[tuple]:
    return rows(
        store,
        "select defect_id, date, sku, supplier, po_number, stage, cause, qty, cost, "
        "disposition, site from defects order by 1",
    )


def receipts(store) -> list[tuple]:
    return rows(
        store,
        "select po_number, po_line, receipt_id, ordered_qty, received_date, received_qty "
        "from deliveries where receipt_id <> '' order by 1, 2, 3",
    )


def pr_text(*lines: int, rejected: dict[int, str] | None = None) -> str:
    """The fixture's header and the given file lines, with Rejected Quantity replaced."""
    text = (FIXTURES / PR).read_text().splitlines()
    out = [text[0]]
    for n in lines:
        cells = text[n - 1].split(",")
        if rejected and n in rejected:
            cells[9] = rejected[n]
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def test_receipts_after_their_po_lines_take_the_accepted_quantity_and_add_one_defect(store):
    load_fixture(store, PO)
    report = load_fixture(store, PR)
    assert (report.status, report.rows_read, report.inserted, report.rejected) == (
        "imported",
        5,
        4,
        1,
    )
    assert report.skipped == SKIPPED
    assert [(e.line, e.value) for e in report.errors] == [(7, "PUR-ORD-2024-00019")]
    assert report.also == ADDED_ONE
    assert "defects added 1" in report.message
    assert receipts(store) == RECEIPTS
    assert defects(store) == [DEFECT]
    assert rows(store, "select import_id from defects") == [(report.import_id,)]


def test_receipts_given_before_their_po_lines_in_one_load_add_the_defect_once(tmp_path):
    db = tmp_path / "t.duckdb"
    out = subprocess.run(
        [sys.executable, "-m", "analytics", "load", "--db", str(db), "--json"]
        + [str(FIXTURES / PR), str(FIXTURES / PO)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    reports = {Path(r["file"]).name: r for r in json.loads(out.stdout)}
    got = reports["purchase_receipt_items.csv"]
    assert (got["status"], got["inserted"], got["rejected"]) == ("imported", 4, 1)
    assert got["also"] == ADDED_ONE
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select defect_id, qty from defects").fetchall() == [(DEFECT_ID, 20.0)]


def test_an_overlapping_export_finds_the_defect_instead_of_adding_it_again(store):
    load_fixture(store, PO)
    first = load_fixture(store, PR)
    # the same file again is the same import; a second export holding GSK-20's line again
    assert load_fixture(store, PR).status == "duplicate"
    again = load(store, "pr-2.csv", pr_text(2, 3))
    assert (again.status, again.inserted, again.unchanged) == ("imported", 0, 2)
    assert again.also == {"defects_added": 0, "defects_updated": 0, "defects_unchanged": 1}
    assert defects(store) == [DEFECT]
    # a later export says 25 were rejected: the defect is replaced, not doubled, and undoing
    # that export brings back the 20 of the first
    changed = load(store, "pr-3.csv", pr_text(3, rejected={3: "25.0"}))
    assert changed.also == {"defects_added": 0, "defects_updated": 1, "defects_unchanged": 0}
    assert rows(store, "select qty, import_id from defects") == [(25.0, changed.import_id)]
    undo_import(store, changed.import_id)
    assert rows(store, "select qty, import_id from defects") == [(20.0, first.import_id)]


def test_undoing_the_receipts_removes_their_defect(store):
    load_fixture(store, PO)
    report = load_fixture(store, PR)
    message = undo_import(store, report.import_id)
    assert "5 rows removed" in message  # 4 receipts and the defect
    assert defects(store) == []
    assert receipts(store) == []
    assert rows(store, "select count(*) from deliveries") == [(5,)]  # the PO lines stay


def test_receipts_without_their_po_lines_are_rejected_and_add_no_defect(store):
    report = load_fixture(store, PR)
    assert (report.status, report.rejected) == ("refused", 5)
    unknown = {e.line for e in report.errors if "unknown PO line" in e.reason}
    assert unknown == {2, 3, 4, 5, 7}  # every receipt but the cancelled one and the totals
    assert defects(store) == []
    assert rows(store, "select count(*) from imports") == [(0,)]


def test_a_dry_run_counts_the_defect_and_writes_nothing(store):
    load_fixture(store, PO)
    report = load_fixture(store, PR, dry_run=True)
    assert (report.status, report.inserted) == ("dry run", 4)
    assert report.also == ADDED_ONE
    assert defects(store) == []
    assert receipts(store) == []


@pytest.mark.parametrize(("value", "stored"), [("abc", None), ("-5.0", 180.0)])
def test_a_rejected_quantity_that_is_no_number_rejects_its_receipt(store, value, stored):
    """'abc' cannot be read: the receipt is rejected naming line and column, no defect. A
    negative one (a return of rejected goods) is read and is no defect."""
    load_fixture(store, PO)
    report = load(store, "pr.csv", pr_text(2, 3, rejected={3: value}))
    assert report.also == {"defects_added": 0, "defects_updated": 0, "defects_unchanged": 0}
    assert rows(
        store, "select received_qty from deliveries where sku = 'GSK-20' and receipt_id <> ''"
    ) == ([(stored,)] if stored else [])
    if stored is None:
        error = report.errors[0]
        assert (error.line, error.column, error.value, error.reason) == (
            3,
            "Rejected Quantity (Purchase Receipt Item)",
            "abc",
            "not a number",
        )
    assert defects(store) == []
