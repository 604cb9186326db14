"""Page benchmark (issue 15): warm reruns of every page, and optionally the cold start.

For the store given by --store, one AppTest session starts from app.py, opens each page
once (its first run: the cache cold for that page, or warmed by the pages before it) and
then reruns it --runs times with nothing changed: the median of those reruns is what a
manager waits for after a click that changes nothing the page computes (a widget of
another section, a refresh). With --cold it also measures the cold start to the first
rendered page in chromium, with bench/page_bench.py's own run (imported, not copied: one
definition of "first page"). Results are printed and appended to bench/results.md with the
goals table of issue 15 (--no-write to skip). Not part of the tests.

    . /work/main/.venv/bin/activate
    python bench/pages_bench.py --store /tmp/plant-1M.duckdb --runs 7
    python bench/pages_bench.py --store /tmp/plant-10M.duckdb --runs 7 --cold

The store is opened read-write by the app (as `streamlit run` would): give it a copy no
other process uses. A store built by bench/metrics_bench.py has the sizes the issue names.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    "pages/overview.py",
    "pages/design.py",
    "pages/waste.py",
    "pages/suppliers.py",
    "pages/pull.py",
    "pages/review.py",
    "pages/data.py",
)


def page_reruns(store: Path, pages, runs: int, timeout: float) -> dict[str, tuple[float, float]]:
    """{page: (first run s, median warm rerun ms)} in one AppTest session on `store`."""
    from streamlit.testing.v1 import AppTest

    demo = Path(tempfile.mkdtemp(prefix="takt-pages-bench-")) / "demo.duckdb"
    os.environ.update(TAKT_DB=str(store), TAKT_DEMO_DB=str(demo))
    os.environ.pop("TAKT_ROLLUPS", None)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["store"] = "mine"  # this store, not the demo beside it
    start = time.perf_counter()
    at.run()
    out = {"app.py (the Overview: the session's first run)": (time.perf_counter() - start, 0.0)}
    print(f"app.py (the Overview, the first page): {out[next(iter(out))][0]:.2f} s")
    _check(at, "app.py")
    chosen = at.session_state["_takt_store"].path  # ui.cache.STORE_CHOICE
    if Path(chosen).resolve() != store:
        raise RuntimeError(f"the app serves {chosen}, not {store}")
    for page in pages:
        start = time.perf_counter()
        at.switch_page(page).run()
        first = time.perf_counter() - start
        _check(at, page)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        _check(at, page)
        out[page] = (first, statistics.median(times) * 1000)
        print(f"{page}: first {first:.2f} s, warm rerun median {out[page][1]:.0f} ms", flush=True)
    return out


def _check(at, where: str) -> None:
    if at.exception:
        raise RuntimeError(f"{where}: {[e.value for e in at.exception]}")


def cold_start(runs: int) -> list[tuple[float, float]]:
    """bench/page_bench.py's runs (healthy s, first page s): a fresh data folder, the server
    started, to the Overview's KPI cards in chromium."""
    spec = importlib.util.spec_from_file_location("page_bench", ROOT / "bench" / "page_bench.py")
    page_bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(page_bench)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=page_bench.CHROMIUM, args=page_bench.ARGS)
        try:
            return [page_bench.one_run(browser) for _ in range(runs)]
        finally:
            browser.close()


def delivery_lines(store: Path) -> int:
    import duckdb

    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute("select count(*) from deliveries").fetchone()[0]


def section(store, lines, reruns, cold, runs, load) -> str:
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    out = [
        "",
        f"## Pages, {when} ({platform.node()}, {os.cpu_count()} CPUs, load {load:.1f}): "
        f"{lines:,} delivery lines",
        "",
        f"`python bench/pages_bench.py --store {store} --runs {runs}`"
        + (" --cold" if cold else "")
        + ": one AppTest session from app.py; each page's first run, then the median of "
        f"{runs} reruns with nothing changed.",
        "",
        "| page | first run s | warm rerun ms (median) |",
        "|---|---:|---:|",
        *(
            f"| {p} | {first:.2f} | {ms:.0f} |" if ms else f"| {p} | {first:.2f} | |"
            for p, (first, ms) in reruns.items()
        ),
        "",
    ]
    if cold:
        median = statistics.median(s for _h, s in cold)
        out += [
            f"Cold start to the first rendered page (bench/page_bench.py, fresh data folder, "
            f"chromium): median {median:.2f} s; runs (healthy / KPI cards): "
            + ", ".join(f"{h:.2f} / {s:.2f}" for h, s in cold),
            "",
        ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a DuckDB store (a copy)")
    parser.add_argument("--runs", type=int, default=7, help="warm reruns per page")
    parser.add_argument("--pages", nargs="+", default=list(PAGES))
    parser.add_argument("--cold", action="store_true", help="also the cold start in chromium")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per script run")
    parser.add_argument("--no-write", action="store_true", help="do not append to results.md")
    args = parser.parse_args()
    store = args.store.resolve()
    lines = delivery_lines(store)
    load = os.getloadavg()[0]
    reruns = page_reruns(store, args.pages, args.runs, args.timeout)
    cold = cold_start(args.cold_runs) if args.cold else None
    text = section(store, lines, reruns, cold, args.runs, load)
    print(text)
    if not args.no_write:
        with open(ROOT / "bench" / "results.md", "a") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
