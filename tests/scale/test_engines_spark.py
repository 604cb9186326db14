"""The same metric SQL on Apache Spark (local mode) gives the same numbers as on DuckDB.

1. Every model, transpiled to Spark SQL, returns the rows DuckDB returns on the demo.
2. The rollup job on Spark writes the same tables as on DuckDB: every KPI, scorecard row and
   weekly and monthly series, exact for counts, 1e-9 relative for floats.

Spark needs Java 17 or 21. Without it the module is skipped, saying so, unless
TAKT_REQUIRE_SPARK=1 (set by .ci/run), where a missing Java fails the run.
"""

from __future__ import annotations

import os
import shutil

import pytest

from analytics.metrics import figures
from analytics.models.compose import compose, duckdb_dialect, models, parameters
from analytics.models.params import resolve
from analytics.scale import rollup
from analytics.scale.engines import SparkEngine
from analytics.scale.rollup import canonical_columns, read_manifest
from analytics.store.connection import Store
from analytics.store.schema import TABLES
from tests.demo_files import counted_po_lines
from tests.rollup_helpers import compare_rollups, compare_rows

pytestmark = pytest.mark.slow

if not shutil.which("java") or not __import__("importlib").util.find_spec("pyspark"):
    if os.environ.get("TAKT_REQUIRE_SPARK") == "1":
        raise RuntimeError("TAKT_REQUIRE_SPARK=1 but Java or pyspark is missing")
    pytest.skip(
        "Spark needs Java 17+ and pyspark (see requirements-spark.txt)", allow_module_level=True
    )

MASTER = "local[2]"


@pytest.fixture(scope="module")
def spark_rollups(lake, tmp_path_factory):
    """The job on Spark, given URIs as on a cluster (file:// here, s3a:// or hdfs:// there)."""
    out = tmp_path_factory.mktemp("spark_rollups")
    manifest = rollup.run("spark", f"file://{lake}", f"file://{out}", master=MASTER)
    assert manifest["engine"] == "spark" and manifest["input"] == f"file://{lake}"
    return out


def test_spark_job_writes_its_manifest_and_tables_at_the_uri(spark_rollups):
    manifest = read_manifest(spark_rollups)  # a folder with one part file, written by Spark
    assert manifest["tables"]["po_line_facts"]["rows"] == counted_po_lines()  # from the file
    assert list((spark_rollups / "po_line_facts").glob("part-*.parquet"))


def test_spark_job_writes_what_the_duckdb_job_writes(rollups, spark_rollups):
    assert compare_rollups(rollups, spark_rollups) == []


def test_spark_job_kpis_are_the_apps(demo, spark_rollups):
    from tests.rollup_helpers import read_table, same_value

    columns, rows = read_table(spark_rollups / "kpis")
    got = dict(zip(columns, rows[0], strict=True))
    expected = figures.overview(demo)
    assert {k: same_value(got[k], expected[k]) for k in figures.KPI_KEYS} == dict.fromkeys(
        figures.KPI_KEYS, True
    )
    assert got["due_lines"] == expected["due_lines"] and isinstance(got["due_lines"], int)


def every_model_differences(store, lake) -> list[str]:
    """Every model of analytics/models/sql on Spark over `lake` against DuckDB over `store`."""
    engine = SparkEngine(MASTER)
    try:
        for table in TABLES.values():
            engine.register(table.name, lake / table.name, canonical_columns(table))
        with store.connect() as cur:
            params = {**resolve(cur), "grain": "month", "by": "supplier", "cause": None}
            app = cur.execute("describe forecasts").fetchall()
        # the app's stored forecasts are no lake table: empty on Spark, unused at weight 0
        engine.register("forecasts", None, [(r[0], r[1]) for r in app])
        problems = []
        for name in sorted(models()):
            values = {k: params[k] for k in parameters(compose(name))}
            spark_rows = engine.rows(engine.sql(name, frozenset()), values)
            with store.connect() as cur:
                result = cur.execute(duckdb_dialect(compose(name)), values)
                columns = [d[0] for d in result.description]
                duck_rows = result.fetchall()
            spark_columns = list(spark_rows[0]) if spark_rows else columns
            problems += compare_rows(
                name,
                (columns, duck_rows),
                (spark_columns, [tuple(r.values()) for r in spark_rows]),
            )[:3]
        return problems
    finally:
        engine.close()


@pytest.mark.timeout(1500)  # ~2 min alone; a CI machine shared with other work took > 600 s
def test_every_model_runs_on_spark_like_on_duckdb(demo, lake, spark_rollups):
    """Beyond the rollups: drill-downs, effects, histograms, every model of analytics/sql."""
    assert every_model_differences(demo, lake) == []


def test_reversals_and_cancelled_lines_net_on_spark_like_on_duckdb(tmp_path):
    """The demo has no reversal, return or cancelled line: the cross-check's store that has
    them (tests/reliability/test_crosscheck.py), through the lake, on both engines."""
    from analytics.scale.lake import export_parquet
    from tests.reliability.test_crosscheck import netting, store_of

    store = store_of(tmp_path / "netting.duckdb", netting())
    store.close()
    export_parquet(store.path, tmp_path / "lake")
    store = Store(store.path, lock_timeout=20)
    try:
        assert every_model_differences(store, tmp_path / "lake") == []
    finally:
        store.close()


def test_the_dashboard_serves_what_spark_computed(demo, spark_rollups):
    from analytics.scale.serving import RollupStore

    store = RollupStore(spark_rollups)  # the manifest's file:// lake is read as a local folder
    try:
        got, expected = figures.overview(store), figures.overview(demo)
        # relative, not 12 decimals: COGS is about 2e7, whose 12th decimal is past a double's
        # precision, and Spark sums in another order than DuckDB
        assert {k: got[k] for k in figures.KPI_KEYS if got[k] is not None} == pytest.approx(
            {k: expected[k] for k in figures.KPI_KEYS if expected[k] is not None}, rel=1e-12
        )
        assert figures.scorecard(store)[0]["supplier"] == figures.scorecard(demo)[0]["supplier"]
    finally:
        store.close()
