"""The import history, its undo, and the data version pages cache on.

Undo puts the database back exactly as it was before an import: rows the import inserted
are deleted and rows it replaced come back from `<table>__prior`. If a later import has
replaced rows this one wrote, undoing it would lose that later work, so it is refused
until the later import is undone first.
"""

from __future__ import annotations

import duckdb

from analytics.models.materialize import refresh
from analytics.store.connection import retry_conflicts
from analytics.store.schema import TABLES
from analytics.store.version import LINE_KEYS, bump_version, record_change


class UndoRefused(Exception):
    """An undo that cannot be done; the message says why and what to do instead."""


HISTORY_COLUMNS = (
    "import_id",
    "file_name",
    "sha256",
    "kind",
    "imported_at",
    "rows_read",
    "inserted",
    "updated",
    "unchanged",
    "rejected",
    "status",
    "message",
    "undone_at",
)


def list_imports(store) -> list[dict]:
    with store.connect() as cur:
        rows = cur.execute(
            f"SELECT {', '.join(HISTORY_COLUMNS)} FROM imports ORDER BY import_id DESC"
        ).fetchall()
    return [dict(zip(HISTORY_COLUMNS, row, strict=True)) for row in rows]


def undo_import(store, import_id: int) -> str:
    with store.writer() as cur:
        message = retry_conflicts(lambda: _undo(cur, import_id))
        try:
            retry_conflicts(lambda: refresh(cur))
        except duckdb.TransactionException:
            # The undo is committed; stale marts only make pages slower until the next write.
            message += " The stored per-line facts will be rebuilt on the next write."
    return message


def _undo(cur, import_id: int) -> str:
    row = cur.execute(
        "SELECT file_name, status, undone_at FROM imports WHERE import_id = ?", [import_id]
    ).fetchone()
    if row is None:
        raise UndoRefused(f"there is no import #{import_id}")
    file_name, status, undone_at = row
    if status != "imported":
        raise UndoRefused(
            f"import #{import_id} ({file_name}) was already undone on {undone_at:%Y-%m-%d %H:%M}"
        )
    _refuse_if_overwritten(cur, import_id)
    cur.execute("BEGIN TRANSACTION")
    try:
        bump_version(cur, changed=())  # first: _restore records what it changes at it
        restored, removed = _restore(cur, import_id)
        cur.execute(
            "UPDATE imports SET status = 'undone', undone_at = now()::TIMESTAMP "
            "WHERE import_id = ?",
            [import_id],
        )
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    return (
        f"Import #{import_id} ({file_name}) undone: {removed} rows removed, "
        f"{restored} earlier rows restored."
    )


def _refuse_if_overwritten(cur, import_id: int) -> None:
    later = set()
    for name in TABLES:
        later |= {
            r[0]
            for r in cur.execute(
                f"SELECT DISTINCT replaced_by FROM {name}__prior WHERE import_id = ?", [import_id]
            ).fetchall()
        }
    if later:
        rows = cur.execute(
            "SELECT import_id, file_name, imported_at FROM imports "
            "WHERE import_id IN (SELECT unnest(?)) ORDER BY import_id DESC",
            [sorted(later)],
        ).fetchall()
        names = "; ".join(f"#{i} {f} on {t:%Y-%m-%d %H:%M}" for i, f, t in rows)
        raise UndoRefused(
            f"rows of import #{import_id} were changed by later imports ({names}); undo those first"
        )


def _restore(cur, import_id: int) -> tuple[int, int]:
    restored = removed = 0
    for name, table in TABLES.items():
        cols = ", ".join(c.name for c in table.columns)
        _record_undo(cur, name, import_id)
        removed += cur.execute(f"DELETE FROM {name} WHERE import_id = ?", [import_id]).fetchone()[0]
        restored += cur.execute(
            f"INSERT INTO {name} ({cols}, import_id) SELECT {cols}, import_id "
            f"FROM {name}__prior WHERE replaced_by = ?",
            [import_id],
        ).fetchone()[0]
        cur.execute(f"DELETE FROM {name}__prior WHERE replaced_by = ?", [import_id])
    return restored, removed


def _record_undo(cur, name: str, import_id: int) -> None:
    """Before the undo: the rows it removes and the rows it restores share their keys, so
    the PO lines of both are the lines whose facts change."""
    keys = ", ".join(LINE_KEYS.get(name, ()))
    lines = (
        f"SELECT {keys} FROM {name} WHERE import_id = ? "
        f"UNION ALL SELECT {keys} FROM {name}__prior WHERE replaced_by = ?"
    )
    touched = cur.execute(
        f"SELECT EXISTS (SELECT 1 FROM {name} WHERE import_id = ?) "
        f"OR EXISTS (SELECT 1 FROM {name}__prior WHERE replaced_by = ?)",
        [import_id, import_id],
    ).fetchone()[0]
    if touched:
        record_change(cur, name, *((lines, [import_id, import_id]) if name in LINE_KEYS else ()))
