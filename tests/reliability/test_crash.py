"""Crash safety: an import killed with SIGKILL loses nothing that was there before.

A child process imports a generated file of LINES delivery lines (bench/gen_deliveries.py)
and prints each progress step; the test kills it at a chosen point, reopens the database
and compares it with what it held before:

- killed while validating (nothing written yet) or while the upsert transaction writes
  its rows (detected by the database file or its WAL growing after "Writing to the
  database"): the fingerprint of every table is what it was, and importing the same file
  again then succeeds whole;
- killed after the commit, while the per-line facts are rebuilt: the import is there
  whole with the record of what it changed, the figures are right (pages fall back from
  the stale facts to the tables), the next refresh rebuilds from that record, and the same
  file again is a duplicate.
"""

from __future__ import annotations

import math
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from analytics.ingest import import_file, list_imports
from analytics.metrics import figures
from analytics.models.materialize import refresh_store
from analytics.store.connection import Store
from tests.conftest import GOOD_ROWS, ROOT, TODAY, csv_text
from tests.fingerprint import fingerprint

sys.path.insert(0, str(ROOT / "bench"))
from gen_deliveries import generate  # noqa: E402

LINES = 300_000
CHILD = """
import sys
from datetime import date
from analytics.store.connection import Store
from analytics.ingest import import_file
store = Store(sys.argv[1])
report = import_file(store, sys.argv[2], display_name="big.csv", today=date(2026, 12, 31),
                     progress=lambda fraction, text: print(text, flush=True))
print("finished", report.status, report.inserted, flush=True)
"""


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    return generate(LINES, tmp_path_factory.mktemp("crash") / "big.csv")


@pytest.fixture
def base(tmp_path, big_csv):
    """A database holding three delivery lines and a changed setting, and the big file in
    its upload folder; closed, so the child can open it."""
    store = Store(tmp_path / "crash.duckdb")
    path = store.spool_dir / "base.csv"
    path.write_text(csv_text(*GOOD_ROWS))
    assert import_file(store, path, today=TODAY).inserted == 3
    with store.writer() as cur:
        cur.execute("UPDATE settings SET value = 0.97 WHERE name = 'service_level'")
    big = store.spool_dir / "big.csv"
    os.link(big_csv, big)
    before = fingerprint(store)
    store.close()
    return store.path, big, before


def start_import(db: str, csv: Path):
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, db, str(csv)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(x.strip()) for x in child.stdout], daemon=True
    ).start()
    return child, lines


def wait_for(lines: queue.Queue, step: str, timeout: float = 120) -> list[str]:
    seen = []
    deadline = time.monotonic() + timeout
    while step not in seen:
        seen.append(lines.get(timeout=max(0.1, deadline - time.monotonic())))
        assert not seen[-1].startswith("finished"), f"the import ended before {step!r}: {seen}"
    return seen


def sizes(db: str) -> tuple[int, int]:
    return tuple(os.path.getsize(p) if os.path.exists(p) else -1 for p in (db, db + ".wal"))


def kill(child) -> None:
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL


def kill_while_writing(db: str, child, lines) -> None:
    """Kill as soon as the upsert transaction has written to the file (DuckDB writes the
    row groups of a large insert before it commits)."""
    wait_for(lines, "Writing to the database")
    at_start = sizes(db)
    deadline = time.monotonic() + 60
    while sizes(db) == at_start:
        assert lines.empty(), f"the write finished before it was seen: {lines.get()}"
        assert time.monotonic() < deadline
        time.sleep(0.001)
    kill(child)


@pytest.mark.slow
@pytest.mark.parametrize("point", ["validating", "writing"])
def test_a_killed_import_leaves_the_database_as_it_was(base, point):
    db, big, before = base
    child, lines = start_import(db, big)
    if point == "validating":
        wait_for(lines, "Validating the rows")
        kill(child)
    else:
        kill_while_writing(db, child, lines)
    store = Store(db)
    try:
        assert fingerprint(store) == before
        report = import_file(store, big, display_name="big.csv", today=TODAY.replace(2026))
        assert (report.status, report.rows_read, report.inserted, report.rejected) == (
            "imported",
            LINES,
            LINES,
            0,
        )
        assert [(i["import_id"], i["file_name"]) for i in list_imports(store)] == [
            (2, "big.csv"),
            (1, "base.csv"),
        ]
    finally:
        store.close()


def assert_same_figures(got: dict, expected: dict) -> None:
    """Sums over 300,000 lines added in another order differ in the 16th digit."""
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        if isinstance(value, float):
            assert math.isclose(got[key], value, rel_tol=1e-12), key
        else:
            assert got[key] == value, key


@pytest.mark.slow
def test_an_import_killed_after_its_commit_is_there_whole(base):
    db, big, before = base
    child, lines = start_import(db, big)
    wait_for(lines, "Done")  # committed; the per-line facts are being rebuilt
    kill(child)
    store = Store(db)
    try:
        after = fingerprint(store)
        assert after["deliveries"][0] == before["deliveries"][0] + LINES
        history = [(i["import_id"], i["status"], i["inserted"]) for i in list_imports(store)]
        assert history == [(2, "imported", LINES), (1, "imported", 3)]
        with store.connect() as cur:  # what the import changed was committed with it
            assert cur.execute("SELECT table_name, keyed FROM changes").fetchall() == [
                ("deliveries", True)
            ]
        stale = figures.overview(store)
        done = refresh_store(store)  # the next write's refresh, from the record of changes
        assert done["po_line_facts"] == done["receipt_facts"] == "rebuilt"
        assert_same_figures(figures.overview(store), stale)  # the stale facts were never used
        with store.connect() as cur:
            assert cur.execute("SELECT count(*) FROM changes").fetchone() == (0,)
        again = import_file(store, big, display_name="big.csv", today=TODAY.replace(2026))
        assert (again.status, again.import_id) == ("duplicate", 2)
    finally:
        store.close()
