"""Every case of shared/BAD_INPUTS.md: the message, the counts, and that nothing stored changed.

Each test starts from `loaded` (three good delivery lines from import #1) so "nothing
already stored changed" compares a real database, not an empty one.
"""

from __future__ import annotations

import codecs
import gzip
import io
import threading
import zipfile
from datetime import date

import pytest

from analytics.ingest import ImportRefused, save_upload
from analytics.ingest import reader as reader_module
from tests.conftest import GOOD_ROWS, HEADER, csv_text, load, rows, snapshot

ROW = "PO9,1,G9,Acme,SKU9,2024-04-01,2024-04-10,20,2024-04-09,20,3.5"


def assert_refused(store, before, report, *fragments):
    assert report.status == "refused"
    for fragment in fragments:
        assert fragment in report.message, report.message
    assert snapshot(store) == before


# 1 -----------------------------------------------------------------------------------------
def test_utf8_bom_imports_with_a_clean_first_header(loaded):
    report = load(loaded, "bom.csv", codecs.BOM_UTF8 + csv_text(ROW).encode())
    assert report.status == "imported" and report.inserted == 1
    assert report.inspection.headers[0] == "PO Number"
    assert report.inspection.mapping["PO Number"] == "po_number"
    assert rows(loaded, "SELECT po_number FROM deliveries WHERE sku = 'SKU9'") == [("PO9",)]


# 2 -----------------------------------------------------------------------------------------
def test_utf16_tab_separated_excel_unicode_text(loaded):
    text = csv_text(ROW.replace(",", "\t"), header=HEADER.replace(",", "\t"), newline="\r\n")
    report = load(loaded, "excel.txt", text.encode("utf-16"))
    assert report.status == "imported" and report.inserted == 1
    assert report.inspection.encoding == "utf-16"
    assert report.inspection.delimiter_name == "tab"
    assert rows(
        loaded, "SELECT ordered_qty, unit_cost FROM deliveries WHERE po_number = 'PO9'"
    ) == [(20.0, 3.5)]


# 3 -----------------------------------------------------------------------------------------
def test_cp1252_keeps_euro_and_accents(loaded):
    row = ROW.replace("Acme", "Müller Präzision €")
    report = load(loaded, "latin.csv", csv_text(row), encoding="cp1252")
    assert report.status == "imported"
    assert report.inspection.encoding == "cp1252"
    assert rows(loaded, "SELECT supplier FROM deliveries WHERE po_number = 'PO9'") == [
        ("Müller Präzision €",)
    ]


def test_undecodable_bytes_name_the_line(loaded):
    before = snapshot(loaded)
    data = csv_text(ROW).encode("ascii") + b"PO10,1,G,Acme,\x81\x8d\x8f\x90,2024-04-01\n"
    report = load(loaded, "bad.csv", data)
    assert_refused(loaded, before, report, "bad.csv, line 3", "neither UTF-8 nor Windows-1252")


# 4 -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe"), (",", "comma")]
)
def test_delimiter_is_detected_and_named(loaded, delimiter, name):
    text = csv_text(ROW.replace(",", delimiter), header=HEADER.replace(",", delimiter))
    report = load(loaded, "d.csv", text)
    assert report.inspection.delimiter_name == name
    assert (report.status, report.inserted) == ("imported", 1)


# 5 -----------------------------------------------------------------------------------------
def test_decimal_comma_and_thousands_dots_are_numbers(loaded):
    header = HEADER.replace(",", ";")
    body = [
        "PO9;1;G9;Acme;SKU9;01.04.2024;10.04.2024;1.200;09.04.2024;1.200;12,50",
        "PO9;2;G9;Acme;SKU9;01.04.2024;10.04.2024;3;09.04.2024;2,5;1.234,56",
    ]
    report = load(loaded, "sap.csv", csv_text(*body, header=header))
    assert report.inspection.decimal_comma is True
    assert report.inspection.date_order == "dayfirst"
    got = rows(
        loaded,
        "SELECT po_line, ordered_qty, received_qty, unit_cost, order_date "
        "FROM deliveries WHERE po_number = 'PO9' ORDER BY po_line",
    )
    assert got == [
        ("1", 1200.0, 1200.0, 12.5, date(2024, 4, 1)),
        ("2", 3.0, 2.5, 1234.56, date(2024, 4, 1)),
    ]


def test_comma_thousands_in_a_decimal_point_file(loaded):
    row = ROW.replace(",20,2024-04-09,20,3.5", ',"1,200",2024-04-09,"1,200.5",3.25')
    report = load(loaded, "us.csv", csv_text(row))
    assert report.inspection.decimal_comma is False
    assert rows(
        loaded,
        "SELECT ordered_qty, received_qty, unit_cost FROM deliveries WHERE po_number = 'PO9'",
    ) == [(1200.0, 1200.5, 3.25)]


