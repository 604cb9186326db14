"""The digest of new signals as text (cron mail, chat) and as one offline HTML page.

Drawn from the plain dicts of `analytics.review.signals`; nothing here reads the store.
Titles carry names from the data, so the HTML goes through the meeting report's escaping.
"""

from __future__ import annotations

from datetime import date

from analytics.charts.report import Section, Table, render
from analytics.review.signals import KINDS

PAGE_NAMES = {
    "review": "Review",
    "pull": "Pull",
    "design": "Design",
    "suppliers": "Suppliers",
}


def heading(count: int, since: date, as_of: date) -> str:
    noun = "signal" if count == 1 else "signals"
    return f"Takt: {count} new {noun} between {since} and {as_of}"


def digest_text(found: list[dict], since: date, as_of: date) -> str:
    """One line per signal under its kind, with the page where it shows."""
    if not found:
        return f"Takt: nothing new between {since} and {as_of}\n"
    lines = [heading(len(found), since, as_of)]
    for kind, label in KINDS.items():
        mine = [s for s in found if s["kind"] == kind]
        if not mine:
            continue
        lines.append(f"\n{label} ({len(mine)}):")
        lines += [f"  - {s['title']}  [{PAGE_NAMES[s['page']]} page]" for s in mine]
    return "\n".join(lines) + "\n"


def digest_html(found: list[dict], since: date, as_of: date) -> str:
    """The same lines as tables by kind, in one self-contained page."""
    sections = [
        Section(
            label,
            [
                Table(
                    f"{label}: {len(mine)}",
                    [{"title": s["title"], "page": PAGE_NAMES[s["page"]]} for s in mine],
                    {"title": "Signal", "page": "Shows on"},
                )
            ],
        )
        for kind, label in KINDS.items()
        if (mine := [s for s in found if s["kind"] == kind])
    ]
    if not sections:
        sections = [Section("Nothing new", ["No signal since the last digest."])]
    return render(heading(len(found), since, as_of), f"since {since}", sections)
