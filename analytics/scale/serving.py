"""Which store serves, and the read-only ones: the rollup job's output
(`TAKT_ROLLUPS=PATH streamlit run app.py`) and the demo plant's own file.

The demo plant lives in a store of its own (`demo.duckdb` beside the user's store,
`store.connection.demo_db_path`), built by `analytics.demo.shipped.ensure_demo_store` and
served here read-only (or, while that file is not built, its tables in memory:
`shipped.MemoryDemoStore`), so nothing a user imports or edits ever lands in it, and
nothing of the demo in the user's figures. `choose_store` says which of the two a session
looks at: the one the user asked for, else the user's store once it holds any import, else
the demo.

A `RollupStore` is an in-memory DuckDB database built from the job's folder at first use:
- each per-line outcome table the job wrote becomes the mart the models already know how to
  read (`mart_po_line_facts`, ...), registered as current for the job's parameters, so every
  page's figures come from the precomputed outcomes and not from the raw receipts;
- the canonical tables are views over the lake the job read (the manifest's `input`, or
  `TAKT_LAKE` where the dashboard sees the lake under another path). They answer the light
  questions: the filter lists, the rows behind a figure, an as-of date before the job's;
- the settings are the job's, so tolerances match the stored outcomes.

Nothing can be written: every writer is refused, and pages show no write controls.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.scale.lake import parquet_files, present_casts
from analytics.scale.rollup import RollupError, read_manifest
from analytics.store.connection import MEMORY, Store, default_db_path, demo_db_path
from analytics.store.schema import SQL_TYPES, TABLES, TEXT_SETTINGS
from analytics.store.tables import ensure_schema

DATA_VERSION = 1


class ReadOnlyStore(PermissionError):
    """A write was asked of a store that serves precomputed rollups."""


def _files(folder: Path) -> str:
    return ", ".join("'" + f.replace("'", "''") + "'" for f in parquet_files(folder))


class RollupStore(Store):
    read_only = True

    def __init__(self, rollups_dir, lake_dir=None):
        self.rollups = Path(rollups_dir).resolve()
        self.manifest = read_manifest(self.rollups)
        lake = str(lake_dir or os.environ.get("TAKT_LAKE") or self.manifest["input"])
        self.lake = Path(lake.removeprefix("file://")).resolve()  # s3a:// etc.: set TAKT_LAKE
        missing = [t for t in TABLES if not parquet_files(self.lake / t)]
        if len(missing) == len(TABLES):
            raise RollupError(
                f"the lake {self.lake} that the rollups in {self.rollups} were computed from "
                "is not readable here: set TAKT_LAKE to where this machine sees it"
            )
        super().__init__(MEMORY, extra_dirs=(str(self.rollups), str(self.lake)))
        self.path = str(self.rollups)  # what caches and the sidebar know this store by
        m = self.manifest
        self.served_from = f"Rollups by {m['engine']}, {m['created_at'][:16].replace('T', ' ')} UTC"

    def _open_root(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(MEMORY)
        self._lock_down(con)
        cur = con.cursor()
        try:
            self._build(cur)
        finally:
            cur.close()
        self._schema_ready = True
        return con

    def _build(self, cur) -> None:
        ensure_schema(cur)
        for table in TABLES.values():
            folder = self.lake / table.name
            if not parquet_files(folder):
                continue  # an empty table, as the job saw it
            source = f"read_parquet([{_files(folder)}])"
            present = {row[0] for row in cur.execute(f"describe select * from {source}").fetchall()}
            columns = [(c.name, SQL_TYPES[c.type]) for c in table.columns]
            cur.execute(f"drop table {table.name}")
            cur.execute(
                f"create view {table.name} as select {present_casts(columns, present)}, "
                f"null::integer as import_id from {source}"
            )
        cur.executemany(
            "insert or replace into settings values (?, ?, null)",
            list(self.manifest["settings"].items()),
        )
        currency = self.manifest["params"].get("currency", TEXT_SETTINGS["currency"][0])
        cur.execute("insert or replace into text_settings values ('currency', ?, null)", [currency])
        cur.execute("insert or replace into meta values ('data_version', ?)", [DATA_VERSION])
        for name, info in self.manifest["marts"].items():
            cur.execute(
                f"create view mart_{name} as select * from "
                f"read_parquet([{_files(self.rollups / name)}])"
            )
            cur.execute(
                "insert or replace into marts values (?, ?, ?, ?)",
                [name, DATA_VERSION, info["key"], info["valid_from"]],
            )

    def _close_when_idle(self) -> None:
        """The database lives in memory: keep it for the life of the process."""

    def writer(self):
        raise ReadOnlyStore(
            f"Takt is serving the precomputed rollups in {self.rollups} read-only: "
            "import, undo and edits are made where the rollups are computed"
        )


DEMO_READ_ONLY = (
    "Read-only: this is the demo plant, a made-up factory to explore. Your own imports, "
    "settings, targets and actions are made on your data (switch back in the sidebar)."
)


class DemoStore(Store):
    """The demo plant's own file, opened read-only (so several processes may read it at
    once); every writer is refused. `analytics.demo.load` builds the file with a plain
    Store, then serves it through this one."""

    read_only = True
    served_from = "The demo plant"

    def __init__(self, path):
        super().__init__(path)
        self._schema_ready = True  # built complete; a read-only file cannot create tables

    def _connect_file(self, deadline: float) -> duckdb.DuckDBPyConnection:
        while True:
            try:
                return duckdb.connect(self.path, read_only=True)
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def built_as(self) -> int | None:
        """The fingerprint the file was built for (meta `demo_build`); None if not built."""
        if not self._built():
            return None
        with self.connect() as cur:
            row = cur.execute("select value from meta where name = 'demo_build'").fetchone()
        return row[0] if row else None

    def _built(self) -> bool:
        """Whether there is a store to read (a file; analytics.demo.shipped's in-memory copy
        always has one)."""
        return Path(self.path).exists()

    def writer(self):
        raise ReadOnlyStore(DEMO_READ_ONLY)


def demo_store(path: str | None = None) -> DemoStore:
    """The process-wide DemoStore of a path (default: beside the user's store)."""
    key = str(Path(path or demo_db_path()).resolve())
    with Store._registry_lock:
        if not isinstance(Store._registry.get(key), DemoStore):
            Store._registry[key] = DemoStore(key)
        return Store._registry[key]


@dataclass(frozen=True)
class StoreChoice:
    """Which store a session looks at, and why (the badge and the sidebar say it)."""

    demo: bool  # the demo plant, read-only
    asked: bool  # the user asked for it (URL `store=`), rather than the default
    path: str

    @property
    def reason(self) -> str:
        if not self.demo:
            return "your data"
        return "asked for" if self.asked else "your store is empty"


def has_imports(store: Store) -> bool:
    """Whether anything was ever imported into the store (undone or not): from then on it
    is the user's store to show, empty or not, as before the demo had its own store."""
    with store.connect() as cur:
        return bool(cur.execute("select count(*) from imports").fetchone()[0])


def choose_store(asked: str | None, user_path: str | None = None) -> StoreChoice:
    """`asked` is the URL's `store` (`demo`, `mine`, else nothing): the demo when asked,
    the user's store when asked or once anything was imported into it, else the demo."""
    rollups = rollups_dir()
    if rollups and user_path is None:  # served rollups are the data; no demo beside them
        return StoreChoice(demo=False, asked=False, path=str(Path(rollups).resolve()))
    user = Path(user_path or default_db_path()).resolve()
    demo = demo_db_path(user)
    if asked == "demo":
        return StoreChoice(demo=True, asked=True, path=demo)
    if asked == "mine" or (user.exists() and has_imports(shared_store(str(user)))):
        return StoreChoice(demo=False, asked=asked == "mine", path=str(user))
    return StoreChoice(demo=True, asked=False, path=demo)


def shared_store(path: str | None = None) -> Store:
    """The store that serves this process: with `TAKT_ROLLUPS` set (and no other path
    asked for), that folder of precomputed rollups, read-only; otherwise the DuckDB file
    (`Store.shared`). The app's cache and the command line ask here, so the store itself
    never chooses its own subclass."""
    rollups = rollups_dir()
    if rollups and (path is None or Path(path).resolve() == Path(rollups).resolve()):
        key = str(Path(rollups).resolve())
        with Store._registry_lock:  # one registry of shared stores, whatever their kind
            if key not in Store._registry:
                Store._registry[key] = RollupStore(key)
            return Store._registry[key]
    if path is not None and Path(path).resolve() == Path(demo_db_path()).resolve():
        return demo_store(path)
    return Store.shared(path)


def rollups_dir() -> str | None:
    """The rollup folder the app serves, from `TAKT_ROLLUPS`; None for the embedded store."""
    return os.environ.get("TAKT_ROLLUPS") or None


KINDS = {"line outcomes": 0, "kpis": 1, "rollup": 2, "scorecard": 3}


def summary(store: RollupStore) -> tuple[list[tuple[str, str]], list[dict]]:
    """What the Data page says about served rollups: facts of the job, and its tables."""
    m = store.manifest
    params = m["params"]
    facts = [
        ("Computed by", m["engine"] + (f" ({m['master']})" if m.get("master") else "")),
        ("Finished", m["created_at"].replace("T", " ").replace("+00:00", " UTC")),
        ("Job time", f"{m['seconds']:,.1f} s"),
        ("As of", params["as_of"]),
        ("Period", f"{params['start']} to {params['end']}"),
        ("Lake (canonical tables)", str(store.lake)),
        ("Rollups", str(store.rollups)),
    ]
    tables = sorted(
        (
            {
                "Table": name,
                "Kind": info["kind"],
                "Grain": info.get("grain", ""),
                "Model": info["model"],
                "Rows": info["rows"],
            }
            for name, info in m["tables"].items()
        ),
        key=lambda r: (KINDS.get(r["Kind"], 9), r["Table"]),
    )
    return facts, tables
