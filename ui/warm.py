"""The demo plant's store, built in the background from app.py's first lines.

On a fresh clone the first page waits for the demo store to be built (the sample files
through the importer, about 0.6 s on 2 CPUs). app.py starts the build here, in a thread,
before it imports anything heavy, so the build runs while the main thread imports the
pages' modules (DuckDB leaves the GIL while it works). `ui.stores.demo_ready` then waits for
it (the build's file lock) and finds it built; when the thread failed, it builds (or fails)
itself, in the open. Once per process and demo path; never beside served rollups.
"""

from __future__ import annotations

import os
import threading

from analytics.store.connection import demo_db_path

_started: set[str] = set()
_lock = threading.Lock()


def build_demo_in_background() -> None:
    if os.environ.get("TAKT_ROLLUPS"):
        return
    path = demo_db_path()
    with _lock:
        if path in _started:
            return
        _started.add(path)
    # Not a daemon: a build cut off by the interpreter leaving would abort inside DuckDB.
    threading.Thread(target=_build, args=(path,), name="takt-demo-build").start()


def _build(path: str) -> None:
    # Imported in the thread: pandas and the importer load here, beside the main thread.
    from analytics.demo.load import ensure_demo_store

    ensure_demo_store(path)
