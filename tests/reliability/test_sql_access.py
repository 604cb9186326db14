"""No SQL and no file access from users.

1. Every value a user chooses reaches DuckDB as a bound parameter: hostile filter values,
   causes and node paths behave exactly like any value that matches nothing, values that
   look hostile but are real data are found, and nothing is dropped or changed.
2. Every identifier a user chooses (the drill-down grouping, the KPI, the grain, the
   measure, the model, the table of an import and its column mapping) comes from an
   allow-list, and anything else is refused before any SQL is built.
3. A static check over analytics/, ui/, pages/ and app.py: a string that looks like SQL and
   interpolates a value (f-string, `.format`, `+`, `%`) may only interpolate the
   expressions listed in ALLOWED, each with the reason it cannot carry user input. Writing
   `cur.execute(f"... where supplier = '{supplier}'")` anywhere fails it.
4. The connection the app uses (`Store`, locked down in analytics.store.connection) cannot read
   or write a local file, attach a database, install or load an extension, or undo its own settings.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.forecast import stored as forecasts
from analytics.metrics import figures, replenish
from analytics.metrics.targets import set_target
from analytics.models.params import Scope
from analytics.review import control, drill, notes
from analytics.review import pareto as defect_pareto
from analytics.review.path import make_path, parse_path
from analytics.store.connection import Store
from analytics.store.settings import set_setting
from tests.conftest import ROOT, csv_text, load, snapshot

AS_OF = date(2024, 12, 31)

# Four delivery lines, due by the as-of date (promised <= as-of, late tolerance 0 days):
#   PO1 Acme SKU1: promised 02-10, received 02-09 in full        -> OTIF
#   PO2 Acme SKU2: promised 02-12, received 02-15                -> late
#   PO3 Bolt Co SKU3: promised 03-20, nothing received            -> not OTIF
#   PO4 O'Brien & "Sons" SKU2: promised 02-10, received 02-10     -> OTIF
# OTIF: all 2/4 = 0.5; Acme 1/2; Bolt Co 0/1; O'Brien & "Sons" 1/1.
# Categories: SKU1 is `Bolts 'n' "Nuts"` (PO1: 1/1 = 1.0); SKU2, SKU3 are Plain (1/3).
QUOTED_SUPPLIER = 'O\'Brien & "Sons"'
QUOTED_CATEGORY = "Bolts 'n' \"Nuts\""
DELIVERIES = csv_text(
    "PO1,1,G1,Acme,SKU1,2024-02-01,2024-02-10,100,2024-02-09,100,2.5",
    "PO2,1,G2,Acme,SKU2,2024-02-01,2024-02-12,50,2024-02-15,50,4",
    "PO3,1,,Bolt Co,SKU3,2024-03-01,2024-03-20,10,,,2.5",
    'PO4,1,G4,"O\'Brien & ""Sons""",SKU2,2024-02-01,2024-02-10,10,2024-02-10,10,4',
)
ITEMS = (
    "sku,description,category\n"
    'SKU1,Hex bolt,"Bolts \'n\' ""Nuts"""\n'
    "SKU2,Washer,Plain\n"
    "SKU3,Nut,Plain\n"
)
# A real cause that reads like an attack: 7 defective units (Acme 2, Bolt Co 5), Porosity 3.
SQL_CAUSE = "'; DELETE FROM defects; --"
DEFECTS = (
    "date,sku,supplier,cause,qty,cost\n"
    "2024-02-20,SKU1,Acme,Porosity,3,30\n"
    '2024-02-21,SKU2,Acme,"\'; DELETE FROM defects; --",2,10\n'
    '2024-02-22,SKU2,Bolt Co,"\'; DELETE FROM defects; --",5,50\n'
)
HOSTILE = [
    "x' OR 1=1 --",
    "'; DROP TABLE deliveries; --",
    "Acme%",  # a LIKE pattern would match Acme
    "$supplier",  # a parameter's name
    "') UNION SELECT * FROM imports --",
]
NOTHING = "no such value"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """One database for the module: the tests below only read it, or prove they wrote nothing
    (the notes test adds a note, which no other test reads)."""
    store = Store(tmp_path_factory.mktemp("sql-access") / "takt.duckdb", lock_timeout=20)
    for name, content, kind in (
        ("deliveries.csv", DELIVERIES, None),
        ("items.csv", ITEMS, "items"),
        ("defects.csv", DEFECTS, "defects"),
    ):
        report = load(store, name, content, kind=kind)
        assert (report.status, report.rejected) == ("imported", 0), report.message
    yield store
    store.close()


def otif(store, **filters) -> float | None:
    return figures.compute_kpis(store, as_of=AS_OF, **filters)["otif_rate"]


