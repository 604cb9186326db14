"""First-page benchmark (issues 15 and 16): `streamlit run app.py` to the Overview drawn in
a real browser, on a fresh data folder or on a copy of an existing store.

Each run starts a new server with `TAKT_DB` in a new temporary folder and measures, from the
moment the server process is started: the server healthy (`/_stcore/health`), the Overview's
KPI cards visible (`Supplier OTIF` among them) and the first script run finished (the whole
page drawn: `data-test-script-state='notRunning'`), in Debian's chromium driven by
Playwright. The browser is launched before the clock starts, so its own start-up is not
counted; the server's start-up, the imports, the demo store's build and the first script
run all are. Not part of the tests.

- Fresh clone (default): an empty folder, no store, no demo store (issue 16).
- `--store PATH`: the folder gets a copy of that store (and of `demo.duckdb` beside it, if
  there is one), copied before the clock starts (issue 15: start on an existing store).
- The floor: the same server started on a one-line script (`st.metric("Supplier OTIF", ...)`
  and Takt's `.streamlit/config.toml`), timed the same way, as a reference row: how far the
  app is above bare Streamlit on this machine at this load.

For other benchmarks (bench/pages_bench.py): `cold_start(runs, store=None) -> list[float]`
gives the seconds to the KPI cards of each run; `cold_runs` the three times of each run.

    . .venv/bin/activate
    python bench/page_bench.py                      # 5 runs + the floor, appended to results.md
    python bench/page_bench.py --runs 3 --no-write
    python bench/page_bench.py --store /tmp/big/takt.duckdb --label "10M lines"
    python bench/page_bench.py --compare /tmp/before   # runs alternate with another checkout
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
KPI_CARD = "[data-testid='stMetricLabel']:has-text('Supplier OTIF')"
DONE = "[data-testid='stApp'][data-test-script-state='notRunning']"
TIMEOUT_MS = 900_000  # a 10M-line store on a busy machine may take minutes
FLOOR_SCRIPT = 'import streamlit as st\n\nst.metric("Supplier OTIF", "95.0%")\n'


@dataclass
class Run:
    healthy: float  # seconds from the server's start
    cards: float  # the KPI cards visible
    done: float  # the first script run finished: the whole page drawn


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"{url} did not become healthy in {timeout} s")


def copy_store(store: Path, folder: Path) -> None:
    """The store (and its WAL, and the demo store beside it) into the run's folder."""
    shutil.copyfile(store, folder / "takt.duckdb")
    if Path(f"{store}.wal").exists():
        shutil.copyfile(f"{store}.wal", folder / "takt.duckdb.wal")
    if (store.parent / "demo.duckdb").exists():
        shutil.copyfile(store.parent / "demo.duckdb", folder / "demo.duckdb")


def one_run(
    browser, root: Path = ROOT, store: Path | None = None, floor: bool = False, script="app.py"
) -> Run:
    """One server start to the first page, in a new temporary folder (`script`: another
    entry beside app.py, e.g. a wrapper that profiles it)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="takt-page-bench-") as name:
        folder = Path(name)
        env = {**os.environ, "TAKT_DB": str(folder / "takt.duckdb")}
        for variable in ("TAKT_ROLLUPS", "TAKT_DEMO_DB"):
            env.pop(variable, None)
        cwd = root
        if floor:
            (folder / "floor.py").write_text(FLOOR_SCRIPT)
            shutil.copytree(root / ".streamlit", folder / ".streamlit")
            cwd, script = folder, "floor.py"
        elif store is not None:
            copy_store(store, folder)
        command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
        command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        start = time.monotonic()
        proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_healthy(url, proc)
            healthy = time.monotonic() - start
            page.goto(url)
            page.wait_for_selector(KPI_CARD, state="visible", timeout=TIMEOUT_MS)
            cards = time.monotonic() - start
            page.wait_for_selector(DONE, state="attached", timeout=TIMEOUT_MS)
            done = time.monotonic() - start
        finally:
            context.close()
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return Run(healthy, cards, done)


def cold_runs(
    runs: int, store: str | os.PathLike | None = None, root: Path = ROOT, floor: bool = False
) -> list[Run]:
    """`runs` cold starts, in one chromium launched before the first clock starts."""
    from playwright.sync_api import sync_playwright

    source = Path(store).resolve() if store else None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            return [one_run(browser, Path(root), source, floor) for _ in range(runs)]
        finally:
            browser.close()


def cold_start(runs: int, store: str | os.PathLike | None = None) -> list[float]:
    """Seconds from `streamlit run app.py` to the Overview's KPI cards, one per run."""
    return [r.cards for r in cold_runs(runs, store)]


