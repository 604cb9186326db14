"""The meeting report download: every tab of the current view in one HTML file.

The report runs every tab's queries, so it is built only when someone clicks (a callable
`data`), never on a rerun. The button is drawn last, once the tabs have set the view, into
a slot the page reserved next to the headline.
"""

from __future__ import annotations

from datetime import date

from analytics.charts.report import review_report
from analytics.review.meeting import gather
from analytics.review.view import ReviewView
from ui.cache import store


def export_button(slot, view: ReviewView, text: str) -> None:
    """The meeting report, built only when someone clicks (it runs every tab's queries)."""
    path = store().path
    slot.download_button(
        "Download meeting report (HTML)",
        data=lambda: review_report(gather(store(path), view), text),
        file_name=f"review-{view.kpi}-{date.today():%Y-%m-%d}.html",
        mime="text/html",
        icon=":material/summarize:",
        on_click="ignore",
        key="export",
    )
