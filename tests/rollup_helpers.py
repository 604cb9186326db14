"""Helpers for the rollup tests: Parquet tables read back, and figures or whole rollup folders
compared."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb

from analytics.scale.rollup import read_manifest


def read_table(folder: Path) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect()
    files = sorted(str(p) for p in folder.glob("*.parquet"))
    result = con.execute("select * from read_parquet(?)", [files])
    columns = [d[0] for d in result.description]
    return columns, result.fetchall()


def _sort_key(row: tuple) -> tuple:
    return tuple((v is None, f"{v:.9g}" if isinstance(v, float) else str(v)) for v in row)


def same_value(a, b) -> bool:
    """Exact for counts, text, dates and flags; 1e-9 relative for floats."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def close_enough(a, b) -> bool:
    """Floats to 1e-9 relative, anything else exactly."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9)
    return a == b


def compare_rows(name: str, left: tuple[list, list], right: tuple[list, list]) -> list[str]:
    """Differences between two results given as (columns, rows), in any row order."""
    (cols_l, rows_l), (cols_r, rows_r) = left, right
    if cols_l != cols_r:
        return [f"{name}: columns {cols_l} != {cols_r}"]
    if len(rows_l) != len(rows_r):
        return [f"{name}: {len(rows_l)} rows != {len(rows_r)} rows"]
    problems = []
    pairs = zip(sorted(rows_l, key=_sort_key), sorted(rows_r, key=_sort_key), strict=True)
    for row_l, row_r in pairs:
        for col, a, b in zip(cols_l, row_l, row_r, strict=True):
            if not same_value(a, b):
                problems.append(f"{name}.{col}: {a!r} != {b!r}")
    return problems


def compare_rollups(left: Path, right: Path) -> list[str]:
    """Every difference between two rollup folders, table by table; [] when they agree."""
    tables_left = read_manifest(left)["tables"]
    tables_right = read_manifest(right)["tables"]
    problems = []
    if set(tables_left) != set(tables_right):
        problems.append(f"tables differ: {sorted(set(tables_left) ^ set(tables_right))}")
    for name in sorted(set(tables_left) & set(tables_right)):
        problems += compare_rows(name, read_table(left / name), read_table(right / name))
    return problems
