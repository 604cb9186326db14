"""Rollup job benchmark: the same job on DuckDB and on Spark local mode, same machine, same lake.

    python bench/rollup_bench.py                         # 1M and 10M lines, 3 runs each
    python bench/rollup_bench.py --sizes 1M --runs 1     # a quick look

The lake holds N delivery lines (the rows of bench/gen_deliveries.py, with the canonical
column names) and no other table, written once per size as Parquet under `--dir`. Every run
is a fresh `python -m analytics rollup` subprocess, so Spark pays its JVM start each time as
a user's job would. Peak memory is the largest resident set of the process and its children
(the JVM is a child), sampled every 50 ms. Results are printed and appended to
bench/results.md (`--no-write` to skip).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_deliveries import query  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"1M": 1_000_000, "10M": 10_000_000}


def make_lake(n: int, folder: Path) -> Path:
    target = folder / "deliveries" / "part-0.parquet"
    if target.exists():
        return folder
    target.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"""
        copy (
            select "PO Number"::varchar as po_number, "Line"::varchar as po_line,
                   "GRN"::varchar as receipt_id, "Vendor" as supplier, "Material" as sku,
                   "PO Date" as order_date, "Delivery Date" as promised_date,
                   "Quantity"::double as ordered_qty, "Receipt Date" as received_date,
                   "Received Qty"::double as received_qty, "Net Price"::double as unit_cost
            from ({query(n)})
        ) to '{target}' (format parquet)""")
    con.close()
    return folder


def measure(args: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB, the process and its children) of one command."""
    started = time.perf_counter()
    proc = psutil.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        try:
            family = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in family if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr.read().decode()[-2000:]}")
    return seconds, peak / 2**20


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1M,10M")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--engines", default="duckdb,spark")
    ap.add_argument("--master", default="local[*]")
    ap.add_argument("--driver-memory", default="6g")
    ap.add_argument("--dir", default="/tmp/takt-bench/rollup")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    base = Path(args.dir)
    lines = [
        f"\n## Rollup job, {datetime.now():%Y-%m-%d %H:%M} ({platform.node()}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})\n",
        f"Spark master `{args.master}`, driver memory {args.driver_memory}; "
        f"median of {args.runs} runs, each a fresh process.\n",
        "| lines | engine | seconds (median) | runs | peak RSS MiB (max) |",
        "|---|---|---|---|---|",
    ]
    for size in args.sizes.split(","):
        lake = make_lake(SIZES[size], base / f"lake-{size}")
        for engine in args.engines.split(","):
            command = [
                sys.executable,
                "-m",
                "analytics",
                "rollup",
                "--engine",
                engine,
                "--input",
                str(lake),
                "--output",
                str(base / f"out-{size}-{engine}"),
            ]
            if engine == "spark":
                command += [
                    "--master",
                    args.master,
                    "--conf",
                    f"spark.driver.memory={args.driver_memory}",
                ]
            results = [measure(command) for _ in range(args.runs)]
            seconds = [s for s, _ in results]
            row = (
                f"| {size} | {engine} | {statistics.median(seconds):.1f} | "
                f"{', '.join(f'{s:.1f}' for s in seconds)} | "
                f"{max(m for _, m in results):.0f} |"
            )
            print(row, flush=True)
            lines.append(row)
    if not args.no_write:
        with open(ROOT / "bench" / "results.md", "a") as fh:
            fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
