"""Shared fixtures and helpers, the one place for them.

- A throwaway database per test, the demo once per run (and its Parquet lake and rollups),
  and helpers to write upload files and read tables back.
- The app in AppTest: `use_db` for a module's database, `open_app`, and readers of a run.
- The app as a process: the command line (`cli`), `streamlit run` on a free port
  (`streamlit_server`), and Debian's chromium driven by Playwright, with the `app`,
  `browser` and `page` fixtures of the browser tests (tests/browser/).

Data helpers live beside this module: fingerprint.py, hostile_data.py, pandas_reference.py
and rollup_helpers.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from analytics.ingest import import_file
from analytics.metrics.figures import choices
from analytics.models.params import Scope, period_of
from analytics.store.connection import Store
from analytics.store.schema import TABLES
from analytics.store.version import bump_version

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

TODAY = date(2024, 12, 31)
HEADER = (
    "PO Number,Line,GRN,Vendor,Material,PO Date,Delivery Date,Quantity,"
    "Receipt Date,Received Qty,Net Price"
)
GOOD_ROWS = [
    "PO1,1,G1,Acme,SKU1,2024-02-01,2024-02-10,100,2024-02-09,100,2.5",
    "PO2,1,G2,Acme,SKU2,2024-02-01,2024-02-12,50,2024-02-15,50,4",
    "PO3,1,,Bolt Co,SKU1,2024-03-01,2024-03-20,10,,,2.5",
]


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "takt.duckdb", lock_timeout=20)
    yield s
    s.close()


def write(store, name: str, content, encoding: str = "utf-8"):
    """Write an upload into the store's upload folder, as the Data page does."""
    path = store.spool_dir / name
    data = content if isinstance(content, bytes) else content.encode(encoding)
    path.write_bytes(data)
    return path


def csv_text(*rows: str, header: str = HEADER, newline: str = "\n") -> str:
    return newline.join([header, *rows]) + newline


def load(store, name: str, content, encoding="utf-8", **kwargs):
    kwargs.setdefault("today", TODAY)
    return import_file(store, write(store, name, content, encoding), display_name=name, **kwargs)


def snapshot(store) -> dict:
    """Every canonical table, its undo copies and the history, in a comparable form."""
    out = {}
    with store.connect() as cur:
        for name in TABLES:
            for table in (name, f"{name}__prior"):
                out[table] = sorted(map(repr, cur.execute(f"SELECT * FROM {table}").fetchall()))
        out["imports"] = cur.execute("SELECT import_id, status FROM imports ORDER BY 1").fetchall()
    return out


def rows(store, sql: str, params=()):
    with store.connect() as cur:
        return cur.execute(sql, list(params)).fetchall()


@pytest.fixture
def loaded(store):
    """A store already holding three good delivery lines (import #1)."""
    report = load(store, "base.csv", csv_text(*GOOD_ROWS))
    assert report.status == "imported" and report.inserted == 3
    return store


def insert(store, table: str, *records: dict) -> None:
    """Put hand-written rows straight into a canonical table (metric tests need no CSV)."""
    columns = [c.name for c in TABLES[table].columns]
    defaults = {c.name: c.default for c in TABLES[table].columns}
    with store.connect() as cur:
        for record in records:
            unknown = set(record) - set(columns)
            assert not unknown, f"not columns of {table}: {unknown}"
            values = [record.get(c, defaults[c]) for c in columns]
            marks = ", ".join("?" for _ in columns)
            cur.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
        bump_version(cur, changed=[table])  # a write like any other: the next refresh sees it


def d(text: str):
    """'03-12' -> date(2024, 3, 12): fixtures read like a calendar."""
    month, day = text.split("-")
    return date(2024, int(month), int(day))


