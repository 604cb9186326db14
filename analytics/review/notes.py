"""Root-cause notes attached to a node of the Review drill-down, stored in DuckDB.

A review meeting writes down why a figure looks the way it does (five whys, the
countermeasure agreed) where it found the cause. A node is a KPI and a drill path
(`analytics.drill.make_path`, e.g. "supplier=Acme/sku=SKU-1"; "" is the KPI itself), so the
note is there again whenever anyone opens that node.
"""

from __future__ import annotations

from analytics.metrics.registry import KPIS
from analytics.review.path import make_path, parse_path
from analytics.store.version import bump_keeping_facts


def _node(kpi: str, path: str) -> tuple[str, str]:
    if kpi not in KPIS:
        raise ValueError(f"unknown KPI {kpi!r}")
    return kpi, make_path(parse_path(path or ""))  # one spelling per node


def add_note(store, kpi: str, path: str, text: str, author: str) -> int:
    """Attach a note to a node; returns its id."""
    kpi, path = _node(kpi, path)
    text, author = (text or "").strip(), (author or "").strip()
    if not text:
        raise ValueError("a note needs some text")
    if not author:
        raise ValueError("a note needs an author")
    with store.writer() as cur:
        (note_id,) = cur.execute("select coalesce(max(note_id), 0) + 1 from notes").fetchone()
        cur.execute(
            "insert into notes values (?, ?, ?, ?, ?, now()::timestamp)",
            [note_id, kpi, path, text, author],
        )
        bump_keeping_facts(cur)
    return note_id


def notes_for(store, kpi: str, path: str) -> list[dict]:
    """The notes of one node, newest first."""
    kpi, path = _node(kpi, path)
    return _select(store, "where kpi = ? and path = ?", [kpi, path])


def all_notes(store, kpi: str | None = None) -> list[dict]:
    """Every note (of one KPI), newest first: for the meeting export."""
    if kpi is None:
        return _select(store, "", [])
    return _select(store, "where kpi = ?", [_node(kpi, "")[0]])


def _select(store, where: str, params: list) -> list[dict]:
    with store.connect() as cur:
        result = cur.execute(
            f"select * from notes {where} order by created_at desc, note_id desc", params
        )
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