# 6 -----------------------------------------------------------------------------------------
def test_quoted_newline_is_one_row_and_later_lines_keep_their_numbers(loaded):
    body = [
        ROW.replace("Acme", '"Acme\nWest plant"'),
        "PO9,2,G9,Acme,SKU9,2024-04-01,2024-04-10,-20,2024-04-09,20,3.5",
    ]
    report = load(loaded, "nl.csv", csv_text(*body))
    assert (report.rows_read, report.inserted, report.rejected) == (2, 1, 1)
    assert rows(loaded, "SELECT supplier FROM deliveries WHERE po_number = 'PO9'") == [
        ("Acme\nWest plant",)
    ]
    # header = line 1, the first record = lines 2-3, so the bad record starts on line 4
    assert [(e.line, e.column, e.value) for e in report.errors] == [(4, "Quantity", "-20")]


# 7 -----------------------------------------------------------------------------------------
def test_short_and_long_rows_are_rejected_with_their_lines(loaded):
    body = [
        ROW,
        "PO9,2,G9,Acme,SKU9,2024-04-01,2024-04-10,20,2024-04-09",
        "",
        ROW.replace(",1,", ",3,") + ",extra",
    ]
    report = load(loaded, "ragged.csv", csv_text(*body))
    assert (report.rows_read, report.inserted, report.rejected) == (3, 1, 2)
    assert report.rows_read == report.inserted + report.updated + report.rejected
    assert [(e.line, e.reason) for e in report.errors] == [
        (3, "expected 11 fields, found 9"),
        (5, "expected 11 fields, found 12"),
    ]
    assert report.errors[0].column == "Received Qty"


# 8 -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "fragments"),
    [
        (HEADER.replace("GRN", "Vendor"), ["header 'Vendor' appears twice (columns 3 and 4)"]),
        (HEADER.replace("GRN", ""), ["header 3 is blank"]),
    ],
)
def test_duplicate_or_blank_header_refuses_the_file(loaded, header, fragments):
    before = snapshot(loaded)
    report = load(loaded, "h.csv", csv_text(ROW, header=header))
    assert_refused(loaded, before, report, "h.csv, line 1", *fragments)


# 9 -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "file is empty"),
        ("\n\n", "file is empty"),
        (HEADER + "\n", "no data rows"),
        (HEADER, "no data rows"),
    ],
)
def test_empty_file_and_header_only(loaded, content, fragment):
    before = snapshot(loaded)
    report = load(loaded, "e.csv", content)
    assert_refused(loaded, before, report, "e.csv", fragment)


# 10 ----------------------------------------------------------------------------------------
def test_missing_required_columns_are_named_with_the_headers_found(loaded):
    before = snapshot(loaded)
    header = "PO Number,Vendor,Material,PO Date,Quantity"
    report = load(
        loaded, "m.csv", csv_text("PO9,Acme,SKU9,2024-04-01,20", header=header), kind="deliveries"
    )
    assert_refused(
        loaded,
        before,
        report,
        "missing required columns for deliveries: promised_date",
        "found headers: PO Number, Vendor, Material",
    )


# 11 ----------------------------------------------------------------------------------------
def test_unknown_extra_columns_are_ignored_with_a_warning(loaded):
    report = load(loaded, "x.csv", csv_text(ROW + ",blue,7", header=HEADER + ",Colour,Bin X"))
    assert report.status == "imported" and report.inserted == 1
    assert "ignored columns: Colour, Bin X" in report.warnings


# 12 ----------------------------------------------------------------------------------------
AMBIGUOUS = ["PO9,1,G9,Acme,SKU9,01/02/2024,03/04/2024,20,02/04/2024,20,3.5"]


def test_ambiguous_dates_are_never_guessed(loaded):
    before = snapshot(loaded)
    report = load(loaded, "amb.csv", csv_text(*AMBIGUOUS))
    assert report.needs_date_order is True
    assert_refused(loaded, before, report, "day-first or month-first")


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("dayfirst", (date(2024, 2, 1), date(2024, 4, 3))),
        ("monthfirst", (date(2024, 1, 2), date(2024, 3, 4))),
    ],
)
def test_the_users_date_order_is_applied(loaded, order, expected):
    report = load(loaded, "amb.csv", csv_text(*AMBIGUOUS), date_order=order)
    assert report.status == "imported"
    assert rows(
        loaded, "SELECT order_date, promised_date FROM deliveries WHERE po_number = 'PO9'"
    ) == [expected]


@pytest.mark.parametrize(
    ("value", "order"), [("25/04/2024", "dayfirst"), ("04/25/2024", "monthfirst")]
)
def test_one_unambiguous_value_decides_the_whole_file(loaded, value, order):
    body = AMBIGUOUS + [AMBIGUOUS[0].replace("PO9,1", "PO9,2").replace("02/04/2024", value)]
    report = load(loaded, "dec.csv", csv_text(*body))
    assert report.inspection.date_order == order
    assert report.inserted == 2


