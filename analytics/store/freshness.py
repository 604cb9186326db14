"""How much data the store holds and how fresh it is: the sidebar caption and placeholder pages.

The queries are generated from `analytics.store.schema` (one count and one latest date per
canonical table) rather than kept in `analytics/models/sql/`, because they follow the schema:
a table added there shows up here without another file. Identifiers come from the schema,
never from a user.

"Latest" means the latest thing that happened (an order placed, a receipt, a shipment, a
snapshot), not a promise: promised and requested dates lie in the future and say nothing
about how fresh the data is. The event dates are the schema's (`EVENT_DATES`), the same that
set the default as-of date of every figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from analytics.store.schema import EVENT_DATES, TABLES


@dataclass(frozen=True)
class Freshness:
    """Rows per table, the latest business date in each, and when data last arrived."""

    last_import_at: dt.datetime | None
    rows: dict[str, int]
    latest: dict[str, dt.date | None]
    served_from: str | None = None  # precomputed rollups served read-only: where they came from
    earliest: dict[str, dt.date | None] = field(default_factory=dict)  # first event date


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_summary_sql() -> str:
    """One row per canonical table: name, row count, latest and earliest event dates."""
    parts = []
    for table in TABLES.values():
        names = [_quoted(name) for name in EVENT_DATES.get(table.name, ())]
        latest = f"greatest({', '.join(f'max({n})' for n in names)})" if names else "null::date"
        earliest = f"least({', '.join(f'min({n})' for n in names)})" if names else "null::date"
        parts.append(
            f"select '{table.name}' as table_name, count(*) as row_count, "
            f"{latest} as latest_date, {earliest} as earliest_date from {_quoted(table.name)}"
        )
    return "\nunion all\n".join(parts)


def table_counts(store) -> dict[str, int]:
    """Rows per canonical table, in schema order (the order pages list them)."""
    return freshness(store).rows


def freshness(store) -> Freshness:
    """Everything the sidebar says about the data, read in one lease of the database."""
    with store.connect() as cur:
        summary = cur.execute(_table_summary_sql()).fetchall()
        last = cur.execute(
            "select max(imported_at) from imports where status = 'imported' and undone_at is null"
        ).fetchone()[0]
    by_name = {name: (int(count), latest, first) for name, count, latest, first in summary}
    return Freshness(
        last_import_at=last,
        rows={name: by_name[name][0] for name in TABLES},
        latest={name: by_name[name][1] for name in TABLES},
        served_from=store.served_from,
        earliest={name: by_name[name][2] for name in TABLES},
    )


def freshness_lines(f: Freshness) -> list[str]:
    """Short plain lines for the narrow sidebar, e.g. 'Deliveries 1,204 · to 2024-06-28'."""
    when = f.last_import_at.strftime("%Y-%m-%d %H:%M") if f.last_import_at else "never"
    lines = [f"{f.served_from} (read-only)" if f.served_from else f"Last import {when}"]
    for name in TABLES:
        line = f"{name.capitalize()} {f.rows[name]:,}"
        if f.latest[name] is not None:
            line += f" · to {f.latest[name]:%Y-%m-%d}"
        lines.append(line)
    return lines
