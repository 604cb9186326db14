"""Eight workers on one database file: imports land whole, once, and no page sees half of one.

DuckDB lets one process open a file at a time, so the workers are mostly processes (the
app and nightly `load` runs are separate processes), plus threads inside one process (the
app serves every browser session from one process). For WORKER_SECONDS (and on a slow
machine until each has done its minimum: a cycle of writes, two rounds of pages) they

- import: new files, re-uploads of files already imported (a duplicate, or imported
  again after an undo), and undos of their own imports;
- query: every analytics call a page makes (ui/cache.py), checking what each one shows.

Every file adds exactly ROWS delivery lines for a supplier of its own, dated inside one
month, so at any moment a consistent database shows each file's supplier with 0 or ROWS
lines in every figure, and the headline line count minus the base's is a multiple of ROWS.
Afterwards the history is replayed from the workers' logs and compared with the tables.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
import traceback
from datetime import date

import pytest

from tests.conftest import ROOT

WORKER_SECONDS = float(os.environ.get("TAKT_CONCURRENCY_SECONDS", "20"))
OVERTIME_S = 90  # the most a worker goes on after WORKER_SECONDS to do its minimum
MIN_ROUNDS = 2


def going(deadline: float, done_minimum: bool) -> bool:
    now = time.monotonic()
    return now < deadline or (not done_minimum and now < deadline + OVERTIME_S)


ROWS = 12
TODAY = date(2024, 12, 31)
BASE_ROWS = [  # the latest date of the data is 2024-06-30 whatever the workers do
    "B1,1,G1,Base Co,SKU1,2024-06-01,2024-06-10,100,2024-06-09,100,2.5",
    "B2,1,G2,Base Co,SKU2,2024-06-01,2024-06-12,50,2024-06-30,50,4",
]
HEADER = (
    "PO Number,Line,GRN,Vendor,Material,PO Date,Delivery Date,Quantity,"
    "Receipt Date,Received Qty,Net Price"
)
# One process per entry, one thread per role in it: eight workers in five processes.
PROCESSES = [["import"], ["import"], ["query"], ["query"], ["import", "query", "query", "query"]]


def file_text(supplier: str) -> str:
    """ROWS received lines of one supplier, ordered and received in May 2024."""
    lines = [
        f"{supplier}-{k},1,R{k},{supplier},SKU{k % 3},2024-05-01,2024-05-{10 + k % 9:02d},"
        f"{10 + k},2024-05-{11 + k % 7:02d},{10 + k},1.5"
        for k in range(ROWS)
    ]
    return "\n".join([HEADER, *lines]) + "\n"


# -- the workers (run in child processes) ---------------------------------------------------
CYCLE = ("new", "new", "duplicate", "undo", "again")  # every kind of write, in each 5 steps


def importer(store, name: str, deadline: float, log) -> None:
    """New files, a re-upload of a live one (a duplicate), an undo, a re-upload of the
    undone one (imported again), round and round."""
    from analytics.ingest import import_file, undo_import

    rng = random.Random(name)
    live: dict[str, int] = {}  # supplier -> import_id
    undone: list[str] = []
    step = 0
    while going(deadline, step >= len(CYCLE)):
        op = CYCLE[step % len(CYCLE)]
        step += 1
        if op == "undo":
            supplier = rng.choice(sorted(live))
            message = undo_import(store, live[supplier])
            undone.append(supplier)
            log(
                {
                    "op": "undo",
                    "supplier": supplier,
                    "import_id": live.pop(supplier),
                    "msg": message,
                }
            )
            continue
        if op == "new":
            supplier = f"{name}-F{step}"
        else:
            supplier = undone.pop() if op == "again" else rng.choice(sorted(live))
        path = store.spool_dir / f"{supplier}.csv"
        path.write_text(file_text(supplier))
        started = time.monotonic()
        report = import_file(store, path, today=TODAY)
        if report.status == "imported":
            live[supplier] = report.import_id
        log(
            {
                "op": "import",
                "supplier": supplier,
                "status": report.status,
                "import_id": report.import_id,
                "counts": [report.rows_read, report.inserted, report.updated, report.rejected],
                "msg": report.message,
                "seconds": round(time.monotonic() - started, 3),
            }
        )


def querier(store, name: str, deadline: float, log) -> None:
    """Every page's calls, round after round, each checked against what it must show."""
    from analytics.metrics import figures, targets
    from analytics.review import actions, control, drill, notes
    from analytics.review import pareto as defect_pareto

    rounds, seen = 0, set()
    while going(deadline, rounds >= MIN_ROUNDS):
        head = figures.overview(store)
        seen.add(check_multiple(head["due_lines"] - len(BASE_ROWS), "overview due_lines"))
        figures.compute_kpis(store)
        check_suppliers(
            {r["supplier"]: r["due_lines"] for r in figures.scorecard(store)}, "scorecard"
        )
        spend = figures.table_rows(store, "supplier_spend")
        check_suppliers({r["supplier"]: r["receipts"] for r in spend}, "supplier_spend")
        groups = drill.breakdown(store, "otif_rate", "supplier")
        check_suppliers({g["key"]: g["n"] for g in groups}, "breakdown")
        for model in ("series_delivery", "series_lead_time", "series_quality", "series_spend"):
            figures.series(store, model, "week")
        figures.series(store, "supplier_series", "month")
        (
            figures.sku_sizing(store),
            figures.waste(store),
            figures.choices(store),
            targets.get_targets(store),
        )
        (
            drill.rows(store, "otif_rate"),
            defect_pareto.pareto(store),
            control.control_chart(store, "otif_rate"),
        )
        (
            defect_pareto.pareto_suppliers(store, "Porosity"),
            defect_pareto.cause_events(store, "Porosity"),
        )
        actions.action_effects(store), notes.notes_for(store, "otif_rate", "")
        check_history(store)
        rounds += 1
    log({"op": "queries", "rounds": rounds, "due_lines_seen": sorted(seen)})


