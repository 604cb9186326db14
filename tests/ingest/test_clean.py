"""The one typed pass (analytics.ingest.clean) against the text path it falls back to.

A clean file is read by DuckDB's reader typing the columns itself; anything that read does
not settle (a value it cannot type, an NA token, an infinite number, a broken line, a row
a check rejects) sends the whole file through the text staging. Both must give the same
result: the same values stored, the same rejections with their lines, columns, values and
reasons, the same counts, messages, history, dry runs and undo. The hand-worked tests pin
what each path does with one value; the property test imports generated messy files once
with the typed pass and once with the text path alone, and compares everything, row by row.

    TAKT_FUZZ_EXAMPLES=500 python -m pytest tests/ingest/test_clean.py   # a longer run
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from analytics.ingest import clean, import_file, lines, undo_import
from analytics.store.connection import Store
from tests.conftest import GOOD_ROWS, HEADER, TODAY, csv_text, load, rows, snapshot

HISTORY = """
    SELECT import_id, file_name, kind, rows_read, inserted, updated, unchanged, rejected,
           status, message, encoding, delimiter, decimal_comma, date_order
    FROM imports ORDER BY import_id"""


@pytest.fixture
def paths(monkeypatch):
    """Which path each import took: the rows the typed pass read, and text stagings run."""
    taken = {"typed": [], "text": 0}
    read_typed, stage_file = clean.read_typed, lines.stage_file

    def spy_typed(*args):
        taken["typed"].append(read_typed(*args))
        return taken["typed"][-1]

    def spy_text(*args):
        taken["text"] += 1
        return stage_file(*args)

    monkeypatch.setattr(clean, "read_typed", spy_typed)
    monkeypatch.setattr(lines, "stage_file", spy_text)
    return taken


def test_a_clean_file_is_read_in_one_typed_pass(store, paths):
    # GOOD_ROWS: PO1 100 received 02-09 at 2.5; PO2 50 received 02-15 at 4; PO3 10 open at
    # 2.5, its blank GRN the default '' and its blank receipt date NULL.
    report = load(store, "clean.csv", csv_text(*GOOD_ROWS))
    assert (report.status, report.rows_read, report.inserted, report.rejected) == (
        "imported",
        3,
        3,
        0,
    )
    assert paths == {"typed": [3], "text": 0}
    assert rows(
        store,
        "SELECT po_number, po_line, receipt_id, supplier, ordered_qty, received_date, "
        "received_qty, unit_cost FROM deliveries ORDER BY po_number",
    ) == [
        ("PO1", "1", "G1", "Acme", 100.0, date(2024, 2, 9), 100.0, 2.5),
        ("PO2", "1", "G2", "Acme", 50.0, date(2024, 2, 15), 50.0, 4.0),
        ("PO3", "1", "", "Bolt Co", 10.0, None, None, 2.5),
    ]
    assert rows(store, "SELECT decimal_comma, date_order FROM imports") == [(False, "iso")]


# Values the typed read accepts, read as our own parsing reads them (the quantity of PO1).
@pytest.mark.parametrize(
    ("quantity", "expected"),
    [("1e2", 100.0), (" 7 ", 7.0), ("+5", 5.0), (".5", 0.5), ("5.", 5.0), ("00012", 12.0)],
)
def test_numbers_the_typed_read_accepts(store, paths, quantity, expected):
    row = f"PO1,1,,Acme,SKU1,2024-02-01,2024-3-5,{quantity},,,2.5"
    assert load(store, "q.csv", csv_text(row)).inserted == 1
    assert paths == {"typed": [1], "text": 0}
    assert rows(store, "SELECT ordered_qty, promised_date FROM deliveries") == [
        (expected, date(2024, 3, 5))
    ]


# Values the typed read does not settle: the text path reads the file and reports them as
# before, by line (the header is line 1), column as headed in the file, value as written.
@pytest.mark.parametrize(
    ("quantity", "typed", "value", "reason"),
    [
        ("inf", [2], "inf", "not a number"),  # typed as infinity, which the checks reject
        ("1e999", [2], "1e999", "not a number"),
        ("n/a", [0], None, "required value is missing"),  # an NA token is not a DOUBLE
        ("200-", [0], "-200", "must be greater than 0"),  # SAP's trailing minus: -200
        ('"1,5"', [0], "1,5", "not a number"),  # a decimal comma in a decimal-point file
    ],
)
def test_values_the_typed_read_leaves_to_the_text_path(
    store, paths, quantity, typed, value, reason
):
    bad = f"PO9,1,,Acme,SKU1,2024-02-01,2024-02-10,{quantity},,,2.5"
    report = load(store, "bad.csv", csv_text(GOOD_ROWS[0], bad))
    assert (report.inserted, report.rejected) == (1, 1)
    assert paths == {"typed": typed, "text": 1}
    assert [(e.line, e.column, e.value, e.reason) for e in report.errors] == [
        (3, "Quantity", value, reason)
    ]


def test_a_date_the_typed_read_refuses_is_read_by_the_text_path(store, paths):
    # 07.03.2024 is not YYYY-MM-DD: the typed read throws, the text path reads it day-first.
    row = "PO1,1,,Acme,SKU1,2024-02-01,07.03.2024,10,,,2.5"
    assert load(store, "dmy.csv", csv_text(row)).inserted == 1
    assert paths == {"typed": [0], "text": 1}
    assert rows(store, "SELECT promised_date FROM deliveries") == [(date(2024, 3, 7),)]


# -- the two paths, row by row, on generated messy files ------------------------------------
CLEAN = {
    "PO Number": ["PO1", "PO2", "PO3"],  # stored lines (or a new line's, see messy_files)
    "Line": ["1", "2", ""],
    "GRN": ["G1", "G2", ""],
    "Vendor": ["Acme", "Bolt Co", ' O"Brien, Ltd '],
    "Material": ["SKU1", "[SKU2] Washer", "sku3"],
    "PO Date": ["2024-02-01", "2024-2-1"],
    "Delivery Date": ["2024-02-10", "2024-03-05", "2026-12-31"],
    "Quantity": ["100", "12.5", "1e2", "50"],
    "receipt": [("2024-02-09", "100"), ("", ""), ("2024-02-15", "12.5")],
    "Net Price": ["2.5", "4", ""],
}
STORED_QTY = {"PO1": "100", "PO2": "50", "PO3": "10"}  # GOOD_ROWS, line 1
NUMBER_MESS = ["inf", "-inf", "1e999", "nan", "1,5", "1,000", "1.234,5", "200-", "-3", " ", "x"]
DATE_MESS = ["05.03.2024", "05/03/2024", "03/25/2024", "20240305", "45292", "2024-02-30"]
DATE_MESS += ["2024-03-05 14:22", "2024/03/05", "2099-01-01", "1969-12-31", "2024-03-05x"]
NA_MESS = ["", "null", "N/A", "-", "none", "#N/A", "1_000", " 5 "]
NUMBER_COLUMNS = {"Quantity", "Received Qty", "Net Price"}
DATE_COLUMNS = {"PO Date", "Delivery Date", "Receipt Date"}
COLUMNS = HEADER.split(",")
EXAMPLES = int(os.environ.get("TAKT_FUZZ_EXAMPLES", "40"))


@st.composite
def messy_files(draw) -> tuple[str, str | None]:
    """A delivery file of 1-6 rows, each clean, then 0-3 of its cells replaced by messy
    values; now and then a ragged row. About a third of the files come out clean."""
    records = []
    for i in range(draw(st.integers(1, 6))):
        received_date, received_qty = draw(st.sampled_from(CLEAN["receipt"]))
        row = {h: draw(st.sampled_from(v)) for h, v in CLEAN.items() if h != "receipt"}
        if draw(st.booleans()):  # a new PO line of its own
            row["PO Number"] = f"N{i}"
        elif row["Line"] != "2":  # a stored line: its ordered quantity, or a conflict
            row["Quantity"] = draw(st.sampled_from([STORED_QTY[row["PO Number"]]] * 3 + ["7"]))
        row |= {"Receipt Date": received_date, "Received Qty": received_qty}
        records.append([row[h] for h in COLUMNS])
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
        cell = draw(st.integers(0, len(records) * len(COLUMNS) - 1))
        header = COLUMNS[cell % len(COLUMNS)]
        mess = NUMBER_MESS if header in NUMBER_COLUMNS else DATE_MESS * (header in DATE_COLUMNS)
        records[cell // len(COLUMNS)][cell % len(COLUMNS)] = draw(st.sampled_from(mess + NA_MESS))
    if draw(st.integers(0, 9)) == 0:
        records[-1] = records[-1][: draw(st.integers(1, len(COLUMNS) - 1))]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([COLUMNS, *records])
    return out.getvalue(), draw(st.sampled_from([None, None, "dayfirst", "monthfirst"]))


@pytest.fixture(scope="module")
def two_stores(tmp_path_factory):
    """One store imports with the typed pass, the other with the text path alone; both hold
    the three good lines first, so a file can update, leave unchanged or conflict."""
    pair = []
    for name in ("typed", "text"):
        store = Store(tmp_path_factory.mktemp(name) / "takt.duckdb", lock_timeout=20)
        path = store.spool_dir / "base.csv"
        path.write_text(csv_text(*GOOD_ROWS))
        assert import_file(store, path, today=TODAY, refresh_marts=False).status == "imported"
        pair.append(store)
    yield pair
    for store in pair:
        store.close()


def _import(store, text: str, date_order, dry_run: bool):
    path = store.spool_dir / "messy.csv"
    path.write_text(text)
    report = import_file(
        store, path, today=TODAY, date_order=date_order, dry_run=dry_run, refresh_marts=False
    )
    return report, (report.to_json(), report.inspection and vars(report.inspection))


def _state(store) -> tuple:
    return snapshot(store), rows(store, HISTORY)


def _compare(stores, monkeypatch, text: str, date_order, dry_run: bool) -> str:
    """Import `text` into one store with the typed pass and into the other with the text
    path alone; assert that everything agrees; the path the first took, and its status."""
    typed_store, text_store = stores
    stage_file, staged = lines.stage_file, []
    with monkeypatch.context() as m:
        m.setattr(lines, "stage_file", lambda *args: staged.append(1) or stage_file(*args))
        fast, fast_seen = _import(typed_store, text, date_order, dry_run)
    with monkeypatch.context() as m:
        m.setattr(clean, "read_typed", lambda *args: 0)  # the text path alone
        slow, slow_seen = _import(text_store, text, date_order, dry_run)
    assert fast_seen == slow_seen  # status, counts, every error, message, warnings, formats
    assert _state(typed_store) == _state(text_store)  # every stored row and the history
    if fast.status == "imported":  # and its undo restores the same rows in both
        for store, report in ((typed_store, fast), (text_store, slow)):
            undo_import(store, report.import_id)
        assert _state(typed_store) == _state(text_store)
    return f"{'text path' if staged else 'typed pass'}: {fast.status}"


# Every messy value alone in an otherwise clean line, in a column of its type (cycling
# through them): the paths agree on each.
ALONE = [
    (value, sorted(headers)[n % 3])
    for values, headers in ((NUMBER_MESS, NUMBER_COLUMNS), (DATE_MESS, DATE_COLUMNS))
    for n, value in enumerate(values + NA_MESS)
]
CLEAN_LINE = [
    "N1",
    "1",
    "",
    "Acme",
    "SKU1",
    "2024-02-01",
    "2024-02-10",
    "5",
    "2024-02-09",
    "5",
    "2",
]


@pytest.mark.parametrize(("value", "header"), ALONE)
def test_each_messy_value_alone_gives_the_same_result(two_stores, monkeypatch, value, header):
    row = dict(zip(COLUMNS, CLEAN_LINE, strict=True))
    row[header] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([COLUMNS, [row[h] for h in COLUMNS]])
    _compare(two_stores, monkeypatch, out.getvalue(), None, dry_run=False)


@settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=30),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(file=messy_files(), dry_run=st.booleans())
def test_typed_pass_and_text_path_agree_row_by_row(two_stores, monkeypatch, file, dry_run):
    event(_compare(two_stores, monkeypatch, *file, dry_run))