# -- 1. values are bound -------------------------------------------------------------------------
def test_real_values_with_quotes_are_found_exactly(db):
    assert otif(db) == 0.5
    assert otif(db, supplier="Acme") == 0.5
    assert otif(db, supplier="Bolt Co") == 0.0
    assert otif(db, supplier=QUOTED_SUPPLIER) == 1.0
    assert otif(db, category=QUOTED_CATEGORY) == 1.0
    assert otif(db, category="Plain") == pytest.approx(1 / 3)
    assert otif(db, supplier=NOTHING) is None  # no due line: undefined, not 0


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["supplier", "sku", "category", "site"])
def test_a_hostile_filter_is_one_more_value_that_matches_nothing(db, nothing, field, value):
    before = snapshot(db)
    assert otif(db, **{field: value}) is None
    scope = Scope(as_of=AS_OF, **{field: value})
    for name, call in PAGE_CALLS.items():
        assert call(db, scope) == nothing(field)[name], name
    assert snapshot(db) == before


@pytest.fixture(scope="module")
def nothing(db):
    """What every page call answers for a plain value that matches nothing, per field."""
    answers = {}

    def of(field: str) -> dict:
        if field not in answers:
            scope = Scope(as_of=AS_OF, **{field: NOTHING})
            answers[field] = {name: call(db, scope) for name, call in PAGE_CALLS.items()}
        return answers[field]

    return of


def test_the_page_calls_are_not_all_empty(db, nothing):
    """The comparison above would prove nothing if every call returned nothing anyway."""
    everything = Scope(as_of=AS_OF)
    differ = [n for n, call in PAGE_CALLS.items() if call(db, everything) != nothing("supplier")[n]]
    assert set(differ) >= {"overview", "breakdown", "drill_rows", "pareto", "pareto_suppliers"}


# What the pages ask through ui.cache, with a scope (the others take no user value).
PAGE_CALLS = {
    "overview": lambda s, sc: figures.overview(s, sc),
    "series": lambda s, sc: figures.series(s, "series_delivery", "month", sc),
    "scorecard": lambda s, sc: figures.scorecard(s, sc),
    "sku_sizing": lambda s, sc: figures.sku_sizing(s, sc),
    "waste": lambda s, sc: figures.waste(s, sc),
    "table_rows": lambda s, sc: figures.table_rows(s, "single_sourced", sc),
    "breakdown": lambda s, sc: drill.breakdown(s, "otif_rate", "supplier", sc),
    "drill_rows": lambda s, sc: drill.rows(s, "otif_rate", sc),
    "pareto": lambda s, sc: defect_pareto.pareto(s, sc),
    "pareto_suppliers": lambda s, sc: defect_pareto.pareto_suppliers(s, SQL_CAUSE, sc),
    "cause_events": lambda s, sc: defect_pareto.cause_events(s, SQL_CAUSE, sc),
    "control_chart": lambda s, sc: control.control_chart(s, "otif_rate", sc),
    "replenishment": lambda s, sc: replenish.replenishment(s, sc),
    "status_counts": lambda s, sc: replenish.count_statuses(s, sc),
    "onhand_performance": lambda s, sc: replenish.onhand_performance(s, sc),
    "buffer_history": lambda s, sc: replenish.buffer_history(s, sc, sc.sku or "", sc.site or ""),
    "lines_behind": lambda s, sc: replenish.lines_behind(s, sc, _row(sc)),
    "unconverted_money": lambda s, sc: figures.unconverted_money(s, sc),
    "forecast_rows": lambda s, sc: forecasts.forecast_rows(s, sc),
    "forecast_history": lambda s, sc: forecasts.history(s, sc.sku or "", sc.site or "", AS_OF),
}


def _row(scope: Scope) -> dict:
    """A Pull-page row of the scope's sku and site (a user's value reaches the SQL this way)."""
    return {"sku": scope.sku or "", "site": scope.site or "", "horizon_days": 10, "safety_stock": 1}


# signals take only a date the page's date input makes; the other two take nothing
WITHOUT_SCOPE = {
    "compute_kpis",
    "choices",
    "targets",
    "action_effects",
    "notes_for",
    "currency",
    "coverage",
    "missing_tables",  # table names from the pages' code, never from a user
    "signals",
    "as_of_date",
    "last_run_as_of",
}


def test_every_cached_call_of_the_pages_is_tried():
    tree = ast.parse((ROOT / "ui" / "cache.py").read_text())
    registry = next(
        n for n in ast.walk(tree) if isinstance(n, ast.Assign) and n.targets[0].id == "functions"
    )
    names = {k.value for k in registry.value.keys}
    assert names == set(PAGE_CALLS) | WITHOUT_SCOPE


