"""`demo`: the demo plant's own store, built again; `demo --move-out`: the demo's imports
undone in the user's store, where an earlier Takt had put them (the user's stay)."""

from __future__ import annotations

from pathlib import Path

from analytics.demo.separate import demo_imports, move_demo_out
from analytics.demo.shipped import build_demo_file, demo_fingerprint, ensure_demo_store
from analytics.store.connection import Store, demo_db_path
from analytics.store.freshness import table_counts


def cmd_demo(args, parser) -> int:
    if args.move_out:
        return move_out(Store(args.db))
    store = ensure_demo_store(demo_db_path(args.db))
    store.close()
    build_demo_file(Path(store.path), demo_fingerprint())  # again, even when current
    counts = ", ".join(f"{name} {n:,}" for name, n in table_counts(store).items())
    print(f"The demo plant's own store, read-only: {store.path}\n  {counts}")
    return 0


def move_out(store: Store) -> int:
    found = demo_imports(store)
    for row in found:
        print(f"  demo import #{row['import_id']} {row['file_name']} ({row['kind']})")
    print(move_demo_out(store).message())
    return 0
