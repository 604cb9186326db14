"""What the Data page shows, shaped without a browser: mapping table, preview, rejected rows."""

import datetime as dt

import pandas as pd
import pytest

from analytics.export import to_csv_bytes
from analytics.ingest import import_file, inspect_file, list_imports, save_upload
from analytics.ingest.uploads import (
    IGNORE,
    column_options,
    doubly_mapped,
    download_name,
    errors_frame,
    format_frame,
    history_frame,
    human_size,
    import_choice_label,
    mapping_frame,
    mapping_from_frame,
    needs_date_choice,
    preview_frame,
    rejected_rows,
    undoable,
)
from analytics.store.connection import Store

# 5 data records; line 3 has a negative quantity, line 4 an invalid month, line 5 is short
# (7 of 10 fields); the record starting on line 6 spans two lines (quoted newline).
DELIVERIES = (
    "PO Number,Line,Supplier,SKU,Order Date,Promised Date,Ordered Qty,Received Date,"
    "Received Qty,Remarks\n"
    'PO-1,1,=HYPERLINK("x"),SKU-1,2024-01-02,2024-01-10,10,2024-01-09,10,ok\n'
    "PO-2,1,Acme,SKU-2,2024-01-03,2024-01-11,-5,2024-01-12,5,neg\n"
    "PO-3,1,Acme,SKU-3,2024-13-01,2024-01-11,5,2024-01-12,5,bad date\n"
    "PO-4,1,Acme,SKU-4,2024-01-03,2024-01-11,5\n"
    'PO-5,1,"Multi\nline",SKU-5,2024-01-03,2024-01-11,5,2024-01-12,5,x\n'
)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "takt.duckdb")
    yield s
    s.close()


@pytest.fixture
def upload(store):
    path = save_upload(store, "deliveries.csv", DELIVERIES.encode())
    return path, inspect_file(path, display_name="deliveries.csv")


def test_mapping_round_trip(upload):
    _path, inspection = upload
    frame = mapping_frame(inspection)
    assert frame["header"].tolist()[:3] == ["PO Number", "Line", "Supplier"]
    assert frame["column"].tolist()[-1] == IGNORE  # Remarks is not a column of deliveries
    assert frame["example"].tolist()[2] == '=HYPERLINK("x")'
    mapping = mapping_from_frame(frame)
    assert mapping["PO Number"] == "po_number"
    assert mapping["Remarks"] == ""
    assert column_options("items") == [
        "sku",
        "description",
        "category",
        "container_qty",
        "planned_lead_time_days",
        "unit_cost",
        "currency",
        IGNORE,
    ]


def test_doubly_mapped():
    assert doubly_mapped({"A": "sku", "B": "sku", "C": "", "D": "qty"}) == {"sku": ["A", "B"]}
    assert doubly_mapped({"A": "sku", "B": ""}) == {}


def test_format_and_preview(upload):
    _path, inspection = upload
    facts = format_frame(inspection)
    assert dict(zip(facts["what"], facts["value"], strict=True)) == {
        "Encoding": "utf-8",
        "Delimiter": "comma",
        "Decimal comma": "no",
        "Date order": "year first (2024-12-31)",
        "Size": "402 bytes",
        "Columns": "10",
    }
    preview = preview_frame(inspection, rows=5)
    assert preview.shape == (5, 10)
    assert preview.iloc[3].tolist() == [
        "PO-4",
        "1",
        "Acme",
        "SKU-4",
        "2024-01-03",
        "2024-01-11",
        "5",
        "",
        "",
        "",
    ]  # short row padded
    assert preview.iloc[4, 2] == "Multi\nline"


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 bytes"),
        (1023, "1,023 bytes"),
        (1536, "1.5 KB"),
        (5 * 2**20, "5.0 MB"),
        (3 * 2**30, "3,072.0 MB"),
    ],
)
def test_human_size(n, text):
    assert human_size(n) == text