class Inconsistent(AssertionError):
    pass


def check_multiple(value, what):
    if value % ROWS:
        raise Inconsistent(f"{what}: {value} is not a whole number of files")
    return value


def check_suppliers(counts: dict, what: str) -> None:
    """Every worker supplier shows all ROWS of its file (a supplier with 0 is not listed)."""
    partial = {s: n for s, n in counts.items() if s and s.startswith("W") and n != ROWS}
    if partial:
        raise Inconsistent(f"{what} saw part of a file: {partial}")


def check_history(store) -> None:
    """One statement, one snapshot: every live import's rows, and no rows of another."""
    with store.connect() as cur:
        wrong = cur.execute("""
            select i.import_id, i.status, i.inserted, count(d.po_number) as stored
            from imports i left join deliveries d using (import_id)
            group by all
            having stored <> case when i.status = 'imported' then i.inserted else 0 end
            """).fetchall()
    if wrong:
        raise Inconsistent(f"history and tables disagree: {wrong}")


def worker_main(db: str, roles: list[str], deadline_in: float, out: str) -> None:
    from analytics.store.connection import Store

    store = Store(db)
    deadline = time.monotonic() + deadline_in
    lock = threading.Lock()

    def run(index: int, role: str) -> None:
        name = f"W{os.getpid()}-{index}"

        def log(entry: dict) -> None:
            with lock, open(out, "a") as fh:
                fh.write(json.dumps({"worker": name, "role": role, **entry}) + "\n")

        try:
            (importer if role == "import" else querier)(store, name, deadline, log)
        except BaseException as exc:
            log({"op": "error", "error": repr(exc), "trace": traceback.format_exc()})

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(roles)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()


# -- the test --------------------------------------------------------------------------------
@pytest.fixture
def base_db(tmp_path):
    from analytics.ingest import import_file
    from analytics.store.connection import Store

    store = Store(tmp_path / "shared.duckdb")
    path = store.spool_dir / "base.csv"
    path.write_text("\n".join([HEADER, *BASE_ROWS]) + "\n")
    assert import_file(store, path, today=TODAY).inserted == len(BASE_ROWS)
    store.close()
    return store.path


