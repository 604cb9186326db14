"""The checks an import runs: what a row may hold (METRICS.md sections 1 and 1a).

A negative received quantity is a reversal or a return, not a mistake; a negative ordered
quantity still is. The site is part of an inventory snapshot's key.
"""

from __future__ import annotations

from tests.conftest import HEADER, csv_text, load, rows


def test_a_negative_received_quantity_is_a_reversal_and_is_imported(loaded):
    # PO1 line 1 (import #1: 100 received on 02-09) is partly reversed on 02-12 by its own
    # material document: stored as a receipt of -40 beside the receipt it reverses.
    reversal = "PO1,1,G1-R,Acme,SKU1,2024-02-01,2024-02-10,100,2024-02-12,-40,2.5"
    report = load(loaded, "reversal.csv", csv_text(reversal))
    assert (report.status, report.inserted, report.rejected) == ("imported", 1, 0)
    assert rows(
        loaded,
        "SELECT receipt_id, received_qty FROM deliveries WHERE po_number = 'PO1' ORDER BY 1",
    ) == [("G1", 100.0), ("G1-R", -40.0)]


def test_a_negative_ordered_quantity_is_still_rejected(loaded):
    bad = "PO7,1,G7,Acme,SKU1,2024-02-01,2024-02-10,-5,2024-02-12,-5,2.5"
    report = load(loaded, "negative.csv", csv_text(bad, bad.replace("PO7", "PO8")))
    assert report.status == "refused"
    # the ordered quantity is named; the negative received quantity is not a reason
    assert {(e.line, e.column, e.reason) for e in report.errors} == {
        (2, "Quantity", "must be greater than 0"),
        (3, "Quantity", "must be greater than 0"),
    }


def test_site_and_status_are_read_and_default_to_one_site_without_status(store):
    header = HEADER + ",Plant,Status"
    body = [
        "PO1,1,G1,Acme,SKU1,2024-02-01,2024-02-10,100,2024-02-09,100,2.5,1000,Cancelled",
        "PO2,1,G2,Acme,SKU1,2024-02-01,2024-02-10,50,2024-02-09,50,2.5,,",
    ]
    report = load(store, "sites.csv", csv_text(*body, header=header))
    assert (report.inserted, report.rejected) == (2, 0)
    # text is stored verbatim (a cancelled line is kept); an empty site is the default ''
    assert rows(store, "SELECT po_number, site, status FROM deliveries ORDER BY 1") == [
        ("PO1", "1000", "Cancelled"),
        ("PO2", "", None),
    ]


def test_the_site_is_part_of_a_snapshot_key(store):
    # The same sku, date and storage location at two plants: two snapshots, not a duplicate.
    header = "Snapshot Date,Item Code,Plant,Storage Location,On Hand"
    body = ["2024-03-01,A,1000,MAIN,10", "2024-03-01,A,2000,MAIN,4"]
    report = load(store, "stock.csv", csv_text(*body, header=header))
    assert (report.inserted, report.rejected) == (2, 0)
    # the same three again at one plant is a duplicate key: both lines rejected
    twice = load(store, "twice.csv", csv_text(body[0], body[0], header=header))
    assert twice.status == "refused"
    assert [(e.line, e.column) for e in twice.errors] == [
        (2, "Snapshot Date"),
        (3, "Snapshot Date"),
    ]
    # re-importing one site's snapshot updates that site's row only
    again = load(store, "again.csv", csv_text("2024-03-01,A,2000,MAIN,6", header=header))
    assert (again.inserted, again.updated) == (0, 1)
    assert rows(store, "SELECT site, location, on_hand_qty FROM inventory ORDER BY 1") == [
        ("1000", "MAIN", 10.0),
        ("2000", "MAIN", 6.0),
    ]
