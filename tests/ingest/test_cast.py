"""Real ERP shapes for every table: what lands in the database, value by value."""

from __future__ import annotations

import codecs
from datetime import date

from tests.conftest import load, rows

SAP = (
    "Purchasing Document;Item;Material Document;Vendor;Material;PO Date;Delivery Date;"
    "Order Quantity;Posting Date;Quantity Received;Net Price\n"
    "4500000001;10;5000001;Müller GmbH;M-100;02.01.2024;16.01.2024;1.000;15.01.2024;600;1,25\n"
    "4500000001;10;5000002;Müller GmbH;M-100;02.01.2024;16.01.2024;1.000;19.01.2024;400;1,25\n"
    "4500000002;10;;Schmidt AG;M-200;03.01.2024;17.01.2024;250;;;12,00\n"
)


def test_german_sap_export(store):
    report = load(store, "sap.csv", codecs.BOM_UTF8 + SAP.encode())
    ins = report.inspection
    assert (ins.encoding, ins.delimiter_name, ins.decimal_comma, ins.date_order) == (
        "utf-8-sig",
        "semicolon",
        True,
        "dayfirst",
    )
    assert (report.rows_read, report.inserted, report.rejected) == (3, 3, 0)
    assert rows(
        store,
        "SELECT po_number, po_line, receipt_id, supplier, order_date, "
        "received_date, ordered_qty, received_qty, unit_cost FROM deliveries "
        "ORDER BY 1, 3",
    ) == [
        (
            "4500000001",
            "10",
            "5000001",
            "Müller GmbH",
            date(2024, 1, 2),
            date(2024, 1, 15),
            1000.0,
            600.0,
            1.25,
        ),
        (
            "4500000001",
            "10",
            "5000002",
            "Müller GmbH",
            date(2024, 1, 2),
            date(2024, 1, 19),
            1000.0,
            400.0,
            1.25,
        ),
        ("4500000002", "10", "", "Schmidt AG", date(2024, 1, 3), None, 250.0, None, 12.0),
    ]


def test_utf16_excel_defects_with_us_dates_and_defaults(store):
    text = (
        "Date\tPart Number\tSupplier\tDefect Code\tQuantity Rejected\tCost\r\n"
        "01/15/2024\tM-100\tMüller GmbH\tBurr\t12\t\r\n"
        "02/03/2024\tM-200\t\tScratch\t3\t7.5\r\n"
    )
    report = load(store, "ncr.txt", text.encode("utf-16"))
    assert report.inspection.date_order == "monthfirst"
    assert (report.kind, report.inserted) == ("defects", 2)
    got = rows(
        store,
        "SELECT date, sku, supplier, stage, cause, qty, cost, length(defect_id) "
        "FROM defects ORDER BY date",
    )
    assert got == [
        (date(2024, 1, 15), "M-100", "Müller GmbH", "receiving", "Burr", 12.0, None, 32),
        (date(2024, 2, 3), "M-200", None, "production", "Scratch", 3.0, 7.5, 32),
    ]


def test_defect_stage_must_be_known(store):
    text = "Date,SKU,Cause,Qty,Stage\n2024-01-02,A,Burr,1,Customer\n2024-01-02,A,Burr,2,shop\n"
    report = load(store, "d.csv", text)
    assert rows(store, "SELECT stage FROM defects") == [("customer",)]
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (3, "Stage", "stage must be receiving, production or customer")
    ]


def test_plain_comma_orders(store):
    text = (
        "Sales Order,Line,Customer,Product,Order Date,Requested Delivery Date,Ship Date,"
        "Quantity,Shipped Qty,Unit Price\n"
        "SO1,1,Ace Ltd,P1,2024-01-02,2024-01-10,2024-01-09,10,10,99.5\n"
        "SO1,2,Ace Ltd,P2,2024-01-02,2024-01-10,,4,,20\n"
    )
    report = load(store, "orders.csv", text)
    assert (report.kind, report.inserted) == ("orders", 2)
    assert rows(
        store,
        "SELECT order_number, order_line, shipped_date, shipped_qty, unit_price "
        "FROM orders ORDER BY 2",
    ) == [("SO1", "1", date(2024, 1, 9), 10.0, 99.5), ("SO1", "2", None, None, 20.0)]


def test_inventory_and_items_with_defaults(store):
    inv = "Snapshot Date,Item Code,On Hand,Unit Cost\n2024-01-01,A,5,2\n2024-01-01,B,0,\n"
    items = "Item Code,Description,Category,Pack Size,Planned Lead Time\nA,Bolt Ø8,Fasteners,,7\n"
    assert load(store, "inv.csv", inv).inserted == 2
    assert load(store, "items.csv", items).inserted == 1
    assert rows(
        store, "SELECT date, sku, location, on_hand_qty, unit_cost FROM inventory ORDER BY sku"
    ) == [(date(2024, 1, 1), "A", "", 5.0, 2.0), (date(2024, 1, 1), "B", "", 0.0, None)]
    assert rows(
        store, "SELECT sku, description, category, container_qty, planned_lead_time_days FROM items"
    ) == [("A", "Bolt Ø8", "Fasteners", 1.0, 7.0)]


def test_sap_internal_dates_and_timestamps(store):
    text = (
        "PO Number,Vendor,Material,PO Date,Delivery Date,Quantity\n"
        "P1,V,M,20240102,2024-01-09 00:00:00,5\n"
    )
    assert load(store, "p.csv", text).inserted == 1
    assert rows(store, "SELECT order_date, promised_date FROM deliveries") == [
        (date(2024, 1, 2), date(2024, 1, 9))
    ]