def test_a_cause_that_reads_like_sql_is_data(db):
    scope = Scope(as_of=AS_OF)
    causes = {r["cause"]: r["value"] for r in defect_pareto.pareto(db, scope)}
    assert causes == {SQL_CAUSE: 7.0, "Porosity": 3.0}
    by_supplier = defect_pareto.pareto_suppliers(db, SQL_CAUSE, scope)
    assert [(r["supplier"], r["qty"]) for r in by_supplier] == [("Bolt Co", 5.0), ("Acme", 2.0)]
    assert len(defect_pareto.cause_events(db, SQL_CAUSE, scope)) == 2
    assert defect_pareto.pareto_suppliers(db, "x' OR 1=1 --", scope) == []
    assert len(snapshot(db)["defects"]) == 3


def test_a_node_path_is_bound_too(db):
    notes.add_note(db, "otif_rate", "supplier=Acme", "Call them daily", "Quality")
    assert [n["text"] for n in notes.notes_for(db, "otif_rate", "supplier=Acme")] == [
        "Call them daily"
    ]
    assert notes.notes_for(db, "otif_rate", "supplier=x' OR 'a'='a") == []
    assert notes.notes_for(db, "otif_rate", "supplier=Acme' --") == []


# -- 2. identifiers come from allow-lists --------------------------------------------------------
REFUSED = [
    ("grouping", lambda s: drill.breakdown(s, "otif_rate", "supplier; DROP TABLE deliveries")),
    ("grouping the KPI lacks", lambda s: drill.breakdown(s, "otif_rate", "cause")),
    ("KPI", lambda s: drill.breakdown(s, "otif_rate' --", "supplier")),
    ("KPI of rows", lambda s: drill.rows(s, "deliveries")),
    ("path level", lambda s: parse_path("supplier=Acme/1=1--=x")),
    ("path level", lambda s: make_path([("po_number; --", "x")])),
    ("grain", lambda s: figures.series(s, "series_delivery", "week'; --")),
    ("measure", lambda s: defect_pareto.pareto(s, measure="qty); DROP TABLE defects; --")),
    ("series", lambda s: control.control_chart(s, "otif_rate OR 1=1")),
    ("note KPI", lambda s: notes.notes_for(s, "x'; --", "")),
    ("target KPI", lambda s: set_target(s, "otif_rate'; --", 0.9)),
]


@pytest.mark.parametrize(("what", "call"), REFUSED, ids=[w for w, _ in REFUSED])
def test_an_identifier_outside_its_allow_list_is_refused(db, what, call):
    before = snapshot(db)
    with pytest.raises(ValueError):
        call(db)
    assert snapshot(db) == before


@pytest.mark.parametrize("model", ["deliveries; DROP TABLE deliveries", "../../etc/passwd"])
def test_only_committed_models_run(db, model):
    with pytest.raises(KeyError):
        figures.table_rows(db, model, Scope(as_of=AS_OF))


def test_settings_names_are_allow_listed(db):
    with db.writer() as cur, pytest.raises(ValueError, match="unknown setting"):
        set_setting(cur, "late_tolerance_days = 0; DROP TABLE deliveries; --", 1)


@pytest.mark.parametrize(
    ("kind", "mapping", "reason"),
    [
        ("deliveries; DROP TABLE deliveries", None, "unknown kind"),
        ("deliveries", {"Vendor": "supplier; DROP TABLE deliveries"}, "is not a column of"),
    ],
)
def test_an_import_refuses_a_table_or_column_it_does_not_know(db, kind, mapping, reason):
    before = snapshot(db)
    report = load(db, "more.csv", DELIVERIES.replace("PO1", "PO9"), kind=kind, mapping=mapping)
    assert report.status == "refused" and reason in report.message
    assert snapshot(db)["deliveries"] == before["deliveries"]


# -- 3. the static check ------------------------------------------------------------------------
HOLE = "\x00"
SQL = re.compile(
    "|".join(
        [
            r"\bselect\b.+\bfrom\b",
            r"\binsert\s+(or\s+\w+\s+)?into\b",
            r"\bupdate\s+\S+\s+set\b",
            r"\bdelete\s+from\b",
            r"\b(create|drop|alter)\s+(or\s+replace\s+)?(temp\w*\s+)?"
            r"(table|view|index|schema|macro|sequence|type)\b",
            r"\bwhere\s+(\x00|[\w.]+\s*(=|<|>|!|\bin\b|\blike\b|\bis\b|\bbetween\b))",
            r"\bfrom\s+(\x00|\w+\s+(where|as|join|order|group|limit)\b)",
            r"\b(order|group)\s+by\b",
            r"\bunion\s+(all\s+)?select\b",
            r"\blimit\s+(\d|\x00)",
            r"\bset\s+\w+\s*=",
            r"\bcopy\b.+\b(to|from)\s+('|\x00)",
            r"\battach\s+(database\s+)?('|\x00)",
            r"\b(install|load)\s+(\x00|'\w+')",
            r"=\s*'\x00",
            r"\bread_(csv|parquet|json|text|blob)\w*\s*\(",
        ]
    ),
    re.IGNORECASE | re.DOTALL,
)

