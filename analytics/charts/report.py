"""The meeting export: the current review view as one self-contained HTML file.

A review meeting ends with minutes; this file is them. It opens offline in any browser
(plotly.js is embedded once, inline, never fetched), keeps the charts interactive, and
carries the tables, the root-cause notes and the actions with their verified effect.
Everything that came from data or from a user is escaped (`html.escape`) and, because a
table copied from the page into a spreadsheet would run formula-like cells, neutralised
as the CSV downloads are (`analytics.export.neutralise`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime

import plotly.graph_objects as go

from analytics.charts.review import control_chart, drill_bars, pareto
from analytics.charts.review_tables import (
    ACTION_COLUMNS,
    SIGNAL_COLUMNS,
    action_rows,
    gap_rows,
    signal_rows,
)
from analytics.export import neutralise
from analytics.formatting import DEFAULT_CURRENCY, format_value
from analytics.metrics.registry import KPIS
from analytics.review.control import describe
from analytics.review.meeting import ROWS_IN_REPORT, Meeting
from analytics.review.view import (
    DIMENSIONS,
    MEASURES,
    PLURALS,
    column_label,
    comparable,
    count_noun,
    series_unit,
)

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
STYLE = """
body{font-family:Inter,"Segoe UI",Helvetica,Arial,sans-serif;color:#1e2a33;margin:2rem auto;
max-width:1200px;padding:0 1rem;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #1f5f8b;padding-bottom:.2rem;margin-top:2.4rem}
.scope{color:#55636f;margin-top:0}.caption{color:#55636f;font-size:.95rem}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.95rem}
th,td{border:1px solid #d5dce3;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#eef2f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
.verified{color:#2e7d32;font-weight:600}.worse{color:#c62828;font-weight:600}
.note{white-space:pre-wrap;border-left:4px solid #7a9cb8;padding:.3rem .8rem;margin:.5rem 0}
.figure{margin:.6rem 0 1rem}
"""


@dataclass
class Table:
    """Rows under headings; `units` names the analytics.formatting unit of numeric columns."""

    title: str
    rows: list[dict]
    columns: dict[str, str]  # column -> heading, in display order
    units: dict[str, str] = field(default_factory=dict)
    classes: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> value -> class
    currency: str = DEFAULT_CURRENCY  # of its "money" columns


@dataclass
class Section:
    """A heading and its parts in reading order: captions (str), figures and tables."""

    title: str
    parts: list[str | go.Figure | Table] = field(default_factory=list)
    notes: list[dict] | None = None  # text, author, created_at; None: no notes part


def text(value) -> str:
    """Any value as inert HTML text: neutralised for spreadsheets, then escaped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return html.escape(str(neutralise(value)), quote=True)


def cell(value, unit: str | None = None, currency: str = DEFAULT_CURRENCY) -> tuple[str, bool]:
    """A table cell's HTML and whether it is a number (right-aligned)."""
    if value is None:
        return text(format_value(None, unit) if unit else ""), False
    if isinstance(value, bool):
        return text("yes" if value else "no"), False
    if isinstance(value, int | float):
        return html.escape(number(value, unit, currency)), True
    return text(value), False


def number(value: int | float, unit: str | None, currency: str = DEFAULT_CURRENCY) -> str:
    """A number as the pages write it. Our own text, never a formula: a negative figure
    ("-211 ppm") is shown as it is, not with the apostrophe that defuses a formula."""
    if unit == "count":
        return f"{value:,.0f}"
    if unit:
        return format_value(value, unit, currency)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def table_html(table: Table) -> str:
    heads = "".join(f"<th>{text(h)}</th>" for h in table.columns.values())
    body = []
    for row in table.rows:
        cells = []
        for column in table.columns:
            value = row.get(column)
            content, number = cell(value, table.units.get(column), table.currency)
            css = table.classes.get(column, {}).get(str(value), "")
            css = " ".join(c for c in (css, "num" if number else "") if c)
            cells.append(f'<td class="{css}">{content}</td>' if css else f"<td>{content}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(table.columns)}">none</td></tr>')
    return (
        f"<h3>{text(table.title)}</h3>\n<table><thead><tr>{heads}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def figure_html(fig: go.Figure, first: bool) -> str:
    """The figure's div and data; plotly.js itself only with the first figure."""
    return (
        '<div class="figure">'
        + fig.to_html(
            full_html=False,
            include_plotlyjs=bool(first),
            config=PLOTLY_CONFIG,
            default_width="100%",
        )
        + "</div>"
    )


def notes_html(notes: list[dict]) -> str:
    items = [
        f'<div class="note">{text(n.get("text"))}<br><span class="caption">'
        f"{text(n.get('author'))} · {text(n.get('created_at'))}</span></div>"
        for n in notes
    ]
    return "<h3>Root-cause notes</h3>" + ("".join(items) or '<p class="caption">none</p>')


def render(title: str, scope_text: str, sections: list[Section], generated=None) -> str:
    """The whole report as one HTML document (UTF-8, no external resource)."""
    generated = generated or datetime.now()
    parts: list[str] = []
    first = True
    for section in sections:
        parts.append(f"<h2>{text(section.title)}</h2>")
        for part in section.parts:
            if isinstance(part, go.Figure):
                parts.append(figure_html(part, first))
                first = False
            elif isinstance(part, Table):
                parts.append(table_html(part))
            else:
                parts.append(f'<p class="caption">{text(part)}</p>')
        if section.notes is not None:
            parts.append(notes_html(section.notes))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{text(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{text(title)}</h1>"
        f'<p class="scope">{text(scope_text)} · generated {text(generated)}</p>'
        + "\n".join(parts)
        + "</body></html>"
    )


# -- the review meeting as a report --------------------------------------------------------
def review_report(meeting: Meeting, scope_text: str) -> str:
    """The meeting report of a review view (`analytics.review.meeting.gather`): headline,
    drill-down, Pareto, control chart, actions."""
    view = meeting.view
    kpi = KPIS[view.kpi]
    target, currency = meeting.target, meeting.currency
    headline = f"{kpi.label}: {format_value(meeting.value, kpi.unit, currency)}" + (
        f" against a target of {format_value(target, kpi.unit, currency)}"
        if target is not None
        else ""
    )
    sections = [
        Section("Headline", [headline, kpi.definition]),
        _drill_section(meeting),
        _pareto_section(meeting),
        _control_section(meeting),
        _actions_section(meeting.actions, currency),
    ]
    return render(f"Review: {kpi.label}", scope_text, sections)


def _drill_section(meeting: Meeting) -> Section:
    view = meeting.view
    kpi = KPIS[view.kpi]
    section = Section(f"Drill down: {' › '.join(view.trail())}")
    if not meeting.levels and meeting.rows is None:
        section.parts.append(f"{kpi.label} has no breakdown.")
        return section
    for step, rows in meeting.levels:
        _level(step, rows, meeting.target, section, meeting.currency)
    if meeting.rows is not None:
        rows = meeting.rows
        columns = {c: column_label(c) for c in (rows[0] if rows else {})}
        title = f"The rows behind the figure (at most {ROWS_IN_REPORT})"
        section.parts.append(Table(title, rows, columns))
    section.notes = meeting.notes
    return section


def _level(step, rows: list[dict], target, section: Section, currency: str) -> None:
    """One level's bars and table, titled by where it sits on the path."""
    kpi = KPIS[step.kpi]
    where = " › ".join(step.trail())
    section.parts.append(
        f"{where}: {PLURALS[step.next_by]} ranked by their part of the gap against target."
    )
    noun = count_noun(step.kpi, step.next_by)
    section.parts.append(
        drill_bars(
            rows,
            kpi.unit,
            target=target,
            higher_is_better=kpi.higher_is_better,
            noun=noun,
            judged=comparable(step.kpi, step.next_by),
            currency=currency,
        )
    )
    headings = {
        "key": DIMENSIONS[step.next_by],
        "value": kpi.label,
        "n": noun[:1].upper() + noun[1:] if noun else "COGS",
        "contribution": "Part of the gap" + (" (pts)" if kpi.unit == "rate" else ""),
        "share_of_gap": "Share of the gap",
    }
    units = {"value": kpi.unit, "share_of_gap": "rate", "n": "count" if noun else "money"}
    if kpi.unit != "rate":
        units["contribution"] = kpi.unit
    section.parts.append(Table(where, gap_rows(rows, kpi.unit), headings, units, currency=currency))


def _pareto_section(meeting: Meeting) -> Section:
    view, rows = meeting.view, meeting.pareto
    section = Section(f"Pareto of defect causes ({MEASURES[view.measure].lower()})")
    if not rows:
        section.parts.append("No defects in this period and focus.")
        return section
    vital = ", ".join(str(r["cause"]) for r in rows if r["vital_few"])
    section.parts.append(f"The vital few (up to 80% of the total): {vital}.")
    section.parts.append(pareto(rows, view.measure, currency=meeting.currency))
    columns = {"cause": "Cause", "value": MEASURES[view.measure], "events": "Events"}
    section.parts.append(
        Table(
            "Causes",
            rows,
            {**columns, "share": "Share", "vital_few": "Vital few"},
            {"value": "money" if view.measure == "cost" else "count", "share": "rate"},
            currency=meeting.currency,
        )
    )
    if meeting.cause_suppliers is not None:
        headings = {"supplier": "Supplier", "events": "Events", "qty": "Units", "cost": "Cost"}
        section.parts.append(
            Table(
                f"Suppliers behind {view.cause}",
                meeting.cause_suppliers,
                {**headings, "share": "Share"},
                {"qty": "count", "cost": "money", "share": "rate"},
                currency=meeting.currency,
            )
        )
    return section


def _control_section(meeting: Meeting) -> Section:
    view, chart, label = meeting.view, meeting.chart, meeting.series_label
    unit = series_unit(view.series or view.kpi)
    section = Section(f"Control chart: {label} by week")
    if not chart["points"]:
        section.parts.append("Too few weeks with data for a control chart.")
        return section
    kind = describe(chart)
    rules = ", ".join(str(r) for r in chart["rules"]) or "none"
    section.parts.append(f"{kind}; rules checked: {rules}; limits per phase, split at actions.")
    section.parts.append(control_chart(chart, unit, label, currency=meeting.currency))
    signals = signal_rows(chart, unit, meeting.currency)
    section.parts.append(Table("Weeks that break a rule", signals, SIGNAL_COLUMNS))
    return section


def _actions_section(effects: list[dict], currency: str = DEFAULT_CURRENCY) -> Section:
    rows = action_rows(effects, currency)
    verdicts = {"verified": "verified", "worse": "worse"}
    return Section(
        "Improvement actions and their verified effect",
        [
            "Before and after compare the weeks before the start with the weeks from it on; "
            "verified means p < 0.05 in the wanted direction.",
            Table(
                "Actions", rows, {**ACTION_COLUMNS, "notes": "Notes"}, classes={"verdict": verdicts}
            ),
        ],
    )
