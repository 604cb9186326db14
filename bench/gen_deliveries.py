"""Generate N delivery lines shaped like a real ERP export, fast, with one DuckDB COPY.

    python bench/gen_deliveries.py 10_000_000 /tmp/takt-bench/deliveries-10M.csv

The file has the headers of an SAP-like purchasing report (comma, ISO dates):
`PO Number,Line,GRN,Vendor,Material,PO Date,Delivery Date,Quantity,Receipt Date,Received Qty,
Net Price`. Every row is valid under METRICS.md, so an import of it rejects nothing:

- rows come in blocks of 100: 92 PO lines with one receipt, then 4 PO lines with two receipts
  each (8 % of the rows are split receipts), each receipt with its own GRN;
- about 4 % of the single-receipt lines are not received yet (GRN, Receipt Date and Received
  Qty empty), and so is every line whose receipt would fall after 2026-10-31;
- the natural key (PO Number, Line, GRN) is unique, receipts of a PO line share its Quantity,
  received >= ordered date, promised >= ordered date, and no date is after 2026-10-31;
- 4 lines per PO (lines 10, 20, 30, 40), one vendor per PO out of 400, 20,000 materials with
  one price each, PO dates rising with the PO number from 2022-01-03 to 2026-09-10.

Values come from DuckDB's `hash()` of row numbers, so the same N always gives the same bytes,
and the query runs on every core: 10M lines take a few seconds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

HEADER = (
    "PO Number,Line,GRN,Vendor,Material,PO Date,Delivery Date,Quantity,Receipt Date,"
    "Received Qty,Net Price"
)
SUPPLIERS = 400
SKUS = 20_000
LINES_PER_PO = 4
FIRST_PO_DATE = "2022-01-03"
LAST_PO_DATE = "2026-09-10"
CUTOFF = "2026-10-31"  # no date in the file is later


def query(n: int, seed: int = 0) -> str:
    """The SELECT producing the n rows, columns named and ordered as the file's headers."""
    s = int(seed)

    # Uniform integer in [0, m) from a hash of an expression, decorrelated by a salt.
    def u(expr: str, salt: int, m: int) -> str:
        return f"(hash({expr}, {s * 1000 + salt}) % {m})::BIGINT"

    span = f"(DATE '{LAST_PO_DATE}' - DATE '{FIRST_PO_DATE}')"
    n_lines = f"({n} // 100 * 96 + 96)"
    n_pos = f"({n_lines} // {LINES_PER_PO} + 1)"
    return f"""
    WITH r AS (
        SELECT i, i // 100 AS blk, i % 100 AS k FROM range({n}) t(i)
    ), l AS (  -- which PO line and which receipt of it each row is
        SELECT i,
               blk * 96 + CASE WHEN k < 92 THEN k ELSE 92 + (k - 92) // 2 END AS line_id,
               CASE WHEN k < 92 THEN 0 ELSE 1 + (k - 92) % 2 END AS receipt_no
        FROM r
    ), p AS (
        SELECT i, line_id, receipt_no, line_id // {LINES_PER_PO} AS po_id,
               (line_id % {LINES_PER_PO} + 1) * 10 AS po_line
        FROM l
    ), v AS (
        SELECT i, line_id, receipt_no, po_id, po_line,
               DATE '{FIRST_PO_DATE}' + (po_id * {span} // {n_pos})::INTEGER AS order_date,
               1 + {u("po_id", 1, SUPPLIERS)} AS vendor,
               {u("line_id", 2, SKUS)} AS sku,
               -- lead time promised: 5..49 days; actual delay: -4..+10 days (some early)
               5 + {u("line_id", 3, 45)} AS lead,
               {u("line_id", 4, 15)} - 4 AS delay,
               1 + {u("i", 5, 9)} AS gap,  -- days between the two receipts of a split line
               (1 + {u("line_id", 6, 100)}) * CASE WHEN {u("line_id", 7, 3)} = 0 THEN 100
                                                   ELSE 10 END AS qty,
               {u("line_id", 8, 100)} AS open_draw,
               {u("line_id", 9, 100)} AS short_draw
        FROM p
    ), d AS (
        SELECT *, order_date + lead::INTEGER AS promised_date,
               greatest(order_date, order_date + (lead + delay)::INTEGER
                        + CASE WHEN receipt_no = 2 THEN gap::INTEGER ELSE 0 END)
                   AS due_receipt
        FROM v
    ), f AS (
        SELECT *,
               receipt_no = 0 AND (open_draw < 4 OR due_receipt > DATE '{CUTOFF}') AS open,
               least(due_receipt, DATE '{CUTOFF}') AS received_date,
               CASE receipt_no
                   WHEN 0 THEN CASE WHEN short_draw < 5 THEN qty * 9 // 10 ELSE qty END
                   WHEN 1 THEN qty * 6 // 10
                   ELSE qty - qty * 6 // 10 END AS received_qty
        FROM d
    )
    SELECT 4500000000 + po_id AS "PO Number",
           po_line AS "Line",
           CASE WHEN open THEN NULL ELSE 5000000000 + i END AS "GRN",
           'V' || (100000 + vendor) AS "Vendor",
           'MAT-' || lpad(sku::VARCHAR, 6, '0') AS "Material",
           order_date AS "PO Date",
           promised_date AS "Delivery Date",
           qty AS "Quantity",
           CASE WHEN open THEN NULL ELSE received_date END AS "Receipt Date",
           CASE WHEN open THEN NULL ELSE received_qty END AS "Received Qty",
           -- one price per material: 0.05 .. 999.99 (two decimals)
           ((5 + hash(sku, {s * 1000 + 10}) % 99995) / 100)::DECIMAL(8, 2) AS "Net Price"
    FROM f  -- no ORDER BY: insertion order is kept, rows come out in range() order
    """


def generate(n: int, out: str | Path, seed: int = 0, threads: int | None = None) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()  # plain, unlocked, in memory
    try:
        if threads:
            con.execute(f"SET threads={int(threads)}")
        path_sql = str(out).replace("'", "''")
        con.execute(
            f"COPY ({query(n, seed)}) TO '{path_sql}' "
            "(FORMAT csv, HEADER true, DELIMITER ',', DATEFORMAT '%Y-%m-%d')"
        )
    finally:
        con.close()
    with open(out, "rb") as fh:
        first = fh.readline().decode().strip()
    if first != HEADER:
        raise RuntimeError(f"unexpected header {first!r}")
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=lambda s: int(s.replace("_", "")), help="delivery lines (rows)")
    ap.add_argument("out", help="CSV file to write")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    path = generate(args.n, args.out, args.seed)
    dt = time.perf_counter() - t0
    size = path.stat().st_size
    print(f"{args.n:,} lines -> {path} ({size / 2**20:.0f} MB) in {dt:.1f} s")


if __name__ == "__main__":
    main()