# Why an interpolated expression cannot carry a user's input.
SCHEMA = "a table or column name from analytics.schema, or a fixed list in the code"
TAG = "the random hex tag (uuid4) of one import's temporary tables"
STAGED = "the importer's positional staging columns c0..cN, never a file's header"
CHECKS = "validation rules built from the schema: columns, fixed conditions and reasons"
MODEL = "SQL composed from the committed models in analytics/sql"
REGISTRY = "a row filter or SQL fragment fixed in analytics.metrics or analytics.drill"
NUMBER = "int() or float(): a number cannot carry SQL"
CONFIG = "deployment configuration (folders, memory limit), quoted; not a user's input"
CONSTANT = "a fragment joined from constant strings and schema names in this function"
ROLLUP = "a mart name or file list of the rollup job's own output, quoted"
PROFILE = (
    "an export profile's own constants (analytics.ingest.profiles) quoted as literals, the "
    "staging columns c0..cN and the import's tagged temporary tables: never a file's value"
)

ALLOWED = {
    ("analytics/ingest/rules.py", "_number_lines"): {
        "LINE_SOURCE": PROFILE,
        "table": PROFILE,
        "SKIP": PROFILE,
        "document": PROFILE,
    },
    ("analytics/ingest/rules.py", "_date_plus"): {
        "table": PROFILE,
        "target": PROFILE,
        "allowed": PROFILE,
        "col[plus.when]": PROFILE,
        "date": PROFILE,
        "days": PROFILE,
    },
    ("analytics/ingest/rules.py", "per_unit"): {
        "column": PROFILE,
        "staged": PROFILE,
        "typed": PROFILE,
        "unit": PROFILE,
    },
    ("analytics/ingest/rules.py", "_joined"): {
        "table": PROFILE,
        "target": PROFILE,
        "', '.join(parts)": PROFILE,
    },
    ("analytics/ingest/rules.py", "attach"): {
        "typed": PROFILE,
        "', '.join(by)": PROFILE,
        "', '.join(fill)": PROFILE,
        "on": PROFILE,
        "picked": PROFILE,
    },
    ("analytics/ingest/rules.py", "skipped"): {"SKIP": PROFILE, "table": PROFILE},
    ("analytics/ingest/rules.py", "apply"): {
        "col[header]": PROFILE,
        "col[other]": PROFILE,
        "table": PROFILE,
        "_literal(sep)": PROFILE,
        "c": PROFILE,
        "col[when]": PROFILE,
        "_literal(value.lower())": PROFILE,
    },
    ("analytics/ingest/rules.py", "_fill_down"): {"c": PROFILE, "table": PROFILE},
    ("analytics/ingest/rules.py", "_translate"): {"cases": PROFILE, "c": PROFILE, "table": PROFILE},
    ("analytics/ingest/rules.py", "_durations"): {
        "c": PROFILE,
        "days": PROFILE,
        "number": PROFILE,
        "table": PROFILE,
    },
    ("analytics/ingest/rules.py", "_mark_skipped"): {
        "SKIP": PROFILE,
        "table": PROFILE,
        "_literal(keep.reason)": PROFILE,
        "wrong": PROFILE,
    },
    ("analytics/ingest/snapshots.py", "derive"): {
        "typed": TAG,
        "SNAPSHOT": SCHEMA,
        "column": SCHEMA,
        "anything": STAGED,
        "total": STAGED,
        "raw": STAGED,
        "v": STAGED,
        "q": STAGED,
    },
    ("analytics/ingest/snapshots.py", "_type_part"): {
        "typed": TAG,
        "staged": TAG,
        "c": STAGED,
        "text": "cast.raw_expr of a staging column c0..cN: fixed SQL around it",
        "number": "cast.number_expr of a typed part's text: fixed SQL around it",
    },
    ("analytics/ingest/snapshots.py", "aggregate"): {
        "typed": TAG,
        "tag": TAG,
        "SNAPSHOT": SCHEMA,
        "col": CHECKS,
        "cond": CHECKS,
        "reason": CHECKS,
        "lines": CHECKS,
        "key": SCHEMA,
        "key_text": SCHEMA,
        "values": "aggregates (sum, arg_max) of the inventory columns, from the schema",
    },
    ("analytics/ingest/snapshots.py", "add_line_errors"): {"tag": TAG},
    ("analytics/review/actions.py", "create_action"): {
        "', '.join(FIELDS)": SCHEMA,
        "', '.join(('?' for _ in FIELDS))": SCHEMA,
    },
    ("analytics/review/actions.py", "update_action"): {
        "', '.join((f'{f} = ?' for f in FIELDS))": SCHEMA
    },
    ("analytics/store/connection.py", "_lock_down"): {
        "allowed": CONFIG,
        "self.spool_dir / 'tmp'": CONFIG,
        "self.memory_limit": CONFIG,
    },
    ("analytics/store/tables.py", "table_ddl"): {
        "name or table.name": SCHEMA,
        "', '.join(cols)": SCHEMA,
        "extra": SCHEMA,
    },
    ("analytics/store/tables.py", "add_missing_columns"): {
        "name": SCHEMA,
        "column.name": SCHEMA,
        "SQL_TYPES[column.type]": SCHEMA,
        "default": "a column's default, quoted, from analytics.store.schema",
    },
    ("analytics/review/drill.py", "rows"): {
        "' and '.join(where)": REGISTRY,
        "condition": REGISTRY,
        "int(limit)": NUMBER,
    },
    ("analytics/scale/engines.py", "__init__"): {
        "allowed": CONFIG,
        "_sql_string(spill.resolve())": CONFIG,
        "_sql_string(memory_limit)": CONFIG,
    },
    ("analytics/scale/engines.py", "register"): {
        "name": SCHEMA,
        "casts": SCHEMA,
        "source": ROLLUP,
        "', '.join((_sql_string(f) for f in files))": ROLLUP,
        "', '.join((f'null as {c}' for c, _ in columns))": SCHEMA,
    },
    ("analytics/scale/engines.py", "attach"): {"name": ROLLUP, "files": ROLLUP},
    ("analytics/scale/engines.py", "transpile"): {"dep": MODEL},
    ("analytics/scale/engines.py", "write"): {
        "sql": MODEL,
        "order": MODEL,
        "order_by": MODEL,
        "', '.join(columns)": MODEL,
        "target": ROLLUP,
    },
    ("analytics/ingest/history.py", "_refuse_if_overwritten"): {"name": SCHEMA},
    ("analytics/ingest/history.py", "_restore"): {"name": SCHEMA, "cols": SCHEMA},
    ("analytics/ingest/history.py", "_record_undo"): {"name": SCHEMA, "keys": SCHEMA},
    ("analytics/ingest/history.py", "list_imports"): {"', '.join(HISTORY_COLUMNS)": SCHEMA},
    ("analytics/ingest/lines.py", "stage"): {
        "tag": TAG,
        "reader[:-1]": "read_csv_sql's call of DuckDB's reader, less its closing parenthesis",
        "rejects": TAG,
    },
    ("analytics/ingest/lines.py", "read_csv_sql"): {
        "path_sql": "the spooled upload's path, quoted (its name is made by save_upload)",
        "delim_sql": "the detected delimiter, one of a fixed set, quoted",
        "columns": STAGED + ", each of a fixed type name (VARCHAR, DOUBLE, DATE)",
        "max_line": NUMBER,
    },
    ("analytics/ingest/clean.py", "read_typed"): {
        "read_csv_sql(path, inspection.delimiter, types, max_line)": "lines.read_csv_sql, "
        "whose own interpolations are listed under it",
        "tag": TAG,
        "query": "cast.typed_query over the positional columns c0..cN: " + STAGED,
    },
    ("analytics/ingest/clean.py", "has_errors"): {"tag": TAG},
    ("analytics/ingest/lines.py", "drop_temp"): {"prefix": TAG, "tag": TAG},
    ("analytics/ingest/lines.py", "locate"): {"tag": TAG},
    ("analytics/ingest/pipeline.py", "_load"): {
        "rules.SKIP": PROFILE,
        "keep": PROFILE,
        "tag": TAG,
        "typed_query(kind, sources, decimal_comma, date_order, staged)": STAGED,
    },
    ("analytics/ingest/formats.py", "decide_numbers"): {
        "c": STAGED,
        "tag": TAG,
        "union": STAGED,
    },
    ("analytics/ingest/upsert.py", "apply_defaults"): {
        "typed": TAG,
        "col.name": SCHEMA,
        "float(col.default)": NUMBER,
        "col.default": "a date column's default, a constant of analytics.store.schema "
        "(the undated rate's 1900-01-01)",
        "values": SCHEMA,
    },
    ("analytics/ingest/upsert.py", "find_errors"): {
        "col": CHECKS,
        "reason": CHECKS,
        "cond": CHECKS,
        "typed": TAG,
        "tag": TAG,
        "' UNION ALL '.join(parts)": CHECKS,
    },
    ("analytics/ingest/upsert.py", "_duplicate_keys"): {
        "key[0]": SCHEMA,
        "shown": SCHEMA,
        "typed": TAG,
        "', '.join(key)": SCHEMA,
    },
    ("analytics/ingest/upsert.py", "_split_receipt_conflicts"): {"typed": TAG},
    ("analytics/ingest/upsert.py", "upsert"): {"typed": TAG, "err": TAG},
    ("analytics/ingest/upsert.py", "replace_rows"): {
        "match": TAG,
        "same or 'true'": SCHEMA,
        "rows": "a query over the import's tagged temporary tables, built in the importer",
        "kind": "the table, checked against analytics.schema.TABLES before the import",
        "on": SCHEMA,
        "import_id": NUMBER,
        "changed": CONSTANT,
        "col_list": SCHEMA,
        "', '.join(LINE_KEYS.get(kind, ()))": SCHEMA,
        "', '.join(cols)": SCHEMA,
    },
    ("analytics/ingest/rejections.py", "read_quantity"): {
        "typed": TAG,
        "staged": TAG,
        "QTY": CONSTANT,
        "raw": STAGED,
        "number_expr(f'r_{QTY}', comma)": CONSTANT,
    },
    ("analytics/ingest/rejections.py", "find_errors"): {"tag": TAG, "QTY": CONSTANT},
    ("analytics/ingest/rejections.py", "write"): {
        "select": SCHEMA,  # the defects table's columns, each a fixed expression or NULL
        "rows": TAG,
        "typed": TAG,
        "err": TAG,
        "tag": TAG,
        "QTY": CONSTANT,
    },
    ("analytics/ingest/rules.py", "joined"): {"SKIP": PROFILE, "table": PROFILE},
    ("analytics/ingest/rules.py", "_continue"): {
        "HEAD": PROFILE,
        "SKIP": PROFILE,
        "_literal(rule.sep)": PROFILE,
        "is_cont": PROFILE,
        "table": PROFILE,
        "value": PROFILE,
    },
    ("analytics/ingest/rules.py", "_defaults"): {
        "_literal(value)": PROFILE,
        "c": PROFILE,
        "extra[column]": PROFILE,
        "table": PROFILE,
    },
    ("analytics/ingest/upsert.py", "error_rows"): {"tag": TAG, "int(cap)": NUMBER},
    ("analytics/ingest/cast.py", "raw_expr"): {"source": STAGED, "t": SCHEMA},
    ("analytics/ingest/cast.py", "typed_query"): {
        "', '.join(typed)": STAGED,
        "', '.join(parsed)": STAGED,
        "', '.join(raw)": STAGED,
        "source": STAGED,
    },
    ("analytics/ingest/cast.py", "date_order_sql"): {
        "v": STAGED,
        "table": TAG,
        "cond": STAGED,
        "' UNION ALL '.join(parts)": STAGED,
    },
    ("analytics/models/params.py", "latest_event_sql"): {
        "col": SCHEMA,
        "t": SCHEMA,
        "' union all '.join(parts)": SCHEMA,
    },
    ("analytics/metrics/figures.py", "kpi_rows"): {
        "kpi.rows_filter": REGISTRY,
        "where": REGISTRY,
        "int(limit)": NUMBER,
    },
    ("analytics/scale/lake.py", "export_parquet"): {
        "', '.join((c.name for c in t.columns))": SCHEMA,
        "t.name": SCHEMA,
        "sql": SCHEMA,
        "_literal(tmp)": CONFIG,
    },
    ("analytics/models/materialize.py", "refresh"): {"temp": MODEL},
    ("analytics/models/materialize.py", "_build"): {
        "mart.name": MODEL,
        "sql": MODEL,
        "mart.order_by": MODEL,
    },
    ("analytics/models/materialize.py", "_holds"): {
        "mart.name": MODEL,
        "key": MODEL,
        "upstream": MODEL,
    },
    ("analytics/models/materialize.py", "_changed_keys"): {
        "mart.name": MODEL,
        "mart.key": MODEL,
        "new": MODEL,
        "old": MODEL,
        "t": MODEL,
    },
    ("analytics/models/materialize.py", "_touched"): {
        "mart.name": MODEL,
        "key": MODEL,
        "upstream": MODEL,
        "' UNION '.join(parts)": MODEL,
        "number": SCHEMA,
        "line": SCHEMA,
    },
    ("analytics/models/materialize.py", "_rebuild_lines"): {
        "mart.name": MODEL,
        "on": SCHEMA,
        "restricted": MODEL,
    },
    ("analytics/models/stored_figures.py", "_build"): {"figure.table": MODEL, "sql": MODEL},
    ("analytics/models/stored_figures.py", "_po_line_facts_as_of"): {
        "restricted": MODEL,
        # a view takes no parameters: the as-of date from `resolve`, formatted %Y-%m-%d
        "day": "a date object's digits and dashes (strftime), never text from a user",
        # asof_<what>_<the data version>_<the as-of date's digits>
        "lines": "a temp table named from a constant, an integer and a date's digits",
        "rows": "a temp table named from a constant, an integer and a date's digits",
        "view": "a temp view named from a constant, an integer and a date's digits",
    },
    ("analytics/models/stored_figures.py", "composed_as_of"): {
        "view": "the temp view's name _po_line_facts_as_of returns (a constant and digits)",
    },
    ("analytics/models/stored_figures.py", "_forget"): {"figure.table": MODEL},
    ("analytics/models/run.py", "prepare"): {"table": MODEL},
    ("analytics/models/compose.py", "only_touched_lines"): {
        "table": SCHEMA,
        "on": SCHEMA,
        "touched": "a temp table's name: materialize's constant or _po_line_facts_as_of's",
    },
    ("analytics/store/version.py", "record_change"): {
        "lines": "a query of the lines a write touched, built in ingest.upsert/history",
        "number": SCHEMA,
        "line": SCHEMA,
    },
    ("analytics/models/compose.py", "body"): {"dep": MODEL},
    ("analytics/models/compose.py", "compose"): {
        "ctes": MODEL,
        "models()[name].body": MODEL,
        "name": MODEL,
    },
    ("analytics/review/notes.py", "_select"): {
        "where": "constant text from notes_for and all_notes"
    },
    ("analytics/store/freshness.py", "_table_summary_sql"): {
        "table.name": SCHEMA,
        "_quoted(table.name)": SCHEMA,
        "latest": SCHEMA,
        "earliest": SCHEMA,
    },
    ("analytics/demo/load.py", "_empty"): {"name": SCHEMA},
    ("analytics/demo/shipped.py", "fill_from_shipped"): {
        "table": "a shipped file's name kept only when it is a table the store itself lists "
        "(information_schema), a stored fact's (analytics.models.materialize.FACTS) or a "
        "stored figure's (analytics.models.stored_figures.FIGURES)",
        "columns": "that stored figure's column names, as the Parquet file describes them, "
        "each double-quoted (a file shipped in the repository, written by write_shipped_store)",
    },
    ("analytics/demo/load.py", "_shippable"): {
        "table": "a stored figure's table (analytics.models.stored_figures.FIGURES), checked",
        "columns": "its column names as the scratch demo store describes them, double-quoted",
    },
    ("analytics/demo/load.py", "write_shipped_store"): {
        "name": "a table name the scratch demo store lists (information_schema), offline",
        "target": "the shipped folder in the repository (SHIPPED_STORE) and that table name",
        "rows": "that table name, or _shippable's select of a stored figure's columns",
    },
    ("analytics/demo/separate.py", "_take_out"): {"name": SCHEMA, "cols": SCHEMA, "free": SCHEMA},
    ("analytics/scale/serving.py", "_build"): {
        "table.name": SCHEMA,
        "present_casts(columns, present)": SCHEMA,
        "source": ROLLUP,
        "_files(folder)": ROLLUP,
        "name": ROLLUP,
        "_files(self.rollups / name)": ROLLUP,
    },
}


