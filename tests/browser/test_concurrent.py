"""Four browser sessions on one running app at once, as on a plant's morning: a manager on
the Overview filtered to a supplier, purchasing on the Suppliers page, logistics on the
Waste page filtered to a category, and someone importing a delivery file on the Data page
meanwhile.

Playwright's sync API cannot be driven from threads, so one browser holds four contexts and
the test interleaves them: every navigation is started in all of them before any is waited
for, so their scripts run on the server at the same time (DuckDB connections, caches and
the import's write lock included). Each session must show the figures the analytics
functions compute, before or after the import while it runs, and after it once it landed;
no session may show an exception.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from analytics.demo.generate import UNRELIABLE_SUPPLIERS
from analytics.formatting import format_value
from analytics.metrics.figures import choices, compute_kpis, scorecard
from analytics.store.connection import Store
from tests.conftest import IDLE, WAIT_MS

pytestmark = pytest.mark.browser
SUPPLIER = UNRELIABLE_SUPPLIERS[0]
# 24 lines of the unreliable supplier, all due in September 2026 and received on time and
# in full: its OTIF rises, and so may its grade.
NEW_LINES = (
    "PO Number,Line,Supplier,SKU,Order Date,Promised Date,Ordered Qty,Received Date,"
    "Received Qty\n"
    + "".join(
        f"PO-CC-{i},1,{SUPPLIER},SKU-10001,2026-09-01,2026-09-10,10,2026-09-09,10\n"
        for i in range(24)
    )
).encode()


def figures(db, category: str) -> dict[str, str]:
    """What each viewing session must show, from the analytics functions themselves."""
    store = Store.shared(str(db))
    try:
        grades = [row["grade"] for row in scorecard(store)]
        return {
            "overview": format_value(compute_kpis(store, supplier=SUPPLIER)["otif_rate"], "rate"),
            "suppliers": str(grades.count("A")),
            "waste": format_value(compute_kpis(store, category=category)["excess_value"], "money"),
        }
    finally:
        store.close()


LABELS = {"overview": "Supplier OTIF", "suppliers": "Grade A suppliers", "waste": "Excess stock"}


def start(tab, url: str) -> None:
    """Start loading without waiting, so the next session's script runs alongside."""
    tab.goto(url, wait_until="commit")


def shown(tab, label: str, allowed: list[str]) -> str:
    """Wait until the metric shows one of the allowed values; return it."""
    tab.wait_for_selector(IDLE, timeout=WAIT_MS)
    handle = tab.wait_for_function(
        """([label, allowed]) => {
            for (const m of document.querySelectorAll('[data-testid=stMetric]')) {
                if (m.querySelector('[data-testid=stMetricLabel]')?.innerText.trim() !== label)
                    continue;
                const v = m.querySelector('[data-testid=stMetricValue]')?.innerText.trim();
                if (allowed.includes(v)) return v;
            }
            return null;
        }""",
        arg=[label, allowed],
        timeout=WAIT_MS,
    )
    assert tab.locator("[data-testid='stException']").count() == 0
    return handle.json_value()


def test_four_sessions_at_once_one_importing(app, browser):
    url, db = app
    contexts = [browser.new_context(viewport={"width": 1400, "height": 900}) for _ in range(4)]
    manager, purchasing, logistics, importer = (c.new_page() for c in contexts)
    try:
        importer.goto(url)  # the store holds the demo's imports (conftest.seed_with_demo)
        importer.wait_for_selector("[data-testid='stMetric']", timeout=WAIT_MS)
        importer.goto(f"{url}/data")
        importer.wait_for_selector("[data-testid='stFileUploader']", timeout=WAIT_MS)
        store = Store.shared(str(db))
        category = choices(store)["categories"][0]
        store.close()
        viewers = {
            "overview": (manager, f"{url}/?supplier={quote(SUPPLIER)}"),
            "suppliers": (purchasing, f"{url}/suppliers"),
            "waste": (logistics, f"{url}/waste?category={quote(category)}"),
        }
        before = figures(db, category)

        for tab, link in viewers.values():  # three pages load at once
            start(tab, link)
        for name, (tab, _) in viewers.items():
            assert shown(tab, LABELS[name], [before[name]]) == before[name]

        importer.set_input_files(
            "[data-testid='stFileUploaderDropzoneInput']",
            files=[{"name": "september.csv", "mimeType": "text/csv", "buffer": NEW_LINES}],
        )
        importer.get_by_role("button", name="Import", exact=True).click(timeout=WAIT_MS)
        for tab, link in viewers.values():  # reloaded while the import runs
            start(tab, link)
        importer.get_by_text("Imported as import #").wait_for(timeout=WAIT_MS)
        after = figures(db, category)
        assert after["overview"] != before["overview"]  # the import moved a figure
        for name, (tab, _) in viewers.items():
            shown(tab, LABELS[name], [before[name], after[name]])

        for tab, link in viewers.values():  # and once it has landed, everybody sees it
            start(tab, link)
        for name, (tab, _) in viewers.items():
            assert shown(tab, LABELS[name], [after[name]]) == after[name]
        inserted = importer.locator("[data-testid='stMetric']").filter(has_text="Inserted")
        assert inserted.locator("[data-testid='stMetricValue']").inner_text() == "24"
        assert importer.locator("[data-testid='stException']").count() == 0
    finally:
        for context in contexts:
            context.close()
