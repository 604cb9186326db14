"""`demo` and `--demo` on the command line: the user's store unless told, the demo plant's
own store read-only, and moving the demo out of a store an earlier Takt seeded."""

from __future__ import annotations

import json

from analytics.store.connection import Store
from analytics.store.freshness import table_counts
from tests.conftest import GOOD_ROWS, cli, csv_text, seed_with_demo


def kpis(*args) -> dict:
    out = cli("kpis", "--json", *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_cli_reads_the_users_store_unless_told_demo(tmp_path):
    db, mine = tmp_path / "takt.duckdb", tmp_path / "mine.csv"
    mine.write_text(csv_text(*GOOD_ROWS))
    assert cli("load", mine, "--db", db).returncode == 0
    # GOOD_ROWS: PO1 on time in full, PO2 late, PO3 not yet due: OTIF 1 of 2
    assert kpis("--db", db)["otif_rate"] == 0.5
    demo = kpis("--db", db, "--demo")
    assert demo["otif_rate"] != 0.5 and (tmp_path / "demo.duckdb").exists()
    imports = json.loads(cli("imports", "--db", db, "--demo", "--json").stdout)
    assert len(imports) == 5  # the demo's five files, none of the user's
    refused = cli("load", mine, "--db", db, "--demo")
    assert refused.returncode == 2 and "--demo" in refused.stderr  # no writing to the demo
    assert kpis("--db", db)["otif_rate"] == 0.5


def test_demo_move_out(tmp_path):
    db, mine = tmp_path / "takt.duckdb", tmp_path / "mine.csv"
    seed_with_demo(db)
    mine.write_text(csv_text(*GOOD_ROWS))
    assert cli("load", mine, "--db", db).returncode == 0
    out = cli("demo", "--move-out", "--db", db)
    assert out.returncode == 0, out.stderr
    assert "demo import #3 deliveries_sap.csv (deliveries)" in out.stdout
    assert "imports #1, #2, #3, #4, #5 undone" in out.stdout
    store = Store(db)
    assert table_counts(store)["deliveries"] == 3 and table_counts(store)["orders"] == 0
    store.close()
    again = cli("demo", "--move-out", "--db", db)
    assert "nothing to move out" in again.stdout
