"""Every page runs (AppTest) on a store holding the demo's imports, and shows its counts.

The app starts on a database file in a temporary folder (TAKT_DB) seeded with the demo's
files (`seed_with_demo`); the expected numbers are read from that database, not assumed.
The Data page's own tests are in tests/pages/test_data.py; a fresh, empty store showing
the demo plant's own store is tested in tests/ui/test_stores.py.
"""

import pytest

from analytics.store.freshness import table_counts
from tests.conftest import open_app, use_db

PAGES = [
    "pages/overview.py",
    "pages/design.py",
    "pages/suppliers.py",
    "pages/waste.py",
    "pages/review.py",
    "pages/data.py",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from use_db(tmp_path_factory.mktemp("app") / "takt.duckdb")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(db, page):
    at = open_app(page)
    assert at.title[0].value


def test_the_sidebar_shows_the_stores_counts(db):
    at = open_app()
    counts = table_counts(db)
    assert all(n > 0 for name, n in counts.items() if name != "rates")  # one currency: no rates
    caption = at.sidebar.caption[0].value
    for name, n in counts.items():
        assert f"{name.capitalize()} {n:,}" in caption
    assert f"Deliveries {counts['deliveries']:,} · to " in caption
