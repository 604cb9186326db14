"""The Overview page (Manage) as a plant manager uses it; its cards' helpers are tested in
tests/charts/test_overview.py.

The app starts on a database file holding the demo's imports (`seed_with_demo`); every number the
page shows is compared with the analytics function that computes it, never assumed.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import date, timedelta
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from analytics.charts.overview import KEY_FOUR
from analytics.formatting import format_delta, format_value, status
from analytics.ingest import import_file
from analytics.ingest.reader import save_upload
from analytics.metrics.figures import choices, compute_kpis, overview, series
from analytics.metrics.registry import KPIS
from analytics.models.params import Scope, period_of
from analytics.review.signals import KINDS, as_of_date, signals
from analytics.store.freshness import freshness
from tests.conftest import GOOD_ROWS, csv_text, fill_two_sites, load, open_app, use_db
from tests.conftest import charts as figures
from tests.demo_files import demo_file


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from use_db(tmp_path_factory.mktemp("overview") / "takt.duckdb")


def default_period(store) -> dict:
    """The sidebar's default: the last 12 months ending at the latest date in the data."""
    start, end = period_of("Last 12 months", choices(store)["latest"])
    return {"start": start, "end": end}


def cards(at: AppTest) -> dict:
    return {m.label: m for m in at.metric}


# -- the page on the demo data ------------------------------------------------------------
def test_every_kpi_has_a_card_and_otif_matches_the_analytics(db):
    at = open_app()
    shown = cards(at)
    # every KPI, and the skus-in-red card of the Pull page (tests/pages/test_pull.py)
    assert set(shown) == {k.label for k in KPIS.values()} | {"SKUs in red"}
    period = default_period(db)
    now = compute_kpis(db, **period)
    assert shown["Supplier OTIF"].value == format_value(now["otif_rate"], "rate")
    assert shown["Supplier defects (PPM)"].value == format_value(now["defect_ppm"], "ppm")
    # the demo's year runs 1 Nov 2025 - 31 Oct 2026; the change is against the 365 days
    # before it, judged as of their own end
    assert (period["start"], period["end"]) == (date(2025, 11, 1), date(2026, 10, 31))
    prev_start, prev_end = date(2024, 11, 1), date(2025, 10, 31)
    before = compute_kpis(db, start=prev_start, end=prev_end, as_of=prev_end)
    assert shown["Supplier OTIF"].delta == format_delta(
        now["otif_rate"] - before["otif_rate"], "rate"
    )
    assert [s.value for s in at.subheader][:5] == [
        "Supplier delivery",
        "Quality",
        "Customers",
        "Inventory",
        "Supply risk",
    ]


def test_cards_show_target_count_and_status(db):
    at = open_app()
    row = overview(db, Scope(**default_period(db)))
    captions = [c.value for c in at.caption]
    assert f"Target 95.0% · {row['due_lines']:,} due PO lines" in captions
    assert f"{int(row['lead_time_lines']):,} received PO lines" in captions  # no target set
    label = {"good": "On target", "watch": "Near target", "bad": "Off target"}[
        status(row["otif_rate"], 0.95, True)
    ]
    assert any(label in m.value for m in at.markdown)


def test_each_card_draws_its_weekly_sparkline_in_the_colour_of_its_change(db):
    at = open_app()
    images = [m.value for m in at.markdown if m.value.startswith('<img src="data:image/svg')]
    period = Scope(**default_period(db))
    weekly = series(db, KPIS["otif_rate"].series_model, "week", period)
    otif = [r["otif_rate"] for r in weekly if r["otif_rate"] is not None]
    drawn = next(i for i in images if 'alt="Supplier OTIF: weekly trend' in i)
    assert f"{len(otif)} weeks" in drawn and len(otif) >= 50  # a year of weeks
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", drawn).group(1)).decode()
    assert svg.count(",") == len(otif)  # one point per week with a value
    # the demo's OTIF is up on the year before (+0.1 pts): green, as the change is
    shown = cards(at)["Supplier OTIF"]
    assert shown.delta.startswith("+") and 'stroke="#079464"' in svg
    # every KPI with two weeks or more of data has its line, the skus-in-red card none
    assert len(images) == len(KPIS)


def test_drill_down_links_name_the_kpi_and_keep_the_filters(db):
    supplier = "Ironbridge Castings Ltd"
    at = open_app(supplier=supplier)
    links = [link.proto for link in at.get("page_link") if link.proto.label == "Drill down"]
    assert {link.page for link in links} == {"review"}
    params = [parse_qs(link.query_string) for link in links]
    assert sorted(p["kpi"][0] for p in params) == sorted(KPIS)
    assert all(p["supplier"] == [supplier] for p in params)
    otif = compute_kpis(db, supplier=supplier, **default_period(db))["otif_rate"]
    assert cards(at)["Supplier OTIF"].value == format_value(otif, "rate")
    assert f"supplier {supplier}" in at.text[0].value  # user text, shown inert


def trends(at: AppTest) -> dict[str, tuple[dict, list[dict]]]:
    """The Vega-Lite trends by title: the spec, and the points in its line's layer (nothing
    beside the spec: top-level data would make Streamlit load pandas and pyarrow)."""
    out = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        assert not chart.proto.data.data and not chart.proto.datasets
        out[spec["title"]["text"]] = (spec, spec["layer"][0]["data"]["values"])
    return out


