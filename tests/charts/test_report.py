"""The meeting export: one self-contained, inert HTML file of the review view.

Self-contained: no <script src> or stylesheet link, plotly.js inline exactly once however
many charts there are. Inert: a supplier named `<script>...` shows as text, formula-like
cells are neutralised. Complete: every figure's data is in the file.
"""

from __future__ import annotations

import re
from datetime import date

import plotly.graph_objects as go
import pytest

from analytics.charts import report
from analytics.charts.report import Section, Table, render
from analytics.review.meeting import gather

EVIL = "<script>alert('x')</script>"


def bar(name: str, value: float) -> go.Figure:
    return go.Figure(go.Bar(x=[name], y=[value], name="Defects"))


def sample_report() -> str:
    table = Table(
        "Suppliers",
        [
            {"supplier": EVIL, "otif": 0.8125, "lines": 1234, "note": '=HYPERLINK("x")'},
            {"supplier": "Acme & Sons", "otif": None, "lines": 0, "note": "-5"},
        ],
        {"supplier": "Supplier", "otif": "OTIF", "lines": "Due lines", "note": "Note"},
        units={"otif": "rate"},
    )
    sections = [
        Section("Drill down", ["All suppliers > " + EVIL, bar("A", 12345.5), table]),
        Section(
            "Pareto",
            [bar("Porosity", 777.25), bar("Burrs", 31.5)],
            notes=[{"text": "why 1\n" + EVIL, "author": "Ann", "created_at": date(2026, 3, 2)}],
        ),
    ]
    return render("Review: Supplier OTIF", "01 Nov 2025 – 31 Oct 2026", sections)


def test_the_file_is_self_contained_with_plotly_inline_once():
    html = sample_report()
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    # plotly.js announces itself once in its licence header; the bundle is large
    assert html.count("plotly.js v") == 1
    assert len(html) > 1_000_000
    assert html.count('class="plotly-graph-div"') == 3


def test_user_text_is_escaped_and_formulas_neutralised():
    html = sample_report()
    assert EVIL not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "Acme &amp; Sons" in html
    assert "&#x27;=HYPERLINK(&quot;x&quot;)" in html  # leading ' makes it text in Excel
    assert "<td>-5</td>" in html  # a plain number stays as it is


def test_numbers_carry_their_units_and_the_figures_their_data():
    html = sample_report()
    assert '<td class="num">81.2%</td>' in html
    assert '<td class="num">1,234</td>' in html
    assert "<td>no data</td>" in html  # a missing rate says so
    for value in ("12345.5", "777.25", "31.5"):
        assert value in html
    assert '"Porosity"' in html and '"Burrs"' in html
    assert "why 1\n&lt;script&gt;" in html  # the note kept its line break (pre-wrap), inert
    assert "Ann · 2026-03-02" in html


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0.5, "rate", ("50.0%", True)),
        (1500.0, "ppm", ("1,500 ppm", True)),
        (12, None, ("12", True)),
        (2.345, None, ("2.35", True)),
        (True, None, ("yes", False)),
        ("@SUM(A1)", None, ("&#x27;@SUM(A1)", False)),
        (date(2026, 3, 2), None, ("2026-03-02", False)),
    ],
)
def test_cells(value, unit, expected):
    assert report.cell(value, unit) == expected


# -- the review report from data -------------------------------------------------------------
def test_the_demo_review_report_carries_the_meeting(demo):
    from analytics.demo.generate import QUALITY_CAUSE, QUALITY_SUPPLIER
    from analytics.models.params import Scope
    from analytics.review.notes import add_note
    from analytics.review.pareto import pareto
    from analytics.review.view import ReviewView

    add_note(demo, "defect_ppm", f"supplier={QUALITY_SUPPLIER}", "Gas <porosity> in lots", "Bo")
    view = ReviewView("defect_ppm", Scope(), node=QUALITY_SUPPLIER, cause=QUALITY_CAUSE)
    html = report.review_report(gather(demo, view), "last 12 months")
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert html.count("plotly.js v") == 1
    # the path's two levels, the Pareto and the control chart
    assert html.count('class="plotly-graph-div"') == 4
    assert f"Drill down: Supplier defects (PPM) › {QUALITY_SUPPLIER}" in html
    causes = [r["cause"] for r in pareto(demo, Scope(supplier=QUALITY_SUPPLIER))]
    assert all(f'"{c}"' in html for c in causes)  # the Pareto's data is in the file
    assert f"Suppliers behind {QUALITY_CAUSE}" in html
    assert "Gas &lt;porosity&gt; in lots" in html  # the node's note, inert
    assert '<td class="verified">verified</td>' in html  # the demo's fix, verified


def test_a_supplier_named_like_a_script_stays_text(store):
    from analytics.models.params import Scope
    from analytics.review.view import ReviewView
    from tests.conftest import GOOD_ROWS, csv_text, load

    evil = "<script>alert(1)</script>"
    rows = [*GOOD_ROWS, f'PO9,1,G9,"{evil}",SKU9,2024-02-01,2024-02-10,5,2024-02-20,5,1']
    assert load(store, "evil.csv", csv_text(*rows)).inserted == 4
    html = report.review_report(gather(store, ReviewView("otif_rate", Scope())), "2024")
    assert evil not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the breakdown table
    assert "Acme" in html
