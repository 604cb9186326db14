"""The Review page as a review meeting uses it, on the demo data (AppTest).

Every number the page shows is compared with the analytics function behind it. AppTest runs
no JavaScript, so a bar click is simulated the way the page itself handles it: the click
sets the URL-bound selectbox of the path, and so does choosing in that selectbox; the
browser test (tests/browser/test_review.py) clicks the real bars. The page's helpers are
tested in tests/charts/test_review.py and tests/review/test_view.py.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.charts import COLORS
from analytics.charts.review import plain
from analytics.demo.generate import QUALITY_CAUSE, QUALITY_FIX_DATE, QUALITY_SUPPLIER
from analytics.formatting import format_value
from analytics.metrics.figures import overview
from analytics.models.params import Scope
from analytics.review import actions, drill
from analytics.review import pareto as defect_pareto
from analytics.store.connection import Store
from tests.conftest import charts, default_scope, load, open_app, use_db

PAGE = "pages/review.py"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from use_db(tmp_path_factory.mktemp("review") / "takt.duckdb")


def open_page(**params) -> AppTest:
    return open_app(PAGE, **params)


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def selectbox(at: AppTest, key: str):
    return next(s for s in at.selectbox if s.key == key)


def first_bar(spec: dict) -> str:
    """The full name under the top bar (the hover carries it; the axis may shorten it)."""
    return spec["data"][0]["customdata"][0][0]


# -- drill-down ----------------------------------------------------------------------------
def test_otif_opens_on_the_worst_supplier_with_the_headline_figure(db):
    at = open_page(kpi="otif_rate")
    scope = default_scope(db)
    otif = overview(db, scope)["otif_rate"]
    assert {m.label: m.value for m in at.metric}["Supplier OTIF"] == format_value(otif, "rate")
    worst = drill.breakdown(db, "otif_rate", "supplier", scope)[0]["key"]
    assert first_bar(charts(at)[0]) == plain(worst)
    assert selectbox(at, "kpi_pick").value == "otif_rate"
    assert at.query_params["kpi"] == "otif_rate"


def test_choosing_a_supplier_then_a_sku_reaches_the_rows(db):
    at = open_page(kpi="otif_rate")
    scope = default_scope(db)
    worst = drill.breakdown(db, "otif_rate", "supplier", scope)[0]["key"]
    selectbox(at, "node").set_value(worst).run()
    assert not at.exception
    skus = drill.breakdown(db, "otif_rate", "sku", Scope(scope.start, scope.end, supplier=worst))
    assert first_bar(charts(at)[0]) == plain(skus[0]["key"])
    assert f"Supplier OTIF › {worst}" in texts(at)
    selectbox(at, "node_sku").set_value(skus[0]["key"]).run()
    behind = drill.rows(
        db, "otif_rate", Scope(scope.start, scope.end, supplier=worst, sku=skus[0]["key"])
    )
    table = at.dataframe[0].value
    assert len(table) == len(behind) > 0
    assert set(table["supplier"]) == {worst} and set(table["sku"]) == {skus[0]["key"]}
    assert not at.get("plotly_chart")  # the deepest level is the rows, not a chart


def test_a_shared_link_opens_the_same_node_and_going_up_clears_it(db):
    scope = default_scope(db)
    worst = drill.breakdown(db, "otif_rate", "supplier", scope)[0]["key"]
    at = open_page(kpi="otif_rate", node=worst)
    assert selectbox(at, "node").value == worst
    assert f"Supplier OTIF › {worst}" in texts(at)
    next(b for b in at.button if b.label == "All suppliers").click().run()
    assert selectbox(at, "node").value is None
    assert "Supplier OTIF" in texts(at)


def test_notes_stay_with_their_node(db):
    scope = default_scope(db)
    worst = drill.breakdown(db, "otif_rate", "supplier", scope)[0]["key"]
    at = open_page(kpi="otif_rate", node=worst)
    at.text_area(key="note_text").input("Why 1: <b>late</b> trucks\nWhy 2: one carrier")
    at.text_input(key="note_author").input("Ann")
    next(b for b in at.button if b.label == "Add note").click().run()
    assert "Note added to this node." in [s.value for s in at.success]
    again = open_page(kpi="otif_rate", node=worst)
    assert "Why 1: <b>late</b> trucks\nWhy 2: one carrier" in texts(again)  # inert text
    elsewhere = open_page(kpi="otif_rate")
    assert "Why 1: <b>late</b> trucks\nWhy 2: one carrier" not in texts(elsewhere)


# -- Pareto and control chart --------------------------------------------------------------
def test_defect_ppm_pareto_marks_the_quality_cause_among_the_vital_few(db):
    at = open_page(kpi="defect_ppm", node=QUALITY_SUPPLIER, view="Pareto")
    scope = default_scope(db)
    rows = defect_pareto.pareto(db, Scope(scope.start, scope.end, supplier=QUALITY_SUPPLIER), "qty")
    vital = [r["cause"] for r in rows if r["vital_few"]]
    assert QUALITY_CAUSE in vital
    bars = charts(at)[0]["data"][0]
    causes = [c[0] for c in bars["customdata"]]
    assert causes == [plain(r["cause"]) for r in rows]
    red = [
        c
        for c, color in zip(causes, bars["marker"]["color"], strict=True)
        if color == COLORS["bad"]
    ]
    assert red == [plain(c) for c in vital]
    selectbox(at, "cause").set_value(QUALITY_CAUSE).run()
    suppliers = at.dataframe[0].value
    assert list(suppliers["supplier"]) == [QUALITY_SUPPLIER]


def test_control_chart_marks_the_demo_action_and_splits_its_limits(db):
    at = open_page(kpi="defect_ppm", node=QUALITY_SUPPLIER, view="Control chart")
    spec = charts(at)[0]
    lines = [s for s in spec["layout"]["shapes"] if s.get("line", {}).get("dash") == "dot"]
    assert [s["x0"][:10] for s in lines] == [QUALITY_FIX_DATE.isoformat()]
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert any(QUALITY_CAUSE in t for t in titles)
    centre = next(d for d in spec["data"] if d["name"] == "Centre")["y"]
    assert len(set(centre)) == 2  # one centre line before the fix, one after
    assert centre[0] > centre[-1]
    assert next(c for c in at.checkbox if c.key == "rule1").value


def test_actions_show_the_demo_fix_verified_and_a_new_action_is_stored(db):
    at = open_page(kpi="otif_rate", view="Actions")
    table = at.dataframe[0].value
    demo = table[table["title"].str.startswith(QUALITY_CAUSE)]
    assert list(demo["verdict"]) == ["verified"]
    at.text_input(key="new_title").input("Daily call with the worst supplier")
    at.text_input(key="new_owner").input("Purchasing")
    next(b for b in at.button if b.label == "Create action").click().run()
    assert not at.exception
    stored = [a for a in actions.list_actions(db) if a["title"].startswith("Daily call")]
    assert len(stored) == 1
    assert (stored[0]["kpi"], stored[0]["owner"], stored[0]["status"]) == (
        "otif_rate",
        "Purchasing",
        "open",
    )
    assert any("recorded" in s.value for s in at.success)


def test_an_action_without_a_title_is_refused_with_a_clear_error(db):
    at = open_page(kpi="otif_rate", view="Actions")
    before = len(actions.list_actions(db))
    next(b for b in at.button if b.label == "Create action").click().run()
    assert not at.exception
    assert "an action needs a title" in at.error[0].value
    assert len(actions.list_actions(db)) == before


def test_the_meeting_report_button_is_there(db):
    at = open_page(kpi="otif_rate")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download meeting report (HTML)" in labels


# -- no data -------------------------------------------------------------------------------
def test_empty_database_shows_the_way_to_the_data_page(tmp_path, monkeypatch):
    path = tmp_path / "takt.duckdb"
    monkeypatch.setenv("TAKT_DB", str(path))
    store = Store.shared(str(path))
    # an item master only: the demo does not load (history exists), nothing to review
    report = load(store, "items.csv", "SKU,Description\nX-1,Widget\n", kind="items")
    assert report.status == "imported"
    try:
        at = open_page(kpi="otif_rate")
        assert "nothing to review yet" in at.info[0].value
        assert "Go to Data" in [link.proto.label for link in at.get("page_link")]
        assert not at.get("plotly_chart") and not at.dataframe
    finally:
        store.close()
