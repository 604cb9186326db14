"""Fuzzing the importer with hostile files: it answers with a report, never a crash.

Hypothesis writes files an ERP, a spreadsheet or an attacker could produce: random bytes,
broken and stray quotes, mixed encodings, ragged rows, huge fields, NUL bytes, headers in
any order under any of the schema's aliases. For every file the importer must

- raise nothing: a refused file comes back as a report whose message starts with the
  file's name (and names the line where the refusal is about one);
- count every row: rows read = inserted + updated + rejected, every rejection listed
  with its line, and the history row saying the same;
- change nothing when it refuses (or recognises a duplicate): the fingerprint of every
  table, history included, is equal before and after, and no staged copy is left behind;
- when it imports, touch only its own table, with exactly the rows the report counts.

The default run is small (a few hundred files, well under a minute). For a long run:

    TAKT_FUZZ_EXAMPLES=2000 python -m pytest tests/reliability/test_fuzz_import.py
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from datetime import timedelta
from itertools import count

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analytics.ingest import ImportRefused, import_file, inspect_file
from analytics.ingest.cast import NA_TOKENS
from analytics.store.connection import Store
from analytics.store.schema import DATE, NUMBER, TABLES
from tests.conftest import GOOD_ROWS, TODAY, csv_text, load, rows, snapshot
from tests.fingerprint import fingerprint

EXAMPLES = int(os.environ.get("TAKT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=20),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)
DELIMITERS = (",", ";", "\t", "|")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "mixed")
NEWLINES = ("\n", "\r\n", "\r")
_names = count(1)


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    """One database for the whole module, holding three good delivery lines to protect."""
    store = Store(tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb", lock_timeout=20)
    path = store.spool_dir / "base.csv"
    path.write_text(csv_text(*GOOD_ROWS))
    assert import_file(store, path, today=TODAY).status == "imported"
    yield store
    store.close()


# -- strategies ----------------------------------------------------------------------------
hostile_text = st.text(
    st.characters(blacklist_categories=("Cs",)) | st.sampled_from('",;|\t\r\n\x00"\ufeff'),
    max_size=30,
)
DATE_TEXTS = st.sampled_from(
    ["2024-03-05", "05.03.2024", "05/03/2024", "03/25/2024", "25/03/2024", "45292", "20240305"]
    + ["2024-13-01", "2099-01-01", "1900-01-01", "0000-00-00", "2024-02-30"]
)
NUMBER_TEXTS = st.sampled_from(
    ["5", "12,50", "1.234,56", "1,234.56", "-3", "0", "1e308", "1e999", "inf", "NaN", " 7 "]
)


def valid_or_hostile(column) -> st.SearchStrategy[str]:
    typed = {DATE: DATE_TEXTS, NUMBER: NUMBER_TEXTS}.get(column.type, st.sampled_from(["A1"]))
    return st.one_of(
        typed,
        typed,
        st.sampled_from(NA_TOKENS + ("=1+1", "@SUM(A1)", "<script>x</script>")),
        hostile_text,
        st.integers(-(10**20), 10**20).map(str),
    )


@st.composite
def headers(draw, table):
    """A permutation of some of the table's columns, each under one of its aliases."""
    columns = draw(st.permutations(table.columns))
    keep = draw(st.integers(1, len(columns)))
    if draw(st.booleans()):  # often complete, so that rows get past the header checks
        chosen = [c for c in columns if c.required or c in columns[:keep]]
    else:
        chosen = list(columns[:keep])
    names = []
    for column in chosen:
        name = draw(st.sampled_from((column.name, *column.aliases)))
        style = draw(st.sampled_from((str, str.upper, str.lower, lambda s: f" {s} ")))
        names.append(style(name))
    extra = draw(st.sampled_from([[], [], ["Remarks"], ["", "x"], [names[0]], ["Notes", "Notes"]]))
    names += extra
    return chosen, names


@st.composite
def hostile_csv(draw) -> bytes:
    table = TABLES[draw(st.sampled_from(sorted(TABLES)))]
    columns, names = draw(headers(table))
    n_rows = draw(st.integers(0, 12))
    records = [names]
    for _ in range(n_rows):
        record = [draw(valid_or_hostile(c)) for c in columns]
        record += [draw(hostile_text) for _ in range(len(names) - len(columns))]
        ragged = draw(st.sampled_from([0, 0, 0, 0, -1, 1, -len(record)]))
        record = record[: len(record) + ragged] if ragged < 0 else record + ["x"] * ragged
        records.append(record)
    if n_rows and draw(st.integers(0, 9)) == 0:  # a huge field, over and under the line limit
        size = draw(st.sampled_from([70_000, 1_100_000]))
        row = draw(st.integers(1, n_rows))
        if records[row]:
            records[row][0] = "H" * size
    text = serialise(draw, records)
    data = encode(draw, text)
    return mutate_bytes(draw, data)


