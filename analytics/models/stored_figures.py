"""The figures the Overview shows first, computed at refresh time and stored whole.

A fresh process answering the Overview ran the previous period's KPIs from the raw receipts
(its as-of date cuts off receipts the stored facts hold) and the stock trend from every
customer order: minutes at 10M delivery lines. After the facts, the refresh runs the
Overview's default models (the KPIs of the default period and of the one before it, every
trend by week and by month) and stores their rows as `figure_<name>`; `run.prepare` reads
such a table when a model is asked for with exactly the values it was built with, at the
data version it was built for, so a stored figure is the model's own answer. A figure is
rebuilt only when its bound values moved (a setting, the latest event date) or a table or
stored fact it reads changed.

The Overview's "Since last review" panel compares two moments, the as-of date and its
default `since` (`params.default_since`: the last digest's as-of date, else a week back):
the Pull list and the sku sizing at both, and the KPIs at `since`, are stored for it too.
Computed from the raw tables, the Pull models at `since` took 13 s at 10M delivery lines.
The sidebar's suppliers, skus and sites (`filter_values`) are stored the same way.
A model reading the forecasts is stored only while the forecast weight is 0, where no
forecast changes its rows: a forecast run writes no record of changes for a refresh.

The previous period is judged as of its own end, which the stored PO-line facts (built
with every receipt) do not answer. Its PO-line facts are the stored ones of every line
settled by then (all its rows ordered and received on or before it) and, for the few lines
that straddle it, the model's own, computed from their rows only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from analytics.models import compose
from analytics.models.params import FAR_FUTURE, Scope, default_since, previous_scope, resolve
from analytics.store.schema import TABLES
from analytics.store.version import current_version

# the trend models behind the Overview's sparklines and trend charts (one per KPI group)
SERIES = (
    "series_customer",
    "series_delivery",
    "series_inventory",
    "series_lead_time",
    "series_quality",
    "series_spend",
    "series_stock",
)
GRAINS = ("week", "month")
KEPT, REBUILT, NOT_STORED = "kept", "rebuilt", "not stored"
# the moments a figure is stored for: the default scope, the period of equal length before
# it (judged as of its own end), and the default scope as of the signals' default `since`
DEFAULT, PREVIOUS, SINCE = "default", "previous", "since"


@dataclass(frozen=True)
class StoredFigure:
    """One model's rows for the default scope at one moment, by `grain`."""

    name: str
    model: str
    moment: str = DEFAULT  # DEFAULT, PREVIOUS or SINCE
    grain: str | None = None

    @property
    def table(self) -> str:
        return f"figure_{self.name}"


FIGURES = (
    StoredFigure("kpi_overview", "kpi_overview"),
    StoredFigure("kpi_overview_previous", "kpi_overview", PREVIOUS),
    *(StoredFigure(f"{m}_{g}", m, grain=g) for m in SERIES for g in GRAINS),
    # the "Since last review" panel's two moments (analytics.review.signals) and the red card
    StoredFigure("kpi_overview_since", "kpi_overview", SINCE),
    StoredFigure("replenishment", "replenishment"),
    StoredFigure("replenishment_since", "replenishment", SINCE),
    StoredFigure("sku_planning", "sku_planning"),
    StoredFigure("sku_planning_since", "sku_planning", SINCE),
    StoredFigure("filter_values", "filter_values"),  # the sidebar's suppliers, skus, sites
)
TABLES_OF_MODEL: dict[str, list[str]] = {}
for _figure in FIGURES:
    TABLES_OF_MODEL.setdefault(_figure.model, []).append(_figure.table)


def bound_key(model: str, params: dict) -> str:
    """Every value the model can bind (composed from the canonical tables) and its SQL's
    fingerprint: two calls with the same key get the same rows from the same data."""
    names = sorted(compose.parameters(compose.compose(model)))
    values = {k: params[k] for k in names}
    return json.dumps({**values, "code": compose.fingerprint(model)}, default=str)


def lookup(cur, model: str, params: dict) -> str | None:
    """The table of a stored figure that answers `model` for `params` now, if any."""
    tables = TABLES_OF_MODEL.get(model)
    if tables is None:
        return None
    # fetched whole: a caller may go on with a relation (`cur.sql`), which refuses to run
    # beside an unfinished result
    rows = cur.execute(
        "SELECT name FROM marts WHERE name IN (SELECT unnest(?)) AND params = ? "
        "AND data_version = (SELECT value FROM meta WHERE name = 'data_version')",
        [tables, bound_key(model, params)],
    ).fetchall()
    return rows[0][0] if rows else None


