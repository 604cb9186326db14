"""Every file Takt hands out keeps hostile text inert: CSV and Excel downloads neutralise
formulas (analytics/export.py, behind ui/widgets.downloads), and the meeting report
(analytics/charts/report.py) escapes every value and neutralises formulas as well.

The values are those of tests/hostile_data.py; the browser test (tests/browser/test_hostile.py)
downloads one of each kind through the pages as well.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from html.parser import HTMLParser
from xml.etree import ElementTree

import pandas as pd
import pytest

from analytics.charts.report import Section, Table, render, review_report
from analytics.export import neutralise, to_csv_bytes, to_excel_bytes
from analytics.ingest import import_file
from analytics.models.params import Scope
from analytics.review import actions, notes
from analytics.review.meeting import gather
from analytics.review.view import ReviewView
from tests.hostile_data import (
    DDE,
    FILES,
    FORMULA,
    FORMULAS,
    IFRAME,
    IMG,
    IMG_FLAG,
    LINK,
    MARKDOWN,
    MINUS,
    PLUS,
    SCRIPT,
    SVG,
)

# A header that is a formula, text cells of every kind, numbers, and numbers kept as text.
FRAME = pd.DataFrame(
    {
        "supplier": [IMG, DDE, LINK],
        FORMULA: [FORMULA, PLUS, MINUS],
        "qty": [-5, 3, 2],
        "as text": ["-5", "+1.25", "\t=1"],
    }
)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (FORMULA, "'" + FORMULA),
        (DDE, "'" + DDE),
        (PLUS, "'" + PLUS),
        (MINUS, "'" + MINUS),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),  # a plain number stays a number
        ("+1.25", "+1.25"),
        ("1e5", "1e5"),
        (IMG, IMG),  # HTML and markdown are not formulas: a spreadsheet shows them as text
        (LINK, LINK),
        (-5, -5),
        (None, None),
    ],
)
def test_neutralise(value, written):
    assert neutralise(value) == written


def test_csv_download_written_out_by_hand():
    text = to_csv_bytes(FRAME).decode("utf-8")
    assert text == (
        "\ufeff"
        'supplier,"\'=HYPERLINK(""http://x"",""click"")",qty,as text\r\n'
        '<img src=x onerror=alert(1)>,"\'=HYPERLINK(""http://x"",""click"")",-5,-5\r\n'
        "'@SUM(1+1)*cmd|' /C calc'!A0,'+cmd|' /C notepad'!A0,3,+1.25\r\n"
        "[click](javascript:alert(1)),'-2+3+cmd|' /C calc'!A0,2,'\t=1\r\n"
    )


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def xlsx_cells(data: bytes) -> tuple[list[list], str]:
    """The first sheet's rows as Python values, read from the XML (no openpyxl needed)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        shared = [
            "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
        ]
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
        names = z.namelist()
    rows = []
    for row in ElementTree.fromstring(sheet_xml).iter(f"{{{NS['m']}}}row"):
        cells = []
        for c in row.iter(f"{{{NS['m']}}}c"):
            v = c.find("m:v", NS)
            if c.get("t") == "s":
                cells.append(shared[int(v.text)])
            else:
                cells.append(float(v.text))
        rows.append(cells)
    rels = [n for n in names if n.endswith(".rels") and "worksheets" in n]
    return rows, sheet_xml + "".join(rels)


def test_excel_download_holds_text_not_formulas():
    rows, sheet = xlsx_cells(to_excel_bytes(FRAME))
    assert rows == [
        ["supplier", "'" + FORMULA, "qty", "as text"],
        [IMG, "'" + FORMULA, -5.0, "-5"],
        ["'" + DDE, "'" + PLUS, 3.0, "+1.25"],
        [LINK, "'" + MINUS, 2.0, "'\t=1"],
    ]
    assert "<f>" not in sheet and "<f " not in sheet  # no cell is a formula
    assert "hyperlink" not in sheet.lower()  # and none became a link


# -- the meeting report ---------------------------------------------------------------------------
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "table", "thead",
    "tbody", "tr", "th", "td", "div", "br", "span", "script",
}  # fmt: skip


