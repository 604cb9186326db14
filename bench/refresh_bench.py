"""Benchmark of a small load into a large store (issue 15): what the refresh of the stored
facts costs after it.

`prepare` builds the metrics benchmark's plant (bench/metrics_bench.py: N delivery lines,
N/2 customer lines, defects, weekly snapshots, an item master) once, with its facts stored,
and writes four small files beside it:

- orders.csv: 1,000 new customer lines of skus the plant has;
- stock.csv: one new snapshot date for 1,000 skus (no cost: the item master prices them);
- defects.csv: 200 new defects;
- deliveries.csv: 500 new receipts on stored PO lines and 500 new PO lines.

`load KIND` copies the plant to a scratch file, opens it and imports that one file (with the
refresh of the stored facts), and prints the seconds of the import alone as JSON with what
the refresh did to each fact when the tree measured says so. `--src=DIR` imports the
`analytics` package of another tree (an older commit), so before and after run the same
files; the prepared plant is built by this tree.

    python bench/refresh_bench.py prepare --lines 1000000
    python bench/refresh_bench.py load orders --lines 1000000 [--src=/tmp/before]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
_SRC = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--src=")), None)
sys.path.insert(0, str(Path(_SRC).resolve()) if _SRC else str(ROOT))
sys.path.insert(1, str(HERE))

from metrics_bench import WORK, build  # noqa: E402

TODAY = date(2026, 11, 26)
FILES = {
    "orders": """
        copy (select 'NEWSO' || i as order_number, '1' as order_line, 'C1' as customer,
                     'SKU' || (i * 7 % 20000) as sku, date '2026-10-20' as order_date,
                     date '2026-10-30' as requested_date, date '2026-10-29' as shipped_date,
                     10 as ordered_qty, 10 as shipped_qty, 5.0 as unit_price
              from range(1000) t(i)) to '{path}' (header)""",
    "stock": """
        copy (select date '2026-10-31' as date, 'SKU' || i as sku, 40 as on_hand_qty
              from range(1000) t(i)) to '{path}' (header)""",
    "defects": """
        copy (select date '2026-10-15' as date, 'SKU' || (i * 13 % 20000) as sku,
                     'V' || (i % 400) as supplier, 'cause ' || (i % 8) as cause, 2 as qty
              from range(200) t(i)) to '{path}' (header)""",
    "deliveries": """
        copy (
            select po_number, po_line, 'X' || po_number || '-' || po_line as receipt_id,
                   supplier, sku, order_date, promised_date, ordered_qty,
                   promised_date + 1 as received_date, 5 as received_qty, unit_cost
            from (select * from deliveries where received_date is not null
                  and promised_date < date '2026-10-01' using sample 500 rows (reservoir, 7))
            union all
            select 'NEWPO' || i, '0', 'NR' || i, 'V' || (i % 400), 'SKU' || (i % 20000),
                   date '2026-10-01', date '2026-10-10', 100, date '2026-10-11', 100, 2.5
            from range(500) t(i)
        ) to '{path}' (header)""",
}


def plant(lines: int) -> Path:
    return WORK / f"plant-{lines}.duckdb"


def prepare(lines: int) -> None:
    import duckdb

    db = plant(lines)
    if not db.exists():
        build(db, lines)
    folder = WORK / f"files-{lines}"
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    for kind, sql in FILES.items():
        con.execute(sql.format(path=folder / f"{kind}.csv"))
    con.close()


def load(kind: str, lines: int) -> dict:
    from analytics.ingest import import_file
    from analytics.store.connection import Store

    scratch = WORK / f"scratch-{lines}.duckdb"
    for suffix in ("", ".wal"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(plant(lines), scratch)
    csv = WORK / f"files-{lines}" / f"{kind}.csv"
    store = Store(scratch, extra_dirs=(csv.parent,))
    start = time.perf_counter()
    report = import_file(store, csv, kind=kind if kind != "stock" else "inventory", today=TODAY)
    seconds = time.perf_counter() - start
    assert report.status == "imported" and report.rejected == 0, report.message
    with store.connect() as cur:
        done = (
            cur.execute(
                "SELECT name, how, lines FROM fact_builds WHERE built_version = "
                "(SELECT value FROM meta WHERE name = 'data_version')"
            ).fetchall()
            if _has_log(cur)
            else []
        )
    store.close()
    return {"kind": kind, "seconds": round(seconds, 3), "rebuilt": done}


def _has_log(cur) -> bool:
    return bool(
        cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'fact_builds'"
        ).fetchone()[0]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["prepare", "load"])
    parser.add_argument("kind", nargs="?", choices=sorted(FILES))
    parser.add_argument("--lines", type=int, default=1_000_000)
    args, _ = parser.parse_known_args()  # --src=DIR is read above
    if args.what == "prepare":
        prepare(args.lines)
    else:
        print(json.dumps(load(args.kind, args.lines)))


if __name__ == "__main__":
    main()
