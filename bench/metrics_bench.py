"""Benchmark of the metrics layer (issue 3): overview KPIs and a supplier drill-down, warm.

For each size it builds a plant database (N delivery lines with matching customer orders,
defects, weekly snapshots and an item master) straight in DuckDB, stores the marts as an
import would, and then, each in a fresh process so peak memory is its own:
- takt: `compute_kpis` (the overview), the Review drill-down into one supplier
  (`drill.breakdown` of OTIF by sku), the supplier's KPIs + scorecard row and the Pull
  page's replenishment list (every sku and site, METRICS.md section 11), warm, median of
  --runs;
- bare: the least DuckDB can do for the delivery part alone: one query from the raw
  receipts to OTIF and mean lead time;
- pandas: tests/pandas_reference.py's independent implementation of the same 17 KPIs on
  frames already in memory (loading them is not timed).

    python bench/metrics_bench.py --sizes 1000000 10000000 --runs 7
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("TAKT_BENCH_DIR", "/tmp/takt-bench/metrics"))


def build(db: Path, n: int) -> None:
    """A plant of n receipt rows: ~400 suppliers, ~20k skus, 2022-01 to 2026-10."""
    import duckdb

    from analytics.models.materialize import refresh_store
    from analytics.store.connection import Store

    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", ".wal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store(db)
    with store.connect():  # creates the schema
        pass
    store.close()
    con = duckdb.connect(str(db))
    skus = 20_000
    con.execute(f"""
        insert into deliveries (po_number, po_line, receipt_id, supplier, sku, order_date,
            promised_date, ordered_qty, received_date, received_qty, unit_cost, site)
        select 'PO' || (i // 3), cast(i % 3 as varchar), 'R' || i,
               'V' || (hash(i // 3) % 400), 'SKU' || (hash(i // 3 + 7) % {skus}),
               d, d + 7 + cast(hash(i) % 20 as int), 100,
               case when i % 50 = 0 then null
                    else d + 5 + cast(hash(i + 1) % 30 as int) end,
               case when i % 50 = 0 then null else 90 + hash(i + 2) % 20 end,
               1 + (hash(i // 3 + 7) % 500) / 10.0, ''
        from (select i, date '2022-01-03' + cast(i * 1700 // {n} as int) as d
              from range({n}) t(i))""")
    con.execute(
        "update deliveries set received_date = null, received_qty = null "
        "where received_date > date '2026-10-31'"
    )
    con.execute(f"""
        insert into orders (order_number, order_line, customer, sku, order_date,
            requested_date, shipped_date, ordered_qty, shipped_qty, unit_price, site)
        select 'SO' || i, '1', 'C' || (i % 50), 'SKU' || (hash(i) % {skus}),
               d, d + 10,
               case when d + 9 <= date '2026-10-31' then d + 9 + cast(hash(i) % 4 as int) end,
               20, case when d + 9 <= date '2026-10-31' then 18 + hash(i) % 3 end, 5.0, ''
        from (select i, date '2022-01-03' + cast(i * 1700 // {n // 2} as int) as d
              from range({n // 2}) t(i))""")
    con.execute(
        "update orders set shipped_date = null, shipped_qty = null "
        "where shipped_date > date '2026-10-31'"
    )
    con.execute(f"""
        insert into defects (defect_id, date, sku, supplier, po_number, stage, cause, qty,
            cost, disposition, site)
        select 'D' || i, date '2022-01-03' + cast(i * 1700 // {n // 100} as int),
               'SKU' || (hash(i) % {skus}), 'V' || (hash(i) % 400), null, 'receiving',
               'cause ' || (i % 8), 1 + i % 5, null, 'scrap', ''
        from range({n // 100}) t(i)""")
    con.execute(f"""
        insert into inventory (date, sku, site, location, on_hand_qty)
        select date '2025-05-05' + cast(7 * w as int), 'SKU' || s, '', '',
               (hash(s * 31 + w) % 1000)
        from range(78) a(w), range({skus}) b(s)""")
    con.execute(f"""
        insert into items (sku, description, category, container_qty,
            planned_lead_time_days, unit_cost)
        select 'SKU' || s, 'item ' || s, 'cat ' || (s % 12), 10, 14,
               1 + (s % 500) / 10.0
        from range({skus}) t(s)""")
    con.execute("insert into meta values ('data_version', 1) on conflict do nothing")
    con.close()
    store = Store(db)
    refresh_store(store)
    store.close()  # checkpointed: the file can be copied and opened by another process


def measure_takt(db: Path, runs: int) -> dict:
    from analytics.metrics.figures import compute_kpis, scorecard
    from analytics.metrics.replenish import replenishment
    from analytics.models.params import Scope
    from analytics.review.drill import breakdown
    from analytics.store.connection import Store

    store = Store(db)
    supplier = "V7"

    def overview():
        return compute_kpis(store)

    def drill():
        """The Review page's step into one supplier: its skus ranked by their part of the gap."""
        return breakdown(store, "otif_rate", "sku", Scope(supplier=supplier))

    def supplier_page():
        return compute_kpis(store, supplier=supplier), scorecard(store, Scope(supplier=supplier))

    return {
        "overview_ms": _median_ms(overview, runs),
        "drill_ms": _median_ms(drill, runs),
        "supplier_ms": _median_ms(supplier_page, runs),
        "replenish_ms": _median_ms(lambda: replenishment(store), runs),
        "replenish_rows": len(replenishment(store)),
        "drill_rows": len(drill()),
    }


def measure_bare(db: Path, runs: int) -> dict:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    sql = """
        with lines as (
            select po_number, po_line, min(promised_date) as p, min(order_date) as o,
                   max(ordered_qty) as q, max(received_date) as last_r,
                   sum(case when received_date <= promised_date then received_qty else 0 end)
                       as on_time_qty
            from deliveries group by po_number, po_line)
        select avg(case when on_time_qty >= q then 1.0 else 0 end),
               avg(date_diff('day', o, last_r))
        from lines where p between date '2025-10-31' and date '2026-10-31'"""
    return {"bare_ms": _median_ms(lambda: con.execute(sql).fetchall(), runs)}


def measure_pandas(db: Path, runs: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from analytics.store.connection import Store
    from tests.pandas_reference import kpis_reference, load_frames

    frames = load_frames(Store(db))
    return {"pandas_ms": _median_ms(lambda: kpis_reference(frames), max(1, runs // 3))}


def _median_ms(fn, runs: int) -> float:
    fn()  # warm: caches, marts in memory
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def child(mode: str, db: str, runs: int) -> None:
    sys.path.insert(0, str(ROOT))
    result = {"takt": measure_takt, "bare": measure_bare, "pandas": measure_pandas}[mode](
        Path(db), runs
    )
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


def run_child(mode: str, db: Path, runs: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(db), str(runs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", nargs=3)
    parser.add_argument("--reuse", action="store_true", help="keep databases already built")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    sys.path.insert(0, str(ROOT))
    print(
        "| lines | build s | overview ms | drill-down ms (rows) | supplier KPIs + card ms | "
        "replenishment list ms (rows) | bare DuckDB ms | pandas ms | pandas / overview | "
        "takt peak RSS MiB | "
        "pandas peak RSS MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        db = WORK / f"plant-{n}.duckdb"
        start = time.perf_counter()
        if not (args.reuse and db.exists()):
            build(db, n)
        built = time.perf_counter() - start
        takt = run_child("takt", db, args.runs)
        bare = run_child("bare", db, args.runs)
        pandas = run_child("pandas", db, args.runs)
        print(
            f"| {n:,} | {built:.0f} | {takt['overview_ms']} | {takt['drill_ms']} "
            f"({takt['drill_rows']}) | {takt['supplier_ms']} | "
            f"{takt['replenish_ms']} ({takt['replenish_rows']:,}) | "
            f"{bare['bare_ms']} | {pandas['pandas_ms']} | "
            f"{pandas['pandas_ms'] / takt['overview_ms']:.0f}x | {takt['peak_rss_mib']} | "
            f"{pandas['peak_rss_mib']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