class Tags(HTMLParser):
    """Every start tag with its attributes, the scripts' text, the text outside them, and
    the text of each table cell (what a spreadsheet gets when the table is copied)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.text, self.cells = [], [], [], []
        self._in_script = self._in_cell = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if tag in ("td", "th"):
            self._in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag):
        self._in_script = False
        self._in_cell = self._in_cell and tag not in ("td", "th")

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)
        if self._in_cell:
            self.cells[-1] += data


def formula_cells(parsed: Tags) -> list[str]:
    """Cells that start with one of the data's formulas, as a spreadsheet would run them."""
    return [c for c in parsed.cells if c.startswith(FORMULAS)]


def assert_inert(html: str, figures: int) -> Tags:
    parsed = Tags(html)
    tags = {tag for tag, _ in parsed.tags}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for tag, attrs in parsed.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert not [v for v in attrs.values() if v and "javascript:" in v.lower()], (tag, attrs)
        if tag == "script":
            assert "src" not in attrs  # nothing is fetched
    # plotly's config and plotly.js once, then one script per figure: a value that closed
    # a script tag and opened its own would add one
    starts = [s.lstrip()[:24] for s in parsed.scripts]
    assert len(starts) == (figures + 2 if figures else 0)
    if figures:
        assert starts[:2] == ["window.PlotlyConfig = {M", "/**\n* plotly.js v4.1.1\n*"]
        assert set(starts[2:]) == {"window.PLOTLYENV=window."}
    return parsed


def test_render_escapes_every_value_and_neutralises_formulas():
    table = Table("Causes " + IMG, [{"cause": c, "n": 1} for c in (FORMULA, LINK, SCRIPT)],
                  {"cause": IFRAME, "n": "Events"})  # fmt: skip
    html = render(
        "Review: " + SVG,
        "supplier " + IMG,
        [Section(MARKDOWN, [IMG_FLAG, table], notes=[note(SCRIPT, DDE)])],
        generated=datetime(2026, 7, 1, 9, 30),
    )
    parsed = assert_inert(html, figures=0)
    text = "".join(parsed.text)
    for shown in (IMG, SVG, MARKDOWN, IMG_FLAG, IFRAME, LINK, SCRIPT, "'" + FORMULA, "'" + DDE):
        assert shown in text  # literally, as text
    assert parsed.cells == [IFRAME, "Events", "'" + FORMULA, "1", LINK, "1", SCRIPT, "1"]


def test_report_numbers_are_shown_as_numbers():
    """A negative figure is ours, not a formula: no apostrophe (it had one before)."""
    table = Table("Gap", [{"value": -211.0, "share": -0.006, "n": -3}],
                  {"value": "PPM", "share": "Share", "n": "Lines"},
                  {"value": "ppm", "share": "rate", "n": "count"})  # fmt: skip
    parsed = Tags(render("Numbers", "", [Section("Gap", [table])]))
    assert parsed.cells == ["PPM", "Share", "Lines", "-211 ppm", "-0.6%", "-3"]


def note(text: str, author: str) -> dict:
    return {"text": text, "author": author, "created_at": datetime(2026, 6, 30, 17, 0)}


@pytest.fixture
def hostile(store):
    for name, data in FILES.items():
        path = store.spool_dir / name
        path.write_bytes(data)
        report = import_file(store, path, display_name=name)
        assert (report.status, report.rejected) == ("imported", 0), report.message
    return store


def test_the_meeting_report_of_hostile_data_is_inert(hostile):
    notes.add_note(hostile, "defect_ppm", f"supplier={IMG}", SCRIPT, IMG_FLAG)
    actions.create_action(
        hostile, title=IMG, kpi="defect_ppm", scope_kind="supplier", scope_value=IMG,
        start_date=date(2026, 3, 1), owner=DDE, status="open", notes=LINK,
    )  # fmt: skip
    view = ReviewView("defect_ppm", Scope(), by="supplier", node=IMG, cause=FORMULA)
    html = review_report(gather(hostile, view), f"supplier {IMG}")
    figures = html.count('<div class="figure">')
    assert figures >= 3  # drill-down bars, Pareto, control chart
    text = "".join(assert_inert(html, figures).text)
    for shown in (IMG, SCRIPT, IMG_FLAG, LINK, "'" + DDE, "'" + FORMULA):
        assert shown in text
    cells = Tags(html).cells
    assert "'" + FORMULA in cells and "'" + DDE in cells  # the cause, the action's owner
    assert formula_cells(Tags(html)) == []
