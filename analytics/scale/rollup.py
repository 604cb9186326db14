"""The rollup job: Takt's heavy per-line work, done once by DuckDB or by Spark, as Parquet.

Input: the canonical tables as Parquet, one folder per table (`deliveries/`, `orders/`,
`defects/`, `inventory/`, `items/`, optionally `settings/`), the layout `python -m analytics
export --format parquet` writes. A missing table folder is an empty table.

Output, one folder of Parquet files per table, and `_takt_rollups.json` written last (a
folder without it is an unfinished job):
- per-line outcomes: the marts of analytics.marts (PO-line facts, order-line facts, valued
  receipts and snapshots, the sku dimension, the stock position at the as-of date);
- `kpis`: the headline KPIs of the period, one row;
- weekly and monthly rollups of every trend model (`delivery_weekly`, `quality_monthly`, ...);
- scorecards: `supplier_scorecard`, `sku_planning`, `waste_ledger`.

Every table comes from the same SQL model the app runs, on either engine (analytics.engines).
The dashboard serves the output read-only with `TAKT_ROLLUPS=PATH` (analytics.serving).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path

from analytics.models.compose import compose, parameters
from analytics.models.materialize import FACTS, FAR_FUTURE, answers, params_key
from analytics.models.params import LATEST_DATE_SQL, Scope, latest_event_sql
from analytics.models.params import parameters as scope_parameters
from analytics.scale.lake import is_uri
from analytics.store.schema import SETTINGS, SQL_TYPES, TABLES, TEXT_SETTINGS

MANIFEST = "_takt_rollups.json"
FORMAT = 1

TRENDS = (
    "series_delivery",
    "series_quality",
    "series_customer",
    "series_inventory",
    "series_lead_time",
    "series_spend",
    "series_stock",
    "supplier_series",
)
SCORECARDS = {"supplier_scorecard": "supplier", "sku_planning": "sku", "waste_ledger": "position"}
GRAINS = ("week", "month")


class Location(str):
    """A URI folder (`s3a://bucket/lake`) that joins like a Path: `Location(u) / "orders"`."""

    def __truediv__(self, name: str) -> Location:
        return Location(f"{self.rstrip('/')}/{name}")


class RollupError(RuntimeError):
    """The job cannot run on what it was given (a clear message, no traceback needed)."""


def trend_table(model: str, grain: str) -> str:
    """`series_delivery`, week -> `delivery_weekly`; `supplier_series`, month -> ..._monthly."""
    return f"{model.removeprefix('series_')}_{grain}ly"


def canonical_columns(table) -> list[tuple[str, str]]:
    return [(c.name, SQL_TYPES[c.type]) for c in table.columns]


def _settings(engine, input_dir: Path) -> dict[str, float]:
    """The settings exported with the tables, else Takt's defaults."""
    defaults = {name: default for name, (default, *_r) in SETTINGS.items()}
    columns = [("name", "VARCHAR"), ("value", "DOUBLE")]
    if not engine.register("takt_settings", input_dir / "settings", columns):
        return defaults
    stored = {r["name"]: r["value"] for r in engine.query("select name, value from takt_settings")}
    return {name: stored.get(name, default) for name, default in defaults.items()}


def _currency(engine, input_dir: Path) -> str:
    """The currency setting exported with the tables (`text_settings/`), else EUR: the base
    currency the staging models convert every amount into."""
    columns = [("name", "VARCHAR"), ("value", "VARCHAR")]
    default = TEXT_SETTINGS["currency"][0]
    if not engine.register("takt_text_settings", input_dir / "text_settings", columns):
        return default
    stored = {
        r["name"]: r["value"] for r in engine.query("select name, value from takt_text_settings")
    }
    return stored.get("currency", default)


def _latest_event(engine, tables) -> date | None:
    """As analytics.models.materialize's, asked of the job's engine."""
    sql = latest_event_sql(tables)
    return None if sql is None else engine.query(sql)[0]["latest"]


