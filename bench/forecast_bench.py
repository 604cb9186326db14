"""Benchmark of the demand forecasts (issue 17): 20,000 skus x 156 weeks, backtest included.

Series are drawn with a fixed seed in a stated mix: 55% smooth (Poisson around a level),
10% trending, 10% seasonal (a 52-week sine), 25% intermittent (demand in about 1 week of
4, lumpy sizes): the intermittent ones get three more candidates (Croston, TSB, ADIDA),
the dearest. Measured, each in this process:
- warm-up: importing statsforecast and numba and the first fit of every candidate (numba
  compiles on first call, in every new process: statsforecast keeps numba's cache on disk
  only with NIXTLA_NUMBA_CACHE=1, and NUMBA_CACHE_DIR says where);
- the run: `engine.forecast_many` over all series (candidates, 4-origin backtest, choice,
  13-week forecast with intervals) on every CPU, wall and CPU seconds;
- optionally (--store) the batch through a real store: orders inserted, `batch.refresh`
  (series read by SQL, fitted, written), then a second refresh with nothing changed.

    python bench/forecast_bench.py --skus 20000 --weeks 156 [--store]
"""

from __future__ import annotations

import argparse
import importlib
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIX = {"smooth": 0.55, "trend": 0.10, "seasonal": 0.10, "intermittent": 0.25}


def series(n: int, weeks: int, seed: int = 17) -> tuple[list[np.ndarray], list[str]]:
    rng = np.random.default_rng(seed)
    kinds = rng.choice(list(MIX), size=n, p=list(MIX.values()))
    t = np.arange(weeks)
    out = []
    for kind in kinds:
        level = rng.uniform(5, 200)
        if kind == "smooth":
            lam = np.full(weeks, level)
        elif kind == "trend":
            lam = level * (0.5 + t / weeks)
        elif kind == "seasonal":
            lam = level * (1 + 0.6 * np.sin(2 * np.pi * t / 52))
        else:
            lam = (rng.random(weeks) < 0.25) * level
        out.append(rng.poisson(lam).astype(float))
    return out, list(kinds)


def cpu() -> float:
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skus", type=int, default=20000)
    parser.add_argument("--weeks", type=int, default=156)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--store", action="store_true", help="also run the batch on a store")
    args = parser.parse_args()
    ys, kinds = series(args.skus, args.weeks)

    t0, c0 = time.perf_counter(), cpu()
    engine = importlib.import_module("analytics.forecast.engine")
    imported = time.perf_counter() - t0
    for y in ys[:50]:  # the first fit of each candidate compiles it
        engine.forecast_series(y)
    warm = time.perf_counter() - t0
    print(f"warm-up: import {imported:.1f} s, import + first fits {warm:.1f} s")

    t0, c0 = time.perf_counter(), cpu()
    results = engine.forecast_many(ys, workers=args.workers)
    wall, used = time.perf_counter() - t0, cpu() - c0
    print(f"{args.skus:,} skus x {args.weeks} weeks: {wall:.1f} s wall, {used:.1f} CPU s")
    print("mix:", dict(Counter(kinds)))
    print("chosen:", dict(Counter(r["model"] for r in results).most_common()))
    chosen = Counter((k, r["model"]) for k, r in zip(kinds, results, strict=True))
    for kind in MIX:
        top = sorted(((m, c) for (k, m), c in chosen.items() if k == kind), key=lambda x: -x[1])
        print(f"  {kind}: {top[:3]}")
    if args.store:
        store_run(ys)


def store_run(ys: list[np.ndarray]) -> None:
    """The batch through a real store: one order per sku and week with demand."""
    import pyarrow as pa

    from analytics.forecast.batch import refresh
    from analytics.store.connection import Store

    store = Store(Path(tempfile.mkdtemp()) / "takt.duckdb", lock_timeout=60)
    as_of = np.datetime64("2024-06-30")
    cols: dict[str, list] = {k: [] for k in ("order_number", "sku", "order_date", "qty")}
    for i, y in enumerate(ys):
        for w in np.flatnonzero(y):
            day = as_of - np.timedelta64(7 * (len(y) - 1 - int(w)), "D")
            cols["order_number"].append(f"O{i}-{w}")
            cols["sku"].append(f"S{i:05d}")
            cols["order_date"].append(day)
            cols["qty"].append(float(y[w]))
    with store.connect() as cur:
        cols["order_date"] = np.array(cols["order_date"], dtype="datetime64[D]")
        cur.register("o", pa.table(cols))
        cur.execute(
            "INSERT INTO orders (order_number, order_line, sku, order_date, requested_date, "
            "ordered_qty, site) SELECT order_number, '1', sku, order_date, order_date, qty, '' "
            "FROM o"
        )
        cur.unregister("o")
    print(f"store: {len(cols['sku']):,} order lines")
    for label in ("first refresh", "refresh, nothing changed"):
        t0 = time.perf_counter()
        done = refresh(store)
        print(f"{label}: {time.perf_counter() - t0:.1f} s ({done.refitted:,} refitted)")
    store.close()


if __name__ == "__main__":
    main()