@pytest.fixture
def open_lines_ahead(store):
    """Two PO lines received by 03-10 and two still open, one promised 03-20 and one 04-30,
    plus a customer line requested 05-15: real exports carry promises weeks ahead.

    | line | ordered | Q  | P     | receipt        | as of 03-10 (default) |
    |------|---------|----|-------|----------------|-----------------------|
    | PO1  | 03-01   | 10 | 03-05 | 03-05, 10      | due: OT, IF, OTIF     |
    | PO2  | 03-01   | 20 | 03-08 | 03-10, 20      | due: late, IF         |
    | PO3  | 03-02   | 5  | 03-20 | open           | not due (P > as-of)   |
    | PO4  | 03-02   | 5  | 04-30 | open           | not due (P > as-of)   |

    The latest event is PO2's receipt, 03-10 (orders placed 03-01 to 03-03, receipts 03-05
    and 03-10); 03-20, 04-30 and 05-15 are plans. Default period [2023-03-12, 2024-03-10].
    """
    lines = [
        ("PO1", "03-01", 10, "03-05", "03-05"),
        ("PO2", "03-01", 20, "03-08", "03-10"),
        ("PO3", "03-02", 5, "03-20", None),
        ("PO4", "03-02", 5, "04-30", None),
    ]
    insert(
        store,
        "deliveries",
        *(
            {
                "po_number": po,
                "supplier": "Acme",
                "sku": "S1",
                "order_date": d(ordered),
                "promised_date": d(promised),
                "ordered_qty": qty,
                "received_date": d(received) if received else None,
                "received_qty": qty if received else None,
                "unit_cost": 2.0,
            }
            for po, ordered, qty, promised, received in lines
        ),
    )
    insert(
        store,
        "orders",
        {
            "order_number": "SO1",
            "sku": "S1",
            "order_date": d("03-03"),
            "requested_date": d("05-15"),
            "ordered_qty": 4,
        },
    )
    return store


def fill_two_sites(store):
    """A plant with sites 1000 and 2000, March 2024 (latest event 03-31), sku S1 at 2.00.

    | PO | site | supplier | Q  | P     | received  | outcome         |
    |----|------|----------|----|-------|-----------|-----------------|
    | P1 | 1000 | Acme     | 10 | 03-10 | 03-10, 10 | OTIF            |
    | P2 | 1000 | Acme     | 10 | 03-12 | 03-15, 10 | late            |
    | P3 | 2000 | Acme     | 10 | 03-10 | 03-09, 10 | OTIF (not early)|
    | P4 | 2000 | Bolt     | 10 | 03-20 | 03-20, 10 | OTIF            |

    | SO | site | Q  | requested | shipped   | outcome         |
    |----|------|----|-----------|-----------|-----------------|
    | O1 | 1000 | 10 | 03-10     | 03-10, 10 | OTIF            |
    | O2 | 1000 | 10 | 03-20     | 03-20, 6  | short (6 filled)|
    | O3 | 2000 | 20 | 03-15     | 03-16, 20 | late, full      |

    Snapshots of S1 (location MAIN): 1000: 50 on 03-01, 30 on 03-31; 2000: 20 on 03-01,
    10 on 03-15 (its latest). One defect: 1 unit of S1 from Bolt at 2000 on 03-21.
    Every order and PO line is placed 03-01, so all of it is demand of the 90 days to 03-31.
    """

    def line(po, site, supplier, promised, received):
        return {
            "po_number": po, "site": site, "supplier": supplier, "sku": "S1",
            "order_date": d("03-01"), "promised_date": d(promised), "ordered_qty": 10,
            "received_date": d(received), "received_qty": 10, "unit_cost": 2.0,
        }  # fmt: skip

    def order(number, site, qty, requested, shipped, shipped_qty):
        return {
            "order_number": number, "site": site, "customer": "Cust", "sku": "S1",
            "order_date": d("03-01"), "requested_date": d(requested), "ordered_qty": qty,
            "shipped_date": d(shipped), "shipped_qty": shipped_qty,
        }  # fmt: skip

    def snap(day, site, qty):
        return {"date": d(day), "sku": "S1", "site": site, "location": "MAIN", "on_hand_qty": qty}

    insert(store, "items", {"sku": "S1", "description": "Bracket", "unit_cost": 2.0})
    insert(
        store,
        "deliveries",
        line("P1", "1000", "Acme", "03-10", "03-10"),
        line("P2", "1000", "Acme", "03-12", "03-15"),
        line("P3", "2000", "Acme", "03-10", "03-09"),
        line("P4", "2000", "Bolt", "03-20", "03-20"),
    )
    insert(
        store,
        "orders",
        order("O1", "1000", 10, "03-10", "03-10", 10),
        order("O2", "1000", 10, "03-20", "03-20", 6),
        order("O3", "2000", 20, "03-15", "03-16", 20),
    )
    insert(
        store,
        "inventory",
        snap("03-01", "1000", 50),
        snap("03-31", "1000", 30),
        snap("03-01", "2000", 20),
        snap("03-15", "2000", 10),
    )
    insert(
        store,
        "defects",
        {"defect_id": "D1", "date": d("03-21"), "sku": "S1", "supplier": "Bolt", "site": "2000",
         "cause": "Burrs", "qty": 1},
    )  # fmt: skip
    return store


