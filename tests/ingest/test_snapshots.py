"""Stock exports read as inventory snapshots (METRICS.md sections 1 and 1a; docs/metrics.md).

SAP MB52, Odoo stock quants and BC item ledger entries carry no date: the user gives the
snapshot date (2024-03-29 here), never today. ERPNext's stock ledger is dated by its own last
day. Values are worked out by hand in the comments; tests/fixtures/erp/expected.json holds
the same rows.
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.ingest import inspect_file
from tests.conftest import load, rows, snapshot
from tests.ingest.test_profiles import EXPECTED, FIXTURES, load_fixture

DAY = date(2024, 3, 29)
END = date(2024, 3, 22)  # the stock ledger's last posting date

STOCK = {
    # on_hand = Unrestricted + In Quality Insp. + Blocked; unit cost = Value Unrestricted /
    # Unrestricted: 51.00 / 425 = 0.12; 2,125.00 / 850 = 2.5; 250 / 100 = 2.5; MAT-300 has
    # nothing unrestricted, so no cost; MAT-400: 1,200 + 300 + 25 = 1525, 36.00 / 1,200 = 0.03.
    "sap/mb52_en.csv": (
        5,
        [
            (DAY, "MAT-100", "1000", "0001", 425.0, 0.12),
            (DAY, "MAT-200", "2000", "0001", 850.0, 2.5),
            (DAY, "MAT-200", "2000", "0002", 100.0, 2.5),
            (DAY, "MAT-300", "1000", "0001", 0.0, None),
            (DAY, "MAT-400", "1000", "0001", 1525.0, 0.03),
        ],
    ),
    # site = Warehouse, location = Location, '[BOLT-M8] Hex bolt M8' is BOLT-M8; unit cost =
    # Value / Quantity: 21.6 / 180 = 0.12; 58 / 145 = 0.4; 2095 / 838 = 2.5; 250 / 100 = 2.5.
    "odoo/stock_quants.csv": (
        4,
        [
            (DAY, "BOLT-M8", "San Francisco", "WH/Stock", 180.0, 0.12),
            (DAY, "GSK-20", "San Francisco", "WH/Stock", 145.0, 0.4),
            (DAY, "HSG-01", "Brussels", "BRU/Stock", 838.0, 2.5),
            (DAY, "HSG-01", "Brussels", "BRU/Stock/Shelf 1", 100.0, 2.5),
        ],
    ),
    # 9 entries, summed Remaining Quantity per (Item No., Location Code): BOLT-M8 MAIN entries
    # 9, 8, 4, 1 = 0 + 40 + 0 + 180 = 220; GSK-20 MAIN entries 7, 3, 2 = 25 + 0 + 0 = 25;
    # HSG-01 EAST entries 6, 5 = 0 + 950 = 950. The ledger holds no cost.
    "business_central/item_ledger_entries.csv": (
        9,
        [
            (DAY, "BOLT-M8", "MAIN", "", 220.0, None),
            (DAY, "GSK-20", "MAIN", "", 25.0, None),
            (DAY, "HSG-01", "EAST", "", 950.0, None),
        ],
    ),
    # 7 entries; the last of each (Item, Warehouse) gives Balance Qty and Avg Rate (Balance
    # Stock): BOLT-M8 Stores 500, 380, then 180 on 03-22 at 0.12; GSK-20 Stores 180 and
    # Rejected 20 (03-07) at 0.4; HSG-01 Plant 2 1000, then 950 on 03-18 at 2.5. All dated
    # 2024-03-22, the file's last date ('2024-03-22 14:05:51.077001').
    "erpnext/stock_ledger.csv": (
        7,
        [
            (END, "BOLT-M8", "Stores - TC", "", 180.0, 0.12),
            (END, "GSK-20", "Rejected - TC", "", 20.0, 0.4),
            (END, "GSK-20", "Stores - TC", "", 180.0, 0.4),
            (END, "HSG-01", "Plant 2 Stores - TC", "", 950.0, 2.5),
        ],
    ),
}


def inventory(store) -> list[tuple]:
    return rows(
        store,
        "select date, sku, site, location, on_hand_qty, round(unit_cost, 4) from inventory "
        "order by sku, site, location",
    )


@pytest.mark.parametrize("name", sorted(STOCK))
def test_a_stock_export_gives_the_hand_worked_snapshot(store, name):
    read, expected = STOCK[name]
    report = load_fixture(store, name, snapshot_date=DAY)
    assert (report.status, report.kind, report.rows_read, report.inserted, report.rejected) == (
        "imported",
        "inventory",
        read,
        len(expected),
        0,
    )
    assert inventory(store) == expected
    # expected.json says the same (its data rows, rows imported and each row's values)
    worked = EXPECTED[name]
    assert (worked["data_rows"], worked["imported"]) == (read, len(expected))
    assert sorted(
        (r["sku"], r["site"], r["location"], r["on_hand_qty"], r["unit_cost"])
        for r in worked["rows"]
    ) == [r[1:] for r in expected]


@pytest.mark.parametrize(
    ("name", "export"),
    [
        ("sap/mb52_en.csv", "a SAP MB52 warehouse stocks"),
        ("odoo/stock_quants.csv", "an Odoo stock quants (Inventory > Reporting > Stock)"),
        ("business_central/item_ledger_entries.csv", "a Business Central Item Ledger Entries"),
    ],
)
def test_an_undated_stock_export_is_refused_without_a_date_and_nothing_is_stored(
    store, name, export
):
    assert inspect_file(FIXTURES / name).needs_snapshot_date
    before = snapshot(store)
    report = load_fixture(store, name)
    assert report.status == "refused"
    assert report.message == (
        f"{name}: {export} export carries no snapshot date; give the date the stock was "
        "exported (on the command line: --snapshot-date YYYY-MM-DD)"
    )
    assert snapshot(store) == before
    assert rows(store, "select count(*) from inventory") == [(0,)]


def test_a_dated_file_asks_for_no_date_and_keeps_its_own(store):
    assert not inspect_file(FIXTURES / "erpnext/stock_ledger.csv").needs_snapshot_date
    plain = "date,sku,on_hand_qty\n2024-03-01,A,5\n"
    (store.spool_dir / "plain.csv").write_text(plain)
    assert not inspect_file(store.spool_dir / "plain.csv").needs_snapshot_date
    report = load(store, "stock.csv", plain, snapshot_date=DAY)
    assert (report.status, report.inserted) == ("imported", 1)
    assert rows(store, "select date, sku, on_hand_qty from inventory") == [
        (date(2024, 3, 1), "A", 5.0)
    ]


def test_a_dry_run_of_an_undated_export_counts_and_writes_nothing(store):
    before = snapshot(store)
    report = load_fixture(store, "sap/mb52_en.csv", snapshot_date=DAY, dry_run=True)
    assert (report.status, report.inserted, report.rejected) == ("dry run", 5, 0)
    assert snapshot(store) == before


MB52 = "Material;Plant;Storage Location;Unrestricted;Value Unrestricted;In Quality Insp.;Blocked\n"


def test_sums_and_ratios_read_the_files_number_format(store):
    # German layout: '1.200' is 1200 and '36,00' is 36: 1200 + 300 + 25 = 1525 on hand,
    # 36 / 1200 = 0.03 a unit; the second line's Blocked 'n/a' is nothing: 10 + 0 + 0 = 10.
    text = MB52 + "M1;1000;0001;1.200;36,00;300;25\nM2;1000;0001;10;5,00;0;n/a\n"
    report = load(store, "mb52_de.csv", text, snapshot_date=DAY)
    assert (report.status, report.inserted, report.inspection.decimal_comma) == (
        "imported",
        2,
        True,
    )
    assert inventory(store) == [
        (DAY, "M1", "1000", "0001", 1525.0, 0.03),
        (DAY, "M2", "1000", "0001", 10.0, 0.5),
    ]


def test_an_unreadable_part_is_rejected_at_its_line_and_header(store):
    text = MB52 + "M1;1000;0001;10;5,00;0;0\nM2;1000;0001;10;5,00;abc;0\n"
    report = load(store, "mb52.csv", text, snapshot_date=DAY)
    assert (report.inserted, report.rejected) == (1, 1)
    assert [(e.line, e.column, e.value, e.reason) for e in report.errors] == [
        (3, "In Quality Insp.", "abc", "not a number")
    ]


ILE = "Posting Date,Entry Type,Item No.,Location Code,Remaining Quantity,Entry No.\n"


def test_a_ledger_line_that_cannot_be_read_rejects_its_key_at_that_line(store):
    # A MAIN: lines 2 and 4, line 4 unreadable: A's snapshot is not written, the error is at
    # line 4; B MAIN: 5 + 7 = 12 from lines 3 and 5.
    text = ILE + (
        "3/7/2024,Purchase,A,MAIN,10,4\n"
        "3/7/2024,Purchase,B,MAIN,5,3\n"
        "3/6/2024,Purchase,A,MAIN,x,2\n"
        "3/5/2024,Purchase,B,MAIN,7,1\n"
    )
    report = load(store, "ile.csv", text, snapshot_date=DAY)
    assert (report.rows_read, report.inserted, report.rejected) == (4, 1, 1)
    assert [(e.line, e.column, e.value, e.reason) for e in report.errors] == [
        (4, "Remaining Quantity", "x", "not a number")
    ]
    assert inventory(store) == [(DAY, "B", "MAIN", "", 12.0, None)]


LEDGER = (
    '"Date","Item","Warehouse","In Qty","Out Qty","Balance Qty","Voucher #",'
    '"Avg Rate (Balance Stock)"\n'
)


def test_a_ledger_takes_the_last_line_by_date_then_position_and_dates_it_by_its_last_day(store):
    # A: 5 on 03-01, then -2 on 03-02: its last balance is negative, rejected at the key's
    # first line (2). B: 03-05 gives 7 at 1.5 though the 03-03 line comes after it in the
    # file; two lines of C on 03-04: the later line gives 4. Every row is dated 03-05.
    text = LEDGER + (
        '"2024-03-01 08:00:00","A","S",5.0,0.0,5.0,"V1",1.0\n'
        '"2024-03-02 08:00:00.5","A","S",0.0,-7.0,-2.0,"V2",1.0\n'
        '"2024-03-05 09:00:00","B","S",7.0,0.0,7.0,"V3",1.5\n'
        '"2024-03-03 09:00:00","B","S",9.0,0.0,9.0,"V4",1.25\n'
        '"2024-03-04","C","S",3.0,0.0,3.0,"V5",2.0\n'
        '"2024-03-04","C","S",1.0,0.0,4.0,"V6",2.0\n'
    )
    report = load(store, "ledger.csv", text)
    assert (report.rows_read, report.inserted, report.rejected) == (6, 2, 1)
    assert [(e.line, e.column, e.value, e.reason) for e in report.errors] == [
        (2, "Balance Qty", "-2.0", "must be 0 or more")
    ]
    day = date(2024, 3, 5)
    assert inventory(store) == [(day, "B", "S", "", 7.0, 1.5), (day, "C", "S", "", 4.0, 2.0)]


def test_the_stock_ledgers_opening_row_is_skipped(store):
    # Filtered by item, ERPNext puts an "'Opening'" balance row first, with no date.
    text = (
        LEDGER
        + '"","\'Opening\'","",0.0,0.0,3.0,"",1.0\n"2024-03-01","A","S",2.0,0.0,5.0,"V1",1.0\n'
    )
    report = load(store, "ledger.csv", text)
    assert report.skipped == {"the opening balance row (no date)": 1}
    assert inventory(store) == [(date(2024, 3, 1), "A", "S", "", 5.0, 1.0)]