Usable = Callable[[dict], frozenset]


def refresh_figures(cur, version: int, facts: dict[str, str], usable: Usable, full=False):
    """Bring every stored figure up to date, inside the refresh's transaction, after the
    facts (`facts`: what the refresh did to each, as its readers see it; `usable`: the
    stored facts that answer given values). Returns what was done to each figure: 'kept' or
    'rebuilt'."""
    moments = _moments(cur)
    done = {}
    for figure in FIGURES:
        params = moments[figure.moment]
        if figure.grain:
            params = {**params, "grain": figure.grain}
        if params is None or not _storable(figure.model, params):
            _forget(cur, figure)
            done[figure.name] = NOT_STORED
            continue
        key = bound_key(figure.model, params)
        materialized = usable(params)
        if not full and _current(cur, figure, key, _reads(figure.model, materialized), facts):
            cur.execute("UPDATE marts SET data_version = ? WHERE name = ?", [version, figure.table])
            done[figure.name] = KEPT
            continue
        _build(cur, figure, params, materialized, usable)
        cur.execute(
            "INSERT OR REPLACE INTO marts VALUES (?, ?, ?, NULL)", [figure.table, version, key]
        )
        done[figure.name] = REBUILT
    drop_as_of(cur)
    return done


def _moments(cur) -> dict[str, dict | None]:
    """The bound values of each moment (None for `since` when the data has no as-of)."""
    default = resolve(cur)
    since = default_since(cur)
    return {
        DEFAULT: default,
        PREVIOUS: resolve(cur, previous_scope(Scope(), default["start"], default["end"])),
        SINCE: None if since is None else resolve(cur, Scope(as_of=since)),
    }


def _storable(model: str, params: dict) -> bool:
    """A model reading the forecasts only while their weight is 0: a forecast run records
    no change a refresh could see, and at weight 0 no forecast changes a row."""
    return params.get("forecast_weight") == 0 or "forecasts" not in _all_inputs(model)


def _all_inputs(model: str) -> set[str]:
    """Every name on the `-- inputs:` lines of a model and the models it reads."""
    found: set[str] = set()
    todo = [model]
    while todo:
        name = todo.pop()
        inputs = re.search(r"^inputs:(.*)$", compose.models()[name].doc, re.M)[1]
        for ref in (r.strip() for r in inputs.split(",") if r.strip()):
            if ref not in found:
                found.add(ref)
                if ref in compose.models():
                    todo.append(ref)
    return found


def _forget(cur, figure: StoredFigure) -> None:
    cur.execute("DELETE FROM marts WHERE name = ?", [figure.table])
    cur.execute(f"DROP TABLE IF EXISTS {figure.table}")


def _reads(model: str, materialized: frozenset) -> tuple[frozenset[str], frozenset[str]]:
    """The canonical tables and the stored facts a model reads when composed with the
    `materialized` facts, through its models' `-- inputs:` lines."""
    tables: set[str] = set()
    facts: set[str] = set()
    todo, seen = [model], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        inputs = re.search(r"^inputs:(.*)$", compose.models()[name].doc, re.M)[1]
        for ref in (r.strip() for r in inputs.split(",") if r.strip()):
            if ref in TABLES:
                tables.add(ref)
            elif ref in materialized:
                facts.add(ref)
            elif ref in compose.models():
                todo.append(ref)
    return frozenset(tables), frozenset(facts)


def _current(cur, figure: StoredFigure, key: str, reads, facts: dict[str, str]) -> bool:
    """Built with the same values, and nothing it reads changed since."""
    row = cur.execute(
        "SELECT data_version, params FROM marts WHERE name = ?", [figure.table]
    ).fetchone()
    if row is None or row[1] != key or not _exists(cur, figure.table):
        return False
    tables, stored = reads
    if any(facts.get(f) != KEPT for f in stored):
        return False
    (changed,) = cur.execute(
        "SELECT count(*) FROM changes WHERE data_version > ? AND table_name IN (SELECT unnest(?))",
        [row[0], sorted(tables)],
    ).fetchone()
    return changed == 0


def _exists(cur, table: str) -> bool:
    return cur.execute(
        "SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = ? AND NOT temporary "
        "AND database_name = current_database()",
        [table],
    ).fetchone()[0]


def _build(cur, figure: StoredFigure, params: dict, materialized: frozenset, usable) -> None:
    sql = composed_as_of(cur, figure.model, params, materialized, usable)
    bound = {k: params[k] for k in compose.parameters(sql)}
    cur.execute(f"CREATE OR REPLACE TABLE {figure.table} AS {sql}", bound)


