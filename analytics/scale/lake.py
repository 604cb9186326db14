"""The canonical tables out of the embedded store, as Parquet: the way from one machine to a lake.

`export_parquet` writes one folder per table (`deliveries/part-0.parquet`, ...) with exactly
the canonical columns and types of analytics/schema.py, plus `settings/` (the tolerances and
cut-offs every metric depends on), the layout the rollup job (analytics.rollup) reads on
DuckDB or Spark. Each file is written under a temporary name and renamed when complete, so a
reader never sees half a table.
"""

from __future__ import annotations

import os
from pathlib import Path

from analytics.store.connection import Store
from analytics.store.schema import TABLES


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_parquet(db_path, out_dir, progress=None) -> dict[str, int]:
    """Write every canonical table and the settings under `out_dir`; rows written per table."""
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    store = Store(db_path, extra_dirs=(str(out),), idle_close=0)
    counts: dict[str, int] = {}
    try:
        with store.connect() as cur:
            queries = {
                t.name: f"select {', '.join(c.name for c in t.columns)} from {t.name}"
                for t in TABLES.values()
            }
            queries["settings"] = "select name, value from settings order by name"
            queries["text_settings"] = "select name, value from text_settings order by name"
            for name, sql in queries.items():
                folder = out / name
                folder.mkdir(exist_ok=True)
                for old in folder.glob("*.parquet"):
                    old.unlink()
                tmp = folder / "part-0.parquet.tmp"
                cur.execute(f"copy ({sql}) to {_literal(tmp)} (format parquet)")
                os.replace(tmp, folder / "part-0.parquet")
                (counts[name],) = cur.execute(f"select count(*) from ({sql})").fetchone()
                if progress:
                    progress(f"{name}: {counts[name]:,} rows")
    finally:
        store.close()
    return counts


# Read by the engines and by the served rollups (analytics.scale.serving), which the app's
# start imports: here, and not in engines, so the start does not import sqlglot (issue 15).
def parquet_files(folder) -> list[str]:
    """The Parquet files of a table folder (Spark's `part-*.parquet`, ours `part-0.parquet`)."""
    if folder is None:
        return []
    return sorted(str(p) for p in Path(folder).glob("*.parquet"))


def present_casts(columns: list[tuple[str, str]], present: set[str]) -> str:
    """`cast(c as t) as c` for each column; null for one the files do not have, so a lake
    exported before a column joined the contract (`site`, `status`) still reads."""
    return ", ".join(f"cast({c if c in present else 'null'} as {t}) as {c}" for c, t in columns)


def is_uri(location) -> bool:
    """`s3a://bucket/lake`, `hdfs://...`, `file:///...`: a place only Spark reads and writes."""
    return "://" in str(location)
