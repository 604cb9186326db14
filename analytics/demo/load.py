"""Loading the demo into a store: the sample files through the importer, then the
demo's improvement action to verify; and writing what ships beside the sample files: the
forecasts (`python -m analytics.demo.load`) and the demo plant's store as Parquet
(`python -m analytics.demo.load store`), which `demo.shipped` copies into `demo.duckdb`.

A stored figure's HUGEINT counts are shipped as DECIMAL(38,0), which Parquet holds exactly
(`shipped.copy_shipped` reads them back as HUGEINT), so a fresh clone's first cards are
lookups.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from analytics.demo.forecasts import FORECASTS, insert_shipped
from analytics.demo.generate import END, QUALITY_FIX_DATE, QUALITY_SUPPLIER
from analytics.demo.samples import DEMO_ACTION, SAMPLE_DIR, SAMPLE_FILES
from analytics.demo.shipped import (
    BASE_TABLES,
    SHIPPED_COUNT,
    SHIPPED_STORE,
    build_demo_file,
    demo_fingerprint,
)
from analytics.forecast.batch import ARROW_SCHEMA
from analytics.forecast.batch import refresh as refresh_forecasts
from analytics.ingest import import_file
from analytics.models.materialize import refresh_store
from analytics.models.stored_figures import FIGURES
from analytics.review.actions import create_action, list_actions
from analytics.store.connection import Store
from analytics.store.schema import TABLES
from analytics.store.version import bump_keeping_facts, bump_version


def load_demo(store, replace: bool = False, shipped: bool = True) -> list:
    """Import the sample files; with replace, empty the tables and the history first.
    The forecasts shipped with the sample files go in first (`demo.forecasts`), so the
    forecast batch refits only what they no longer match; `shipped=False` fits them all.

    DuckDB may read only inside the store's upload folder, so each file is copied there,
    imported under its own name, and the copy removed."""
    if replace:
        _empty(store)
    # The importer refuses events after "today"; the demo is complete as of END on any clock.
    today, reports = max(date.today(), END), []
    for name, table in SAMPLE_FILES.items():
        copy = Path(store.spool_dir) / f"demo-{name}"
        shutil.copyfile(SAMPLE_DIR / name, copy)
        try:
            report = import_file(
                store, copy, display_name=name, kind=table, today=today, refresh_marts=False
            )
            reports.append(report)
        finally:
            copy.unlink(missing_ok=True)
    refresh_store(store)
    if shipped:
        insert_shipped(store)
    refresh_forecasts(store)  # every demo sku gets its forecast (METRICS.md 14)
    seed_demo(store, replace=replace)  # the demo's action: the quality fix, to verify
    return reports


def _empty(store) -> None:
    """Forget all data and its history; a write like any other, so the data version moves."""
    with store.writer() as cur:
        for name in TABLES:  # fixed names from the schema, never user input
            cur.execute(f"DELETE FROM {name}")
            cur.execute(f"DELETE FROM {name}__prior")
        cur.execute("DELETE FROM imports")
        bump_version(cur)


def seed_demo(store, replace: bool = False) -> None:
    """The demo's known story: the porosity fix at the quality supplier, as an action.

    With replace the demo's actions and notes go first (they belong to the demo data);
    otherwise the action is added only when no action has its title yet.
    """
    title = DEMO_ACTION
    if replace:
        with store.writer() as cur:
            cur.execute("delete from actions")
            cur.execute("delete from notes")
            bump_keeping_facts(cur)
    if any(a["title"] == title for a in list_actions(store)):
        return
    create_action(
        store,
        title=title,
        kpi="defect_ppm",
        scope_kind="supplier",
        scope_value=QUALITY_SUPPLIER,
        start_date=QUALITY_FIX_DATE,
        owner="Quality",
        status="done",
        notes="Degassing and a new gating design; X-ray sampling of every casting lot.",
    )


def write_shipped(path: Path = FORECASTS) -> int:
    """Fit the demo's series in a scratch store and keep the rows; the rows written."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "demo.duckdb")
        try:
            load_demo(store, shipped=False)
            with store.connect() as cur:
                table = cur.sql("SELECT * FROM forecasts ORDER BY sku, site").to_arrow_table()
        finally:
            store.close()
    pq.write_table(table.cast(ARROW_SCHEMA), path, compression="zstd")
    return table.num_rows


def _shippable(con, table: str) -> str:
    """The query that writes a table to Parquet: a stored figure's HUGEINT counts as
    DECIMAL(38,0), which Parquet holds exactly and `copy_shipped` reads back as HUGEINT."""
    described = con.execute(f"describe {table}").fetchall()
    if all(kind != "HUGEINT" for _, kind, *_ in described):
        return table
    if table not in {figure.table for figure in FIGURES}:
        raise ValueError(f"{table}: a HUGEINT column outside the stored figures")
    columns = ", ".join(
        f'"{name}"::{SHIPPED_COUNT} as "{name}"' if kind == "HUGEINT" else f'"{name}"'
        for name, kind, *_ in described
    )
    return f"(select {columns} from {table})"


def write_shipped_store(folder: Path = SHIPPED_STORE) -> int:
    """Build the demo store from the sample files in a scratch folder and write each of its
    non-empty tables to `folder` as Parquet (the Overview's stored figures among them, so a
    fresh clone's first page reads its cards instead of computing them); the number of
    tables written."""
    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / "demo.duckdb"
        build_demo_file(built, demo_fingerprint(), shipped=False)
        con = duckdb.connect(str(built), read_only=True)
        try:
            names = [n for (n,) in con.execute(BASE_TABLES).fetchall()]
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            written = 0
            for name in names:
                if con.execute(f"select count(*) from {name}").fetchone()[0]:
                    target = str(folder / f"{name}.parquet")
                    rows = _shippable(con, name)
                    con.execute(f"copy {rows} to '{target}' (format parquet, compression zstd)")
                    written += 1
        finally:
            con.close()
    return written


if __name__ == "__main__":  # python -m analytics.demo.load [store]
    import sys

    if sys.argv[1:] != ["store"]:
        print(f"{write_shipped():,} forecasts written to {FORECASTS}")
    print(f"{write_shipped_store()} tables of the demo store written to {SHIPPED_STORE}")
