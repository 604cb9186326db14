"""The Review page as a review meeting uses it, on the demo data (AppTest).

Every number the page shows is compared with the analytics function behind it. AppTest runs
no JavaScript, so a bar click is simulated the way the page itself handles it: the click
sets the URL-bound selectbox of the path, and so does choosing in that selectbox; the
browser test (tests/browser/test_review.py) clicks the real bars.
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


# -- the page's pure helpers (analytics.charts.review), with hand-worked numbers ------------
def test_a_view_knows_its_path_and_next_level():
    from analytics.review.view import ReviewView

    deep = ReviewView("otif_rate", by="supplier", node="A/B", node_sku="S=1")
    assert deep.levels == [("supplier", "A/B"), ("sku", "S=1")]
    assert deep.path == "supplier=A%2FB/sku=S%3D1"  # '/' and '=' escaped inside values
    assert deep.next_by is None  # only the rows are left
    assert deep.trail() == ["Supplier OTIF", "A/B", "S=1"]
    assert ReviewView("otif_rate").next_by == "supplier"
    assert ReviewView("otif_rate", node="A").next_by == "sku"
    by_sku = ReviewView("otif_rate", by="sku", node="X", node_sku="ignored")
    assert (by_sku.levels, by_sku.next_by) == ([("sku", "X")], None)
    scope, cause = ReviewView("defect_ppm", Scope(), by="cause", node="Porosity").focus()
    assert (scope, cause) == (Scope(), "Porosity")
    scope, cause = ReviewView("otif_rate", Scope(), node="Acme", node_sku="S1").focus()
    assert (scope.supplier, scope.sku, cause) == ("Acme", "S1", None)


@pytest.mark.parametrize(
    ("column", "label"),
    [
        ("promised_date", "Promised date"),
        ("ordered_qty", "Ordered quantity"),
        ("is_on_time", "On time"),
        ("has_receipt", "Has receipt"),
        ("sku", "SKU"),
        ("po_number", "PO number"),
    ],
)
def test_column_labels(column, label):
    from analytics.review.view import column_label

    assert column_label(column) == label


def test_counts_and_contributions_read_in_their_own_units():
    from analytics.charts.review import shown_limit
    from analytics.charts.review_tables import gap_rows
    from analytics.review.view import count_noun

    rows = [{"key": "A", "contribution": 0.0064}, {"key": "B", "contribution": None}]
    assert [r["contribution"] for r in gap_rows(rows, "rate")] == [0.64, None]  # points
    assert gap_rows([{"key": "A", "contribution": 620.0}], "ppm")[0]["contribution"] == 620.0
    assert count_noun("otif_rate", "supplier") == "due PO lines"
    assert count_noun("defect_ppm", "supplier") == "units received"
    assert count_noun("defect_ppm", "cause") == "defective units"  # no receipts per cause
    assert count_noun("dio_days", "sku") == ""  # its denominator is COGS, not a count
    assert count_noun("hhi", "supplier") == ""
    assert shown_limit(-5.0, "ppm") == 0.0 and shown_limit(-5.0, "days") == -5.0


def test_drill_bars_rank_colour_and_keep_names_inert():
    from analytics.charts.review import drill_bars

    rows = [
        {"key": "<b>Acme</b>", "value": 0.80, "n": 10, "contribution": 0.02, "share_of_gap": 0.5},
        {"key": "Bolt", "value": 0.93, "n": 30, "contribution": 0.01, "share_of_gap": 0.25},
        {"key": None, "value": 0.97, "n": 5, "contribution": -0.001, "share_of_gap": None},
    ]
    spec = drill_bars(rows, "rate", target=0.95, noun="due PO lines").to_plotly_json()
    bars = spec["data"][0]
    assert list(bars["x"]) == pytest.approx([2.0, 1.0, -0.1])  # points of the gap
    # 80% is off target, 93% within 5% of 95% (near), 97% on target
    assert list(bars["marker"]["color"]) == [COLORS["bad"], COLORS["watch"], COLORS["good"]]
    assert list(bars["text"]) == [
        "80.0% · 10 due PO lines",
        "93.0% · 30 due PO lines",
        "97.0% · 5 due PO lines",
    ]
    ticks = list(spec["layout"]["yaxis"]["ticktext"])
    assert ticks == ["&lt;b&gt;Acme&lt;/b&gt;", "Bolt", "(not attributed)"]
    assert spec["layout"]["yaxis"]["autorange"] == "reversed"  # row 0 on top
    parts = drill_bars(rows, "rate", target=0.95, judged=False).to_plotly_json()
    assert set(parts["data"][0]["marker"]["color"]) == {COLORS["primary"]}


@pytest.mark.parametrize(
    ("kpi", "by", "judged"),
    [
        ("otif_rate", "supplier", True),  # a supplier's own OTIF against the target
        ("lead_time_mean_days", "sku", True),
        ("defect_ppm", "supplier", True),
        ("defect_ppm", "cause", False),  # a cause's PPM is a part of the total
        ("copq", "supplier", False),  # a sum: each group is a part of it
        ("hhi", "supplier", False),  # no breakdown at all
    ],
)
def test_which_groups_are_judged_against_the_target(kpi, by, judged):
    from analytics.review.view import comparable

    assert comparable(kpi, by) is judged


def test_control_chart_draws_phases_signals_and_actions():
    from datetime import date

    from analytics.charts.review import control_chart
    from analytics.charts.review_tables import signal_rows

    def point(week, value, center, ucl, lcl, rules=()):
        return {
            "bucket": date(2026, 1, 5 + 7 * week),
            "value": value,
            "center": center,
            "ucl": ucl,
            "lcl": lcl,
            "rules": list(rules),
        }

    chart = {
        "chart": "xmr",
        "points": [
            point(0, 900.0, 600.0, 1200.0, -20.0),
            point(1, 1500.0, 600.0, 1200.0, -20.0, [1]),
            point(2, 100.0, 90.0, 150.0, 30.0),
        ],
        "actions": [{"date": date(2026, 1, 19), "title": "Fix <porosity>"}],
    }
    spec = control_chart(chart, "ppm", "PPM").to_plotly_json()
    traces = {t["name"]: t for t in spec["data"]}
    assert list(traces["Centre"]["y"]) == [600.0, 600.0, 90.0]  # a new phase, a new centre
    assert list(traces["Lower limit"]["y"]) == [0.0, 0.0, 30.0]  # PPM is not limited below 0
    signal = traces["Signal (breaks a rule)"]
    assert list(signal["y"]) == [1500.0]
    assert list(signal["customdata"]) == ["rule 1: 1 point beyond 3 sigma"]
    assert [s["x0"] for s in spec["layout"]["shapes"]] == [date(2026, 1, 19)]
    assert spec["layout"]["annotations"][0]["text"] == "Fix &lt;porosity&gt;"
    assert signal_rows(chart, "ppm") == [
        {
            "week": date(2026, 1, 12),
            "value": "1,500 ppm",
            "center": "600 ppm",
            "limits": "0 ppm – 1,200 ppm",
            "rules": "rule 1: 1 point beyond 3 sigma",
        }
    ]


def test_action_rows_show_each_figure_in_its_unit():
    from datetime import date

    from analytics.charts.review_tables import action_rows

    effect = {
        "action_id": 3,
        "title": "Daily call",
        "kpi": "otif_rate",
        "scope_kind": "supplier",
        "scope_value": "Acme",
        "start_date": date(2026, 3, 2),
        "owner": "Ann",
        "status": "open",
        "notes": None,
        "before": 0.8,
        "after": 0.9,
        "change": 0.1,
        "p_value": 0.0004,
        "verdict": "verified",
    }
    row = action_rows([effect])[0]
    assert (row["before"], row["after"], row["change"], row["p_value"]) == (
        "80.0%",
        "90.0%",
        "+10.0 pts",
        "< 0.001",
    )
    assert (row["scope"], row["kpi"], row["verdict"]) == (
        "supplier: Acme",
        "Supplier OTIF",
        "verified",
    )
    empty = action_rows(
        [{**effect, "before": None, "after": None, "change": None, "p_value": None}]
    )
    assert (empty[0]["before"], empty[0]["change"], empty[0]["p_value"]) == ("no data", "–", "–")