def test_mixed_day_first_and_month_first_refuses(loaded):
    before = snapshot(loaded)
    body = [
        AMBIGUOUS[0].replace("01/02/2024", "25/01/2024"),
        AMBIGUOUS[0].replace("PO9,1", "PO9,2").replace("01/02/2024", "01/25/2024"),
    ]
    report = load(loaded, "mix.csv", csv_text(*body))
    assert_refused(loaded, before, report, "mix day-first and month-first")


# 13 ----------------------------------------------------------------------------------------
def test_excel_serial_dates(loaded):
    row = "PO9,1,G9,Acme,SKU9,45292,45301,20,45300.0,20,3.5"
    report = load(loaded, "serial.csv", csv_text(row))
    assert report.status == "imported"
    assert rows(
        loaded,
        "SELECT order_date, promised_date, received_date FROM deliveries WHERE po_number = 'PO9'",
    ) == [(date(2024, 1, 1), date(2024, 1, 10), date(2024, 1, 9))]


# 14 ----------------------------------------------------------------------------------------
def test_invalid_date_and_text_in_a_number_column(loaded):
    body = [
        ROW,
        ROW.replace("2024-04-10", "2024-13-01").replace(",1,", ",2,"),
        ROW.replace(",20,2024", ",twenty,2024").replace(",1,", ",3,"),
    ]
    report = load(loaded, "bad.csv", csv_text(*body))
    assert (report.rows_read, report.inserted, report.rejected) == (3, 1, 2)
    assert [(e.line, e.column, e.value, e.reason[:17]) for e in report.errors] == [
        (3, "Delivery Date", "2024-13-01", "not a valid date "),
        (4, "Quantity", "twenty", "not a number"),
    ]


# 15 ----------------------------------------------------------------------------------------
def test_rule_breaking_rows_each_get_their_reason(loaded):
    body = [
        ROW.replace(",3.5", ",-3.5"),  # a negative received_qty is a reversal: see test_checks
        ROW.replace(",1,", ",2,").replace("2024-04-09", "2024-03-09"),
        ROW.replace(",1,", ",3,").replace("2024-04-10", "2031-01-01"),
        ROW.replace(",1,", ",4,").replace("2024-04-09", "2025-06-01"),
        ROW.replace(",1,", ",5,"),
    ]
    report = load(loaded, "rules.csv", csv_text(*body))
    assert (report.rows_read, report.inserted, report.rejected) == (5, 1, 4)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "Net Price", "must be 0 or more"),
        (3, "Receipt Date", "received before it was ordered (order date 2024-04-01)"),
        (4, "Delivery Date", "date is more than two years ahead"),
        (5, "Receipt Date", "date is in the future (after 2024-12-31)"),
    ]


# 16 ----------------------------------------------------------------------------------------
def test_na_tokens_are_null_where_optional_and_rejected_where_required(loaded):
    body = [
        "PO9,1,G9,Acme,SKU9,2024-04-01,2024-04-10,20,n/a,NULL,-",
        "PO9,2,G9,NULL,SKU9,2024-04-01,2024-04-10,20,,,",
        "PO9,3,G9,Acme,SKU9,2024-04-01,2024-04-10,N/A,,,",
    ]
    report = load(loaded, "na.csv", csv_text(*body))
    assert (report.inserted, report.rejected) == (1, 2)
    assert rows(
        loaded,
        "SELECT received_date, received_qty, unit_cost FROM deliveries WHERE po_number = 'PO9'",
    ) == [(None, None, None)]
    assert [(e.line, e.column, e.value, e.reason) for e in report.errors] == [
        (3, "Vendor", None, "required value is missing"),
        (4, "Quantity", None, "required value is missing"),
    ]


# 17 ----------------------------------------------------------------------------------------
def test_duplicate_key_inside_a_file_reports_both_lines(loaded):
    report = load(
        loaded,
        "dup.csv",
        csv_text(ROW, ROW.replace(",20,2024", ",20,2024"), ROW.replace("G9", "G10")),
    )
    assert (report.rows_read, report.inserted, report.rejected) == (3, 1, 2)
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "duplicate key: 2 rows of this file have it"),
        (3, "duplicate key: 2 rows of this file have it"),
    ]
    assert rows(loaded, "SELECT receipt_id FROM deliveries WHERE po_number = 'PO9'") == [("G10",)]


