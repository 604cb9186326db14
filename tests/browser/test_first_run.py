"""A new user's first ten minutes, in a real browser (issue 16).

`streamlit run app.py` on an empty data folder shows the demo plant from its own store with
its badge; the user's first import goes into their own store, whose figures hold only that
file's rows (checked against `python -m analytics kpis --json` on the user's store and by
hand); the sidebar switch shows the demo again, its figures unchanged. A store an earlier
Takt seeded with the demo, plus an import of the user's, opens with the offer to move the
demo out, and after it only the user's import is left.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.formatting import format_value
from tests.conftest import (
    WAIT_MS,
    chromium_browser,
    cli,
    require_chromium,
    seed_with_demo,
    settle,
    shown_metrics,
    sidebar_text,
    streamlit_server,
    wait_for_metric,
)

pytestmark = pytest.mark.browser

ARGS = ("--server.headless", "true", "--server.address", "127.0.0.1")
# Four PO lines of one supplier, each received once (tolerances at their defaults, 0 days):
#   PO-F1 promised 02-12, received 02-12, 10 of 10  -> on time, in full: OTIF
#   PO-F2 promised 02-12, received 02-16, 10 of 10  -> late
#   PO-F3 promised 02-12, received 02-12,  8 of 10  -> on time, short
#   PO-F4 promised 02-20, received 02-20,  5 of 5   -> OTIF
# OTIF 2/4 = 0.5, on time 3/4 = 0.75, in full 3/4 = 0.75; 4 deliveries in the store.
MINE = (
    b"PO Number,Line,Supplier,SKU,Order Date,Promised Date,Ordered Qty,Received Date,"
    b"Received Qty\n"
    b"PO-F1,1,First Supplier,SKU-F1,2026-02-02,2026-02-12,10,2026-02-12,10\n"
    b"PO-F2,1,First Supplier,SKU-F2,2026-02-02,2026-02-12,10,2026-02-16,10\n"
    b"PO-F3,1,First Supplier,SKU-F3,2026-02-02,2026-02-12,10,2026-02-12,8\n"
    b"PO-F4,1,First Supplier,SKU-F4,2026-02-02,2026-02-20,5,2026-02-20,5\n"
)
HAND_WORKED = {"otif_rate": 0.5, "on_time_rate": 0.75, "in_full_rate": 0.75}


def kpis(db, *flags) -> dict:
    out = cli("kpis", "--json", *flags, env_db=db)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def demo_badge(page):
    return page.locator("[data-testid='stMain'] .stMarkdownBadge", has_text="Demo plant")


def otif_shown(page, value: float) -> None:
    wait_for_metric(page, "Supplier OTIF", format_value(value, "rate"))


@pytest.fixture
def browser_page():
    require_chromium()
    with chromium_browser() as chromium:
        context = chromium.new_context(viewport={"width": 1400, "height": 900})
        yield context.new_page()
        context.close()


def test_fresh_start_demo_then_the_first_import_then_the_demo_again(tmp_path, browser_page):
    page, db = browser_page, tmp_path / "takt.duckdb"
    with streamlit_server(db, *ARGS, log=tmp_path / "streamlit.log") as url:
        page.goto(url)
        settle(page)
        demo_otif = kpis(db, "--demo")["otif_rate"]
        otif_shown(page, demo_otif)
        assert demo_badge(page).is_visible()
        assert "Demo plant" in sidebar_text(page)

        page.get_by_role("link", name="Import your data").click()
        settle(page, pause_ms=300)
        assert demo_badge(page).count() == 0  # the Data page is the user's store
        page.set_input_files(
            "[data-testid='stFileUploaderDropzoneInput']",
            files=[{"name": "mine.csv", "mimeType": "text/csv", "buffer": MINE}],
        )
        page.get_by_role("button", name="Import", exact=True).wait_for(timeout=WAIT_MS)
        settle(page)
        page.get_by_role("button", name="Import", exact=True).click()
        page.get_by_text("Imported as import #1").wait_for(timeout=WAIT_MS)

        page.goto(url)  # the Overview now shows the user's store
        settle(page)
        mine = kpis(db)
        assert {k: mine[k] for k in HAND_WORKED} == HAND_WORKED
        otif_shown(page, 0.5)
        assert shown_metrics(page)["On time"] == format_value(0.75, "rate")
        assert demo_badge(page).count() == 0
        assert "Deliveries 4" in sidebar_text(page)

        page.locator("[data-testid='stSidebar']").get_by_text("Show the demo plant").click()
        settle(page, pause_ms=500)
        otif_shown(page, demo_otif)  # the demo's figures, unchanged by the import
        assert demo_badge(page).is_visible()
        assert "store=demo" in page.url
        assert kpis(db, "--demo")["otif_rate"] == demo_otif


def test_a_store_seeded_by_an_earlier_takt_is_offered_to_move_the_demo_out(tmp_path, browser_page):
    page, db = browser_page, tmp_path / "takt.duckdb"
    seed_with_demo(db)  # what app.py did on a first start before issue 16
    mine = tmp_path / "mine.csv"
    mine.write_bytes(MINE)
    loaded = cli("load", mine, "--db", db)
    assert loaded.returncode == 0, loaded.stderr
    assert kpis(db)["otif_rate"] != 0.5  # mixed with the demo
    with streamlit_server(db, *ARGS, log=tmp_path / "streamlit.log") as url:
        page.goto(url)
        settle(page)
        offer = page.get_by_text("Your store also holds the demo plant's imports")
        offer.wait_for(timeout=WAIT_MS)
        page.get_by_role("button", name="Move the demo out").click()
        page.get_by_text("The demo plant moved out of your store").wait_for(timeout=WAIT_MS)
        settle(page)
        otif_shown(page, 0.5)
        assert "Deliveries 4" in sidebar_text(page)
    after = kpis(db)
    assert {k: after[k] for k in HAND_WORKED} == HAND_WORKED
    history = cli("imports", "--db", db, "--json")
    status = {Path(r["file_name"]).name: r["status"] for r in json.loads(history.stdout)}
    assert status == {
        "mine.csv": "imported",
        "item_master.csv": "undone",
        "inventory_snapshots.csv": "undone",
        "deliveries_sap.csv": "undone",
        "customer_orders.csv": "undone",
        "quality_events.csv": "undone",
    }
