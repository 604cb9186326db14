"""The store's connection: where it lives, what it refuses to touch, and sharing the file."""

from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import pytest

from analytics.store.connection import default_db_path
from tests.conftest import ROOT, csv_text


def test_default_path_and_environment_override(monkeypatch):
    monkeypatch.delenv("TAKT_DB", raising=False)
    assert default_db_path() == str(ROOT / "data" / "takt.duckdb")
    monkeypatch.setenv("TAKT_DB", "/srv/takt/plant.duckdb")
    assert default_db_path() == "/srv/takt/plant.duckdb"


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "ATTACH '/tmp/other.duckdb' AS other",
        "COPY (SELECT 1) TO '/tmp/takt-escape.csv'",
        "SET enable_external_access = true",
        "INSTALL httpfs",
    ],
)
def test_the_connection_cannot_reach_files_or_change_its_settings(store, sql):
    with store.connect() as cur, pytest.raises(duckdb.Error):
        cur.execute(sql)


HOLDER = """
import sys, time
from analytics.store.connection import Store
store = Store(sys.argv[1])
with store.connect() as cur:
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_another_process_waits_for_the_file_and_then_loads(tmp_path):
    db = tmp_path / "shared.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), "3"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "holding"
    csv_path = tmp_path / "d.csv"
    csv_path.write_text(csv_text("P1,1,,Acme,S,2024-01-01,2024-01-05,1,,,"))
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "load", str(csv_path), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    assert "inserted 1" in done.stdout
    assert waited > 1.5  # it really had to wait for the holder to let go
