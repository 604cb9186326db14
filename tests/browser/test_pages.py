"""Every cycle page in a real browser: key numbers render, a filter changes them, and the
URL, opened in a fresh browser, shows the same view (chromium driving `streamlit run`)."""

from __future__ import annotations

from urllib.parse import unquote_plus

import pytest

from analytics.demo.generate import UNRELIABLE_SUPPLIERS
from analytics.formatting import format_value
from analytics.metrics.figures import compute_kpis, scorecard
from analytics.store.connection import Store
from tests.conftest import WAIT_MS, settle, shown_metrics, wait_for_metric

pytestmark = pytest.mark.browser
SUPPLIER = UNRELIABLE_SUPPLIERS[0]


def expected(db, supplier=None) -> dict:
    """What the pages must show, from the analytics functions themselves."""
    store = Store.shared(str(db))
    try:
        kpis = compute_kpis(store, supplier=supplier)
        grades = [row["grade"] for row in scorecard(store)]
    finally:
        store.close()
    return {
        "Supplier OTIF": format_value(kpis["otif_rate"], "rate"),
        "Excess stock": format_value(kpis["excess_value"], "money"),
        "Grade A suppliers": str(grades.count("A")),
    }


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("", "Supplier OTIF"),
        ("suppliers", "Grade A suppliers"),
        ("waste", "Excess stock"),
        ("design", None),
    ],
)
def test_each_page_shows_its_key_number(app, page, path, label):
    url, db = app
    page.goto(f"{url}/{path}")
    settle(page)
    if label:
        want = expected(db)[label]
        wait_for_metric(page, label, want)
        assert shown_metrics(page)[label] == want
    else:  # the Design page opens on its targets and baselines (a grid drawn on a canvas)
        page.get_by_role("tab", name="Targets and baselines").wait_for(timeout=WAIT_MS)
        page.get_by_role("tab", name="Pull-system sizing").wait_for(timeout=WAIT_MS)


def test_a_filter_changes_the_figures_and_its_link_shows_the_same_view(app, browser, page):
    url, db = app
    page.goto(url)
    settle(page)
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has_text="Supplier"
    )
    box.click()
    page.keyboard.type(SUPPLIER)
    # click the option itself: Enter pressed before the list has filtered chose nothing
    page.get_by_role("option", name=SUPPLIER, exact=True).click(timeout=WAIT_MS)
    page.wait_for_function("() => window.location.search.includes('supplier=')", timeout=WAIT_MS)
    settle(page)
    want = expected(db, SUPPLIER)["Supplier OTIF"]
    assert want != expected(db)["Supplier OTIF"]  # the filter really changes the figure
    wait_for_metric(page, "Supplier OTIF", want)
    assert shown_metrics(page)["Supplier OTIF"] == want
    shared = page.url
    assert SUPPLIER in unquote_plus(shared)
    fresh = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        other = fresh.new_page()
        other.goto(shared)
        settle(other)
        wait_for_metric(other, "Supplier OTIF", want)
        assert shown_metrics(other)["Supplier OTIF"] == want
    finally:
        fresh.close()
