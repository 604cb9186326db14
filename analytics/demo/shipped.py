"""The demo plant's own store, built from the tables shipped beside the sample files.

The app never loads the demo into the user's store: `ensure_demo_store` builds
`demo.duckdb` (beside the user's store) once, and again only when the sample files or the
schema changed (its fingerprint, kept in the file's `meta`), into a temporary file renamed
into place, so a reader never sees half a demo. `analytics.scale.serving` serves it
read-only.

A fresh clone would wait for a build through the importer on its first page (3 s on a
busy machine): the store's tables, the Overview's stored figures among them, are shipped
as Parquet (`data/sample/demo-store/`; `python -m analytics.demo.load store` writes them)
and copied into a new store in a fraction of that time, when their fingerprint is today's.
A stale copy (sample files or schema changed without writing it again) is ignored and the
demo is built from the files (`demo.load`, imported then only); tests/demo/test_shipped.py
fails on it so it is written again.

The app does not wait for that file on a first start: `serve_demo` serves the shipped
tables from memory when `demo.duckdb` is not built yet (0.12-0.15 s against 0.28-0.33 s for
the file, the commit's writes and fsync being the difference), and the built file when it
is today's. The file is built by the command line (`--demo`), by an app showing the user's
store (ui.warm, for the sidebar switch) and when the shipped copy is stale.

This module loads no pandas, numpy or pyarrow and not the importer, so the app's warm-up
thread starts the copy at once, beside the main thread's imports (issue 16).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from pathlib import Path

import duckdb

from analytics.demo.samples import SAMPLE_DIR, SAMPLE_FILES
from analytics.models.materialize import FACTS
from analytics.models.stored_figures import FIGURES
from analytics.scale.serving import DemoStore, demo_store
from analytics.store.connection import MEMORY, Store, demo_db_path
from analytics.store.schema import TABLES
from analytics.store.tables import ensure_schema

SHIPPED_STORE = SAMPLE_DIR / "demo-store"  # the demo store's non-empty tables, one Parquet each
BASE_TABLES = "select table_name from information_schema.tables where table_type = 'BASE TABLE'"


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
    if shipped and shipped_fingerprint() == fingerprint:
        copy_shipped(partial)  # the schema and the tables in one transaction: half the time
    else:
        from analytics.demo.load import load_demo  # the importer, only for a stale copy

        building = Store(partial)
        try:
            load_demo(building)
            with building.writer() as cur:
                cur.execute("insert or replace into meta values ('demo_build', ?)", [fingerprint])
        finally:
            building.close()
    os.replace(partial, path)
    for leftover in (".lock", ".turn"):
        Path(f"{partial}{leftover}").unlink(missing_ok=True)


def shipped_fingerprint(folder: Path = SHIPPED_STORE) -> int | None:
    """The fingerprint the shipped tables were written for (their meta `demo_build`)."""
    if not (folder / "meta.parquet").exists():
        return None
    with duckdb.connect() as con:  # not pyarrow: 0.1-0.3 s of import the start can skip
        row = con.execute(
            "select value from read_parquet(?) where name = 'demo_build'",
            [str(folder / "meta.parquet")],
        ).fetchone()
    return None if row is None else row[0]


def copy_shipped(path: Path, folder: Path = SHIPPED_STORE) -> None:
    """Each shipped table into the store at `path` (not yet served), replacing what the
    schema seeded; the schema is made first, as any store gets it, in the same transaction
    (one commit and one checkpoint: 0.57 s against 1.18 s for a Store making the schema,
    then this, median of 4 each at load 7). A plain connection: the app's is locked out
    of files."""
    con = duckdb.connect(str(path))
    try:
        fill_from_shipped(con, folder)
        con.execute("checkpoint")
    finally:
        con.close()


def fill_from_shipped(con: duckdb.DuckDBPyConnection, folder: Path = SHIPPED_STORE) -> None:
    """The schema, then each shipped table, into an empty database, in one transaction."""
    con.begin()
    ensure_schema(con)
    tables = {name for (name,) in con.execute(BASE_TABLES).fetchall()}
    facts = {f"mart_{name}" for name in FACTS}  # made by a refresh, with plain types
    figures = {figure.table for figure in FIGURES}  # made by a refresh, counts as HUGEINT
    for file in sorted(folder.glob("*.parquet")):
        table = file.stem  # checked: a table of the store's, never a name the file gives
        if table in tables:
            con.execute(f"delete from {table}")
            con.execute(f"insert into {table} by name select * from read_parquet(?)", [str(file)])
        elif table in facts:
            con.execute(f"create table {table} as select * from read_parquet(?)", [str(file)])
        elif table in figures:
            columns = _figure_columns(con, file)
            con.execute(
                f"create table {table} as select {columns} from read_parquet(?)", [str(file)]
            )
        else:
            raise ValueError(f"{file}: the demo store has no table {table!r}")
    con.commit()


class MemoryDemoStore(DemoStore):
    """The demo plant copied from the shipped tables into memory at first use, kept for the
    life of the process and known by the demo file's path (the caches' key), as if it were
    that file. What the app serves while `demo.duckdb` is not built (`serve_demo`)."""

    def __init__(self, path: str, folder: Path = SHIPPED_STORE):
        super().__init__(path)
        self.folder = Path(folder)
        self._turn_path = None  # no file to take turns on

    def _open_root(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(MEMORY)
        try:
            fill_from_shipped(con, self.folder)  # before the lock-down shuts file access
            self._lock_down(con)
        except BaseException:
            con.close()
            raise
        return con

    def _close_when_idle(self) -> None:
        """The tables live in memory: keep them for the life of the process."""

    def _built(self) -> bool:
        return True  # copied at the first lease


_serving = threading.Lock()


def serve_demo(path: str | os.PathLike | None = None) -> DemoStore:
    """The demo store the app shows: the built file when it is today's; else, when the
    shipped tables are today's, those tables in memory (no file written, so the first
    visitor waits half as long); else the file built from the sample files. One per path
    and process (the shared registry), whichever thread asks first builds it."""
    key = str(Path(path or demo_db_path()).resolve())
    with _serving:
        store = demo_store(key)
        if isinstance(store, MemoryDemoStore):
            return store
        fingerprint = demo_fingerprint()
        if store.built_as() == fingerprint:
            return store
        if shipped_fingerprint() != fingerprint:
            return ensure_demo_store(key)
        store.close()
        memory = MemoryDemoStore(key)
        with memory.connect():
            pass  # copied now, while the caller waits, not at the first page's question
        with Store._registry_lock:
            Store._registry[key] = memory
        return memory


SHIPPED_COUNT = "DECIMAL(38,0)"  # how a stored figure's HUGEINT count is shipped


def _figure_columns(con, file: Path) -> str:
    """A shipped figure's columns, its counts back to HUGEINT (the type the refresh's sums
    give them; Parquet has none): every DECIMAL(38,0) of a figure file was one."""
    described = con.execute("describe select * from read_parquet(?)", [str(file)]).fetchall()
    return ", ".join(
        f'"{name}"::hugeint as "{name}"' if kind == SHIPPED_COUNT else f'"{name}"'
        for name, kind, *_ in described
    )
