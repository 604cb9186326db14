"""The DuckDB store: where the database lives, how it is opened, and who may write.

DuckDB lets one process open a file read-write and then nobody else may open it at all.
The app and the command line share one file (a nightly `load` runs while the app is up),
so a process holds the file only while it works: `Store.connect()` leases a shared root
connection that is closed one second (`idle_close`) after the last user returns it, so the
several questions of one page share an open file. A process that wants the file queues on
`<db>.turn`; the holder sees the queue when a lease starts or ends, stops handing out new
leases, and closes the file as soon as its current ones are back, so a busy app cannot
starve a nightly `load` (or the reverse). A waiter gives up after `lock_timeout`.
Writers are serialised by a lock file (across processes) and a thread lock (within one),
so imports land one after the other.

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

from analytics.store.tables import ensure_schema

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = PROJECT_ROOT / "data" / "takt.duckdb"
MEMORY = ":memory:"
POLL_S = 0.01  # how often a process waiting for the file tries again


def default_db_path() -> str:
    """TAKT_DB wins over the bundled default so deployments choose their own file."""
    return os.environ.get("TAKT_DB") or str(DEFAULT_DB)


def demo_db_path(user_db: str | os.PathLike | None = None) -> str:
    """Where the demo plant's own store lives: TAKT_DEMO_DB, else `demo.duckdb` beside the
    user's store (data/demo.duckdb by default), so a fresh data folder gets a fresh demo and
    the demo never shares a file with the user's data."""
    if os.environ.get("TAKT_DEMO_DB"):
        return str(Path(os.environ["TAKT_DEMO_DB"]).resolve())
    return str(Path(user_db or default_db_path()).resolve().parent / "demo.duckdb")


class StoreBusy(RuntimeError):
    """The database file stayed locked by another process for longer than we wait."""


