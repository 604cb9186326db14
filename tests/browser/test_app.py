"""The paths a manager clicks, in a real browser: `streamlit run app.py` driven by chromium.

Uses Debian's chromium (/usr/bin/chromium), never a downloaded browser; skipped, saying so,
when it is not installed (`.ci/run` installs it). Also proves a command-line load works
while the app is running on the same database file; TAKT_SCREENSHOT=1 refreshes
docs/screenshot.png.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.formatting import format_value
from analytics.metrics.figures import compute_kpis
from analytics.store.connection import Store
from analytics.store.freshness import table_counts
from tests.conftest import ROOT, WAIT_MS, settle, shown_metrics, sidebar_text, wait_for_metric

pytestmark = pytest.mark.browser

# 3 records: two fine, one with a negative quantity (line 4) and a formula as its supplier.
# Read 3, inserted 2, rejected 1; the downloaded rejected row has the formula neutralised.
UPLOAD = (
    b"PO Number,Line,Supplier,SKU,Order Date,Promised Date,Ordered Qty,Received Date,"
    b"Received Qty\n"
    b"PO-B1,1,Browser Supplier,SKU-B1,2026-02-02,2026-02-12,10,2026-02-11,10\n"
    b"PO-B2,1,Browser Supplier,SKU-B2,2026-02-02,2026-02-12,20,2026-02-13,20\n"
    b'PO-B3,1,"=HYPERLINK(""http://x"")",SKU-B3,2026-02-02,2026-02-12,-1,2026-02-13,1\n'
)
NAME = "<i>browser</i> **report**.csv"
# Loaded by the command line while the app runs: 2 new receipts.
CLI_FILE = (
    b"PO Number,Supplier,SKU,Order Date,Promised Date,Ordered Qty\n"
    b"PO-C1,Night Supplier,SKU-C1,2026-03-02,2026-03-12,4\n"
    b"PO-C2,Night Supplier,SKU-C2,2026-03-02,2026-03-12,6\n"
)


def test_overview_shows_the_demo_figures(app, page, tmp_path):
    url, db = app
    page.goto(url)
    settle(page)
    store = Store.shared(str(db))
    counts = table_counts(store)
    otif = compute_kpis(store)["otif_rate"]
    store.close()
    wait_for_metric(page, "Supplier OTIF", format_value(otif, "rate"))
    assert f"Deliveries {counts['deliveries']:,}" in sidebar_text(page)
    assert shown_metrics(page)["Supplier OTIF"] == format_value(otif, "rate")
    page.wait_for_timeout(500)  # let fonts and icons finish drawing
    # TAKT_SCREENSHOT=1 refreshes the README's picture; otherwise the tree stays clean
    shot = (
        ROOT / "docs" / "screenshot.png"
        if os.environ.get("TAKT_SCREENSHOT")
        else (tmp_path / "overview.png")
    )
    page.screenshot(path=str(shot))


def test_upload_and_import_on_the_data_page(app, page):
    url, _db = app
    page.goto(f"{url}/data")
    settle(page)
    page.set_input_files(
        "[data-testid='stFileUploaderDropzoneInput']",
        files=[{"name": NAME, "mimeType": "text/csv", "buffer": UPLOAD}],
    )
    page.get_by_role("button", name="Import", exact=True).wait_for(timeout=WAIT_MS)
    settle(page)
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Imported as import #").wait_for(timeout=WAIT_MS)
    settle(page)
    shown = shown_metrics(page)
    assert {k: shown[k] for k in ("Read", "Inserted", "Updated", "Rejected")} == {
        "Read": "3",
        "Inserted": "2",
        "Updated": "0",
        "Rejected": "1",
    }
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the rejected rows (CSV)").click()
    assert download.value.suggested_filename == "i_browser_i_report-rejected.csv"
    rejected = Path(download.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert rejected[1] == (
        '4,Ordered Qty: must be greater than 0,PO-B3,1,"\'=HYPERLINK(""http://x"")",SKU-B3,'
        "2026-02-02,2026-02-12,-1,2026-02-13,1"
    )
    # the file name is shown as typed, not rendered as HTML or markdown
    assert page.get_by_test_id("stText").get_by_text(NAME, exact=True).is_visible()
    assert page.locator("[data-testid='stMain'] i", has_text="browser").count() == 0


def test_command_line_load_while_the_app_runs(app, page, tmp_path):
    url, db = app
    page.goto(url)
    settle(page)  # the app has run a script on this database and is idle
    before = table_counts(Store.shared(str(db)))["deliveries"]
    Store.shared(str(db)).close()
    nightly = tmp_path / "nightly.csv"
    nightly.write_bytes(CLI_FILE)
    out = subprocess.run(
        [sys.executable, "-m", "analytics", "load", str(nightly), "--db", str(db), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    report = report[0] if isinstance(report, list) else report
    assert (report["status"], report["inserted"], report["rejected"]) == ("imported", 2, 0)
    kpis = subprocess.run(
        [sys.executable, "-m", "analytics", "kpis", "--db", str(db), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert kpis.returncode == 0, kpis.stderr
    assert 0 < json.loads(kpis.stdout)["otif_rate"] < 1
    page.reload()
    settle(page)
    page.locator("[data-testid='stSidebar']").get_by_text(
        f"Deliveries {before + 2:,}", exact=False
    ).first.wait_for(timeout=WAIT_MS)
    assert f"Deliveries {before + 2:,}" in sidebar_text(page)
