"""Materialised models: the expensive per-line work done once per data version.

Grouping millions of receipts into PO lines on every page view is what makes a dashboard
slow. After each write (import, undo, settings change) `refresh` stores the per-line facts,
the valued receipts and snapshots, the sku dimension and the stock position at the default
as-of date as tables, sorted so that a period filter skips whole row groups. `usable` tells
a query which of them answer it exactly: the data has not changed since, the parameters
the mart depends on are the same, and the query's as-of date cuts off no event the mart
holds. Otherwise the models run from the canonical tables: slower, the same numbers.

A refresh rebuilds only what changed. Each write records the canonical tables it changed
(and the PO lines, for deliveries) in its own transaction (`store.version`); a fact whose
tables (its models' `-- inputs:`, followed down to the canonical tables) did not change,
whose bound values are the same and whose upstream fact (the sku dimension) kept the rows
it reads, is kept as it is. A fact of PO lines is rebuilt for the touched lines only. A
refresh that never ran leaves the record of changes for the next one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from analytics.models import compose, stored_figures
from analytics.models.compose import only_touched_lines
from analytics.models.params import FAR_FUTURE, latest_event_sql, resolve
from analytics.store.schema import TABLES
from analytics.store.version import LINE_KEYS, current_version


@dataclass(frozen=True)
class StoredFact:
    """A model of `sql/facts/`, stored as `mart_<name>` after every write; its `-- stored:`
    line says how."""

    name: str
    order_by: str  # stored sorted by this column, so period filters prune row groups
    depends: tuple[str, ...] = ()  # parameters whose values must match the build's
    bounded_by: tuple[str, ...] = ()  # tables whose event dates must not pass the as-of
    at_default_as_of: bool = False  # built for the default as-of only (depends on it)
    key: str | None = None  # a dimension: its rows that changed are passed on by this key
    by_line: str | None = None  # rows of this table's lines (LINE_KEYS): touched ones rebuilt


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
            how.get("key") or None,
            how.get("by_line") or None,
        )
    order: dict[str, None] = {}
    for name in found:
        for dep in compose.dependency_order(name):
            if dep in found:
                order[dep] = None
        order[name] = None
    return {name: found[name] for name in order}


FACTS = _stored_facts()


def _inputs(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """The canonical tables a fact reads through its models' `-- inputs:` lines, and the
    stored facts it reads (what changes in those reaches it through their rows)."""
    tables: set[str] = set()
    facts: set[str] = set()
    todo, seen = [name], set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for ref in _listed(re.search(r"^inputs:(.*)$", compose.models()[model].doc, re.M)[1]):
            if ref in TABLES:
                tables.add(ref)
            elif ref in FACTS and ref != name:
                facts.add(ref)
            elif ref in compose.models():
                todo.append(ref)
    return frozenset(tables), frozenset(facts)


INPUTS = {name: _inputs(name) for name in FACTS}


def _latest_event(cur, tables) -> date | None:
    """The latest event in the tables bounding a fact: an as-of on or after it cuts off
    nothing the fact holds. The default as-of is the latest event of every table, so the
    stored facts always answer it."""
    sql = latest_event_sql(tables)
    return None if sql is None else cur.execute(sql).fetchone()[0]


def params_key(mart: StoredFact, params: dict) -> str:
    """The values of the parameters a mart depends on and its SQL's fingerprint, as stored
    with it."""
    values = {k: params[k] for k in mart.depends}
    return json.dumps({**values, "code": compose.fingerprint(mart.name)}, default=str)


KEPT, REBUILD = "kept", "rebuilt"
# a fact of lines is rebuilt whole (and sorted again) once more than this share of its rows
# would have been written at its end, out of sort order, since it last was
REBUILD_SHARE = 0.25
_TEMP = (
    "touched_lines",
    *(f"{p}_{n}" for n, m in FACTS.items() if m.key for p in ("old", "changed")),
)


def refresh(cur, full: bool = False) -> dict[str, str]:
    """Bring every stored fact up to date for the current data and settings, in one
    transaction: a fact whose inputs changed is rebuilt (a fact of PO lines for the touched
    lines only), the others are kept; `full` rebuilds all. Returns what was done to each
    fact: 'kept', 'rebuilt' or 'N lines' (also kept in `fact_builds`), then the Overview's
    stored figures (`figure_<name>`: 'kept' or 'rebuilt', models.stored_figures)."""
    default = resolve(cur)
    version = current_version(cur)
    built: set[str] = set()
    done: dict[str, str] = {}
    passed: dict[str, str | None] = {}  # fact -> the key its changed rows are known by
    cur.execute("BEGIN TRANSACTION")
    try:
        for mart in FACTS.values():
            params = default if mart.at_default_as_of else {**default, "as_of": FAR_FUTURE}
            sql = compose.duckdb_dialect(compose.compose(mart.name, frozenset(built)))
            bound = {k: params[k] for k in compose.parameters(sql)}
            code = compose.fingerprint(mart.name)  # other SQL (an upgrade) rebuilds it
            bound_key = json.dumps({**bound, "code": code}, default=str, sort_keys=True)
            plan = REBUILD if full else _plan(cur, mart, bound_key, passed)
            done[mart.name] = how = _build(cur, mart, sql, bound, plan, passed)
            if how == KEPT:
                cur.execute(
                    "UPDATE marts SET data_version = ? WHERE name = ?", [version, mart.name]
                )
            else:
                _record_build(cur, mart, params, bound_key, version, how)
            built.add(mart.name)
        stored = stored_figures.refresh_figures(
            cur, version, _as_read(done, passed), lambda params: usable(cur, params), full
        )
        done.update({f"figure_{name}": how for name, how in stored.items()})
        cur.execute("DELETE FROM changes WHERE data_version <= ?", [version])
        cur.execute("DELETE FROM changed_lines WHERE data_version <= ?", [version])
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    finally:
        for temp in _TEMP:
            cur.execute(f"DROP TABLE IF EXISTS temp.{temp}")
    return done


def _as_read(done: dict[str, str], passed: dict[str, str | None]) -> dict[str, str]:
    """What each fact's refresh means to a reader: a dimension rebuilt to the very rows it
    had (no key changed: a load of defects or orders of known skus) is as good as kept."""
    return {
        name: KEPT if how == REBUILD and FACTS[name].key and passed.get(name) is None else how
        for name, how in done.items()
    }


def _record_build(cur, mart, params, bound_key, version, how) -> None:
    cur.execute(
        "INSERT OR REPLACE INTO marts VALUES (?, ?, ?, ?)",
        [mart.name, version, params_key(mart, params), _latest_event(cur, mart.bounded_by)],
    )
    lines = None if how == REBUILD else int(how.split()[0])
    appended = 0 if lines is None else _appended(cur, mart) + lines
    cur.execute(
        "INSERT OR REPLACE INTO fact_builds VALUES (?, ?, ?, ?, ?, ?)",
        [mart.name, bound_key, version, how if lines is None else "lines", lines, appended],
    )


def _appended(cur, mart: StoredFact) -> int:
    """Rows written at the end of a fact, out of its sort order, since it was last rebuilt
    whole."""
    row = cur.execute("SELECT appended FROM fact_builds WHERE name = ?", [mart.name]).fetchone()
    return row[0] if row else 0


def _plan(cur, mart: StoredFact, bound_key: str, passed: dict) -> str | int:
    """KEPT, REBUILD, or (a fact of PO lines) the data version after which the PO lines it
    must rebuild were changed."""
    row = cur.execute(
        "SELECT m.data_version, b.bound FROM marts AS m JOIN fact_builds AS b USING (name) "
        "WHERE name = ?",
        [mart.name],
    ).fetchone()
    if row is None or row[1] != bound_key:
        return REBUILD
    since = row[0]
    tables, upstream = INPUTS[mart.name]
    changed = dict(
        cur.execute(
            "SELECT table_name, bool_and(keyed) FROM changes WHERE data_version > ? "
            "AND table_name IN (SELECT unnest(?)) GROUP BY table_name",
            [since, sorted(tables)],
        ).fetchall()
    )
    moved = {f: passed[f] for f in upstream if passed.get(f)}
    if not changed and not any(_holds(cur, mart, f, key) for f, key in moved.items()):
        return KEPT  # its dimension changed only for keys it holds no row of
    keyed = set(changed) <= {mart.by_line} and all(changed.values())
    if mart.by_line and keyed and all(FACTS[f].key == key for f, key in moved.items()):
        return since
    return REBUILD


def _holds(cur, mart: StoredFact, upstream: str, key: str) -> bool:
    """Whether a fact holds rows of the changed keys of an upstream dimension (True when
    they are not known by a key it has)."""
    if FACTS[upstream].key != key:
        return True
    columns = [d[0] for d in cur.execute(f"SELECT * FROM mart_{mart.name} LIMIT 0").description]
    if key not in columns:
        return True
    return cur.execute(
        f"SELECT EXISTS (SELECT 1 FROM mart_{mart.name} "
        f"WHERE {key} IN (SELECT {key} FROM changed_{upstream}))"
    ).fetchone()[0]


def _build(cur, mart: StoredFact, sql: str, bound: dict, plan, passed: dict) -> str:
    """Carry out the plan; `passed` learns how the fact's changed rows are known."""
    passed[mart.name] = None if plan == KEPT else "all"
    if plan == KEPT:
        return KEPT
    if plan != REBUILD:
        lines = _touched(cur, mart, plan, passed)
        if lines == 0:  # its dimension changed only for rows it does not hold
            passed[mart.name] = None
            return KEPT
        stored = cur.execute(f"SELECT count(*) FROM mart_{mart.name}").fetchone()[0]
        if _appended(cur, mart) + lines <= stored * REBUILD_SHARE:
            _rebuild_lines(cur, mart, sql, bound)
            return f"{lines} lines"
    before = mart.key is not None and _exists(cur, f"mart_{mart.name}")
    if before:
        cur.execute(f"CREATE OR REPLACE TEMP TABLE old_{mart.name} AS FROM mart_{mart.name}")
    cur.execute(
        f"CREATE OR REPLACE TABLE mart_{mart.name} AS "
        f"SELECT * FROM ({sql}) ORDER BY {mart.order_by}",
        bound,
    )
    if before:
        passed[mart.name] = _changed_keys(cur, mart)
    return REBUILD


