"""A supplier pack as one offline HTML page (`analytics.review.pack.Pack` in, HTML out).

Made for the supplier, not for us: plain headings, what each figure means, the lines to
confirm. It uses the meeting report's page (plotly.js inline once, every value escaped and
defused), so a supplier name like `<script>` stays text; names drawn inside charts go
through `plain` first, as on the Review page.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

from analytics.charts import COLORS, styled, trend
from analytics.charts.report import Section, Table, render
from analytics.charts.review import plain
from analytics.charts.review_tables import ACTION_COLUMNS, action_rows
from analytics.charts.suppliers import defect_causes, lead_time_histogram
from analytics.formatting import format_value
from analytics.review.pack import Pack

GRADE_LINES = ((90, "A"), (75, "B"), (60, "C"))
LATE = {
    "po_number": "PO",
    "po_line": "Line",
    "sku": "SKU",
    "promised_date": "Promised",
    "days_late": "Days late",
    "ordered_qty": "Ordered",
    "delivered_qty": "Received",
    "open_qty": "Open",
}
HITS = {
    "order_number": "Customer order",
    "order_line": "Line",
    "customer": "Customer",
    "sku": "SKU",
    "requested_date": "Requested",
    "po_number": "Our PO",
    "po_line": "PO line",
    "owed_qty": "Owed on that day",
    "share": "Your share",
    "value_hit": "Value hit",
}


def file_name(rank: int, supplier: str) -> str:
    """A safe file name: position, then the name's letters and digits (never a path)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", supplier).strip("-")[:60] or "supplier"
    return f"{rank:02d}-{slug}.html"


def rank_text(pack: Pack) -> str:
    card = pack.card
    if card["score"] is None:
        return "No score in this period: no due PO lines or receipts to judge."
    text = (
        f"Score {card['score']:.0f} of 100, grade {card['grade']}, rank {card['score_rank']} "
        f"of {pack.suppliers}"
    )
    before = pack.rank_before
    if before is None:
        return text + " (not ranked in the previous period)."
    moved = before - card["score_rank"]
    change = "unchanged" if moved == 0 else f"{'up' if moved > 0 else 'down'} {abs(moved)}"
    return text + f" (previous period: rank {before}, {change})."


def figures_table(pack: Pack) -> Table:
    c = pack.card
    rows = [
        {"figure": "OTIF (on time, in full)", "value": format_value(c["otif_rate"], "rate")},
        {"figure": "On time", "value": format_value(c["on_time_rate"], "rate")},
        {"figure": "In full", "value": format_value(c["in_full_rate"], "rate")},
        {"figure": "Due PO lines", "value": f"{c['due_lines'] or 0:,}"},
        {"figure": "Lead time (mean)", "value": format_value(c["lead_time_mean_days"], "days")},
        {"figure": "Lead time (p95)", "value": format_value(c["lead_time_p95_days"], "days")},
        {"figure": "Defects (PPM)", "value": format_value(c["defect_ppm"], "ppm")},
        {"figure": "Late open lines", "value": f"{c['late_open_lines'] or 0:,}"},
        {"figure": "Customer lines your misses hit", "value": f"{c['customer_lines_hit']:,}"},
        {
            "figure": "Value of those lines (your share)",
            "value": format_value(c["value_hit"], "money"),
        },
    ]
    return Table("Figures of the period", rows, {"figure": "Figure", "value": "Value"})


def history_chart(history: list[dict]) -> go.Figure:
    """Monthly score; a month without due lines is a gap, never a 0."""
    fig = go.Figure(
        go.Scatter(
            x=[h["month"] for h in history],
            y=[h["score"] for h in history],
            mode="lines+markers",
            line=dict(color=COLORS["primary"], width=3),
            marker=dict(size=8),
            customdata=[[h["grade"] or "no data", h["due_lines"]] for h in history],
            hovertemplate="%{x|%b %Y}: %{y:.0f} (%{customdata[0]}), "
            "%{customdata[1]} due lines<extra></extra>",
            connectgaps=False,
        )
    )
    for value, grade in GRADE_LINES:
        fig.add_hline(
            y=value,
            line=dict(color=COLORS["neutral"], dash="dot", width=1),
            annotation_text=f"{grade}: {value}+",
            annotation_position="top left",
        )
    fig = styled(fig, 340)
    fig.update_yaxes(range=[0, 105], title="Score")
    fig.update_xaxes(tickformat="%b %Y", dtick="M1")
    return fig


