"""Staging a file with DuckDB's reader, and finding the physical line of every rejection.

DuckDB reads the file fast but numbers rows, not lines: it skips blank lines and counts a
quoted newline as part of one row. Users need the line their editor shows, so when a file
has rejections one streaming pass of Python's csv reader (same dialect) maps each staged
row to the line it starts on and explains each row DuckDB could not read.
"""

from __future__ import annotations

import csv
import sys

csv.field_size_limit(sys.maxsize)


def stage(cur, tag: str, path, delimiter: str, n: int, max_line: int) -> list[tuple]:
    """Every record as text in temp table stg_<tag>; returns DuckDB's rejected lines."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n)) + "}"
    path_sql = str(path).replace("'", "''")
    delim_sql = delimiter.replace("'", "''")
    cur.execute(f"""
        CREATE TEMP TABLE stg_{tag} AS SELECT * FROM read_csv('{path_sql}',
            header = true, auto_detect = false, delim = '{delim_sql}', quote = '"',
            escape = '"', columns = {columns}, store_rejects = true,
            rejects_table = 'rj_{tag}', rejects_scan = 'rs_{tag}',
            max_line_size = {max_line}, parallel = true)""")
    return cur.execute(f"""
        SELECT line, min(error_type), min(error_message) FROM rj_{tag}
        GROUP BY line ORDER BY line""").fetchall()


def drop_temp(cur, tag: str) -> None:
    for prefix in ("stg", "typed", "err", "match", "rj", "rs"):
        cur.execute(f"DROP TABLE IF EXISTS {prefix}_{tag}")


def locate(cur, tag, path, delimiter, headers, errors, rejects, cap):
    """(line, column, value, reason) for validation errors and unreadable rows, by line."""
    if not errors and not rejects:
        return []
    wanted = {}
    for ord_, column, value, reason in errors:
        wanted.setdefault(ord_, []).append((column, value, reason))
    found, unreadable, consistent = _scan(path, delimiter, headers, wanted, bool(rejects))
    staged = cur.execute(f"SELECT count(*) FROM typed_{tag}").fetchone()[0]
    if not consistent(staged):
        # Python and DuckDB split the file differently (e.g. a stray quote): fall back to
        # DuckDB's own numbering rather than report wrong lines with confidence.
        found = [(o + 1, c, v, r) for o, items in wanted.items() for c, v, r in items]
        unreadable = [
            (line + 1, None, None, f"{kind.lower()}: {msg}") for line, kind, msg in rejects
        ]
    return sorted(found + unreadable, key=lambda e: e[0])[:cap]


def _scan(path, delimiter, headers, wanted, need_all):
    n = len(headers)
    found, unreadable = [], []
    last_wanted = max(wanted, default=0)
    accepted = 0
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, quotechar='"', doublequote=True)
        next(reader, None)
        previous_end = reader.line_num
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not record:
                continue
            problem = _unreadable(record, headers, n)
            if problem:
                unreadable.append((start, *problem))
                continue
            accepted += 1
            for column, value, reason in wanted.get(accepted, ()):
                found.append((start, column, value, reason))
            if not need_all and accepted >= last_wanted:
                return found, unreadable, lambda staged: True
    return found, unreadable, lambda staged: staged == accepted


def _unreadable(record, headers, n):
    if len(record) != n:
        column = headers[len(record)] if len(record) < n else f"(extra field {n + 1})"
        return column, None, f"expected {n} fields, found {len(record)}"
    for header, field in zip(headers, record, strict=True):
        if any("\udc80" <= ch <= "\udcff" for ch in field):
            return (
                header,
                field.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                "not valid UTF-8 text (mixed encodings?)",
            )
    return None
