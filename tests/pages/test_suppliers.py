"""The Suppliers page (AppTest): each tab runs on the demo and shows the analytics' numbers.

The app starts on a database file holding the demo's imports (`seed_with_demo`); expected values
are read from that database through `analytics`, never typed in. A second database that
holds only an item master shows the empty state.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.formatting import format_value
from analytics.metrics.figures import overview, scorecard, series, table_rows
from analytics.metrics.registry import hhi_band
from analytics.metrics.suppliers import (
    default_detail,
    grade_counts,
    late_open_total,
    otif_sparklines,
)
from analytics.models.params import Scope
from analytics.store.connection import Store
from tests.conftest import charts, load, metrics, open_app, use_db

PAGE = "pages/suppliers.py"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from use_db(tmp_path_factory.mktemp("suppliers") / "takt.duckdb")


def open_page(view: str | None = None, **params) -> AppTest:
    return open_app(PAGE, **{k: v for k, v in {"view": view, **params}.items() if v})


def test_scorecard_shows_the_best_supplier_first(db):
    at = open_page()
    card = scorecard(db)
    shown = at.dataframe[0].value
    assert shown["supplier"].iloc[0] == card[0]["supplier"]
    assert shown["supplier"].tolist() == [r["supplier"] for r in card]
    assert shown["otif_rate"].iloc[0] == pytest.approx(100 * card[0]["otif_rate"])
    lines = otif_sparklines(series(db, "supplier_series", "month", Scope()))
    assert list(shown["otif_trend"].iloc[0]) == pytest.approx(lines[card[0]["supplier"]])
    counts, got = grade_counts(card), metrics(at)
    assert {g: got[f"Grade {g} suppliers"] for g in counts} == {
        g: f"{n:,}" for g, n in counts.items()
    }
    assert got["Late open lines"] == f"{late_open_total(card):,}"
    assert at.get("download_button")


def test_detail_opens_on_the_lowest_score_with_its_figures(db):
    at = open_page("Supplier detail")
    card = scorecard(db)
    name = default_detail(card, None)
    assert at.selectbox(key="detail").value == name
    row = next(r for r in card if r["supplier"] == name)
    got = metrics(at)
    assert got["OTIF"] == format_value(row["otif_rate"], "rate")
    assert got["Lead time (mean)"] == format_value(row["lead_time_mean_days"], "days")
    assert got["Late open lines"] == f"{row['late_open_lines']:,}"
    late = table_rows(db, "supplier_late_lines", Scope(supplier=name))
    assert len(at.dataframe[0].value) == len(late) == row["late_open_lines"]
    # OTIF trend, lead-time trend, histogram (its bars add up to the received lines), causes
    figures = charts(at)
    assert len(figures) == 4
    assert sum(figures[2]["data"][0]["y"]) == row["lead_time_lines"]


def test_sidebar_supplier_chooses_the_detail_but_not_the_comparison(db):
    card = scorecard(db)
    name = card[0]["supplier"]
    at = open_page("Supplier detail", supplier=name)
    assert at.selectbox(key="detail").value == name
    at.selectbox(key="detail").set_value(card[1]["supplier"]).run()
    assert not at.exception
    assert metrics(at)["OTIF"] == format_value(card[1]["otif_rate"], "rate")
    at = open_page(supplier=name)
    assert len(at.dataframe[0].value) == len(card)  # every supplier is still compared


def test_concentration_shows_hhi_and_single_sourced_skus(db):
    at = open_page("Concentration risk")
    hhi = overview(db)["hhi"]
    got = metrics(at)
    assert got["Supplier concentration (HHI)"] == format_value(hhi, "index")
    assert got["Band"] == hhi_band(hhi).capitalize()
    spend = [r for r in table_rows(db, "supplier_spend") if r["spend"]]
    assert got["Suppliers with spend"] == f"{len(spend):,}"
    [pareto] = charts(at)
    bars, line = pareto["data"]
    assert len(bars["x"]) == len(spend)
    assert bars["y"][0] == max(r["spend"] for r in spend)
    assert line["y"][-1] == pytest.approx(1.0) and line["yaxis"] == "y2"
    sole = at.dataframe[0].value
    assert len(sole) == len(table_rows(db, "single_sourced"))


def test_empty_database_shows_the_way_to_the_data_page(tmp_path, monkeypatch):
    path = tmp_path / "takt.duckdb"
    monkeypatch.setenv("TAKT_DB", str(path))
    store = Store.shared(str(path))
    # an item master only: the demo does not load (history exists), no supplier data
    report = load(store, "items.csv", "SKU,Description\nX-1,Widget\n", kind="items")
    assert report.status == "imported"
    try:
        at = open_page()
        assert "No supplier data yet" in at.info[0].value
        assert "Go to Data" in [link.proto.label for link in at.get("page_link")]
        assert not at.dataframe and not at.get("plotly_chart")
    finally:
        store.close()