@pytest.mark.slow
def test_eight_workers_import_undo_and_query_one_file(base_db, tmp_path):
    logs = [tmp_path / f"log-{i}.jsonl" for i in range(len(PROCESSES))]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys, json; "
                "from tests.reliability.test_concurrency import worker_main as w; "
                "w(sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3]), sys.argv[4])",
                base_db,
                json.dumps(roles),
                str(WORKER_SECONDS),
                str(log),
            ],
            cwd=ROOT,
        )
        for roles, log in zip(PROCESSES, logs, strict=True)
    ]
    for p in procs:
        assert p.wait(timeout=WORKER_SECONDS + OVERTIME_S + 120) == 0
    entries = [json.loads(line) for log in logs for line in log.read_text().splitlines()]
    errors = [e for e in entries if e["op"] == "error"]
    assert not errors, errors[0]["trace"]
    expected = replay(entries)
    assert_store_matches(base_db, expected, entries)


def replay(entries) -> dict[str, list]:
    """supplier -> [(import_id, final status)] from the logs, checking each step was right."""
    history: dict[str, list] = {}
    for e in entries:
        if e["op"] == "import":
            imports = history.setdefault(e["supplier"], [])
            live = [i for i, s in imports if s == "imported"]
            if e["status"] == "duplicate":
                assert live == [e["import_id"]], e
            else:
                assert (e["status"], live) == ("imported", []), e
                assert e["counts"] == [ROWS, ROWS, 0, 0], e
                imports.append((e["import_id"], "imported"))
        elif e["op"] == "undo":
            imports = history[e["supplier"]]
            assert e["msg"].startswith(f"Import #{e['import_id']} ({e['supplier']}.csv) undone"), e
            imports[imports.index((e["import_id"], "imported"))] = (e["import_id"], "undone")
    return history


def assert_store_matches(db, expected, entries) -> None:
    from analytics.store.connection import Store

    store = Store(db)
    with store.connect() as cur:
        stored = cur.execute(
            "select file_name, import_id, status, rows_read, inserted from imports "
            "where file_name <> 'base.csv' order by import_id"
        ).fetchall()
        per_supplier = dict(
            cur.execute(
                "select supplier, count(*) from deliveries where supplier <> 'Base Co' group by 1"
            ).fetchall()
        )
        by_import = dict(
            cur.execute("select import_id, count(*) from deliveries group by 1").fetchall()
        )
        (base,) = cur.execute("select count(*) from deliveries where import_id = 1").fetchone()
    store.close()
    got = {}
    for file_name, import_id, status, rows_read, inserted in stored:
        assert (rows_read, inserted) == (ROWS, ROWS)
        got.setdefault(file_name.removesuffix(".csv"), []).append((import_id, status))
    assert got == expected
    live = {s for s, imports in expected.items() if (imports[-1][1] == "imported")}
    assert per_supplier == dict.fromkeys(live, ROWS)
    live_ids = {imports[-1][0] for s, imports in expected.items() if s in live}
    assert by_import == {1: len(BASE_ROWS), **dict.fromkeys(live_ids, ROWS)}
    assert base == len(BASE_ROWS)
    importers = {e["worker"] for e in entries if e["role"] == "import"}
    for worker in importers:  # each finished at least one cycle of every kind of write
        steps = [e for e in entries if e["worker"] == worker]
        assert len(steps) >= len(CYCLE), steps
    statuses = [e.get("status") for e in entries if e["op"] == "import"]
    assert statuses.count("duplicate") >= len(importers)
    queries = [e for e in entries if e["op"] == "queries"]
    assert len(queries) == 5 and all(q["rounds"] >= MIN_ROUNDS for q in queries), queries
    # The pages really saw the data change under them: at least three different states.
    assert len({n for q in queries for n in q["due_lines_seen"]}) >= 3, queries


