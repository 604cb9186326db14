"""A supplier pack opened offline in a real browser: its charts draw, hostile names stay
text and run nothing."""

from __future__ import annotations

import pytest

from analytics.charts.pack import supplier_pack
from analytics.review.pack import gather_pack, shared
from tests.charts.test_pack import HOSTILE, IMG
from tests.conftest import chromium_browser, d, insert, require_chromium
from tests.review.test_pack import Q1, po


@pytest.fixture(scope="module")
def chromium():
    require_chromium()
    with chromium_browser() as browser:
        yield browser


def test_a_pack_opens_offline_with_its_charts_and_runs_nothing(store, tmp_path, chromium):
    insert(
        store,
        "deliveries",
        po(1, HOSTILE, d("01-10"), d("01-10")),
        po(2, HOSTILE, d("02-05"), d("02-09")),
        po(3, HOSTILE, d("03-20"), None),
        po(4, IMG, d("02-12"), d("02-20")),
    )
    insert(
        store,
        "defects",
        {
            "defect_id": "D1",
            "date": d("02-21"),
            "sku": "SKU1",
            "supplier": HOSTILE,
            "cause": IMG,
            "qty": 2,
        },
    )
    path = tmp_path / "pack.html"
    path.write_text(supplier_pack(gather_pack(store, HOSTILE, shared(store, Q1))), "utf-8")
    context = chromium.new_context(viewport={"width": 1300, "height": 900}, offline=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_timeout(300)  # an onerror fires once a broken image has failed
    # score history, OTIF trend, lead-time spread and the defect Pareto, each drawn
    assert page.locator(".js-plotly-plot").count() == 4
    assert page.locator(".js-plotly-plot .main-svg").count() >= 4
    assert page.evaluate("window.__taktXss") is None and dialogs == []
    assert page.locator("h1").inner_text() == f"Supplier pack: {HOSTILE}"
    assert page.locator("img, iframe").count() == 0
    shown = page.locator("body").inner_text()
    assert "Late open lines: please confirm a date" in shown and "PO3" in shown
    assert IMG in page.locator(".js-plotly-plot").nth(3).inner_text()  # the cause, as text
    context.close()
