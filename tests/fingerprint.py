"""A content fingerprint of a whole database: "nothing changed" as one comparable value.

The reliability tests (fuzzing, crash, concurrency, memory) must show that a refused or
killed import left the database exactly as it was. conftest.snapshot covers the canonical
tables; this covers every stored table, the import history with its timestamps, the data
version, settings and marts included, and also runs in a fresh process opening the file.
"""

from __future__ import annotations

TABLES_SQL = """
    select table_name from duckdb_tables()
    where not temporary and database_name = current_database() order by table_name"""
COLUMNS_SQL = """
    select table_name, column_name, data_type from duckdb_columns()
    where not internal and database_name = current_database()
    order by table_name, column_index"""


def fingerprint_cursor(cur) -> dict:
    """{table: (rows, order-independent sum of row hashes)} plus the column layout."""
    out = {"__columns__": cur.execute(COLUMNS_SQL).fetchall()}
    for (table,) in cur.execute(TABLES_SQL).fetchall():
        quoted = '"' + table.replace('"', '""') + '"'
        out[table] = cur.execute(
            f"select count(*), coalesce(sum(hash(t)::hugeint), 0) from {quoted} as t"
        ).fetchone()
    return out


def fingerprint(store) -> dict:
    with store.connect() as cur:
        return fingerprint_cursor(cur)