# -- in one process: first questions, and transactions of other connections ------------------
def test_first_questions_on_a_fresh_database_do_not_conflict(tmp_path):
    """Four sessions open a new database at once. Each page's first call used to create the
    tables it keeps (marts, targets, ...) and two creating one failed with DuckDB's
    "Catalog write-write conflict"; a fresh file failed this way in about half the tries."""
    from analytics.metrics import figures, targets
    from analytics.store.connection import Store

    for trial in range(8):
        store = Store(tmp_path / f"fresh-{trial}.duckdb")
        barrier = threading.Barrier(4)
        results, errors = [], []

        def ask(call, store=store, barrier=barrier, results=results, errors=errors):
            barrier.wait()
            try:
                results.append((call.__name__, call(store)))
            except Exception as exc:  # noqa: BLE001 - the test reports whatever escaped
                errors.append(repr(exc))

        calls = [figures.overview, figures.overview, targets.get_targets, targets.get_targets]
        threads = [threading.Thread(target=ask, args=(c,)) for c in calls]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        store.close()
        assert errors == []
        # An empty database: no lines due; the targets are the documented defaults.
        got = sorted(
            (name, r["due_lines"] if name == "overview" else r["otif_rate"]["target"])
            for name, r in results
        )
        assert got == [("get_targets", 0.95)] * 2 + [("overview", 0)] * 2


def _hold_the_data_version(store, seconds: float):
    """Another connection of this process changes the data version and commits later."""
    other = store.connect()
    cur = other.__enter__()
    cur.execute("BEGIN TRANSACTION")
    cur.execute("UPDATE meta SET value = value + 100 WHERE name = 'data_version'")

    def commit():
        cur.execute("COMMIT")
        other.__exit__(None, None, None)

    timer = threading.Timer(seconds, commit)
    timer.start()
    return timer


def test_an_import_waits_out_another_connections_transaction(loaded):
    """Its own transaction fails with "Conflict on update!" on the data version while the
    other is open; the importer rolls back and runs again after the other commits."""
    from analytics.ingest import data_version
    from tests.conftest import csv_text, load, rows

    before = data_version(loaded)
    timer = _hold_the_data_version(loaded, 0.3)
    report = load(loaded, "n.csv", csv_text("PO9,1,G9,Acme,SKU9,2024-04-01,2024-04-10,20,,,"))
    timer.join()
    assert (report.status, report.import_id, report.inserted) == ("imported", 2, 1)
    assert data_version(loaded) == before + 100 + 1
    assert rows(loaded, "SELECT import_id, status FROM imports ORDER BY 1") == [
        (1, "imported"),
        (2, "imported"),
    ]


def test_an_undo_waits_out_another_connections_transaction(loaded):
    from analytics.ingest import data_version, undo_import
    from tests.conftest import rows

    before = data_version(loaded)
    timer = _hold_the_data_version(loaded, 0.3)
    message = undo_import(loaded, 1)
    timer.join()
    assert message == "Import #1 (base.csv) undone: 3 rows removed, 0 earlier rows restored."
    assert data_version(loaded) == before + 100 + 1
    assert rows(loaded, "SELECT count(*) FROM deliveries") == [(0,)]


# -- across processes: a busy app does not starve a load -------------------------------------
BUSY_READER = """
import os, sys, time
from analytics.metrics import figures
from analytics.store.connection import Store
store = Store(sys.argv[1])
end = time.monotonic() + 120
print("busy", flush=True)
while not os.path.exists(sys.argv[2]) and time.monotonic() < end:
    figures.overview(store)  # one page's question after another, never idle for a second
print("stopped" if os.path.exists(sys.argv[2]) else "gave up", flush=True)
"""


def test_a_busy_reader_process_does_not_starve_a_load(base_db, tmp_path):
    """The app asking question after question kept the file for as long as it was busy: a
    nightly load waited all that time and gave up after `lock_timeout` (60 s). Now the
    reader hands the file over after its turn (Store.turn_quantum, 0.5 s) and takes it
    back after; the load took 3.6 s here (the command line starting up included)."""
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", BUSY_READER, base_db, str(stop)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "busy"
    time.sleep(1.0)  # the reader holds the file
    csv_path = tmp_path / "night.csv"
    csv_path.write_text(file_text("Night Co"))
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "load", str(csv_path), "--db", base_db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    took = time.monotonic() - started
    still_busy = reader.poll() is None
    stop.touch()
    assert reader.stdout.readline().strip() == "stopped" and reader.wait(timeout=60) == 0
    assert done.returncode == 0, done.stderr
    assert f"inserted {ROWS}" in done.stdout
    assert still_busy and took < 30, took  # well before the 60 s the load would wait
