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

from analytics.export import neutralise
from analytics.formatting import format_value

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


@dataclass
class Section:
    title: str
    captions: list[str] = field(default_factory=list)
    figures: list[go.Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)  # text, author, created


def text(value) -> str:
    """Any value as inert HTML text: neutralised for spreadsheets, then escaped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return html.escape(str(neutralise(value)), quote=True)


def cell(value, unit: str | None = None) -> tuple[str, bool]:
    """A table cell's HTML and whether it is a number (right-aligned)."""
    if value is None:
        return text(format_value(None, unit) if unit else ""), False
    if isinstance(value, bool):
        return text("yes" if value else "no"), False
    if isinstance(value, int | float):
        if unit:
            return text(format_value(value, unit)), True
        return text(f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"), True
    return text(value), False


def table_html(table: Table) -> str:
    heads = "".join(f"<th>{text(h)}</th>" for h in table.columns.values())
    body = []
    for row in table.rows:
        cells = []
        for column in table.columns:
            value = row.get(column)
            content, number = cell(value, table.units.get(column))
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
        f"{text(n.get('author') or 'anonymous')} · {text(n.get('created'))}</span></div>"
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
        parts.extend(f'<p class="caption">{text(c)}</p>' for c in section.captions)
        for fig in section.figures:
            parts.append(figure_html(fig, first))
            first = False
        parts.extend(table_html(t) for t in section.tables)
        if section.notes:
            parts.append(notes_html(section.notes))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{text(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{text(title)}</h1>"
        f'<p class="scope">{text(scope_text)} · generated {text(generated)}</p>'
        + "\n".join(parts)
        + "</body></html>"
    )


# -- the review view as a report -----------------------------------------------------------
ROWS_IN_REPORT = 200
BREAKDOWN_COLUMNS = {"key": "Group", "value": "Value", "n": "Rests on", "contribution": "Gap part"}


def review_report(store, view, scope_text: str) -> str:
    """The meeting report of a `ReviewView`: headline, drill-down, Pareto, control chart,
    actions. Computed from the data when asked for (the download button calls it on click).
    """
    from analytics.kpis import overview
    from analytics.metrics import KPIS
    from analytics.targets import get_targets

    kpi = KPIS[view.kpi]
    value = overview(store, view.scope)[view.kpi]
    target = get_targets(store)[view.kpi]["target"]
    headline = f"{kpi.label}: {format_value(value, kpi.unit)}" + (
        f" against a target of {format_value(target, kpi.unit)}" if target is not None else ""
    )
    sections = [
        Section("Headline", [headline, kpi.definition]),
        _drill_section(store, view, target),
        _pareto_section(store, view),
        _control_section(store, view),
        _actions_section(store),
    ]
    return render(f"Review: {kpi.label}", scope_text, sections)


def _drill_section(store, view, target) -> Section:
    from analytics import drill, notes
    from analytics.charts.review import DIMENSIONS, column_label, drill_bars
    from analytics.metrics import KPIS

    kpi = KPIS[view.kpi]
    trail = " › ".join(view.trail())
    section = Section(f"Drill down: {trail}")
    if not drill.GROUPINGS[view.kpi]:
        section.captions.append(f"{kpi.label} has no breakdown.")
        return section
    scope, cause = view.focus()
    if view.next_by is not None:
        rows = drill.breakdown(store, view.kpi, view.next_by, scope, cause=cause)
        section.captions.append(
            f"By {DIMENSIONS[view.next_by].lower()}, ranked by contribution to the gap "
            "against target (largest first)."
        )
        section.figures.append(
            drill_bars(rows, kpi.unit, target=target, higher_is_better=kpi.higher_is_better)
        )
        units = {"value": kpi.unit, "contribution": kpi.unit}
        headings = {**BREAKDOWN_COLUMNS, "key": DIMENSIONS[view.next_by]}
        section.tables.append(Table("Breakdown", rows, headings, units))
    else:
        rows = drill.rows(store, view.kpi, scope, limit=ROWS_IN_REPORT, cause=cause)
        columns = {c: column_label(c) for c in (rows[0] if rows else {})}
        title = f"The rows behind the figure (first {ROWS_IN_REPORT})"
        section.tables.append(Table(title, rows, columns))
    section.notes = notes.notes_for(store, view.kpi, view.path) or [{"text": "none yet"}]
    return section


def _pareto_section(store, view) -> Section:
    from analytics import drill
    from analytics.charts.review import MEASURES, pareto

    scope, _ = view.focus()
    rows = drill.pareto(store, scope, view.measure)
    section = Section(f"Pareto of defect causes ({MEASURES[view.measure].lower()})")
    if not rows:
        section.captions.append("No defects in this period and focus.")
        return section
    vital = ", ".join(str(r["cause"]) for r in rows if r["vital_few"])
    section.captions.append(f"The vital few (up to 80% of the total): {vital}.")
    section.figures.append(pareto(rows, view.measure))
    columns = {"cause": "Cause", "value": MEASURES[view.measure], "events": "Events"}
    section.tables.append(
        Table(
            "Causes",
            rows,
            {**columns, "share": "Share", "vital_few": "Vital few"},
            {"share": "rate", "cumulative_share": "rate"},
        )
    )
    if view.cause is not None:
        suppliers = drill.pareto_suppliers(store, view.cause, scope, view.measure)
        headings = {"supplier": "Supplier", "events": "Events", "qty": "Units", "cost": "Cost"}
        section.tables.append(
            Table(
                f"Suppliers behind {view.cause}",
                suppliers,
                {**headings, "share": "Share"},
                {"cost": "money", "share": "rate"},
            )
        )
    return section


def _control_section(store, view) -> Section:
    from analytics import drill
    from analytics.charts.review import SIGNAL_COLUMNS, control_chart, signal_rows
    from analytics.metrics import KPIS

    kpi = KPIS[view.kpi]
    scope, _ = view.focus()
    chart = drill.control_chart(store, view.kpi, scope, rules=view.rules)
    section = Section(f"Control chart: {kpi.label} by week")
    if not chart["points"]:
        section.captions.append("Too few weeks with data for a control chart.")
        return section
    section.figures.append(control_chart(chart, kpi.unit, kpi.label))
    signals = signal_rows(chart, kpi.unit)
    section.tables.append(Table("Weeks that break a rule", signals, SIGNAL_COLUMNS))
    return section


def _actions_section(store) -> Section:
    from analytics.actions import action_effects
    from analytics.charts.review import ACTION_COLUMNS, action_rows

    rows = action_rows(action_effects(store))
    verdicts = {"verified": "verified", "worse": "worse"}
    return Section(
        "Improvement actions and their verified effect",
        [
            "Before and after compare the weeks before the start with the weeks from it on; "
            "verified means p < 0.05 in the wanted direction."
        ],
        tables=[
            Table(
                "Actions", rows, {**ACTION_COLUMNS, "notes": "Notes"}, classes={"verdict": verdicts}
            )
        ],
    )