def _bound(engine, name: str, materialized: frozenset, params: dict) -> tuple[str, dict]:
    sql = engine.sql(name, materialized)
    needed = parameters(compose(name, materialized))
    return sql, {k: params[k] for k in needed}


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def run(
    engine_name: str,
    input_dir,
    output_dir,
    *,
    master: str | None = None,
    conf: dict | None = None,
    scope: Scope | None = None,
    progress=None,
) -> dict:
    """Compute every rollup table from `input_dir` into `output_dir`; the manifest written.

    Folders are local paths, or for the Spark engine URIs its cluster reads and writes
    (`s3a://bucket/lake`, `hdfs://...`, `file:///...`).
    """
    remote = is_uri(input_dir) or is_uri(output_dir)
    if remote:
        if engine_name != "spark":
            raise RollupError(
                "URIs (s3a://, hdfs://, file://) need --engine spark; DuckDB reads local folders"
            )
        input_dir, output_dir = Location(input_dir), Location(output_dir)
    else:
        input_dir, output_dir = Path(input_dir).resolve(), Path(output_dir).resolve()
        if not input_dir.is_dir():
            raise RollupError(f"input folder {input_dir} does not exist")
    if str(output_dir) == str(input_dir) or str(output_dir).startswith(f"{input_dir}/"):
        raise RollupError("the output folder must not be the input folder or inside it")
    if not remote:
        output_dir.mkdir(parents=True, exist_ok=True)
        (output_dir / MANIFEST).unlink(missing_ok=True)  # unfinished until written again
    say = progress or (lambda _text: None)
    started = time.perf_counter()
    from analytics.scale.engines import engine_for  # sqlglot: only when a rollup runs

    engine = engine_for(
        engine_name, input_dir=input_dir, output_dir=output_dir, master=master, conf=conf
    )
    tables: dict[str, dict] = {}
    try:
        present = [
            table.name
            for table in TABLES.values()
            if engine.register(table.name, input_dir / table.name, canonical_columns(table))
        ]
        if not present:
            raise RollupError(
                f"input folder {input_dir} holds none of the table folders {sorted(TABLES)}: "
                "write them with `python -m analytics export --format parquet DIR`"
            )
        settings = _settings(engine, input_dir)
        latest = engine.query(LATEST_DATE_SQL)[0]["latest"]
        money = {"currency": _currency(engine, input_dir)}
        params = scope_parameters({**settings, **money}, latest, scope or Scope())

        marts: dict[str, dict] = {}
        built: set[str] = set()
        for mart in FACTS.values():
            say(f"per-line outcomes: {mart.name}")
            mart_params = params if mart.at_default_as_of else {**params, "as_of": FAR_FUTURE}
            sql, values = _bound(engine, mart.name, frozenset(built), mart_params)
            rows = engine.write(sql, values, output_dir / mart.name, mart.order_by)
            engine.attach(f"mart_{mart.name}", output_dir / mart.name)
            built.add(mart.name)
            valid_from = _latest_event(engine, mart.bounded_by)
            marts[mart.name] = {
                "key": params_key(mart, mart_params),
                "valid_from": _jsonable(valid_from),
            }
            tables[mart.name] = {"model": mart.name, "kind": "line outcomes", "rows": rows}

        usable = frozenset(
            name
            for name, info in marts.items()
            if answers(name, info["key"], _date(info["valid_from"]), params)
        )
        say("kpis")
        sql, values = _bound(engine, "kpi_overview", usable, params)
        tables["kpis"] = {
            "model": "kpi_overview",
            "kind": "kpis",
            "rows": engine.write(sql, values, output_dir / "kpis", None),
        }
        for model in TRENDS:
            for grain in GRAINS:
                name = trend_table(model, grain)
                say(f"rollup: {name}")
                sql, values = _bound(engine, model, usable, {**params, "grain": grain})
                rows = engine.write(sql, values, output_dir / name, "bucket")
                tables[name] = {"model": model, "kind": "rollup", "grain": grain, "rows": rows}
        for model, order_by in SCORECARDS.items():
            say(f"scorecard: {model}")
            sql, values = _bound(engine, model, usable, params)
            rows = engine.write(sql, values, output_dir / model, order_by)
            tables[model] = {"model": model, "kind": "scorecard", "rows": rows}
        manifest = {
            "format": FORMAT,
            "engine": engine_name,
            "master": master,
            "input": str(input_dir),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 3),
            "params": {k: _jsonable(v) for k, v in params.items()},
            "settings": settings,
            "marts": marts,
            "tables": tables,
        }
        text = json.dumps(manifest, indent=2, sort_keys=True)
        if remote:
            engine.write_text(output_dir / MANIFEST, text)
    finally:
        engine.close()
        if not remote:
            shutil.rmtree(output_dir / "_tmp", ignore_errors=True)
    if not remote:
        tmp = output_dir / (MANIFEST + ".tmp")
        tmp.write_text(text)
        os.replace(tmp, output_dir / MANIFEST)
    return manifest


def read_manifest(output_dir) -> dict:
    path = Path(output_dir) / MANIFEST
    if path.is_dir():  # written by Spark to a URI: a folder holding one part file
        parts = sorted(path.glob("part-*"))
        path = parts[0] if parts else path
    if not path.is_file():
        raise RollupError(
            f"{output_dir} holds no finished rollups ({MANIFEST} is missing): run "
            "`python -m analytics rollup --input LAKE --output DIR` first"
        )
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise RollupError(f"{path} has format {manifest.get('format')}, this Takt reads {FORMAT}")
    return manifest
