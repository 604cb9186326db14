"""A SKU filter over more values than the select lists (`ui.scope.LIST_LIMIT`), in a real
browser: a SKU past the list is typed in, the figures narrow to it, and it stays through the
next rerun. With the list cut at LIST_LIMIT, only a select that takes new options lets the
typed value through (without it, this fails: Enter finds no option). What the select lists,
links and unknown values: tests/ui/test_scope.py."""

from __future__ import annotations

import pytest

from analytics.store.connection import Store
from tests.conftest import WAIT_MS, csv_text, load, settle, streamlit_server
from ui.scope import LIST_LIMIT

pytestmark = pytest.mark.browser
SKUS = LIST_LIMIT + 50


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """A store with one PO line for each of SKUS skus (SKU0001 ...), on record as an import
    (so the app shows it, not the demo)."""
    from tests.conftest import require_chromium

    require_chromium()
    folder = tmp_path_factory.mktemp("long-list")
    db = folder / "takt.duckdb"
    store = Store(db)
    rows = [
        f"PO{i},1,G{i},Acme,SKU{i:04d},2024-02-01,2024-02-10,10,2024-02-09,10,2.5"
        for i in range(1, SKUS + 1)
    ]
    assert load(store, "many_skus.csv", csv_text(*rows)).inserted == SKUS
    store.close()
    args = ("--server.headless", "true", "--server.address", "127.0.0.1")
    with streamlit_server(db, *args, log=folder / "streamlit.log") as url:
        yield url, db


def test_a_sku_past_the_list_is_typed_in_and_kept(app, page):
    url, _ = app
    page.goto(url)
    settle(page)
    select = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has_text="SKU"
    )
    last = f"SKU{SKUS:04d}"  # past the first LIST_LIMIT: not among the options
    select.click()
    page.keyboard.type(last)
    page.keyboard.press("Enter")
    settle(page, pause_ms=500)
    assert f"sku={last}" in page.url
    caption = page.locator("[data-testid='stMain'] [data-testid='stText']").first
    assert caption.inner_text().endswith(f"sku {last}")
    # the lead-time cards count that sku's one received PO line, not all of them
    page.get_by_text("1 received PO lines", exact=True).first.wait_for(timeout=WAIT_MS)
    assert page.get_by_text(f"{SKUS:,} received PO lines", exact=True).count() == 0
    # another rerun (the trend by week) keeps the typed SKU
    page.locator("[data-testid='stButtonGroup'] button").filter(has_text="Week").first.click()
    settle(page, pause_ms=500)
    assert f"sku={last}" in page.url
    assert caption.inner_text().endswith(f"sku {last}")
