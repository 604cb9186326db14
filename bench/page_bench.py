"""First-page benchmark (issue 16): `streamlit run app.py` on a fresh data folder, to the
Overview's KPI cards drawn in a real browser.

Each run starts a new server with `TAKT_DB` in a new empty temporary folder (as a fresh
clone: no store, no demo store), and measures from the moment the server process is
started to the moment the Overview shows its KPI cards (`Supplier OTIF` among them) in
Debian's chromium driven by Playwright. The browser is launched before the clock starts, so
its own start-up is not counted; the server's start-up, the first script run (building
the demo store, the marts, the imports of every library) all are. Not part of the tests.

    . .venv/bin/activate
    python bench/page_bench.py              # 5 runs, median appended to bench/results.md
    python bench/page_bench.py --runs 3 --no-write
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
KPI_CARD = "[data-testid='stMetricLabel']:has-text('Supplier OTIF')"


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


def one_run(browser, root: Path = ROOT) -> tuple[float, float]:
    """(seconds to healthy, seconds to the KPI cards), from the server's start."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="takt-page-bench-") as folder:
        env = {**os.environ, "TAKT_DB": str(Path(folder) / "takt.duckdb")}
        env.pop("TAKT_ROLLUPS", None)
        env.pop("TAKT_DEMO_DB", None)
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
        command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        start = time.monotonic()
        proc = subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_healthy(url, proc)
            healthy = time.monotonic() - start
            page.goto(url)
            page.wait_for_selector(KPI_CARD, state="visible", timeout=120_000)
            shown = time.monotonic() - start
        finally:
            context.close()
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return healthy, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--label", default="", help="what this measures (e.g. before/after)")
    parser.add_argument("--no-write", action="store_true", help="do not append to results.md")
    parser.add_argument(
        "--compare",
        metavar="DIR",
        help="another checkout (e.g. `git archive <commit>` unpacked): its runs alternate with "
        "this one's, so both see the same machine load",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results, other = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for i in range(args.runs):
                if args.compare:
                    other.append(one_run(browser, Path(args.compare).resolve()))
                    print(f"run {i + 1} of {args.compare}: KPI cards {other[-1][1]:.2f} s")
                results.append(one_run(browser))
                print(
                    f"run {i + 1}: healthy {results[-1][0]:.2f} s, KPI cards {results[-1][1]:.2f} s"
                )
        finally:
            browser.close()
    median = statistics.median(r[1] for r in results)
    print(f"median to the Overview's KPI cards: {median:.2f} s")
    if other:
        print(f"median of {args.compare}: {statistics.median(r[1] for r in other):.2f} s")
    if not args.no_write:
        write(results, median, args.label, other, args.compare)


def write(results, median: float, label: str, other=(), compared: str | None = None) -> None:
    load = os.getloadavg()[0]
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        "",
        f"## First page, {when} ({platform.node()}, {os.cpu_count()} CPUs, load {load:.1f})"
        + (f": {label}" if label else ""),
        "",
        "`python bench/page_bench.py`: fresh data folder, `streamlit run app.py` started, to the",
        "Overview's KPI cards visible in chromium.",
        "",
        "| median s | runs: healthy s / KPI cards s |",
        "|---:|---|",
        f"| {median:.2f} | " + ", ".join(f"{h:.2f} / {s:.2f}" for h, s in results) + " |",
        "",
    ]
    if other:
        lines[-1:-1] = [
            f"| {statistics.median(s for _h, s in other):.2f} (compared: {compared}) | "
            + ", ".join(f"{h:.2f} / {s:.2f}" for h, s in other)
            + " |"
        ]
    with open(ROOT / "bench" / "results.md", "a") as fh:
        fh.write("\n".join(lines))


if __name__ == "__main__":
    main()