def _text(node) -> str | None:
    """A string's literal text with HOLE for each interpolation; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else HOLE for v in node.values)
    return None


def _messages(tree) -> set[int]:
    """Strings that only ever become a message: raised, or passed as `message=`."""
    roots = [n.exc for n in ast.walk(tree) if isinstance(n, ast.Raise) and n.exc is not None]
    roots += [k.value for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords
              if k.arg == "message"]  # fmt: skip
    return {id(sub) for root in roots for sub in ast.walk(root)}


def sql_interpolations(source: str):
    """(line, expression) for each value interpolated into text that looks like SQL."""
    tree = ast.parse(source)
    messages = _messages(tree)
    for node in ast.walk(tree):
        if id(node) in messages:
            continue
        if isinstance(node, ast.JoinedStr) and SQL.search(_text(node)):
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    yield node.lineno, ast.unparse(part.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and SQL.search(_text(node.func.value) or "")
        ):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                yield node.lineno, ast.unparse(arg)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            for text, other in ((node.left, node.right), (node.right, node.left)):
                if SQL.search(_text(text) or "") and _text(other) is None:
                    yield node.lineno, ast.unparse(other)


def functions_of(source: str) -> list[tuple[int, int, str]]:
    tree = ast.parse(source)
    return [
        (n.lineno, n.end_lineno, n.name)
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def enclosing(spans, line: int) -> str:
    inside = [s for s in spans if s[0] <= line <= s[1]]
    return min(inside, key=lambda s: s[1] - s[0])[2] if inside else "<module>"


SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "analytics").rglob("*.py")),
    *sorted((ROOT / "ui").rglob("*.py")),
    *sorted((ROOT / "pages").glob("*.py")),
]


def unlisted(path: Path, source: str) -> list[str]:
    rel = path.relative_to(ROOT).as_posix()
    spans = functions_of(source)
    found = []
    for line, expression in sql_interpolations(source):
        where = (rel, enclosing(spans, line))
        if expression not in ALLOWED.get(where, {}):
            found.append(f"{rel}:{line} in {where[1]}(): {{{expression}}}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_sql_interpolates_only_allow_listed_expressions(path):
    found = unlisted(path, path.read_text())
    assert not found, (
        "SQL built from a value: bind it as a parameter ($name or ?), or, for an identifier "
        "from the code, add it to ALLOWED with the reason it cannot carry user input:\n"
        + "\n".join(found)
    )


def test_the_allow_list_names_only_what_is_there():
    """An entry whose code is gone would silently allow that expression if it came back."""
    seen = set()
    for path in SOURCES:
        source = path.read_text()
        spans = functions_of(source)
        rel = path.relative_to(ROOT).as_posix()
        for line, expression in sql_interpolations(source):
            seen.add((rel, enclosing(spans, line), expression))
    listed = {(f, fn, e) for (f, fn), entries in ALLOWED.items() for e in entries}
    assert listed <= seen, sorted(listed - seen)


@pytest.mark.parametrize(
    "code",
    [
        "def f(cur, supplier):\n"
        "    cur.execute(f\"select * from deliveries where supplier = '{supplier}'\")",
        'def f(cur, sku):\n    cur.execute("delete from items where sku = \'" + sku + "\'")',
        "def f(cur, c):\n    cur.execute(\"select * from items where category = '{}'\".format(c))",
        "def f(cur, s):\n    return \"select * from deliveries where supplier = '%s'\" % s",
        "def f(cur, by):\n    return f'select {by}, count(*) from po_lines group by 1'",
        "def f(cur, path):\n    cur.execute(f\"select * from read_csv('{path}')\")",
        "def f(cur, name):\n    cur.execute(f'attach {name}')",
        "def f(cur, s):\n    sql = f\"select * from t where s = '{s}'\"\n    raise ValueError(sql)",
    ],
)
def test_the_static_check_catches_sql_built_from_a_value(code):
    assert unlisted(ROOT / "analytics" / "new.py", code)


def test_the_models_hold_no_python_placeholders():
    """Models take values only as $parameters; a `{...}` would be filled in by Python."""
    for path in sorted((ROOT / "analytics" / "models" / "sql").glob("*/*.sql")):
        text = path.read_text()
        assert not re.search(r"\{\w*\}", text), path.name


# -- 4. the app's connection cannot reach files, extensions or its own settings ------------------
def outside_file(tmp_path: Path) -> Path:
    secret = tmp_path.parent / "outside-the-store.csv"
    secret.write_text("sku,qty\nSECRET,1\n")
    return secret


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_csv_auto('{outside}')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/hostname')",
        "SELECT * FROM read_json('/etc/passwd')",
        "SELECT * FROM read_parquet('{outside}')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_text('{spool}/../../../../../../etc/passwd')",
        "COPY deliveries TO '{outside}.copy.csv'",
        "COPY deliveries TO '{spool}/../escaped.csv'",
        "COPY deliveries FROM '{outside}'",
        "EXPORT DATABASE '{outside}.export'",
        "ATTACH '{outside}.duckdb' AS other",
        "INSTALL httpfs",
        "CREATE SECRET leak (TYPE s3, KEY_ID 'x', SECRET 'y')",
    ],
)
def test_no_file_outside_the_upload_folder_is_reachable(store, tmp_path, statement):
    sql = statement.format(outside=outside_file(tmp_path), spool=store.spool_dir)
    with store.connect() as cur, pytest.raises(duckdb.PermissionException):
        cur.execute(sql).fetchall()
    assert not list(tmp_path.parent.glob("outside-the-store.csv.*"))


@pytest.mark.parametrize("statement", ["LOAD httpfs", "LOAD '/tmp/evil.duckdb_extension'"])
def test_no_extension_loads(store, statement):
    with store.connect() as cur, pytest.raises(duckdb.PermissionException, match="extensions"):
        cur.execute(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET allowed_directories = ['/']",
        "SET lock_configuration = false",
        "RESET lock_configuration",
        "SET autoload_known_extensions = true",
        "SET autoinstall_known_extensions = true",
        "SET memory_limit = '64GB'",
        "SET temp_directory = '/tmp'",
    ],
)
def test_the_settings_cannot_be_undone(store, statement):
    with store.connect() as cur:
        with pytest.raises(duckdb.InvalidInputException, match="configuration has been locked"):
            cur.execute(statement)
        settings = dict(
            cur.execute(
                "select name, value from duckdb_settings() where name in ("
                "'enable_external_access', 'lock_configuration', 'autoload_known_extensions')"
            ).fetchall()
        )
    assert settings == {
        "enable_external_access": "false",
        "lock_configuration": "true",
        "autoload_known_extensions": "false",
    }


def test_the_lock_down_holds_on_the_writer_and_on_every_new_cursor(store):
    with store.writer() as cur:
        with pytest.raises(duckdb.PermissionException):
            cur.execute("SELECT * FROM read_text('/etc/hostname')")
        fresh = cur.cursor()
        with pytest.raises(duckdb.InvalidInputException):
            fresh.execute("SET enable_external_access = true")
        fresh.close()


def test_an_upload_in_the_store_folder_is_still_read(store):
    """The one folder left open is the upload spool: imports keep working."""
    upload = store.spool_dir / "ok.csv"
    upload.write_text("sku,qty\nSKU1,1\n")
    with store.connect() as cur:
        assert cur.execute(f"SELECT * FROM read_csv('{upload}')").fetchall() == [("SKU1", 1)]