def supplier_pack(pack: Pack) -> str:
    """The whole pack as one self-contained HTML page."""
    return render(
        f"Supplier pack: {pack.supplier}",
        pack.scope_text,
        [
            Section("Score and grade", [rank_text(pack), figures_table(pack)]),
            _history(pack),
            _otif(pack),
            _lead_times(pack),
            _late(pack),
            _defects(pack),
            _actions(pack),
            _hits(pack),
        ],
    )


def _history(pack: Pack) -> Section:
    section = Section("Score month by month")
    if not any(h["score"] is not None for h in pack.history):
        section.parts.append("No month of the period had PO lines due.")
        return section
    section.parts.append(
        "Each month scored on its own lines (OTIF 50%, quality 30%, lead-time reliability "
        "20%). A month without due lines has no score: the line breaks there."
    )
    section.parts.append(history_chart(pack.history))
    return section


def _otif(pack: Pack) -> Section:
    section = Section("OTIF trend")
    points = pack.otif
    if not points:
        section.parts.append("No PO lines were due in the period.")
        return section
    section.parts.append(
        f"Share of due PO lines received complete by the promised date, by {pack.grain}."
    )
    section.parts.append(
        trend(
            [p["bucket"] for p in points],
            [p["otif_rate"] for p in points],
            "rate",
            "OTIF",
            counts=[p["due_lines"] for p in points],
        )
    )
    return section


def _lead_times(pack: Pack) -> Section:
    section = Section("Lead time: how long orders took")
    if not pack.lead_times:
        section.parts.append("Nothing was received in the period.")
        return section
    section.parts.append("PO lines received in the period by days from order to last receipt.")
    card = pack.card
    section.parts.append(
        lead_time_histogram(
            pack.lead_times, card["lead_time_mean_days"], card["lead_time_p95_days"]
        )
    )
    return section


def _late(pack: Pack) -> Section:
    return Section(
        "Late open lines: please confirm a date",
        [
            "PO lines promised before the as-of date and not yet received in full, most "
            "overdue first.",
            Table(
                "Late open lines",
                pack.late_lines,
                LATE,
                {"ordered_qty": "count", "delivered_qty": "count", "open_qty": "count"},
            ),
        ],
    )


def _defects(pack: Pack) -> Section:
    section = Section("Defects by cause")
    if not pack.defects:
        section.parts.append("No defects attributed to you in the period.")
        return section
    drawn = [{**r, "cause": plain(r["cause"])} for r in pack.defects]
    section.parts.append(defect_causes(drawn))
    section.parts.append(
        Table(
            "Defective units by cause",
            pack.defects,
            {
                "cause": "Cause",
                "qty": "Units",
                "share": "Share",
                "cumulative_share": "Running share",
            },
            {"qty": "count", "share": "rate", "cumulative_share": "rate"},
        )
    )
    return section


def _actions(pack: Pack) -> Section:
    return Section(
        "Improvement actions about you",
        [
            "Verified means the figure moved the wanted way with p < 0.05.",
            Table("Actions", action_rows(pack.actions), ACTION_COLUMNS),
        ],
    )


def _hits(pack: Pack) -> Section:
    return Section(
        "Customer lines your misses hit",
        [
            "Customer lines we missed while stock was short and your PO lines of that item "
            "were still open; each line's value is shared by what each supplier still owed.",
            Table(
                "Customer lines hit",
                pack.hits,
                HITS,
                {"owed_qty": "count", "share": "rate", "value_hit": "money"},
            ),
        ],
    )