def test_rejected_rows_come_from_the_file(store, upload):
    path, inspection = upload
    report = import_file(store, path, display_name="deliveries.csv")
    assert (report.rows_read, report.inserted, report.rejected) == (5, 2, 3)
    errors = errors_frame(report.errors)
    assert errors["line"].tolist() == [3, 4, 5]
    assert errors["column"].tolist() == ["Ordered Qty", "Order Date", "Received Date"]
    rejected = rejected_rows(path, inspection, report.errors)
    assert rejected.columns.tolist()[:3] == ["line", "problem", "PO Number"]
    assert rejected["line"].tolist() == [3, 4, 5]
    assert rejected["PO Number"].tolist() == ["PO-2", "PO-3", "PO-4"]
    assert rejected["Ordered Qty"].tolist() == ["-5", "5", "5"]
    assert rejected["Remarks"].tolist() == ["neg", "bad date", ""]
    assert rejected["problem"][0] == "Ordered Qty: must be greater than 0"
    csv = to_csv_bytes(rejected).decode("utf-8-sig").splitlines()
    assert csv[1] == (
        "3,Ordered Qty: must be greater than 0,PO-2,1,Acme,SKU-2,2024-01-03,"
        "2024-01-11,-5,2024-01-12,5,neg"
    )


def test_rejected_rows_of_a_cp1252_file(store):
    data = (
        "Date;SKU;Warehouse;On Hand;Unit Cost\n2024-03-01;A-1;Kühlraum;12;1,50\n"
        "2024-03-01;A-2;Café-Lager;abc;2,00\n"
    ).encode("cp1252")
    path = save_upload(store, "stock.csv", data)
    inspection = inspect_file(path, display_name="stock.csv")
    assert (inspection.encoding, inspection.delimiter_name) == ("cp1252", "semicolon")
    report = import_file(store, path, display_name="stock.csv")
    assert (report.inserted, report.rejected) == (1, 1)
    rejected = rejected_rows(path, inspection, report.errors)
    row = rejected.iloc[0].tolist()
    assert row[:1] + row[2:] == [3, "2024-03-01", "A-2", "Café-Lager", "abc", "2,00"]


def test_needs_date_choice(store):
    path = save_upload(
        store,
        "a.csv",
        b"PO Number,Supplier,SKU,Order Date,Promised Date,"
        b"Ordered Qty\nPO-1,Acme,S1,01/02/2024,03/04/2024,5\n",
    )
    inspection = inspect_file(path)
    assert inspection.date_order == "ambiguous"
    assert needs_date_choice(inspection)
    report = import_file(store, path)
    assert report.status == "refused" and report.needs_date_order
    assert needs_date_choice(None, report)
    report = import_file(store, path, date_order="monthfirst")
    assert (report.status, report.inserted) == ("imported", 1)
    with store.connect() as cur:
        assert cur.execute("select order_date from deliveries").fetchone()[0] == dt.date(2024, 1, 2)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("deliveries.csv", "deliveries-rejected.csv"),
        ("../../etc/pass wd.csv", "etc_pass_wd-rejected.csv"),
        ("<i>x</i> **y**.csv", "i_x_i_y-rejected.csv"),
        ("noext", "noext-rejected.csv"),
        (".hidden", "hidden-rejected.csv"),
        ("=cmd|x.csv", "cmd_x-rejected.csv"),
        ("…", "file-rejected.csv"),
    ],
)
def test_download_name(name, safe):
    assert download_name(name) == safe


def test_history_frame_and_undo_choices(store, upload):
    path, _inspection = upload
    import_file(store, path, display_name="deliveries.csv")
    rows = list_imports(store)
    frame = history_frame(rows)
    assert frame.columns.tolist() == [
        "ID",
        "File",
        "Table",
        "Imported at",
        "Status",
        "Read",
        "Inserted",
        "Updated",
        "Rejected",
        "Message",
    ]
    assert frame.iloc[0][["ID", "File", "Table", "Read", "Inserted", "Rejected"]].tolist() == [
        1,
        "deliveries.csv",
        "Supplier deliveries",
        5,
        2,
        3,
    ]
    assert undoable(rows) == [1]
    assert import_choice_label(rows, 1).startswith("#1  deliveries.csv  (")
    undone = [{**rows[0], "status": "undone", "undone_at": pd.Timestamp("2024-05-02 14:03")}]
    assert undoable(undone) == []
    assert history_frame(undone)["Status"].tolist() == ["undone 2024-05-02 14:03"]
