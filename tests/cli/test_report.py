"""`python -m analytics report`: the Review page's meeting report, without a browser."""

from __future__ import annotations

import re
from datetime import date

from analytics.charts.report import review_report
from analytics.models.params import Scope, scope_text
from analytics.review.meeting import gather
from analytics.review.view import ReviewView
from tests.conftest import cli

# what differs between two builds of one report: the time and plotly's random div ids
VOLATILE = re.compile(
    r"generated \d{4}-\d\d-\d\d \d\d:\d\d|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"
)


def test_the_report_is_the_one_the_review_page_downloads(demo, tmp_path):
    out = tmp_path / "otif.html"
    done = cli(
        "report",
        "--db",
        demo.path,
        "--kpi",
        "otif_rate",
        "--node",
        "Oberland Drehteile GmbH",
        "--rules",
        "1,2",
        "--start",
        "2026-01-01",
        "--end",
        "2026-06-30",
        "--out",
        out,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {out} (")
    # what ui.review.meeting.export_button builds for the same view and period
    scope = Scope(start=date(2026, 1, 1), end=date(2026, 6, 30))
    view = ReviewView("otif_rate", scope, node="Oberland Drehteile GmbH", rules=(1, 2))
    page = review_report(gather(demo, view), scope_text(scope))
    written = out.read_text(encoding="utf-8")
    assert VOLATILE.sub("", written) == VOLATILE.sub("", page)
    assert "01 Jan 2026 – 30 Jun 2026" in written and "<h2>Control chart" in written


def test_bad_report_arguments_exit_2(demo, tmp_path):
    for args, message in (
        (["--kpi", "nope"], "unknown KPI 'nope'"),
        (["--kpi", "otif_rate", "--by", "cause"], "not by 'cause'"),
    ):
        done = cli("report", "--db", demo.path, *args, "--out", tmp_path / "r.html")
        assert done.returncode == 2 and message in done.stderr
    done = cli(
        "report", "--db", demo.path, "--kpi", "otif_rate", "--out", tmp_path / "no" / "r.html"
    )
    assert done.returncode == 2 and "no such folder" in done.stderr
    assert not (tmp_path / "r.html").exists()