def serialise(draw, records) -> str:
    delimiter = draw(st.sampled_from(DELIMITERS))
    newline = draw(st.sampled_from(NEWLINES))
    quoting = draw(st.sampled_from(["minimal", "all", "raw", "stray"]))
    if quoting in ("minimal", "all"):
        out = io.StringIO(newline="")
        mode = csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL
        csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=mode).writerows(
            records
        )
        return out.getvalue()
    lines = [delimiter.join(r) for r in records]
    if quoting == "stray" and len(lines) > 1:
        i = draw(st.integers(0, len(lines) - 1))
        at = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:at] + '"' + lines[i][at:]
    return newline.join(lines) + draw(st.sampled_from([newline, ""]))


def encode(draw, text: str) -> bytes:
    encoding = draw(st.sampled_from(ENCODINGS))
    if encoding != "mixed":
        return text.encode(encoding, errors="replace")
    lines = text.splitlines(keepends=True)
    return b"".join(
        line.encode("cp1252" if i % 2 else "utf-8", errors="replace")
        for i, line in enumerate(lines)
    )


def mutate_bytes(draw, data: bytes) -> bytes:
    how = draw(st.sampled_from(["none", "none", "none", "nul", "truncate", "splice", "bom"]))
    at = draw(st.integers(0, len(data)))
    if how == "nul":
        return data[:at] + b"\x00" + data[at:]
    if how == "truncate":
        return data[:at]
    if how == "splice":
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if how == "bom":
        return draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE])) + data
    return data


# -- the checks ------------------------------------------------------------------------------
def check_import(store, data: bytes, date_order=None):
    """Import `data` as a fresh upload and assert every promise of the module docstring."""
    name = f"fuzz-{next(_names)}.csv"
    path = store.spool_dir / name
    path.write_bytes(data)
    spooled = set(store.spool_dir.iterdir())
    before = fingerprint(store)
    try:
        check_inspection(path, name)
        report = import_file(store, path, display_name=name, date_order=date_order, today=TODAY)
    finally:
        leftovers = set(store.spool_dir.iterdir()) - spooled
        path.unlink()
    assert not leftovers, f"staged copies left behind: {leftovers}"
    assert report.status in ("imported", "refused", "duplicate"), report
    assert report.message.startswith(name), report.message
    after = fingerprint(store)
    if report.status != "imported":
        assert after == before, report.message
        assert report.inserted == report.updated == 0
    check_counts(report)
    if report.status == "imported":
        check_history(store, report, before, after)
    return report


def check_inspection(path, name) -> None:
    """What the Data page shows first: an inspection, or a refusal naming the file."""
    try:
        inspect_file(path, display_name=name)
    except ImportRefused as exc:
        assert str(exc).startswith(name)
        if exc.line is not None:
            assert f"{name}, line {exc.line}" in str(exc)


def check_counts(report) -> None:
    assert report.rows_read == report.inserted + report.updated + report.rejected, report
    assert 0 <= report.unchanged <= report.updated
    assert bool(report.errors) == bool(report.rejected), report
    for error in report.errors:
        assert error.line >= 2 and error.reason, error


def check_history(store, report, before, after) -> None:
    kind, import_id = report.kind, report.import_id
    with store.connect() as cur:
        history = cur.execute(
            "select rows_read, inserted, updated, unchanged, rejected, status from imports "
            "where import_id = ?",
            [import_id],
        ).fetchone()
        (written,) = cur.execute(
            f"select count(*) from {kind} where import_id = ?", [import_id]
        ).fetchone()
        (kept,) = cur.execute(
            f"select count(*) from {kind}__prior where replaced_by = ?", [import_id]
        ).fetchone()
    assert history == (
        report.rows_read,
        report.inserted,
        report.updated,
        report.unchanged,
        report.rejected,
        "imported",
    )
    changed = report.updated - report.unchanged
    assert (written, kept) == (report.inserted + changed, changed)
    untouched = set(TABLES) - {kind}
    for table in untouched | {f"{t}__prior" for t in untouched}:
        assert after[table] == before[table], table
    assert after[kind][0] == before[kind][0] + report.inserted


