"""Staging a file with DuckDB's reader, and finding the physical line of every rejection.

DuckDB reads the file fast but numbers rows, not lines: it skips blank lines and counts a
quoted newline as part of one row. Users need the line their editor shows, so when a file
has rejections one streaming pass of Python's csv reader (same dialect) maps each staged
row to the line it starts on and explains each row DuckDB could not read.
"""

from __future__ import annotations

import csv
import sys
import uuid
from pathlib import Path

import duckdb

from analytics.ingest.results import ImportRefused

csv.field_size_limit(sys.maxsize)
MIXED_ENDINGS = "the file mixes line endings (CR LF, LF, CR alone); each was read as a line break"


def stage_file(cur, tag, path: Path, name, delimiter, n, max_line, spool_dir, warnings):
    """(path staged, DuckDB's rejected lines). DuckDB's parser stops on a file that mixes
    line endings (an export with a header from another system, a stray CR): such a file is
    staged again from a copy with uniform line breaks, and the user is told."""
    try:
        return path, stage(cur, tag, path, delimiter, n, max_line)
    except duckdb.InvalidInputException as exc:
        first_error = exc
    uniform = uniform_newlines(path, spool_dir) if _has_cr(path) else None
    if uniform is not None:
        try:
            drop_temp(cur, tag)
            rejects = stage(cur, tag, uniform, delimiter, n, max_line)
            warnings.append(MIXED_ENDINGS)
            return uniform, rejects
        except duckdb.InvalidInputException as exc:
            uniform.unlink(missing_ok=True)
            first_error = exc
    reason = str(first_error).splitlines()[0].removeprefix("Invalid Input Error: ")
    raise ImportRefused(name, f"the file is not CSV text DuckDB can read ({reason})")


def _has_cr(path: Path) -> bool:
    with open(path, "rb") as fh:
        return any(b"\r" in block for block in iter(lambda: fh.read(1 << 20), b""))


def uniform_newlines(path: Path, spool_dir: Path) -> Path:
    """A copy of the file with every CR LF and lone CR written as LF, streamed."""
    out = Path(spool_dir) / f"lf-{uuid.uuid4().hex}.csv"
    carry = b""
    with open(path, "rb") as src, open(out, "wb") as dst:
        for block in iter(lambda: src.read(1 << 20), b""):
            block = carry + block
            carry = b"\r" if block.endswith(b"\r") else b""
            block = block[: len(block) - len(carry)]
            dst.write(block.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
        dst.write(carry.replace(b"\r", b"\n"))
    return out


def stage(cur, tag: str, path, delimiter: str, n: int, max_line: int) -> list[tuple]:
    """Every record as text in temp table stg_<tag>; returns DuckDB's rejected lines."""
    reader = read_csv_sql(path, delimiter, ["VARCHAR"] * n, max_line)
    rejects = f"store_rejects = true, rejects_table = 'rj_{tag}', rejects_scan = 'rs_{tag}'"
    cur.execute(f"CREATE TEMP TABLE stg_{tag} AS SELECT * FROM {reader[:-1]}, {rejects})")
    return cur.execute(f"""
        SELECT line, min(error_type), min(error_message) FROM rj_{tag}
        GROUP BY line ORDER BY line""").fetchall()


def read_csv_sql(path, delimiter: str, types: list[str], max_line: int) -> str:
    """DuckDB's reader of the file with our dialect, its columns c0, c1, ... of `types`;
    the same call stages text (`stage`) and reads a clean file typed (`ingest.clean`)."""
    columns = "{" + ", ".join(f"'c{i}': '{t}'" for i, t in enumerate(types)) + "}"
    path_sql = str(path).replace("'", "''")
    delim_sql = delimiter.replace("'", "''")
    return f"""read_csv('{path_sql}',
            header = true, auto_detect = false, delim = '{delim_sql}', quote = '"',
            escape = '"', columns = {columns}, dateformat = '%Y-%m-%d',
            max_line_size = {max_line}, parallel = true)"""


def drop_temp(cur, tag: str) -> None:
    for prefix in ("stg", "typed", "err", "match", "rj", "rs", "lerr", "agg", "also", "alsomatch"):
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