def composed_as_of(cur, model: str, params: dict, materialized: frozenset, usable) -> str:
    """The model composed with the `materialized` facts, and, when its as-of cuts off
    receipts the stored PO-line facts hold, with those facts as of that date
    (temp.asof_po_line_facts_<date> on this cursor, built here): at 10M delivery lines
    0.4 s instead of grouping every receipt into lines again (7 s for the KPIs)."""
    sql = compose.duckdb_dialect(compose.compose(model, materialized))
    if (
        "po_line_facts" not in materialized  # its as-of cuts off stored receipts
        and "po_line_facts" in compose.dependency_order(model, materialized)
        and "po_line_facts" in usable({**params, "as_of": FAR_FUTURE})
    ):
        view = _po_line_facts_as_of(cur, params, materialized)
        sql = compose.duckdb_dialect(
            compose.compose(model, materialized | {"po_line_facts"})
        ).replace("select * from mart_po_line_facts", f"select * from temp.{view}")
    return sql


def _po_line_facts_as_of(cur, params: dict, materialized: frozenset) -> str:
    """temp.asof_po_line_facts_<date>: what po_line_facts gives as of `params['as_of']`,
    from the stored facts (built with every receipt) for the lines settled by then and from
    the model for the lines with a row ordered or received after it; its name.

    A view, not a copy: the figure's period filters reach the stored facts through it, so
    their zone maps skip what the period does not need (copying the settled lines was
    1.5 s of a 2.5 s previous-period build at 10M delivery lines). Named by the data version
    and the date: statements prepared on one cursor for two dates each keep their own, and
    the figures of one moment in a refresh share one."""
    as_of = {"as_of": params["as_of"]}
    day = f"{params['as_of']:%Y-%m-%d}"  # a date from `resolve`: digits and dashes only
    suffix = f"{current_version(cur)}_{params['as_of']:%Y%m%d}"
    lines, rows, view = (f"asof_{what}_{suffix}" for what in ("lines", "rows", "po_line_facts"))
    (built,) = cur.execute(
        "SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = ?", [view]
    ).fetchone()
    if built:  # on this cursor, for this data and date
        return view
    cur.execute(
        # lines with a row after the as-of that the stored facts date on or before it
        # (their order_date is the line's first); a cancelled row makes a few too many.
        # The later rows' lines first, then those of them the facts hold: the smaller side
        # is probed, and the join's filter skips most of the facts (0.38 -> 0.22 s at 10M)
        f"CREATE OR REPLACE TEMP TABLE {lines} AS SELECT * FROM ("
        "SELECT DISTINCT po_number, po_line FROM deliveries "
        "WHERE received_date > $as_of OR order_date > $as_of) AS d "
        "SEMI JOIN mart_po_line_facts AS f ON f.po_number = d.po_number "
        "AND f.po_line = d.po_line AND f.order_date <= $as_of",
        as_of,
    )
    fact = compose.duckdb_dialect(compose.compose("po_line_facts", materialized))
    restricted = compose.only_touched_lines(fact, "deliveries", lines)
    bound = {k: params[k] for k in compose.parameters(restricted)}
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE {rows} AS "
        "SELECT * FROM mart_po_line_facts WHERE false"  # the stored facts' columns and types
    )
    cur.execute(f"INSERT INTO temp.{rows} BY NAME {restricted}", bound)
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW {view} AS "
        f"SELECT f.* FROM mart_po_line_facts AS f ANTI JOIN temp.{lines} AS t "
        "ON f.po_number IS NOT DISTINCT FROM t.po_number "
        f"AND f.po_line IS NOT DISTINCT FROM t.po_line WHERE f.order_date <= DATE '{day}' "
        f"UNION ALL SELECT * FROM temp.{rows}"
    )
    return view


def drop_as_of(cur) -> None:
    """Drop this cursor's as-of views and their tables (`_po_line_facts_as_of`)."""
    for kind, name in cur.execute(
        "SELECT 'VIEW', view_name FROM duckdb_views() WHERE temporary AND view_name LIKE 'asof#_%' "
        "ESCAPE '#' UNION ALL SELECT 'TABLE', table_name FROM duckdb_tables() "
        "WHERE temporary AND table_name LIKE 'asof#_%' ESCAPE '#' ORDER BY 1 DESC"
    ).fetchall():
        cur.execute(f"DROP {kind} IF EXISTS temp.{name}")