BARE_IMPORTS = "import streamlit, duckdb, pandas, plotly"
# What app.py and the Overview import (issue 15: "importing the app's modules vs bare
# streamlit+duckdb+pandas+plotly <= 1.3x"); the other pages are imported when opened.
APP_IMPORTS = (
    "import ui.warm, analytics.store.version, analytics.demo.shipped, "
    "analytics.store.freshness, ui.auth, ui.boot, ui.cache, ui.scope, ui.stores, "
    "analytics.charts.overview, analytics.charts.vegalite, analytics.formatting, "
    "analytics.metrics.registry, ui.widgets, ui.pull.card, ui.signals"
)


def import_seconds(code: str, root: Path = ROOT) -> float:
    """Wall seconds of a fresh interpreter that runs `code` (its start-up included)."""
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def import_ratio(runs: int = 7, root: Path = ROOT) -> tuple[float, float, float]:
    """(bare s, bare + the app's modules s, ratio): medians, the two alternated."""
    bare, app = [], []
    for _ in range(runs):
        bare.append(import_seconds(BARE_IMPORTS, root))
        app.append(import_seconds(f"{BARE_IMPORTS}; {APP_IMPORTS}", root))
    b, a = statistics.median(bare), statistics.median(app)
    return b, a, a / b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", metavar="PATH", help="start on a copy of this store")
    parser.add_argument("--label", default="", help="what this measures (e.g. before/after)")
    parser.add_argument("--no-write", action="store_true", help="do not append to results.md")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare-Streamlit row")
    parser.add_argument(
        "--imports", action="store_true", help="only the import ratio (app vs bare), medians"
    )
    parser.add_argument(
        "--compare",
        metavar="DIR",
        help="another checkout (e.g. `git archive <commit>` unpacked): its runs alternate with "
        "this one's, so both see the same machine load",
    )
    args = parser.parse_args()
    if args.imports:
        for root in (ROOT, *([Path(args.compare)] if args.compare else [])):
            bare, app, ratio = import_ratio(args.runs, root)
            print(
                f"imports in {root}: bare {bare:.2f} s, with the app's modules {app:.2f} s: "
                f"{ratio:.2f}x"
            )
        return
    rows: dict[str, list[Run]] = {"this checkout": []}
    if args.compare:
        rows[args.compare] = []
    if not args.no_floor:
        rows["floor: bare streamlit, one st.metric"] = []
    loads = []
    for i in range(args.runs):  # one of each per round, so all rows see the same load
        for name, runs in rows.items():
            floor = name.startswith("floor")
            root = Path(args.compare) if name == args.compare else ROOT
            runs += cold_runs(1, args.store, root, floor)
            loads.append(os.getloadavg()[0])
            r = runs[-1]
            print(
                f"run {i + 1}, {name}: healthy {r.healthy:.2f} s, cards {r.cards:.2f} s, "
                f"done {r.done:.2f} s"
            )
    for name, runs in rows.items():
        print(
            f"median, {name}: cards {median(runs, 'cards'):.2f} s, done "
            f"{median(runs, 'done'):.2f} s"
        )
    if not args.no_write:
        write(rows, args.label, args.store, loads)


def median(runs: list[Run], what: str) -> float:
    return statistics.median(getattr(r, what) for r in runs)


def write(rows: dict[str, list[Run]], label: str, store: str | None, loads: list[float]) -> None:
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    where = f"a copy of `{store}`" if store else "a fresh data folder"
    lines = [
        "",
        f"## First page, {when} ({platform.node()}, {os.cpu_count()} CPUs, load "
        f"{min(loads):.1f}-{max(loads):.1f})" + (f": {label}" if label else ""),
        "",
        f"`python bench/page_bench.py`: {where}, `streamlit run` started, to the Overview's",
        "KPI cards visible in chromium, and to the first script run finished (page drawn).",
        "",
        "| | median s: cards / done | runs: healthy / cards / done s |",
        "|---|---|---|",
    ]
    for name, runs in rows.items():
        each = ", ".join(f"{r.healthy:.2f} / {r.cards:.2f} / {r.done:.2f}" for r in runs)
        lines.append(
            f"| {name} | {median(runs, 'cards'):.2f} / {median(runs, 'done'):.2f} | {each} |"
        )
    with open(ROOT / "bench" / "results.md", "a") as fh:
        fh.write("\n".join([*lines, ""]))


if __name__ == "__main__":
    main()
