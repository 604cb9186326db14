"""A shared link opened first after a server start gets the whole app, not a bare page.

Until a session has run `st.navigation`, Streamlit 1.67 treats `pages/` as an old-style page
folder and runs a page opened by its URL on its own: file names for a sidebar, no filters of
app.py's, no demo loaded. `ui.boot.ensure_app` (called first by every page) reruns it
through app.py. This module starts its own server and its first request is the link.
"""

from __future__ import annotations

import pytest

from analytics.metrics.figures import scorecard
from analytics.metrics.suppliers import grade_counts
from analytics.store.connection import Store
from tests.conftest import WAIT_MS, settle, sidebar_text, wait_for_metric

pytestmark = pytest.mark.browser


def test_a_page_opened_first_by_its_link_runs_inside_the_app(app, page):
    url, db = app
    page.goto(f"{url}/suppliers")  # the first request this server ever gets
    settle(page)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Suppliers"
    # the store holds the demo's imports (conftest.seed_with_demo): the scorecard is the demo's
    page.get_by_text("Grade A suppliers").wait_for(timeout=WAIT_MS)
    store = Store.shared(str(db))
    grades = grade_counts(scorecard(store))
    store.close()
    assert grades["A"] > 0
    wait_for_metric(page, "Grade A suppliers", f"{grades['A']:,}")
    # app.py's navigation (section headers and titles) and filters, not the file names
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Period", exact=True).wait_for(timeout=WAIT_MS)
    for shown in ("Manage", "Establish", "Suppliers", "Filters", "Period"):
        assert shown in sidebar_text(page), shown
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "app" not in nav.split() and "suppliers" not in nav.split()
