"""Header aliases, near misses and explicit mappings (kind detection: test_detect.py)."""

from __future__ import annotations

import pytest

from analytics.ingest.mapping import match_header
from tests.conftest import load, rows, snapshot


@pytest.mark.parametrize(
    ("kind", "header", "column"),
    [
        ("deliveries", "EBELN", "po_number"),
        ("deliveries", "purchasing document", "po_number"),
        ("deliveries", "P.O. Number", "po_number"),
        ("deliveries", "Vendor Nr", "supplier"),
        ("deliveries", "Qty Received", "received_qty"),
        ("deliveries", "Received Quantity", "received_qty"),
        ("deliveries", "Purch. Order No.", "po_number"),
        ("deliveries", "Promise Date", "promised_date"),
        ("inventory", "On Hand", "on_hand_qty"),
        ("inventory", "On-Hand Qty", "on_hand_qty"),
        ("items", "Leadtime", "planned_lead_time_days"),
        ("orders", "Requested Dlv. Date", "requested_date"),
        ("defects", "Scrap Reason", "cause"),
        # METRICS.md section 1: the site (plant or warehouse) and the ERP's line status
        ("deliveries", "Plant", "site"),
        ("deliveries", "WERKS", "site"),
        ("deliveries", "Status", "status"),
        ("orders", "Warehouse", "site"),
        ("orders", "Status", "status"),
        ("defects", "Plant", "site"),
        ("inventory", "Location Code", "site"),
        ("inventory", "Warehouse", "site"),
        ("inventory", "Storage Location", "location"),
        ("inventory", "LGORT", "location"),
    ],
)
def test_aliases_and_near_misses(kind, header, column):
    assert match_header(kind, header)[0] == column


@pytest.mark.parametrize("header", ["Colour", "Comment", "Receiving Clerk", ""])
def test_unrelated_headers_do_not_match(header):
    assert match_header("deliveries", header) == (None, "")


def test_explicit_mapping_imports_a_file_no_alias_fits(store):
    text = "Beleg,Lief,Teil,Datum,Termin,Menge\n4500001,Acme,SKU1,2024-01-02,2024-01-09,5\n"
    refused = load(store, "odd.csv", text, kind="deliveries")
    assert refused.status == "refused" and "missing required columns" in refused.message
    mapping = {
        "Beleg": "po_number",
        "Lief": "supplier",
        "Teil": "sku",
        "Datum": "order_date",
        "Termin": "promised_date",
        "Menge": "ordered_qty",
    }
    report = load(store, "odd.csv", text, kind="deliveries", mapping=mapping)
    assert report.status == "imported"
    assert rows(
        store, "SELECT po_number, po_line, receipt_id, supplier, ordered_qty FROM deliveries"
    ) == [("4500001", "1", "", "Acme", 5.0)]


def test_mapping_errors_are_clear(store):
    before = snapshot(store)
    text = "PO Number,Vendor\nPO1,Acme\n"
    report = load(store, "m.csv", text, kind="deliveries", mapping={"Nope": "po_number"})
    assert report.message == (
        "m.csv: the mapping names header 'Nope', which the file does not "
        "have (headers: PO Number, Vendor)"
    )
    report = load(store, "m.csv", text, kind="deliveries", mapping={"Vendor": "vendor"})
    assert "'vendor' is not a column of deliveries" in report.message
    assert snapshot(store) == before


def test_two_headers_mapped_to_one_column_are_refused(store):
    text = "PO,Qty A,Qty B,Vendor,SKU,PO Date,Promised Date\nP1,1,2,V,S,2024-01-02,2024-01-09\n"
    mapping = {"Qty A": "ordered_qty", "Qty B": "ordered_qty"}
    report = load(store, "two.csv", text, kind="deliveries", mapping=mapping)
    assert report.status == "refused"
    assert "headers 'Qty A' and 'Qty B' are both mapped to ordered_qty" in report.message
