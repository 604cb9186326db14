"""Which table a file is: decided from headers and values only when clearly right.

A file in the wrong table is worse than a file refused, so a tie between tables, or a best
table that cannot explain the file's values, is asked about (the Data page asks; the command
line refuses naming the candidates and the `--kind` / `--map` that would settle it).
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.ingest.detect import detect_kind
from tests.conftest import load, rows, snapshot


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (
            [
                "Purchasing Document",
                "Vendor",
                "Material",
                "PO Date",
                "Delivery Date",
                "Order Quantity",
            ],
            "deliveries",
        ),
        (["Sales Order", "Product", "Order Date", "Requested Delivery Date", "Quantity"], "orders"),
        (["Date", "Part Number", "Defect Code", "Quantity Rejected"], "defects"),
        (["Snapshot Date", "Item Code", "On Hand"], "inventory"),
        (["Item Code", "Description", "Pack Size"], "items"),
        (["Colour", "Size"], None),
    ],
)
def test_kind_is_detected_from_headers(headers, kind):
    assert detect_kind(headers) == kind


def test_an_item_master_never_takes_a_file_with_dates(store):
    """A purchase-lines export whose dates no alias reads used to land in the item master,
    one junk item per row (the 'Product' header was the only one that matched)."""
    before = snapshot(store)
    text = "Product,Scheduled Date,Qty Done,Reference\nBOLT-M8,2024-03-07,500,WH/IN/00021\n"
    report = load(store, "moves.csv", text)
    assert report.status == "refused"
    assert "cannot tell for sure which table this file is" in report.message
    assert "1. items: headers give 1 of its columns (sku); it has no dates, but "
    assert "'Scheduled Date' hold dates" in report.message
    assert "`load --kind TABLE`" in report.message and '--map "Header=column"' in report.message
    assert snapshot(store) == before


def test_a_tie_between_two_tables_is_asked_about(store):
    """Vendor and customer, promised and requested: as much a PO line as an order line."""
    header = (
        "Order Number,Vendor,Customer,Material,Order Date,Delivery Date,Requested Date,Quantity"
    )
    report = load(
        store, "both.csv", f"{header}\n4711,Acme,Bolt Co,SKU1,2024-02-01,2024-02-08,2024-02-09,5\n"
    )
    assert report.status == "refused"
    assert "1. deliveries: headers give 6 of its columns" in report.message
    assert "2. orders: headers give 7 of its columns" in report.message
    assert detect_kind(header.split(",")) is None
    assert rows(store, "select count(*) from imports") == [(0,)]


def test_values_that_do_not_fit_their_column_lower_a_table():
    """'Date' holding no dates weighs against the table that would read it as one."""
    headers = ["Date", "SKU", "On Hand", "Description"]
    good, bad = (
        [["2024-03-01", "A", "5", "x"]],
        [["n/a yet", "A", "5", "x"], ["soon", "B", "7", "y"]],
    )
    assert detect_kind(headers, sample=good) == "inventory"
    assert detect_kind(headers, sample=bad) is None  # inventory 6 - 3 against items 3


def test_a_repeated_header_that_names_no_column_is_read_by_position(store):
    text = (
        "PO Number,Vendor,Material,PO Date,Delivery Date,Quantity,Note,Note\n"
        "PO1,Acme,SKU1,2024-02-01,2024-02-10,100,first,second\n"
    )
    report = load(store, "notes.csv", text)
    assert (report.status, report.inserted) == ("imported", 1)
    assert report.inspection.headers[-2:] == ["Note", "Note (2)"]


def test_a_repeated_header_is_mapped_by_its_position(store):
    """The second 'Item' of a material-document list is the PO item: map it by position."""
    text = (
        "Purchase Order,Item,Vendor,Material,PO Date,Delivery Date,Quantity,Item\n"
        "PO1,1,Acme,SKU1,2024-02-01,2024-02-10,100,20\n"
    )
    refused = load(store, "mb.csv", text, kind="deliveries")
    assert refused.status == "refused"
    assert "header 'Item' appears twice (columns 2 and 8)" in refused.message
    report = load(
        store, "mb.csv", text, kind="deliveries", mapping={"Item": "", "Item (2)": "po_line"}
    )
    assert (report.status, report.inserted) == ("imported", 1)
    assert rows(store, "select po_number, po_line from deliveries") == [("PO1", "20")]


def test_times_of_day_trailing_minus_and_product_codes_are_read_in_any_file(store):
    text = (
        "PO Number,Vendor,Material,PO Date,Delivery Date,Quantity,Receipt Date,Received Qty\n"
        'PO1,Acme,"[BOLT-M8] Hex bolt M8",01.02.2024 09:42,2024-02-10T10:00:00Z,100,'
        "2024-02-09 16:20:31.418207,100\n"
    )
    report = load(store, "times.csv", text)
    assert (report.status, report.inserted) == ("imported", 1)
    assert rows(store, "select sku, order_date, promised_date, received_date from deliveries") == [
        ("BOLT-M8", date(2024, 2, 1), date(2024, 2, 10), date(2024, 2, 9))
    ]


@pytest.mark.parametrize(("text", "number"), [("200-", -200.0), ("1.000,5-", -1000.5)])
def test_a_minus_sign_written_last_is_a_negative_number(text, number):
    import duckdb

    from analytics.ingest.cast import number_expr, raw_expr

    decimal_comma = "," in text
    expr = number_expr(f"({raw_expr(repr(text), 'number')})", decimal_comma)
    assert duckdb.sql(f"select {expr}").fetchall() == [(number,)]
