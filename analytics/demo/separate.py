"""Moving the demo plant out of a user's store, where an earlier Takt put it.

Before issue 16 the app loaded the demo into the user's own store on first start, so the
user's first import was added to an invented plant. Such a store is recognised by its
import history: a live import of one of the demo's file names into that file's table
(`files.SAMPLE_FILES`, five of them). Moving the demo out undoes those imports together,
in one transaction:
- the rows they wrote go, and their versions kept for undo go too, so undoing one of the
  user's imports later never brings a demo row back;
- a user's row that a demo import had replaced comes back (unless a later import of the
  user's holds its key now);
- the demo's own improvement action goes; the user's imports, settings, targets, notes and
  actions stay as they are.
The imports stay in the history, marked undone, so the store says what happened to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.demo.samples import DEMO_ACTION, SAMPLE_FILES
from analytics.models.materialize import refresh
from analytics.store.connection import retry_conflicts
from analytics.store.schema import TABLES
from analytics.store.version import bump_version

MOVED_NOTE = "Moved out with the demo plant."


@dataclass(frozen=True)
class MovedOut:
    imports: tuple[int, ...]  # the demo's imports, now undone
    removed: int  # rows of the demo taken out of the canonical tables
    restored: int  # rows of the user's that a demo import had replaced, back in place

    def message(self) -> str:
        if not self.imports:
            return "This store holds no import of the demo plant: nothing to move out."
        ids = ", ".join(f"#{i}" for i in self.imports)
        return (
            f"The demo plant moved out of your store: imports {ids} undone, {self.removed:,} "
            f"demo rows removed, {self.restored:,} of your rows put back. Your own imports "
            "are untouched."
        )


def demo_imports(store) -> list[dict]:
    """The live imports of the demo's files in this store, oldest first."""
    with store.connect() as cur:
        return _demo_imports(cur)


def _demo_imports(cur) -> list[dict]:
    rows = cur.execute(
        "select import_id, file_name, kind, imported_at, inserted from imports "
        "where status = 'imported' order by import_id"
    ).fetchall()
    keys = ("import_id", "file_name", "kind", "imported_at", "inserted")
    return [dict(zip(keys, r, strict=True)) for r in rows if SAMPLE_FILES.get(r[1]) == r[2]]


def move_demo_out(store) -> MovedOut:
    """Undo every demo import of the store at once; the user's imports stay intact."""
    with store.writer() as cur:
        moved = retry_conflicts(lambda: _move_out(cur))
        if moved.imports:
            retry_conflicts(lambda: refresh(cur))
    return moved


def _move_out(cur) -> MovedOut:
    ids = [row["import_id"] for row in _demo_imports(cur)]
    if not ids:
        return MovedOut((), 0, 0)
    cur.execute("BEGIN TRANSACTION")
    try:
        removed = restored = 0
        for name, table in TABLES.items():
            r, b = _take_out(cur, name, table, ids)
            removed, restored = removed + r, restored + b
        cur.execute(
            "update imports set status = 'undone', undone_at = now()::timestamp, "
            "message = trim(coalesce(message, '') || ' ' || ?) "
            "where import_id in (select unnest(?))",
            [MOVED_NOTE, ids],
        )
        cur.execute("delete from actions where title = ?", [DEMO_ACTION])
        bump_version(cur)
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    return MovedOut(tuple(ids), removed, restored)


def _take_out(cur, name: str, table, ids: list[int]) -> tuple[int, int]:
    """One table: the demo's rows out, the user's rows they replaced back (key still free)."""
    cols = ", ".join(c.name for c in table.columns)
    free = " and ".join(f"t.{k} is not distinct from p.{k}" for k in table.key)
    removed = cur.execute(
        f"delete from {name} where import_id in (select unnest(?))", [ids]
    ).fetchone()[0]
    restored = cur.execute(
        f"insert into {name} ({cols}, import_id) select {cols}, import_id from {name}__prior p "
        "where replaced_by in (select unnest($ids)) "
        "and coalesce(import_id, -1) not in (select unnest($ids)) "
        f"and not exists (select 1 from {name} t where {free})",
        {"ids": ids},
    ).fetchone()[0]
    cur.execute(
        f"delete from {name}__prior where replaced_by in (select unnest($ids)) "
        "or import_id in (select unnest($ids))",
        {"ids": ids},
    )
    return removed, restored
