"""Materialised models: the expensive per-line work done once per data version.

Grouping millions of receipts into PO lines on every page view is what makes a dashboard
slow. After each write (import, undo, settings change) `refresh` stores the per-line facts
and the sku dimension as tables; `usable` tells a query which of them answer it exactly:
the data has not changed since, the tolerances are the same, and the query's as-of date
is on or after every order and receipt (so no event is cut off). Otherwise the models run
from the canonical tables, slower but the same numbers.
"""

from __future__ import annotations

import json
from datetime import date

from analytics import models

FAR_FUTURE = date(9999, 12, 31)
# mart -> (settings it depends on, tables whose event dates bound its as-of validity,
#          the column it is stored sorted by, so period filters skip whole row groups)
MARTS = {
    "dim_sku": ((), (), "sku"),
    "receipt_facts": ((), (), "received_date"),
    "po_line_facts": (("late_tol", "early_tol", "in_full_tol"), ("deliveries",), "promised_date"),
    "order_line_facts": (("late_tol", "in_full_tol"), ("orders",), "requested_date"),
}
EVENT_DATES = {
    "deliveries": ("order_date", "received_date"),
    "orders": ("order_date", "shipped_date"),
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


def build_params(cur) -> dict:
    from analytics.kpis import resolve

    return {**resolve(cur), "as_of": FAR_FUTURE}


def refresh(cur) -> None:
    """Rebuild every mart for the current data and settings, in one transaction."""
    ensure_table(cur)
    params = build_params(cur)
    version = _data_version(cur)
    cur.execute("BEGIN TRANSACTION")
    try:
        for name, (depends, tables, order) in MARTS.items():
            sql = models.compose(
                name, frozenset(n for n in MARTS if n != name and n in _built_before(name))
            )
            needed = models.parameters(sql)
            cur.execute(
                f"CREATE OR REPLACE TABLE mart_{name} AS SELECT * FROM ({sql}) ORDER BY {order}",
                {k: params[k] for k in needed},
            )
            key = json.dumps({k: params[k] for k in depends})
            cur.execute(
                "INSERT OR REPLACE INTO marts VALUES (?, ?, ?, ?)",
                [name, version, key, _latest_event(cur, tables)],
            )
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


def refresh_store(store) -> None:
    with store.writer() as cur:
        refresh(cur)


def _built_before(name: str) -> list[str]:
    order = list(MARTS)
    return order[: order.index(name)]


def usable(cur, params: dict) -> frozenset[str]:
    """The marts that give exactly what the models would compute for these parameters."""
    ensure_table(cur)
    version = _data_version(cur)
    found = set()
    for name, stored_version, key, valid_from in cur.execute(
        "SELECT name, data_version, params, valid_from FROM marts"
    ).fetchall():
        if name not in MARTS or stored_version != version:
            continue
        depends = MARTS[name][0]
        if json.loads(key) != {k: params[k] for k in depends}:
            continue
        if valid_from is not None and params["as_of"] < valid_from:
            continue
        found.add(name)
    return frozenset(found)
