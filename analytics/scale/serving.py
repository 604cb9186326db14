"""Serving the rollup job's output read-only: `TAKT_ROLLUPS=PATH streamlit run app.py`.

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
from pathlib import Path

import duckdb

from analytics.scale.engines import parquet_files, present_casts
from analytics.scale.rollup import RollupError, read_manifest
from analytics.store.connection import MEMORY, Store
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
