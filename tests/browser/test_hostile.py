"""Hostile text end to end, in a real browser: five ERP files whose every text value is HTML
that runs script, a markdown link to `javascript:`, Streamlit markdown or a spreadsheet
formula (tests/hostile_data.py) are uploaded and imported through the Data page into an
empty database; then every page is opened with the hostile supplier chosen in the sidebar.

On every page: no dialog opens, no script sets the flag the values try to set, no <img>,
<svg>, <iframe> or `javascript:` link of theirs exists, nothing shows an exception, and the
values are shown literally. Downloads made through the pages (a table's CSV, the meeting
report) keep the formulas neutralised, and the report opened in the browser runs nothing
of theirs either.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import quote

import pytest

from analytics.ingest import import_file, undo_import
from analytics.store.connection import Store
from analytics.store.freshness import table_counts
from tests.conftest import WAIT_MS, chromium_browser, require_chromium, streamlit_server
from tests.conftest import settle as settle_app
from tests.hostile_data import DDE, FILES, FLAG, FORMULA, IMG, LINK, ROWS

pytestmark = pytest.mark.browser

# What any of the values would leave in the page if it were rendered as HTML or markdown.
PLANTED = (
    "img[src='x'], svg[onload], [onerror], [onload], iframe, "
    "a[href^='javascript:' i], [href^='javascript:' i], [src^='javascript:' i]"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` on a database that has imported (and undone) one file, so the
    app does not load its demo: everything it shows comes from the hostile files."""
    require_chromium()
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "takt.duckdb"
    store = Store(db)
    first = store.spool_dir / "first.csv"
    first.write_text("sku,on_hand_qty,date\nSKU-1,5,2026-01-02\n")
    undo_import(
        store, import_file(store, first, display_name="first.csv", kind="inventory").import_id
    )
    store.close()
    with streamlit_server(db, "--server.address", "127.0.0.1", log=folder / "log") as url:
        yield url, db


@pytest.fixture(scope="module")
def chromium(server):
    with chromium_browser() as browser:
        yield browser


class Watched:
    """A page whose dialogs are recorded (and dismissed), as an attack would open them."""

    def __init__(self, browser, downloads: bool = False):
        self.context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=downloads
        )
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, url: str) -> None:
        self.page.goto(url)
        settle(self.page)

    def assert_inert(self) -> None:
        page = self.page
        page.wait_for_timeout(300)  # an onerror fires once the broken image has failed
        assert self.dialogs == []
        assert page.evaluate(f"() => window.{FLAG}") is None
        assert page.locator(PLANTED).count() == 0
        assert page.locator("[data-testid='stException']").count() == 0


def settle(page) -> None:
    # a rerun a click or the URL started may not have shown yet; Watched.assert_inert checks
    # for exceptions
    settle_app(page, pause_ms=300, check=False)


@pytest.fixture(scope="module")
def imported(server, chromium):
    """The five files uploaded at once on the Data page and imported one by one."""
    url, db = server
    tab = Watched(chromium)
    tab.open(f"{url}/data")
    tab.page.set_input_files(
        "[data-testid='stFileUploaderDropzoneInput']",
        files=[{"name": n, "mimeType": "text/csv", "buffer": b} for n, b in FILES.items()],
    )
    buttons = tab.page.get_by_role("button", name="Import", exact=True)
    buttons.nth(len(FILES) - 1).wait_for(timeout=WAIT_MS)
    settle(tab.page)
    tab.assert_inert()  # the previews show every value of every file
    for i in range(len(FILES)):
        buttons.nth(i).click()
        tab.page.get_by_text("Imported as import #").nth(i).wait_for(timeout=WAIT_MS)
        settle(tab.page)
    tab.assert_inert()
    store = Store.shared(str(db))
    counts = table_counts(store)
    store.close()
    assert counts == {**ROWS, "rates": 0}  # the hostile files are in the one currency
    yield url
    tab.context.close()


def sidebar_supplier(page) -> str:
    box = page.locator("[data-testid='stSidebar'] input[role='combobox'][aria-label='Supplier']")
    return box.input_value()


def texts(page) -> str:
    return "\n".join(page.locator("[data-testid='stText']").all_inner_texts())


def open_filtered(tab: Watched, url: str) -> None:
    """A page with the hostile supplier chosen in the sidebar (a shared link would do it)."""
    glue = "&" if "?" in url else "?"
    tab.open(f"{url}{glue}supplier={quote(IMG)}")
    tab.assert_inert()
    assert sidebar_supplier(tab.page) == IMG  # the chosen value, shown as typed
    assert f"supplier {IMG}" in texts(tab.page)  # the caption naming the filter


def test_overview_and_the_sidebar_list_every_supplier_as_text(imported, chromium):
    tab = Watched(chromium)
    open_filtered(tab, imported)
    tab.page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has_text="Supplier"
    ).click()
    options = tab.page.get_by_role("option").all_inner_texts()
    assert [o.strip() for o in options] == ["All", IMG, DDE, LINK]  # by code point: < @ [
    tab.assert_inert()
    tab.context.close()


@pytest.mark.parametrize("path", ["design", "waste"])
def test_design_and_waste(imported, chromium, path):
    tab = Watched(chromium)
    open_filtered(tab, f"{imported}/{path}")
    tab.context.close()


def test_suppliers_and_their_csv_download(imported, chromium):
    tab = Watched(chromium, downloads=True)
    page = tab.page
    open_filtered(tab, f"{imported}/suppliers")
    with page.expect_download(timeout=WAIT_MS) as download:
        page.get_by_role("button", name="Download CSV").first.click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert {r["Supplier"] for r in rows} == {IMG, LINK, "'" + DDE}  # the formula defused
    for view in ("Supplier detail", "Concentration risk"):
        page.get_by_role("tab", name=view).click()
        settle(page)
        tab.assert_inert()
    tab.context.close()


def test_review_tabs_and_the_meeting_report(imported, chromium, tmp_path):
    """The Pareto names the formula cause; choosing it lists its suppliers and events; the
    meeting report of that view, opened offline, runs nothing of the data's either."""
    tab = Watched(chromium, downloads=True)
    page = tab.page
    open_filtered(tab, f"{imported}/review?kpi=defect_ppm&view=Pareto&cause={quote(FORMULA)}")
    box = page.locator("[data-testid='stMain'] input[role='combobox'][aria-label='Cause']")
    assert box.input_value() == FORMULA
    with page.expect_download(timeout=WAIT_MS) as download:
        page.get_by_role("button", name="Download meeting report (HTML)").click()
    report = tmp_path / "report.html"
    report.write_bytes(Path(download.value.path()).read_bytes())
    assert "&#x27;=HYPERLINK(&quot;http://x&quot;,&quot;click&quot;)" in report.read_text()
    for view in ("Drill down", "Control chart", "Actions"):
        page.get_by_role("tab", name=view).click()
        settle(page)
        tab.assert_inert()
    page.goto(report.as_uri())  # the minutes, opened offline as a colleague would
    page.wait_for_selector(".js-plotly-plot", timeout=WAIT_MS)
    tab.assert_inert()
    shown = page.locator("body").inner_text()
    assert "'" + FORMULA in shown and f"supplier {IMG}" in shown
    tab.context.close()
