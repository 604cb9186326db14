"""Reading a clean file in one typed pass, before the text staging is tried.

The text path (`lines.stage`, then `cast.typed_query`) keeps every value as text so that a
bad one can be reported with its line, column and the value as written; typing ten million
lines that way costs a text copy of the file and a CASE per value. Most nightly exports are
clean, so the file is first read with DuckDB's reader typing the columns itself (numbers as
DOUBLE with a decimal point, dates as YYYY-MM-DD). That read accepts only values our own
parsing reads to the same number or date (tests/ingest/test_clean.py compares them value by
value), and throws at the first value it cannot type or line it cannot split. Anything the
typed read does not settle goes to the text path for the whole file, which then finds and
reports every problem exactly as before: a value it cannot type, a decimal comma, another
date format, an NA token in a number or date column, an infinite number, a broken line, an
empty file, an export profile's rules (they rewrite the staged text), and any row a check
rejects (`pipeline` falls back when `err_<tag>` is not empty).
"""

from __future__ import annotations

import duckdb

from analytics.ingest.cast import typed_query
from analytics.ingest.lines import drop_temp, read_csv_sql
from analytics.store.schema import DATE, NUMBER, TABLES

_SQL_TYPE = {NUMBER: "DOUBLE", DATE: "DATE"}


def read_typed(cur, tag: str, path, inspection, sources: dict[str, str], max_line: int) -> int:
    """Fill typed_<tag> from the file in one typed pass; the rows read, or 0 when the file
    must take the text path (nothing of this attempt is left behind then)."""
    table = TABLES[inspection.kind]
    types = ["VARCHAR"] * len(inspection.headers)
    for column, source in sources.items():
        types[int(source[1:])] = _SQL_TYPE.get(table.column(column).type, "VARCHAR")
    # Only the row order matters (line numbers are found by the text path, which reports
    # every rejection), and row_number() over the file needs no sort.
    source = (
        "(SELECT row_number() OVER () AS ord, * FROM "
        f"{read_csv_sql(path, inspection.delimiter, types, max_line)})"
    )
    query = typed_query(inspection.kind, sources, False, "iso", source, read_typed=True)
    try:
        cur.execute(f"CREATE TEMP TABLE typed_{tag} AS {query}")
    except (duckdb.ConversionException, duckdb.InvalidInputException):
        drop_temp(cur, tag)
        return 0
    rows = cur.execute(f"SELECT count(*) FROM typed_{tag}").fetchone()[0]
    if not rows:
        drop_temp(cur, tag)
    return rows


def has_errors(cur, tag: str) -> bool:
    """Whether a check rejected a row of typed_<tag> (the text path then reports it)."""
    return cur.execute(f"SELECT EXISTS (SELECT 1 FROM err_{tag})").fetchone()[0]


def date_order(given: str | None) -> str:
    """The date order a clean file was read in: its dates are all YYYY-MM-DD, so what the
    user chose, as the text path decides it (`formats.decide_dates`), else ISO."""
    return given if given in ("dayfirst", "monthfirst") else "iso"
