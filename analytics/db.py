"""The DuckDB store: where the database lives, how it is opened, and who may write.

DuckDB lets one process open a file read-write and then nobody else may open it at all.
The app and the command line share one file (a nightly `load` runs while the app is up),
so a process holds the file only while it works: `Store.connect()` leases a shared root
connection that is closed one second (`idle_close`) after the last user returns it, so the
several questions of one page share an open file. Another process waiting for the file
retries until `lock_timeout` passes. Writers are serialised by a lock file
(across processes) and a thread lock (within one), so imports land one after the other.

Every root connection is locked down before anyone uses it: no file access outside the
store's upload folder, no extensions, a memory limit, and the configuration frozen.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from analytics.schema import SETTINGS, SQL_TYPES, TABLES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "takt.duckdb"
MEMORY = ":memory:"


def default_db_path() -> str:
    """TAKT_DB wins over the bundled default so deployments choose their own file."""
    return os.environ.get("TAKT_DB") or str(DEFAULT_DB)


class StoreBusy(RuntimeError):
    """The database file stayed locked by another process for longer than we wait."""


class Store:
    """One database file, opened on demand and shared by every thread of this process."""

    _registry: dict[str, Store] = {}
    _registry_lock = threading.Lock()
    read_only = False  # a RollupStore (analytics.serving) refuses every write

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        *,
        lock_timeout: float = 60.0,
        idle_close: float = 1.0,
        memory_limit: str = "768MB",
        extra_dirs: tuple[str, ...] = (),
        max_import_bytes: int | None = None,
    ):
        self.path = str(path or default_db_path())
        self.lock_timeout = lock_timeout
        self.memory_limit = memory_limit
        self.extra_dirs = tuple(str(Path(d).resolve()) + os.sep for d in extra_dirs)
        if self.path == MEMORY:
            self.spool_dir = Path(tempfile.mkdtemp(prefix="takt-uploads-"))
        else:
            self.path = str(Path(self.path).resolve())
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.spool_dir = Path(self.path).parent / ".takt-uploads"
            self.spool_dir.mkdir(exist_ok=True)
        (self.spool_dir / "tmp").mkdir(exist_ok=True)
        self._root: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._lease_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._schema_ready = False
        self.idle_close = idle_close
        self.max_import_bytes = max_import_bytes  # None: the importer's upload limit
        self._idle_timer: threading.Timer | None = None

    @classmethod
    def shared(cls, path: str | None = None) -> Store:
        """The process-wide Store of a path, so every page and thread shares its lease.

        With `TAKT_ROLLUPS` set, the app serves that folder of precomputed rollups read-only
        (analytics.serving) instead of the embedded database.
        """
        rollups = os.environ.get("TAKT_ROLLUPS")
        if rollups and (path is None or Path(path).resolve() == Path(rollups).resolve()):
            from analytics.serving import RollupStore

            factory, key = RollupStore, str(Path(rollups).resolve())
        else:
            factory, key = cls, str(Path(path or default_db_path()).resolve())
        with cls._registry_lock:
            if key not in cls._registry:
                cls._registry[key] = factory(key)
            return cls._registry[key]

    # -- opening -----------------------------------------------------------------------
    def _open_root(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(self.path)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    if "lock" in str(exc).lower():
                        raise StoreBusy(
                            f"The database {self.path} is in use by another process "
                            f"(waited {self.lock_timeout:.0f} s). Try again later."
                        ) from exc
                    raise
                time.sleep(delay)
                delay = min(delay * 1.5, 0.5)
        self._lock_down(con)
        return con

    def _lock_down(self, con: duckdb.DuckDBPyConnection) -> None:
        """Order matters: directories first, then external access off, then freeze."""
        allowed = [str(self.spool_dir.resolve()) + os.sep, *self.extra_dirs]
        con.execute(f"SET allowed_directories={allowed!r}")
        con.execute(f"SET temp_directory='{self.spool_dir / 'tmp'}'")
        con.execute("SET enable_external_access=false")
        con.execute("SET autoinstall_known_extensions=false")
        con.execute("SET autoload_known_extensions=false")
        con.execute(f"SET memory_limit='{self.memory_limit}'")
        con.execute("SET lock_configuration=true")

    @contextlib.contextmanager
    def connect(self):
        """Lease a cursor; the file is released `idle_close` s after the last lease ends."""
        with self._lease_lock:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
                self._idle_timer = None
            if self._root is None:
                self._root = self._open_root()
            self._users += 1
            root = self._root
        cur = root.cursor()
        try:
            if not self._schema_ready:
                ensure_schema(cur)
                self._schema_ready = True
            yield cur
        finally:
            cur.close()
            with self._lease_lock:
                self._users -= 1
                if self._users == 0 and self.path != MEMORY:
                    self._close_when_idle()

    def _close_when_idle(self) -> None:
        """Keep the file open for `idle_close` seconds: a page asks several questions in a row,
        and reopening costs far more than answering. Called with the lease lock held."""
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        if self.idle_close <= 0:
            self._close_root()
            return
        self._idle_timer = threading.Timer(self.idle_close, self._close_if_idle)
        self._idle_timer.daemon = True
        self._idle_timer.start()

    def _close_if_idle(self) -> None:
        with self._lease_lock:
            if self._users == 0:
                self._close_root()

    def _close_root(self) -> None:
        if self._root is not None:
            self._root.close()
            self._root = None

    @contextlib.contextmanager
    def writer(self):
        """Lease a cursor while holding the write lock of this database file."""
        with self._write_lock, self._file_lock(), self.connect() as cur:
            yield cur

    @contextlib.contextmanager
    def _file_lock(self):
        if self.path == MEMORY:
            yield
            return
        with open(self.path + ".lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._lease_lock:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
            self._close_root()


# -- schema ------------------------------------------------------------------------------
def table_ddl(table, name: str | None = None, extra: str = "") -> str:
    cols = [f"{c.name} {SQL_TYPES[c.type]}" for c in table.columns]
    return f"CREATE TABLE IF NOT EXISTS {name or table.name} ({', '.join(cols)}{extra})"


def ensure_schema(cur) -> None:
    """Create what is missing; never touches what is there."""
    cur.execute("""
        CREATE TABLE IF NOT EXISTS imports (
            import_id INTEGER PRIMARY KEY, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
            kind VARCHAR, imported_at TIMESTAMP NOT NULL, rows_read BIGINT, inserted BIGINT,
            updated BIGINT, unchanged BIGINT, rejected BIGINT, status VARCHAR NOT NULL,
            message VARCHAR, encoding VARCHAR, delimiter VARCHAR, decimal_comma BOOLEAN,
            date_order VARCHAR, undone_at TIMESTAMP)""")
    cur.execute("""
        CREATE TABLE IF NOT EXISTS meta (name VARCHAR PRIMARY KEY, value BIGINT NOT NULL)""")
    cur.execute("""
        CREATE TABLE IF NOT EXISTS settings (
            name VARCHAR PRIMARY KEY, value DOUBLE NOT NULL, updated_at TIMESTAMP)""")
    for table in TABLES.values():
        # The natural key is kept unique by the importer, not by an index (see ingest.store).
        cur.execute(table_ddl(table, extra=", import_id INTEGER"))
        # Versions overwritten by an import, kept so that import can be undone exactly.
        cur.execute(
            table_ddl(
                table, f"{table.name}__prior", ", import_id INTEGER, replaced_by INTEGER NOT NULL"
            )
        )
    rows = [(name, float(default)) for name, (default, *_rest) in SETTINGS.items()]
    cur.executemany("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING", rows)


def get_settings(cur) -> dict[str, float]:
    stored = dict(cur.execute("SELECT name, value FROM settings").fetchall())
    return {name: stored.get(name, default) for name, (default, *_r) in SETTINGS.items()}


def set_setting(cur, name: str, value: float) -> None:
    """Validate against the documented range; refuse names that are not settings."""
    if name not in SETTINGS:
        raise ValueError(f"unknown setting {name!r}")
    _default, _desc, low, high = SETTINGS[name]
    value = float(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    cur.execute("INSERT OR REPLACE INTO settings VALUES (?, ?, now())", [name, value])
    bump_version(cur)


def bump_version(cur) -> None:
    """Every write moves the data version on, so cached results keyed on it expire."""
    cur.execute("""
        INSERT INTO meta VALUES ('data_version', 1)
        ON CONFLICT (name) DO UPDATE SET value = meta.value + 1""")
