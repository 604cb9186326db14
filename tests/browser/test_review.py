"""The review meeting's path, in a real browser: `streamlit run app.py` driven by chromium.

Manage -> the Supplier OTIF card's "Drill down" -> Review on OTIF -> click the worst
supplier's bar -> its skus -> click the worst sku's bar -> the rows behind the figure; then
the URL, opened in a fresh browser context (a colleague's laptop), shows the same node.
Uses Debian's chromium (/usr/bin/chromium), skipped when it is not installed.
"""

from __future__ import annotations

import re
from html import escape as html_escape
from pathlib import Path

import pytest

from analytics.metrics.figures import choices
from analytics.models.params import Scope, period_of
from analytics.review import drill
from analytics.store.connection import Store
from tests.conftest import WAIT_MS
from tests.conftest import settle as settle_app

pytestmark = pytest.mark.browser

BARS = "[data-testid='stMain'] .js-plotly-plot .bars path"


def new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    return context, context.new_page()


def settle(page) -> None:
    """Wait until the script ran and stopped; then no exception may be on the page."""
    settle_app(page, pause_ms=300)  # a rerun a click started may not have shown yet


def click_first_bar(page, then: re.Pattern) -> None:
    """Click the top bar the way a person does: plotly picks the point under the pointer.

    Plotly's drag layer covers the bars, so the pointer moves to the bar's centre (hover
    picks the point) and clicks there; the selection reruns the page, which moves the URL.
    """
    bar = page.locator(BARS).first
    bar.wait_for(timeout=WAIT_MS)
    bar.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # let plotly finish its layout
    box = bar.bounding_box()
    x, y = box["x"] + min(box["width"] / 2, 200), box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_timeout(200)
    page.mouse.click(x, y)
    page.wait_for_url(then, timeout=WAIT_MS)
    settle(page)


def main_text(page) -> list[str]:
    return page.locator("[data-testid='stMain'] [data-testid='stText']").all_inner_texts()


def chosen(page, label: str) -> str:
    """The value a selectbox of the drill path shows (in the page, not the sidebar)."""
    box = page.locator(f"[data-testid='stMain'] input[role='combobox'][aria-label='{label}']")
    return box.first.input_value()


def expected_path(db) -> tuple[str, str, int]:
    """The worst supplier, its worst sku and the rows behind that node, from analytics."""
    store = Store.shared(str(db))
    try:
        start, end = period_of("Last 12 months", choices(store)["latest"])
        scope = Scope(start, end)
        supplier = drill.breakdown(store, "otif_rate", "supplier", scope)[0]["key"]
        narrowed = Scope(start, end, supplier=supplier)
        sku = drill.breakdown(store, "otif_rate", "sku", narrowed)[0]["key"]
        rows = drill.rows(store, "otif_rate", Scope(start, end, supplier=supplier, sku=sku))
        return supplier, sku, len(rows)
    finally:
        store.close()


def shows_node(page, supplier: str, sku: str, rows: int) -> None:
    assert f"Supplier OTIF › {supplier} › {sku}" in main_text(page)
    assert chosen(page, "Supplier") == supplier
    assert chosen(page, "SKU") == sku
    caption = f"The {rows:,} rows behind the figure at this node."
    assert page.get_by_text(caption).is_visible()
    # The table is drawn after its caption: wait for it rather than count at once.
    table = page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").first
    table.wait_for(state="visible", timeout=WAIT_MS)


def meeting_report(page, supplier: str, sku: str) -> None:
    """The one-click export of this view: offline HTML naming the node, with its rows."""
    with page.expect_download(timeout=WAIT_MS) as download:
        page.get_by_role("button", name="Download meeting report (HTML)").click()
    html = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename.startswith("review-otif_rate-")
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert f"Supplier OTIF › {html_escape(supplier)} › {html_escape(sku)}" in html
    assert "The rows behind the figure" in html


def test_meeting_path_from_manage_to_the_rows_and_back_by_link(app, browser):
    url, db = app
    context, page = new_page(browser)
    page.goto(url)
    settle(page)  # the first run loads the demo data
    supplier, sku, rows = expected_path(db)
    page.locator("a[href*='kpi=otif_rate']", has_text="Drill down").first.click()
    page.wait_for_url(re.compile(r"/review\?.*kpi=otif_rate"), timeout=WAIT_MS)
    settle(page)
    assert chosen(page, "KPI") == "Supplier OTIF"

    click_first_bar(page, re.compile(r"[?&]node="))
    assert chosen(page, "Supplier") == supplier
    assert f"Supplier OTIF › {supplier}" in main_text(page)

    click_first_bar(page, re.compile(r"[?&]node_sku="))
    shows_node(page, supplier, sku, rows)
    meeting_report(page, supplier, sku)
    shared = page.url
    assert "kpi=otif_rate" in shared
    context.close()

    fresh, colleague = new_page(browser)  # nothing of the first session carries over
    colleague.goto(shared)
    settle(colleague)
    shows_node(colleague, supplier, sku, rows)
    fresh.close()
