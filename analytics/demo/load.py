"""Loading the demo into a store: the sample files through the importer, then the
demo's improvement action to verify; and the demo plant's own store, built from them.

The app never loads the demo into the user's store: `ensure_demo_store` builds
`demo.duckdb` (beside the user's store) once, and again only when the sample files or the
schema changed (its fingerprint, kept in the file's `meta`), into a temporary file renamed
into place, so a reader never sees half a demo. `analytics.scale.serving` serves it
read-only.

A fresh clone would wait for that build on its first page (0.6 s on a quiet machine, 3 s on
a busy one): the store's tables, built from the sample files, are shipped beside them as
Parquet (`data/sample/demo-store/`, 1.6 MB; `python -m analytics.demo.load store` writes
them) and copied into a new store in a fraction of that time, when their fingerprint is
today's. A stale copy (sample files or schema changed without writing it again) is
ignored and the demo is built from the files, as before; tests/demo/test_load.py fails on
it so it is written again.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from analytics.demo.files import SAMPLE_FILES
from analytics.demo.forecasts import FORECASTS, insert_shipped
from analytics.demo.generate import (
    END,
    QUALITY_CAUSE,
    QUALITY_FIX_DATE,
    QUALITY_SUPPLIER,
    SAMPLE_DIR,
)
from analytics.forecast.batch import ARROW_SCHEMA
from analytics.forecast.batch import refresh as refresh_forecasts
from analytics.ingest import import_file
from analytics.models.materialize import FACTS, refresh_store
from analytics.review.actions import create_action, list_actions
from analytics.scale.serving import DemoStore, demo_store
from analytics.store.connection import Store, demo_db_path
from analytics.store.schema import TABLES
from analytics.store.version import bump_keeping_facts, bump_version

DEMO_ACTION = f"{QUALITY_CAUSE} countermeasure at {QUALITY_SUPPLIER}"  # the demo's one action
SHIPPED_STORE = SAMPLE_DIR / "demo-store"  # the demo store's non-empty tables, one Parquet each
BASE_TABLES = "select table_name from information_schema.tables where table_type = 'BASE TABLE'"


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


BUILD_FORMAT = 2  # move on when the way the demo store is built changes


def demo_fingerprint() -> int:
    """What the demo store is built from: the sample files' bytes, the schema's columns and
    BUILD_FORMAT; a positive 60-bit number (meta values are BIGINT)."""
    digest = hashlib.sha256(f"{BUILD_FORMAT}".encode())
    for name in SAMPLE_FILES:
        digest.update(name.encode() + (SAMPLE_DIR / name).read_bytes())
    for table in TABLES.values():
        digest.update(",".join(f"{c.name}:{c.type}" for c in table.columns).encode())
    return int(digest.hexdigest()[:15], 16)


def ensure_demo_store(path: str | os.PathLike | None = None) -> DemoStore:
    """The demo plant's own store, built first if missing or built from other files."""
    store = demo_store(str(path or demo_db_path()))
    fingerprint = demo_fingerprint()
    if store.built_as() != fingerprint:
        with open(store.path + ".build", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building it: wait
            if store.built_as() != fingerprint:
                store.close()
                build_demo_file(Path(store.path), fingerprint)
    return store


def build_demo_file(path: Path, fingerprint: int, shipped: bool = True) -> None:
    """The shipped tables (when they are today's and `shipped`), else the sample files
    through the importer, into a fresh file beside `path`; then renamed into place."""
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}.wal")):
        leftover.unlink(missing_ok=True)
    shipped = shipped and shipped_fingerprint() == fingerprint
    building = Store(partial)
    try:
        if shipped:
            with building.connect():  # the schema, as any store gets it
                pass
        else:
            load_demo(building)
            with building.writer() as cur:
                cur.execute("insert or replace into meta values ('demo_build', ?)", [fingerprint])
    finally:
        building.close()
    if shipped:
        copy_shipped(partial)
    os.replace(partial, path)
    for leftover in (".lock", ".turn"):
        Path(f"{partial}{leftover}").unlink(missing_ok=True)


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


def shipped_fingerprint(folder: Path = SHIPPED_STORE) -> int | None:
    """The fingerprint the shipped tables were written for (their meta `demo_build`)."""
    if not (folder / "meta.parquet").exists():
        return None
    meta = pq.read_table(folder / "meta.parquet").to_pylist()
    return next((r["value"] for r in meta if r["name"] == "demo_build"), None)


def copy_shipped(path: Path, folder: Path = SHIPPED_STORE) -> None:
    """Each shipped table into the store at `path` (its schema made, not yet served),
    replacing what the schema seeded. A plain connection: the app's is locked out of files."""
    con = duckdb.connect(str(path))
    try:
        tables = {name for (name,) in con.execute(BASE_TABLES).fetchall()}
        facts = {f"mart_{name}" for name in FACTS}  # made by a refresh, with plain types
        con.begin()
        for file in sorted(folder.glob("*.parquet")):
            table = file.stem  # checked: a table of the store's, never a name the file gives
            if table in tables:
                con.execute(f"delete from {table}")
                con.execute(
                    f"insert into {table} by name select * from read_parquet(?)", [str(file)]
                )
            elif table in facts:
                con.execute(f"create table {table} as select * from read_parquet(?)", [str(file)])
            else:
                raise ValueError(f"{file}: the demo store has no table {table!r}")
        con.commit()
        con.execute("checkpoint")
    finally:
        con.close()


FIGURE = "figure_"  # stored_figures.StoredFigure.table


def write_shipped_store(folder: Path = SHIPPED_STORE) -> int:
    """Build the demo store from the sample files in a scratch folder and write each of its
    non-empty tables to `folder` as Parquet; the number of tables written."""
    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / "demo.duckdb"
        build_demo_file(built, demo_fingerprint(), shipped=False)
        con = duckdb.connect(str(built), read_only=True)
        try:
            # Not the Overview's stored figures (Parquet has no HUGEINT for their sums): on
            # the demo's small facts the models answer at once.
            names = [n for (n,) in con.execute(BASE_TABLES).fetchall() if not n.startswith(FIGURE)]
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            written = 0
            for name in names:
                rows = (
                    f"(select * from {name} where name not like '{FIGURE}%')"
                    if name == "marts"
                    else name
                )
                if con.execute(f"select count(*) from {rows}").fetchone()[0]:
                    target = str(folder / f"{name}.parquet")
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