def test_trends_by_month_then_week_with_the_target_line(db):
    at = open_app()
    scope = Scope(**default_period(db))
    charts = trends(at)
    assert set(charts) == {KPIS[name].label for name in KEY_FOUR}
    assert not figures(at)  # no plotly on the first page (issue 16)
    monthly = series(db, "series_delivery", "month", scope)
    spec, points = charts["Supplier OTIF"]
    assert len(points) == len(monthly) == 12  # a year is shown by month by default
    assert [p["value"] for p in points] == pytest.approx([r["otif_rate"] for r in monthly])
    assert [p["count"] for p in points] == [r["due_lines"] for r in monthly]
    assert spec["layer"][0]["encoding"]["tooltip"][2]["title"] == "Based on (due PO lines)"
    assert spec["layer"][1]["data"]["values"] == [{"target": 0.95}]

    at.button_group(key="grain").set_value("week").run()
    assert not at.exception
    weekly = series(db, "series_delivery", "week", scope)
    _, points = trends(at)["Supplier OTIF"]
    assert [p["value"] for p in points] == pytest.approx([r["otif_rate"] for r in weekly])

    at.selectbox(key="trend").set_value("defect_ppm").run()
    assert not at.exception
    assert list(trends(at)) == ["Supplier defects (PPM)"]


def test_sections_without_data_say_what_to_import(db):
    at = open_app(period="Custom", start="2020-01-01", end="2020-02-01")
    captions = [c.value for c in at.caption]
    assert any(c.startswith("No deliveries in this period") for c in captions)
    assert any(c.startswith("No customer orders in this period") for c in captions)
    assert "Supplier OTIF" not in cards(at)


def test_sidebar_says_how_old_the_data_is(db):
    at = open_app()
    latest = max(d for d in freshness(db).latest.values() if d)
    assert f"**Data up to {latest:%d %b %Y}** (" in at.sidebar.caption[0].value


def test_an_empty_database_shows_the_empty_state(tmp_path):
    """An item master alone has no dates: nothing to measure, and the demo is not loaded."""
    for store in use_db(tmp_path / "takt.duckdb", seed=False):
        upload = save_upload(store, "items.csv", b"sku,description\nSKU-1,Bolt\n")
        assert import_file(store, upload, display_name="items.csv", kind="items").inserted == 1
        at = open_app()
        assert "There is no data to measure yet" in at.info[0].value
        [link] = at.get("page_link")
        assert (link.proto.page, link.proto.label) == ("data", "Go to Data")
        assert not at.metric and not at.get("vega_lite_chart")
        assert "No data yet" in at.sidebar.caption[0].value


# -- sites ----------------------------------------------------------------------------------
def test_one_site_data_has_no_site_select(tmp_path):
    """tests/conftest.py's GOOD_ROWS carry no site: the data is one site, nothing to choose."""
    for store in use_db(tmp_path / "takt.duckdb", seed=False):
        load(store, "one_site.csv", csv_text(*GOOD_ROWS))  # on record: no demo on top
        at = open_app()
        assert "Period" in [s.label for s in at.sidebar.selectbox]
        assert "Site" not in [s.label for s in at.sidebar.selectbox]


def test_the_demo_offers_its_two_sites(db):
    """The demo plant's sample files name two plants (analytics/demo/sites.py)."""
    sites = sorted(set(demo_file("deliveries").Plant))
    assert sites == ["Werk Nord", "Werk Süd"]
    at = open_app()
    assert at.sidebar.selectbox(key="site").options == ["All sites", *sites]


def test_the_site_select_narrows_the_figures_and_restores_from_the_url(tmp_path):
    """tests/conftest.py's fill_two_sites; the default year ends 2024-03-31 and holds all of
    it. Supplier OTIF: all sites 3/4, 1000 1/2, 2000 2/2; fill rate 0.9, 0.8 and 1.

    AppTest reruns only the page after app.py's first run (ui.scope.current_scope), so each
    choice of site is a first run, as a shared link `?site=...` is."""
    for store in use_db(tmp_path / "takt.duckdb", seed=False):
        fill_two_sites(store)
        with store.connect() as cur:  # an import on record: the app loads no demo on top
            cur.execute(
                "insert into imports (import_id, file_name, sha256, imported_at, status) "
                "values (1, 'two_sites', '-', now(), 'imported')"
            )
        at = open_app()
        site = at.sidebar.selectbox(key="site")
        assert (site.label, site.value) == ("Site", "All sites")
        assert site.options == ["All sites", "1000", "2000"]
        assert cards(at)["Supplier OTIF"].value == format_value(3 / 4, "rate")
        assert cards(at)["Fill rate"].value == format_value(0.9, "rate")
        for chosen, otif, fill in (("1000", 1 / 2, 0.8), ("2000", 1.0, 1.0)):
            shared = open_app(site=chosen)
            assert shared.sidebar.selectbox(key="site").value == chosen
            assert cards(shared)["Supplier OTIF"].value == format_value(otif, "rate")
            assert cards(shared)["Fill rate"].value == format_value(fill, "rate")
            assert f"site {chosen}" in shared.text[0].value  # the caption names it


# -- since last review ---------------------------------------------------------------------
def test_since_last_review_lists_the_digests_signals_with_links(db):
    as_of = as_of_date(db)
    expected = signals(db, as_of - timedelta(days=7))
    at = open_app()
    panel = next(e for e in at.expander if e.label.startswith("Since last review"))
    assert panel.label == f"Since last review: {len(expected)} signals"
    shown = [t.value for t in panel.text]
    assert shown == [s["title"] for s in sorted(expected, key=kind_order)]
    assert at.date_input(key="since").value == as_of - timedelta(days=7)
    # a later day lists fewer: only what changed after it
    at.date_input(key="since").set_value(as_of - timedelta(days=1)).run()
    later = signals(db, as_of - timedelta(days=1))
    panel = next(e for e in at.expander if e.label.startswith("Since last review"))
    assert [t.value for t in panel.text] == [s["title"] for s in sorted(later, key=kind_order)]
    assert len(later) < len(expected)


def kind_order(signal: dict) -> int:
    return list(KINDS).index(signal["kind"])
