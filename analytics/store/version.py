"""The data version: one number that moves on with every write.

Cached page results are keyed on it, and stored facts are trusted only at the version they
were built for.
"""

from __future__ import annotations


def current_version(cur) -> int:
    row = cur.execute("SELECT value FROM meta WHERE name = 'data_version'").fetchone()
    return row[0] if row else 0


def bump_version(cur) -> None:
    """Every write moves the data version on, so cached results keyed on it expire."""
    cur.execute("""
        INSERT INTO meta VALUES ('data_version', 1)
        ON CONFLICT (name) DO UPDATE SET value = meta.value + 1""")


def bump_keeping_facts(cur) -> None:
    """Move the data version on (cached pages refresh) without outdating the stored facts.

    Targets, actions and notes change no figure a stored fact holds, but facts are trusted
    only at the data version they were built for: those current before this write stay so.
    """
    (before,) = cur.execute(
        "select coalesce(max(value), 0) from meta where name = 'data_version'"
    ).fetchone()
    bump_version(cur)
    cur.execute(
        """update marts set data_version = (select value from meta where name = 'data_version')
        where data_version = ?""",
        [before],
    )
