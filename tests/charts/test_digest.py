"""The digest as text and HTML: grouped by kind, with where each signal shows."""

from __future__ import annotations

from datetime import date

from analytics.charts.digest import digest_html, digest_text

SINCE, AS_OF = date(2026, 10, 24), date(2026, 10, 31)
FOUND = [
    {
        "key": "red:S1:N:x",
        "kind": "red",
        "title": "S1 at Nord entered red: order 100",
        "page": "pull",
        "params": {},
    },
    {
        "key": "late_line:P:1:x",
        "kind": "late_line",
        "title": "<script>alert(1)</script>: PO P/1 (S1) is 15 days late, 3 open",
        "page": "suppliers",
        "params": {},
    },
    {
        "key": "spc:otif_rate:x",
        "kind": "spc",
        "title": "Supplier OTIF: rule 1",
        "page": "review",
        "params": {},
    },
]


def test_text_groups_by_kind_in_a_fixed_order():
    assert digest_text(FOUND, SINCE, AS_OF) == (
        "Takt: 3 new signals between 2026-10-24 and 2026-10-31\n"
        "\nControl chart signal (1):\n"
        "  - Supplier OTIF: rule 1  [Review page]\n"
        "\nSKU entered red (1):\n"
        "  - S1 at Nord entered red: order 100  [Pull page]\n"
        "\nLate open line (1):\n"
        "  - <script>alert(1)</script>: PO P/1 (S1) is 15 days late, 3 open  [Suppliers page]\n"
    )
    assert digest_text([], SINCE, AS_OF) == "Takt: nothing new between 2026-10-24 and 2026-10-31\n"


def test_html_escapes_what_came_from_the_data():
    page = digest_html(FOUND, SINCE, AS_OF)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;: PO P/1" in page
    assert "<h2>Late open line</h2>" in page and "<title>Takt: 3 new signals" in page
    assert "No signal since the last digest." in digest_html([], SINCE, AS_OF)
