"""Which store a command reads: the user's (`--db`, else $TAKT_DB, else data/takt.duckdb),
or with `--demo` the demo plant's own store, built first if missing, read-only."""

from __future__ import annotations

from analytics.demo.shipped import ensure_demo_store
from analytics.store.connection import Store, demo_db_path


def open_store(args) -> Store:
    if getattr(args, "demo", False):
        return ensure_demo_store(demo_db_path(args.db))
    return Store(args.db)
