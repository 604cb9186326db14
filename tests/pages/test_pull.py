"""The Pull page (AppTest) on the demo: the counts, the list by priority, a filtered URL, one
sku's buffer chart and the on-hand performance, each compared with `analytics` itself."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs

import pytest

from analytics.metrics.replenish import (
    STATUSES,
    keep,
    onhand_performance,
    orders_by_supplier,
    replenishment,
    status_counts,
)
from tests.conftest import charts, default_scope, metrics, open_app, use_db

PAGE = "pages/pull.py"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from use_db(tmp_path_factory.mktemp("pull") / "takt.duckdb")


def test_counts_and_the_list_most_urgent_first(db):
    at = open_app(PAGE)
    rows = replenishment(db, default_scope(db))
    counts = status_counts(rows)
    assert {s: metrics(at)[f"SKUs {s}"] for s in STATUSES} == {
        s: f"{n:,}" for s, n in counts.items()
    }
    assert counts["red"] > 0 and counts["yellow"] > 0 and counts["green"] > 0
    listed = at.dataframe[0].value
    assert listed["sku"].tolist()[:20] == [r["sku"] for r in rows[:20]]
    assert listed["net_flow"].iloc[0] == pytest.approx(rows[0]["net_flow"])
    orders = at.dataframe[1].value
    assert len(orders) == len(orders_by_supplier(rows))
    assert at.get("download_button")


def test_a_status_link_lists_only_those_rows(db):
    at = open_app(PAGE, status=["red", "yellow"], abc="A")
    want = keep(replenishment(db, default_scope(db)), ["red", "yellow"], ["A"])
    listed = at.dataframe[0].value
    assert listed["sku"].tolist() == [r["sku"] for r in want]
    assert set(listed["status"]) <= {"red", "yellow"}


def test_one_skus_buffer_chart_for_the_most_urgent_red_sku(db):
    at = open_app(PAGE, view="One sku's buffer", status="red")
    first = keep(replenishment(db, default_scope(db)), ["red"])[0]
    label = f"{first['sku']} @ {first['site']}" if first["site"] else first["sku"]
    assert at.selectbox(key="item").value == label  # the demo has two sites
    (chart,) = charts(at)
    names = [t["name"] for t in chart["data"]]
    assert names == ["Red zone", "Yellow zone", "Green zone", "On hand", "Net flow"]


def test_the_sizing_tab_lists_the_worst_sized_first(db):
    at = open_app(PAGE, view="Does the sizing work?")
    rows = onhand_performance(db, default_scope(db))
    shown = at.dataframe[0].value
    assert shown["sku"].tolist()[:10] == [r["sku"] for r in rows[:10]]
    assert shown["red_share"].iloc[0] == pytest.approx(rows[0]["red_share"])


def test_overview_counts_skus_in_red_and_links_to_the_list_filtered_to_red(db):
    at = open_app(supplier="Nordlys Sensor A/S")
    scope = replace(default_scope(db), supplier="Nordlys Sensor A/S")
    red = status_counts(replenishment(db, scope))["red"]
    assert metrics(at)["SKUs in red"] == f"{red:,}"
    (link,) = [p.proto for p in at.get("page_link") if p.proto.label == "What to order"]
    assert link.page == "pull"
    assert parse_qs(link.query_string) == {"supplier": ["Nordlys Sensor A/S"], "status": ["red"]}