class Store:
    """One database file, opened on demand and shared by every thread of this process."""

    _registry: dict[str, Store] = {}
    _registry_lock = threading.Lock()
    read_only = False  # a RollupStore or DemoStore (analytics.scale.serving) refuses writes
    served_from: str | None = None  # what a read-only store serves, for the sidebar

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        *,
        lock_timeout: float = 60.0,
        idle_close: float = 1.0,
        turn_quantum: float = 0.5,
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
        self._lease_lock = threading.Condition(threading.Lock())
        self._write_lock = threading.RLock()
        self._local = threading.local()  # this thread's open leases, and whether it writes
        self._turn_path = None if self.path == MEMORY else self.path + ".turn"
        self._turn_fh = None
        self._yielding = False  # another process waits: hand out no new leases, then close
        self._opened_at = self._yielded_at = 0.0
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        self.idle_close = idle_close
        self.turn_quantum = turn_quantum
        self.max_import_bytes = max_import_bytes  # None: the importer's upload limit
        self._idle_timer: threading.Timer | None = None

    @classmethod
    def shared(cls, path: str | None = None) -> Store:
        """The process-wide store of a path, so every page and thread shares its lease.

        Which kind of store serves (this file, or precomputed rollups) is decided by
        `analytics.scale.serving.shared_store`, not here."""
        key = str(Path(path or default_db_path()).resolve())
        with cls._registry_lock:
            if key not in cls._registry:
                cls._registry[key] = cls(key)
            return cls._registry[key]

    # -- opening -----------------------------------------------------------------------
    def _open_root(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_timeout
        with self._turn(deadline):
            con = self._connect_file(deadline)
        self._opened_at = time.monotonic()
        self._lock_down(con)
        return con

    def _connect_file(self, deadline: float) -> duckdb.DuckDBPyConnection:
        while True:
            try:
                return duckdb.connect(self.path)
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() > deadline:
                    raise self._busy() from exc
                time.sleep(POLL_S)

    def _busy(self) -> StoreBusy:
        return StoreBusy(
            f"The database {self.path} is in use by another process "
            f"(waited {self.lock_timeout:.0f} s). Try again later."
        )

    @contextlib.contextmanager
    def _turn(self, deadline: float):
        """Hold `<db>.turn` while waiting for the file: the holder sees it and lets go."""
        if self._turn_path is None:
            yield
            return
        # Having just handed the file over, let the processes already waiting go first:
        # they poll every POLL_S, so a short pause puts this process behind them.
        time.sleep(max(0.0, self._yielded_at + 5 * POLL_S - time.monotonic()))
        with open(self._turn_path, "a+") as fh:
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise self._busy() from None
                    time.sleep(POLL_S)  # a constant pace: no waiter falls behind newcomers
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _others_waiting(self) -> bool:
        """Another process holds the turn, so it is waiting for our file. About 2 us."""
        if self._turn_path is None or self._root is None:
            return False
        if self._turn_fh is None:
            self._turn_fh = open(self._turn_path, "a+")  # noqa: SIM115 (kept for the Store's life)
        try:
            fcntl.flock(self._turn_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(self._turn_fh, fcntl.LOCK_UN)
        return False

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
        """Lease a cursor; the file is released `idle_close` s after the last lease ends,
        or at once when another process is waiting for it."""
        depth = getattr(self._local, "depth", 0)
        with self._lease_lock:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
                self._idle_timer = None
            if depth == 0 and not getattr(self._local, "writing", False):
                self._wait_while_yielding()
            if self._root is None:
                self._root = self._open_root()
            self._users += 1
            root = self._root
        self._local.depth = depth + 1
        cur = root.cursor()
        try:
            if not self._schema_ready:
                with self._schema_lock:  # two first leases would race to create the tables
                    if not self._schema_ready:
                        ensure_schema(cur)
                        self._schema_ready = True
            yield cur
        finally:
            cur.close()
            self._local.depth = depth
            with self._lease_lock:
                self._users -= 1
                if self._users == 0 and self.path != MEMORY:
                    self._close_when_idle()

    def _turn_left(self) -> float:
        """Seconds of this process's turn left while another process waits for the file
        (at least `turn_quantum` after opening it); without a waiter, no end."""
        if not self._others_waiting():
            return float("inf")
        return max(0.0, self.turn_quantum - (time.monotonic() - self._opened_at))

    def _wait_while_yielding(self) -> None:
        """Once this process has had the file for `turn_quantum` seconds, a new lease waits
        while another process is owed the file: the leases out now finish, the file closes,
        and this lease reopens it after the other process. (Reopening costs about 30 ms, so
        each process keeps its turn long enough for a page's questions.) Threads already
        holding a lease, and the writer, never wait: they would wait on themselves.
        Called with the lease lock held."""
        if not self._yielding and self._root is not None and self._turn_left() == 0:
            self._yielding = True
        deadline = time.monotonic() + self.lock_timeout
        while self._yielding and self._root is not None:
            if self._users == 0:
                self._close_root()
                self._yielded_at = time.monotonic()
                break
            if not self._lease_lock.wait(max(0.0, deadline - time.monotonic())):
                # A lease out now waits on this one (a thread it started?): stop yielding
                # rather than wait for ever; the other process waits as it did before.
                self._yielding = False

    def _close_when_idle(self) -> None:
        """Keep the file open for `idle_close` seconds: a page asks several questions in a row,
        and reopening costs far more than answering. While another process waits, keep it
        only for what is left of this process's turn. Called with the lease lock held."""
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        turn_left = 0.0 if self._yielding else self._turn_left()
        delay = min(self.idle_close, turn_left)
        if delay <= 0:
            self._close_root()
            if turn_left <= 0:
                self._yielded_at = time.monotonic()
            return
        self._idle_timer = threading.Timer(delay, self._close_if_idle)
        self._idle_timer.daemon = True
        self._idle_timer.start()

    def _close_if_idle(self) -> None:
        with self._lease_lock:
            if self._users == 0:
                self._close_root()

    def _close_root(self) -> None:
        """Called with the lease lock held; wakes the leases waiting for a turn."""
        if self._root is not None:
            self._root.close()
            self._root = None
        self._yielding = False
        self._lease_lock.notify_all()

    @contextlib.contextmanager
    def writer(self):
        """Lease a cursor while holding the write lock of this database file.

        Within a process the thread lock serialises writers. Across processes the file
        itself does: one process has it open at a time, and a writer keeps its lease (so
        the file open) to the end. `<db>.lock` is a second guard, taken once the file is
        open, so a writer waits for its turn like any lease instead of holding the lock
        (and every other process's writer) while it waits. A writer never yields its turn
        halfway: its transaction finishes first."""
        with self._write_lock:
            writing = getattr(self._local, "writing", False)
            self._local.writing = True
            try:
                with self.connect() as cur, self._file_lock():
                    yield cur
            finally:
                self._local.writing = writing

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
            if self._turn_fh is not None:
                self._turn_fh.close()
                self._turn_fh = None


def retry_conflicts(work, attempts: int = 6, first_wait: float = 0.02):
    """work(), run again when DuckDB reports a transaction conflict.

    Takt's writers are serialised (Store.writer), but another connection of the process
    may still change a row or catalog entry that a transaction touches; DuckDB then fails
    that transaction ("Conflict on update", "Catalog write-write conflict"). `work` must
    roll back its own transaction when it fails, so running it again starts clean."""
    for attempt in range(attempts - 1):
        try:
            return work()
        except duckdb.TransactionException as exc:
            if "conflict" not in str(exc).lower():
                raise
        time.sleep(first_wait * 2**attempt)
    return work()