# -- the properties --------------------------------------------------------------------------
@FUZZ
@given(data=st.binary(max_size=4000))
@example(data=b"\xff\xfe" + b"\x00" * 9)
@example(data=b'PO Number,Vendor\n"PO1,Acme\n')
def test_random_bytes_are_answered_with_a_report(fuzz_store, data):
    check_import(fuzz_store, data)


@FUZZ
@given(prefix=st.sampled_from([GOOD_ROWS[0], csv_text(*GOOD_ROWS)]), tail=st.binary(max_size=600))
def test_a_good_file_with_random_bytes_appended(fuzz_store, prefix, tail):
    header = csv_text().encode()
    check_import(fuzz_store, header + prefix.encode() + b"\n" + tail)


@FUZZ
@given(data=hostile_csv(), date_order=st.sampled_from([None, None, "dayfirst", "monthfirst"]))
def test_hostile_csv_files_are_counted_or_refused_whole(fuzz_store, data, date_order):
    check_import(fuzz_store, data, date_order)


def test_the_fuzzed_database_keeps_one_row_per_key_and_a_true_history(fuzz_store):
    """After the fuzzing above: the invariants of the whole store still hold."""
    with fuzz_store.connect() as cur:
        for name, table in TABLES.items():
            key = ", ".join(table.key)
            dupes = cur.execute(
                f"select {key} from {name} group by {key} having count(*) > 1"
            ).fetchall()
            assert dupes == [], name
        orphans = [
            cur.execute(
                f"select count(*) from {name} where import_id not in "
                "(select import_id from imports where status = 'imported')"
            ).fetchone()[0]
            for name in TABLES
        ]
        assert orphans == [0] * len(TABLES)


# -- regressions: what the fuzzing above found ----------------------------------------------
def test_a_refused_transcoded_file_leaves_no_copy_behind(loaded):
    """A Windows-1252 file is read through a UTF-8 copy; a refusal used to leave it behind."""
    before = snapshot(loaded)
    report = load(loaded, "dup.csv", "PO Number,Vendor,vendor\nPO1,Müller,M\n", "cp1252")
    assert report.status == "refused"
    assert report.message == (
        "dup.csv, line 1, column 'vendor': header 'vendor' appears twice (columns 2 and 3)"
    )
    assert sorted(p.name for p in loaded.spool_dir.iterdir()) == ["base.csv", "dup.csv", "tmp"]
    assert snapshot(loaded) == before


def test_mixed_line_endings_are_read_as_line_breaks(loaded):
    """DuckDB's parser stopped with 'invalid state' on CR LF then LF, or a last lone CR."""
    text = csv_text(*GOOD_ROWS[:2], newline="\r\n") + GOOD_ROWS[2].replace("PO3", "PO4") + "\n\r"
    report = load(loaded, "mixed.csv", text)
    # PO1 and PO2 are stored already with the same values; PO4 is new.
    assert (report.status, report.rows_read, report.inserted, report.unchanged) == (
        "imported",
        3,
        1,
        2,
    )
    assert report.warnings == [
        "the file mixes line endings (CR LF, LF, CR alone); each was read as a line break"
    ]
    assert rows(loaded, "SELECT supplier FROM deliveries WHERE po_number = 'PO4'") == [("Bolt Co",)]
    assert sorted(p.name for p in loaded.spool_dir.iterdir()) == ["base.csv", "mixed.csv", "tmp"]


def test_a_lone_cr_inside_a_field_splits_the_row_into_two_rejected_lines(loaded):
    before = snapshot(loaded)
    report = load(loaded, "cr.csv", csv_text(GOOD_ROWS[0].replace("Acme", "Ac\rme")))
    assert (report.status, report.rows_read, report.rejected) == ("refused", 2, 2)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "Material", "expected 11 fields, found 4"),  # PO1,1,G1,Ac
        (3, "Receipt Date", "expected 11 fields, found 8"),  # me,SKU1,...,100,2.5
    ]
    assert snapshot(loaded) == before


def test_a_utf16_file_cut_in_the_middle_of_a_character_is_refused(loaded):
    before = snapshot(loaded)
    data = csv_text(GOOD_ROWS[0]).encode("utf-16")[:-1]  # the last LF loses its second byte
    report = load(loaded, "cut.csv", data)
    assert report.message == (
        "cut.csv, line 2: the file ends in the middle of a utf-16 character (cut short?)"
    )
    assert snapshot(loaded) == before
