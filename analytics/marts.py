"""Materialised models: the expensive per-line work done once per data version.

Grouping millions of receipts into PO lines on every page view is what makes a dashboard
slow. After each write (import, undo, settings change) `refresh` stores the per-line facts,
the valued receipts and snapshots, the sku dimension and the stock position at the default
as-of date as tables, sorted so that a period filter skips whole row groups. `usable` tells
a query which of them answer it exactly: the data has not changed since, the parameters
the mart depends on are the same, and the query's as-of date cuts off no event the mart
holds. Otherwise the models run from the canonical tables: slower, the same numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from analytics import models
from analytics.db import bump_version

FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class Mart:
    name: str
    order_by: str  # stored sorted by this column, so period filters prune row groups
    depends: tuple[str, ...] = ()  # parameters whose values must match the build's
    bounded_by: tuple[str, ...] = ()  # tables whose event dates must not pass the as-of
    at_default_as_of: bool = False  # built for the default as-of only (depends on it)


EVENT_DATES = {
    "deliveries": ("order_date", "received_date"),
    "orders": ("order_date", "shipped_date"),
}
MARTS = {
    m.name: m
    for m in (
        Mart("dim_sku", "sku"),
        Mart("receipt_facts", "received_date"),
        Mart("snapshot_facts", "date"),
        Mart(
            "po_line_facts",
            "promised_date",
            ("late_tol", "early_tol", "in_full_tol"),
            ("deliveries",),
        ),
        Mart("order_line_facts", "requested_date", ("late_tol", "in_full_tol"), ("orders",)),
        Mart(
            "sku_stock",
            "sku",
            ("as_of", "demand_start", "dead_start", "target_cover", "sku", "category"),
            at_default_as_of=True,
        ),
    )
}


def ensure_table(cur) -> None:
    cur.execute("""
        CREATE TABLE IF NOT EXISTS marts (
            name VARCHAR PRIMARY KEY, data_version BIGINT NOT NULL, params VARCHAR NOT NULL,
            valid_from DATE)""")


def _data_version(cur) -> int:
    row = cur.execute("SELECT value FROM meta WHERE name = 'data_version'").fetchone()
    return row[0] if row else 0


def _latest_event(cur, tables) -> date | None:
    parts = [f"select max({col}) as d from {t}" for t in tables for col in EVENT_DATES[t]]
    if not parts:
        return None
    return cur.execute(f"select max(d) from ({' union all '.join(parts)})").fetchone()[0]


def params_key(mart: Mart, params: dict) -> str:
    """The values of the parameters a mart depends on, as stored with it."""
    return json.dumps({k: params[k] for k in mart.depends}, default=str)


def refresh(cur) -> None:
    """Rebuild every mart for the current data and settings, in one transaction."""
    from analytics.kpis import resolve

    ensure_table(cur)
    default = resolve(cur)
    version = _data_version(cur)
    built: set[str] = set()
    cur.execute("BEGIN TRANSACTION")
    try:
        for mart in MARTS.values():
            params = default if mart.at_default_as_of else {**default, "as_of": FAR_FUTURE}
            sql = models.duckdb_dialect(models.compose(mart.name, frozenset(built)))
            cur.execute(
                f"CREATE OR REPLACE TABLE mart_{mart.name} AS "
                f"SELECT * FROM ({sql}) ORDER BY {mart.order_by}",
                {k: params[k] for k in models.parameters(sql)},
            )
            cur.execute(
                "INSERT OR REPLACE INTO marts VALUES (?, ?, ?, ?)",
                [mart.name, version, params_key(mart, params), _latest_event(cur, mart.bounded_by)],
            )
            built.add(mart.name)
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


def refresh_store(store) -> None:
    with store.writer() as cur:
        refresh(cur)


def usable(cur, params: dict) -> frozenset[str]:
    """The marts that give exactly what the models would compute for these parameters."""
    ensure_table(cur)
    version = _data_version(cur)
    found = set()
    for name, stored_version, key, valid_from in cur.execute(
        "SELECT name, data_version, params, valid_from FROM marts"
    ).fetchall():
        if stored_version == version and answers(name, key, valid_from, params):
            found.add(name)
    return frozenset(found)


def answers(name: str, key: str, valid_from: date | None, params: dict) -> bool:
    """Whether a mart built with `key`, holding events up to `valid_from`, gives exactly
    what its model computes for `params` (the data being the same)."""
    mart = MARTS.get(name)
    if mart is None or key != params_key(mart, params):
        return False
    return valid_from is None or params["as_of"] >= valid_from


def bump_keeping_marts(cur) -> None:
    """Move the data version on (cached pages refresh) without outdating the marts.

    Targets, actions and notes change no figure a mart holds, but marts are trusted only at
    the data version they were built for: marts current before this write stay current.
    """
    ensure_table(cur)
    (before,) = cur.execute(
        "select coalesce(max(value), 0) from meta where name = 'data_version'"
    ).fetchone()
    bump_version(cur)
    cur.execute(
        """update marts set data_version = (select value from meta where name = 'data_version')
        where data_version = ?""",
        [before],
    )
