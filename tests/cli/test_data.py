"""The command line as a scheduler runs it: exit codes, JSON reports, history and undo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from tests.conftest import GOOD_ROWS, ROOT, cli, csv_text

AMBIGUOUS = "PO9,1,G9,Acme,SKU9,01/02/2024,03/04/2024,20,02/04/2024,20,3.5"


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good.csv"
    short = "PO4,1,G4,Acme,SKU1,2024-02-01,2024-02-10,100,2024-02-09,100"
    good.write_text(csv_text(*GOOD_ROWS, short))
    amb = tmp_path / "amb.csv"
    amb.write_text(csv_text(AMBIGUOUS))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    return {"good": good, "amb": amb, "empty": empty, "db": tmp_path / "cli.duckdb"}


def test_load_json_report_and_exit_codes(files):
    done = cli("load", files["good"], "--db", files["db"], "--json")
    assert done.returncode == 0, done.stderr
    [report] = json.loads(done.stdout)
    assert {k: report[k] for k in ("kind", "rows_read", "inserted", "updated", "rejected")} == {
        "kind": "deliveries",
        "rows_read": 4,
        "inserted": 3,
        "updated": 0,
        "rejected": 1,
    }
    assert report["errors"] == [
        {"line": 5, "column": "Net Price", "value": None, "reason": "expected 11 fields, found 10"}
    ]
    assert report["file"] == str(files["good"])


def test_a_refused_file_exits_1_and_the_others_still_load(files):
    done = cli("load", files["empty"], files["amb"], "--db", files["db"], "--json")
    assert done.returncode == 1
    empty, amb = json.loads(done.stdout)
    assert (empty["status"], amb["status"]) == ("refused", "refused")
    assert "file is empty" in empty["message"] and "--dayfirst" in amb["message"]
    done = cli("load", files["amb"], "--db", files["db"], "--dayfirst", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)[0]["inserted"] == 1


@pytest.mark.parametrize(
    "args",
    [
        ["load"],
        ["load", "missing.csv"],
        ["load", "X", "--dayfirst", "--monthfirst"],
        ["load", "X", "--map", "novalue"],
        ["undo", "abc"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(files, args):
    args = [str(files["good"]) if a == "X" else a for a in args]
    assert cli(*args, "--db", files["db"]).returncode == 2


def test_map_flag_and_text_report(files, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("Beleg,Lief,Teil,Datum,Termin,Menge\n4500001,Acme,S1,2024-01-02,2024-01-09,5\n")
    maps = [
        "Beleg=po_number",
        "Lief=supplier",
        "Teil=sku",
        "Datum=order_date",
        "Termin=promised_date",
        "Menge=ordered_qty",
    ]
    args = [a for m in maps for a in ("--map", m)]
    done = cli("load", odd, "--kind", "deliveries", *args, "--db", files["db"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "read 1, inserted 1, updated 0 (0 unchanged), rejected 0" in done.stdout


def test_imports_and_undo_through_the_environment_database(files):
    assert cli("load", files["good"], env_db=files["db"]).returncode == 0
    history = json.loads(cli("imports", "--json", env_db=files["db"]).stdout)
    assert [(h["import_id"], h["file_name"], h["status"]) for h in history] == [
        (1, str(files["good"]), "imported")
    ]
    done = cli("undo", "1", env_db=files["db"])
    assert done.returncode == 0 and "3 rows removed" in done.stdout
    again = cli("undo", "1", env_db=files["db"])
    assert again.returncode == 1 and "already undone" in again.stderr


def test_the_command_line_has_its_own_size_limit(files, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TAKT_DB"}
    env["TAKT_MAX_UPLOAD_MB"] = "0.0001"  # about 100 bytes: every upload would be refused
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "load", str(files["good"]), "--db", str(files["db"])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "inserted 3" in done.stdout
    env["TAKT_MAX_LOAD_MB"] = "0.0001"
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "load", str(files["amb"]), "--db", str(files["db"])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "the limit is 0 MB" in done.stdout


def test_a_dry_run_counts_what_an_import_would_do_and_writes_nothing(files):
    from analytics.store.connection import Store
    from tests.fingerprint import fingerprint

    def fingerprint_file(path):
        store = Store(path)
        try:
            return fingerprint(store)
        finally:
            store.close()

    assert cli("load", files["good"], "--db", files["db"]).returncode == 0
    overlap = files["good"].parent / "overlap.csv"
    # PO1 again with another price (an update), PO5 new (an insert), one bad date (rejected)
    overlap.write_text(
        csv_text(
            "PO1,1,G1,Acme,SKU1,2024-02-01,2024-02-10,100,2024-02-09,100,2.75",
            "PO5,1,G5,Acme,SKU2,2024-03-01,2024-03-10,10,2024-03-09,10,4",
            "PO6,1,G6,Acme,SKU2,2024-13-01,2024-03-10,10,2024-03-09,10,4",
        )
    )
    before = fingerprint_file(files["db"])
    done = cli("load", overlap, "--db", files["db"], "--json", "--dry-run")
    assert done.returncode == 0, done.stderr
    [report] = json.loads(done.stdout)
    assert {k: report[k] for k in ("status", "rows_read", "inserted", "updated", "rejected")} == {
        "status": "dry run",
        "rows_read": 3,
        "inserted": 1,
        "updated": 1,
        "rejected": 1,
    }
    assert report["import_id"] is None and "nothing was written" in report["message"]
    assert fingerprint_file(files["db"]) == before
    # the real import then does what the dry run said
    [real] = json.loads(cli("load", overlap, "--db", files["db"], "--json").stdout)
    assert (real["inserted"], real["updated"], real["rejected"]) == (1, 1, 1)


def test_an_undated_stock_export_loads_with_snapshot_date_and_is_refused_without(tmp_path):
    mb52 = ROOT / "tests/fixtures/erp/sap/mb52_en.csv"
    db = tmp_path / "stock.duckdb"
    done = cli("load", mb52, "--db", db, "--json")
    assert done.returncode == 1
    [refused] = json.loads(done.stdout)
    assert refused["status"] == "refused" and "--snapshot-date YYYY-MM-DD" in refused["message"]
    assert cli("load", mb52, "--db", db, "--snapshot-date", "29.03.2024").returncode == 2
    done = cli("load", mb52, "--db", db, "--json", "--snapshot-date", "2024-03-29")
    assert done.returncode == 0, done.stderr
    [report] = json.loads(done.stdout)
    assert (report["status"], report["inserted"]) == ("imported", 5)
    # MAT-400: 1,200 unrestricted + 300 in QI + 25 blocked, on the date given
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(
            "select date, on_hand_qty from inventory where sku = 'MAT-400'"
        ).fetchall() == [(date(2024, 3, 29), 1525.0)]