@pytest.fixture
def two_sites(store):
    return fill_two_sites(store)


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The bundled demo data in a database of its own, loaded once per test run."""
    from analytics.demo.load import load_demo

    s = Store(tmp_path_factory.mktemp("demo") / "demo.duckdb", lock_timeout=20)
    reports = load_demo(s)
    assert all(r.status == "imported" and r.rejected == 0 for r in reports)
    yield s
    s.close()


@pytest.fixture(scope="session")
def lake(demo, tmp_path_factory):
    """The demo exported as a Parquet lake (one folder per table), as the rollup job reads."""
    from analytics.scale.lake import export_parquet

    out = tmp_path_factory.mktemp("lake")
    demo.close()  # the export opens the file itself
    export_parquet(demo.path, out)
    return out


@pytest.fixture(scope="session")
def rollups(lake, tmp_path_factory):
    """The rollup job's output on DuckDB over that lake."""
    from analytics.scale import rollup

    out = tmp_path_factory.mktemp("rollups")
    rollup.run("duckdb", lake, out)
    return out


# -- the app in AppTest ------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
# what the first page must not wait for (issue 16): 0.4-1.2 s of imports, or the importer
HEAVY = ("pandas", "pyarrow", "numpy", "analytics.ingest", "analytics.demo.generate")


def heavy_modules_after(code: str) -> list[str]:
    """The HEAVY modules a fresh interpreter has loaded after running `code` at the root."""
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().replace("'", '"'))


# An `[auth]` provider (never contacted) and the `[takt]` roles, as in .streamlit/secrets.toml
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret",
    "client_id": "takt",
    "client_secret": "test-client-secret",
    "server_metadata_url": "https://id.plant.example/.well-known/openid-configuration",
}
TAKT = {"editors": ["Anna@Plant.example"], "viewers": ["@plant.example", "auditor@audit.example"]}


def seed_with_demo(path: Path) -> None:
    """The demo's files imported into the store at `path` as if they were the user's own
    (as `load_demo` does): the page tests need data they may edit, and the app never puts
    the demo in a user's store itself (it has a store of its own, read-only)."""
    from analytics.demo.load import load_demo

    s = Store.shared(str(path))  # one store per file and process (DuckDB's rule)
    try:
        load_demo(s)
    finally:
        s.close()


