"""The Pull page in a real browser: it renders its counts and buffer chart, a status filter
goes into the URL, and that link, opened in a fresh browser, shows the same view."""

from __future__ import annotations

import pytest

from analytics.metrics.replenish import keep, replenishment, status_counts
from analytics.store.connection import Store
from tests.conftest import WAIT_MS, default_scope, settle, wait_for_metric

pytestmark = pytest.mark.browser
BUFFER = "One sku's buffer"
CHART = "[data-testid='stPlotlyChart']"


def expected(db) -> tuple[dict, str]:
    store = Store.shared(str(db))
    try:
        rows = replenishment(store, default_scope(store))
    finally:
        store.close()
    first = keep(rows, ["red"])[0]  # shown with its site when the row has one
    return status_counts(rows), f"{first['sku']} @ {first['site']}" if first["site"] else first[
        "sku"
    ]


def test_pull_renders_and_a_filtered_link_reproduces_the_view(app, browser, page, tmp_path):
    url, db = app
    page.goto(f"{url}/pull")
    settle(page)
    counts, first_red = expected(db)
    wait_for_metric(page, "SKUs red", f"{counts['red']:,}")
    page.get_by_role("tab", name=BUFFER).click()
    settle(page, pause_ms=500)
    page.locator(CHART).first.wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="red", exact=True).click()
    page.wait_for_function("() => window.location.search.includes('status=red')", timeout=WAIT_MS)
    settle(page, pause_ms=500)
    page.get_by_text("Status red:").first.wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(tmp_path / "pull.png"), full_page=True)
    shared = page.url
    fresh = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        other = fresh.new_page()
        other.goto(shared)
        settle(other)
        other.locator(CHART).first.wait_for(timeout=WAIT_MS)
        other.get_by_text("Status red:").first.wait_for(timeout=WAIT_MS)
        picker = other.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input")
        assert picker.first.input_value() == first_red  # the most urgent red sku
    finally:
        fresh.close()


def test_demand_forecast_tab_renders_accuracy_and_the_forecast_chart(app, page, tmp_path):
    """The Demand view: the demo's demand-weighted WAPE as stored, the accuracy chart and one
    sku's history with its forecast band, least trustworthy sku picked first."""
    from analytics.forecast.stored import accuracy, forecast_rows

    url, db = app
    page.goto(f"{url}/pull")
    settle(page)  # the app's first run loads the demo, forecasts included
    store = Store.shared(str(db))
    try:
        rows = forecast_rows(store)
    finally:
        store.close()
    assert rows, "the demo's skus have forecasts"
    page.get_by_role("tab", name="Demand forecast").click()
    settle(page, pause_ms=500)
    wait_for_metric(page, "WAPE", f"{accuracy(rows)['wape']:.0%}")
    charts = page.locator(CHART)
    charts.nth(1).wait_for(timeout=WAIT_MS)  # accuracy bars, then the sku's forecast
    assert charts.count() == 2
    assert page.locator("[data-testid='stException']").count() == 0
    picker = page.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input")
    first = rows[0]
    expected_label = f"{first['sku']} @ {first['site']}" if first["site"] else first["sku"]
    assert picker.first.input_value() == expected_label
    page.screenshot(path=str(tmp_path / "demand.png"), full_page=True)
    charts.nth(1).scroll_into_view_if_needed()
    charts.nth(1).screenshot(path=str(tmp_path / "demand-forecast-chart.png"))
