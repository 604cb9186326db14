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

from analytics.models import compose
from analytics.models.params import latest_event_sql, resolve
from analytics.store.version import current_version

FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class StoredFact:
    """A model of `sql/facts/`, stored as `mart_<name>` after every write; its `-- stored:`
    line says how."""

    name: str
    order_by: str  # stored sorted by this column, so period filters prune row groups
    depends: tuple[str, ...] = ()  # parameters whose values must match the build's
    bounded_by: tuple[str, ...] = ()  # tables whose event dates must not pass the as-of
    at_default_as_of: bool = False  # built for the default as-of only (depends on it)


def _listed(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _stored_facts() -> dict[str, StoredFact]:
    """The folder says what is stored; each fact after the facts it reads, so a later one
    is built from the stored tables of the earlier ones."""
    found = {}
    for name, model in compose.models().items():
        how = model.stored
        if how is None:
            continue
        found[name] = StoredFact(
            name,
            how["order_by"],
            _listed(how.get("depends")),
            _listed(how.get("bounded_by")),
            "at_default_as_of" in how,
        )
    order: dict[str, None] = {}
    for name in found:
        for dep in compose.dependency_order(name):
            if dep in found:
                order[dep] = None
        order[name] = None
    return {name: found[name] for name in order}


FACTS = _stored_facts()


def _latest_event(cur, tables) -> date | None:
    """The latest event in the tables bounding a fact: an as-of on or after it cuts off
    nothing the fact holds. The default as-of is the latest event of every table, so the
    stored facts always answer it."""
    sql = latest_event_sql(tables)
    return None if sql is None else cur.execute(sql).fetchone()[0]


def params_key(mart: StoredFact, params: dict) -> str:
    """The values of the parameters a mart depends on, as stored with it."""
    return json.dumps({k: params[k] for k in mart.depends}, default=str)


def refresh(cur) -> None:
    """Rebuild every mart for the current data and settings, in one transaction."""
    default = resolve(cur)
    version = current_version(cur)
    built: set[str] = set()
    cur.execute("BEGIN TRANSACTION")
    try:
        for mart in FACTS.values():
            params = default if mart.at_default_as_of else {**default, "as_of": FAR_FUTURE}
            sql = compose.duckdb_dialect(compose.compose(mart.name, frozenset(built)))
            cur.execute(
                f"CREATE OR REPLACE TABLE mart_{mart.name} AS "
                f"SELECT * FROM ({sql}) ORDER BY {mart.order_by}",
                {k: params[k] for k in compose.parameters(sql)},
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
    version = current_version(cur)
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
    mart = FACTS.get(name)
    if mart is None or key != params_key(mart, params):
        return False
    return valid_from is None or params["as_of"] >= valid_from