def _exists(cur, table: str) -> bool:
    return (
        cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary "
            "AND database_name = current_database()",
            [table],
        ).fetchone()[0]
        > 0
    )


def _changed_keys(cur, mart: StoredFact) -> str | None:
    """Which keys of a rebuilt dimension changed (rows added, gone or different), in
    temp.changed_<name>: its key when some did, None when none did, 'all' when the old
    rows cannot be compared (another shape)."""
    new, old = f"mart_{mart.name}", f"old_{mart.name}"
    shapes = [cur.execute(f"SELECT * FROM {t} LIMIT 0").description for t in (new, old)]
    if [d[:2] for d in shapes[0]] != [d[:2] for d in shapes[1]]:
        return "all"
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE changed_{mart.name} AS "
        f"SELECT {mart.key} FROM (FROM {new} EXCEPT FROM {old}) "
        f"UNION SELECT {mart.key} FROM (FROM {old} EXCEPT FROM {new})"
    )
    changed = cur.execute(f"SELECT count(*) FROM changed_{mart.name}").fetchone()[0]
    return mart.key if changed else None


def _touched(cur, mart: StoredFact, since: int, passed: dict) -> int:
    """The lines to rebuild, in temp.touched_lines (the line key columns of its table):
    those written since the fact was current, and those of its rows whose dimension row
    changed; how many."""
    number, line = LINE_KEYS[mart.by_line]
    parts = [
        f"SELECT number AS {number}, line AS {line} FROM changed_lines "
        "WHERE data_version > ? AND table_name = ?"
    ]
    for upstream in sorted(INPUTS[mart.name][1]):
        key = FACTS[upstream].key
        if passed.get(upstream) == key:
            parts.append(
                f"SELECT {number}, {line} FROM mart_{mart.name} "
                f"WHERE {key} IN (SELECT {key} FROM changed_{upstream})"
            )
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE touched_lines AS " + " UNION ".join(parts),
        [since, mart.by_line],
    )
    return cur.execute("SELECT count(*) FROM touched_lines").fetchone()[0]


def _rebuild_lines(cur, mart: StoredFact, sql: str, bound: dict) -> None:
    """Replace the touched lines' rows with what the model gives from their rows only."""
    on = " AND ".join(
        f"mart_{mart.name}.{k} IS NOT DISTINCT FROM t.{k}" for k in LINE_KEYS[mart.by_line]
    )
    cur.execute(f"DELETE FROM mart_{mart.name} USING touched_lines AS t WHERE {on}")
    restricted = only_touched_lines(sql, mart.by_line)
    cur.execute(f"INSERT INTO mart_{mart.name} BY NAME {restricted}", bound)


def refresh_store(store, full: bool = False) -> dict[str, str]:
    with store.writer() as cur:
        return refresh(cur, full)


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