def test_split_receipts_that_disagree_on_ordered_qty(loaded):
    body = [ROW, ROW.replace("G9", "G10").replace(",20,2024-04-09", ",25,2024-04-09")]
    report = load(loaded, "split.csv", csv_text(*body))
    assert report.status == "refused" and report.rejected == 2
    assert {e.reason for e in report.errors} == {
        "receipts of this PO line disagree on ordered_qty (20.0 vs 25.0)"
    }


def test_a_new_receipt_disagreeing_with_a_stored_one(loaded):
    row = "PO1,1,G1b,Acme,SKU1,2024-02-01,2024-02-10,120,2024-02-11,20,2.5"
    report = load(loaded, "late-receipt.csv", csv_text(row))
    assert report.rejected == 1
    assert report.errors[0].reason == (
        "ordered_qty 120.0 disagrees with 100.0 already stored for this PO line (receipt G1)"
    )


# 18 ----------------------------------------------------------------------------------------
def test_the_same_file_twice_changes_nothing(loaded):
    before = snapshot(loaded)
    report = load(loaded, "again.csv", csv_text(*GOOD_ROWS))
    assert report.status == "duplicate" and report.import_id == 1
    assert "already imported on " in report.message and "import #1" in report.message
    assert snapshot(loaded) == before


# 19 ----------------------------------------------------------------------------------------
def test_overlapping_reupload_upserts_and_counts(loaded):
    body = [GOOD_ROWS[0], GOOD_ROWS[1].replace(",50,2024-02-15,50,", ",50,2024-02-15,45,"), ROW]
    report = load(loaded, "overlap.csv", csv_text(*body))
    assert (
        report.rows_read,
        report.inserted,
        report.updated,
        report.unchanged,
        report.rejected,
    ) == (3, 1, 2, 1, 0)
    assert rows(
        loaded, "SELECT received_qty, import_id FROM deliveries WHERE po_number = 'PO2'"
    ) == [(45.0, 2)]
    assert rows(loaded, "SELECT count(*) FROM deliveries") == [(4,)]


# 20, 21 ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","click")',
        "+1+2",
        "-3+4",
        "@SUM(A1)",
        "\tTab Co",
        "\rCR Co",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
    ],
)
def test_hostile_text_is_stored_verbatim(loaded, text):
    quoted = '"' + text.replace('"', '""') + '"'
    report = load(loaded, "hostile.csv", csv_text(ROW.replace("Acme", quoted)))
    assert report.status == "imported"
    assert rows(loaded, "SELECT supplier FROM deliveries WHERE po_number = 'PO9'") == [(text,)]


# 22 ----------------------------------------------------------------------------------------
def _zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", csv_text(ROW))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (gzip.compress(csv_text(ROW).encode()), "gzip-compressed"),
        (_zip_bytes(), "ZIP archive or an Excel workbook"),
        (b"PO Number,Vendor\nPO1,Ac\x00me\n", "line 2: the file contains NUL bytes"),
        (b"\x00\x01\x02\x03\xff" * 100, "NUL bytes"),
    ],
)
def test_compressed_and_binary_files_are_refused(loaded, content, fragment):
    before = snapshot(loaded)
    report = load(loaded, "blob.csv", content)
    assert_refused(loaded, before, report, "blob.csv", fragment)


def test_a_single_3mb_line_is_refused(loaded):
    before = snapshot(loaded)
    report = load(loaded, "long.csv", "x" * (3 * 1024 * 1024))
    assert_refused(loaded, before, report, "line 1 is longer than 1 MB")


def test_a_file_over_the_size_limit_is_refused_before_reading(loaded, monkeypatch):
    monkeypatch.setattr(reader_module, "MAX_UPLOAD_BYTES", 1000)
    before = snapshot(loaded)
    with pytest.raises(ImportRefused, match="the limit is 0 MB"):
        save_upload(loaded, "big.csv", b"x" * 1001)
    report = load(loaded, "big.csv", csv_text(*[ROW] * 20))
    assert_refused(loaded, before, report, "big.csv: file is 0.0 MB")


# 23 ----------------------------------------------------------------------------------------
def test_two_threads_importing_at_once_both_land_whole(loaded):
    files = {
        "a.csv": csv_text(*[ROW.replace("PO9", f"A{i}") for i in range(300)]),
        "b.csv": csv_text(*[ROW.replace("PO9", f"B{i}") for i in range(300)]),
    }
    reports = {}

    def run(name):
        reports[name] = load(loaded, name, files[name])

    threads = [threading.Thread(target=run, args=(n,)) for n in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {n: (r.status, r.inserted) for n, r in reports.items()} == {
        "a.csv": ("imported", 300),
        "b.csv": ("imported", 300),
    }
    assert sorted(r.import_id for r in reports.values()) == [2, 3]
    assert rows(
        loaded, "SELECT left(po_number, 1), count(*) FROM deliveries GROUP BY 1 ORDER BY 1"
    ) == [("A", 300), ("B", 300), ("P", 3)]
