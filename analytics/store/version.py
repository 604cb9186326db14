"""The data version, and what each write changed.

Cached page results are keyed on the version, and stored facts are trusted only at the
version they were built for. Every write also says which canonical tables it changed (and,
for deliveries, which PO lines), in the same transaction as the data: the next refresh
rebuilds only the facts those tables feed, and a refresh that never ran (the process was
killed after the commit) leaves the record for the next one.
"""

from __future__ import annotations

from collections.abc import Iterable

from analytics.store.schema import TABLES

# The line a row belongs to, for the tables whose stored facts are rebuilt per touched line:
# a PO line (its receipts) and a customer order line.
LINE_KEYS = {"deliveries": ("po_number", "po_line"), "orders": ("order_number", "order_line")}


def current_version(cur) -> int:
    row = cur.execute("SELECT value FROM meta WHERE name = 'data_version'").fetchone()
    return row[0] if row else 0


def data_version(store) -> int:
    """The store's data version, on a lease of its own: what every cached page result is
    keyed on. Here, not in the importer, so a page reads it without loading the importer
    (issue 16: the first page's imports)."""
    with store.connect() as cur:
        return current_version(cur)


def bump_version(cur, changed: Iterable[str] | None = None) -> None:
    """Every write moves the data version on, so cached results keyed on it expire.

    `changed` names the canonical tables the write changed; None (the safe default) says
    every one, so their facts are all rebuilt. A write that records its own changes
    (`record_change`) or changes only settings passes an empty tuple."""
    cur.execute("""
        INSERT INTO meta VALUES ('data_version', 1)
        ON CONFLICT (name) DO UPDATE SET value = meta.value + 1""")
    for table in TABLES if changed is None else changed:
        record_change(cur, table)


def record_change(cur, table: str, lines: str | None = None, params: Iterable = ()) -> None:
    """The write at the current version changed `table`. For a table of LINE_KEYS, `lines`
    is a query of the line keys it touched (bound with `params`), so only their facts are
    rebuilt; without it every fact of the table is."""
    version = current_version(cur)
    cur.execute("INSERT INTO changes VALUES (?, ?, ?)", [version, table, lines is not None])
    if lines is not None:
        number, line = LINE_KEYS[table]
        cur.execute(
            f"INSERT INTO changed_lines SELECT DISTINCT ?, ?, {number}, {line} "
            f"FROM ({lines}) AS touched",
            [version, table, *params],
        )


def bump_keeping_facts(cur) -> None:
    """Move the data version on (cached pages refresh) without outdating the stored facts.

    Targets, actions and notes change no figure a stored fact holds, but facts are trusted
    only at the data version they were built for: those current before this write stay so.
    """
    (before,) = cur.execute(
        "select coalesce(max(value), 0) from meta where name = 'data_version'"
    ).fetchone()
    bump_version(cur, changed=())
    cur.execute(
        """update marts set data_version = (select value from meta where name = 'data_version')
        where data_version = ?""",
        [before],
    )