def use_db(path: Path, seed: bool = True):
    """The app's database for a module's tests: TAKT_DB=path (and no TAKT_ROLLUPS), holding
    the demo's imports (`seed_with_demo`) unless not `seed`. Yields the shared store, closed
    after.

    In a module-scoped fixture: `yield from use_db(tmp_path_factory.mktemp(...) / ...)`."""
    if seed:
        seed_with_demo(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TAKT_DB", str(path))
        mp.delenv("TAKT_ROLLUPS", raising=False)
        mp.delenv("TAKT_DEMO_DB", raising=False)
        yield Store.shared(str(path))
    Store.shared(str(path)).close()


def open_app(page: str | None = None, *, user=None, secrets=None, **params) -> AppTest:
    """app.py's first run (the navigation, the sidebar, the store it chooses), then
    `page` if given. `params` go in the URL before the first run, as in a shared link."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=180)
    if secrets is not None:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def default_scope(store) -> Scope:
    """The sidebar's default: the last 12 months ending at the latest date in the data."""
    start, end = period_of("Last 12 months", choices(store)["latest"])
    return Scope(start=start, end=end)


# -- the app as a process: the command line, `streamlit run`, and a real browser ---------------
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
WAIT_MS = 120_000


def cli(*args, env_db=None):
    """`python -m analytics ...` as a scheduler runs it; TAKT_DB only if `env_db` is given."""
    env = {k: v for k, v in os.environ.items() if k != "TAKT_DB"}
    if env_db:
        env["TAKT_DB"] = str(env_db)
    return subprocess.run(
        [sys.executable, "-m", "analytics", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not become healthy in {timeout} s")


@contextlib.contextmanager
def streamlit_server(db: Path, *args: str, log: Path | None = None):
    """`streamlit run app.py` on a free port with TAKT_DB=db (and `args`), healthy; its URL.

    The server is stopped (terminated, killed after 15 s) however the block ends.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    proc = subprocess.Popen(
        [*command, *args],
        cwd=ROOT,
        env={**os.environ, "TAKT_DB": str(db)},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")


@contextlib.contextmanager
def chromium_browser():
    """Debian's chromium, headless, driven by Playwright; closed when the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """`streamlit run app.py` on a database holding the demo's imports (`seed_with_demo`),
    one per test module: (url, db path)."""
    require_chromium()
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "takt.duckdb"
    seed_with_demo(db)
    args = ("--server.headless", "true", "--server.address", "127.0.0.1")
    try:
        with streamlit_server(db, *args, log=folder / "streamlit.log") as url:
            yield url, db
    finally:
        Store.shared(str(db)).close()


@pytest.fixture(scope="module")
def browser(app):
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    yield context.new_page()
    context.close()


def settle(page, pause_ms: int = 0, check: bool = True) -> None:
    """Wait until the script ran and stopped; then (`check`) no exception may be on the page.

    `pause_ms` first gives a rerun that a click or the URL started the time to show."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=WAIT_MS)
    if pause_ms:
        page.wait_for_timeout(pause_ms)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")
    if check:
        assert page.locator("[data-testid='stException']").count() == 0


def shown_metrics(page) -> dict[str, str]:
    metrics = page.locator("[data-testid='stMetric']")
    return {
        metrics.nth(i).locator("[data-testid='stMetricLabel']").inner_text().strip(): metrics.nth(i)
        .locator("[data-testid='stMetricValue']")
        .inner_text()
        .strip()
        for i in range(metrics.count())
    }


def wait_for_metric(tab, label: str, value: str) -> None:
    """A page can go idle between two runs (bound filters write the URL, which reruns it):
    wait for the figure itself, not only for the script to stop."""
    tab.wait_for_function(
        """([label, value]) => [...document.querySelectorAll('[data-testid=stMetric]')].some(
            m => m.querySelector('[data-testid=stMetricLabel]')?.innerText.trim() === label
              && m.querySelector('[data-testid=stMetricValue]')?.innerText.trim() === value)""",
        arg=[label, value],
        timeout=WAIT_MS,
    )


def sidebar_text(page) -> str:
    return page.locator("[data-testid='stSidebar']").inner_text()
