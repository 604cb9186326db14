"""The upsert keeps the natural key unique: one row per key after overlapping imports."""

from __future__ import annotations

from analytics.store.schema import TABLES
from tests.conftest import csv_text, rows


def test_one_row_per_natural_key_after_overlapping_imports(loaded):
    from tests.conftest import GOOD_ROWS, load

    load(
        loaded,
        "again.csv",
        csv_text(GOOD_ROWS[1], GOOD_ROWS[2], "PO7,1,,Acme,S,2024-01-01,2024-01-05,1,,,"),
    )
    for name, table in TABLES.items():
        key = ", ".join(table.key)
        assert rows(loaded, f"SELECT {key} FROM {name} GROUP BY {key} HAVING count(*) > 1") == []


RATES = "Currency,Valid From,Exchange Rate\nusd,,0.92\nUSD,2024-03-01,0.90\nGBP,2024-03-01,1.17\n"


def test_a_rates_file_is_detected_and_its_undated_rate_stays_one_row(store):
    from tests.conftest import load

    report = load(store, "rates.csv", RATES)
    assert (report.status, report.inspection.kind, report.inserted) == ("imported", "rates", 3)
    # the undated rate is stored as valid from 1900-01-01, so importing the file again
    # matches every row by its key instead of adding the undated one twice (3 matched, 2 of
    # them unchanged)
    again = load(store, "rates again.csv", RATES.replace("0.92", "0.93"))
    assert (again.inserted, again.updated, again.unchanged) == (0, 3, 2), again.message
    sql = "SELECT currency, CAST(valid_from AS VARCHAR), rate FROM rates ORDER BY 2, 1"
    assert rows(store, sql) == [
        ("usd", "1900-01-01", 0.93),
        ("GBP", "2024-03-01", 1.17),
        ("USD", "2024-03-01", 0.90),
    ]


def test_a_rate_of_zero_or_less_is_rejected_with_its_line_and_column(store):
    from tests.conftest import load

    report = load(store, "rates.csv", "Currency,Rate\nUSD,0.9\nCHF,0\nJPY,-1\n")
    assert (report.inserted, report.rejected) == (1, 2)
    assert [(e.line, e.column, e.value) for e in report.errors] == [
        (3, "Rate", "0"),
        (4, "Rate", "-1"),
    ]


def test_a_first_import_records_its_table_not_each_line(store):
    """Into an empty table every PO line is new and its facts are built whole, so the change
    is recorded unkeyed, without a list of lines; into a table holding lines, the lines the
    import wrote are listed (PO9 line 1 only), so only their facts are rebuilt."""
    from tests.conftest import GOOD_ROWS, load

    load(store, "first.csv", csv_text(*GOOD_ROWS), refresh_marts=False)
    assert rows(store, "SELECT table_name, keyed FROM changes") == [("deliveries", False)]
    assert rows(store, "SELECT count(*) FROM changed_lines") == [(0,)]
    load(store, "more.csv", csv_text("PO9,1,,Acme,SKU1,2024-02-01,2024-02-10,5,,,2"))
    load(
        store,
        "next.csv",
        csv_text("PO8,2,,Acme,SKU1,2024-02-01,2024-02-10,5,,,2"),
        refresh_marts=False,
    )
    assert rows(store, "SELECT table_name, keyed FROM changes") == [("deliveries", True)]
    assert rows(store, "SELECT number, line FROM changed_lines") == [("PO8", "2")]
