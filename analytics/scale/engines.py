"""One set of SQL models, several engines: DuckDB (the default) and Apache Spark.

The models in analytics/sql are written in DuckDB's dialect and stay the single source of
truth. `transpile` turns a composed model into another engine's dialect with SQLGlot. Two
things need care beyond a plain `sqlglot.transpile`:

- Spark (like most engines) allows one flat WITH list, so SQLGlot hoists a model's own CTEs
  next to the composed ones; two models that both call a step `final` would then clash.
  Every model's inner CTEs are therefore renamed `<model>__<cte>` before composing.
- Parameters stay parameters: DuckDB's `$as_of` becomes Spark's named marker `:as_of` and the
  values are bound by the engine (`spark.sql(sql, args=...)`), never pasted into the text.

An engine runs a composed model and either returns its rows or writes them as a folder of
Parquet files, so the rollup job (analytics.rollup) is written once for both.
"""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from analytics.models.compose import compose, dependency_order, duckdb_dialect, models
from analytics.scale.lake import is_uri, parquet_files, present_casts

DIALECTS = {"duckdb": "duckdb", "spark": "spark"}


class TranspileError(ValueError):
    """A model that SQLGlot cannot carry into another dialect without loss."""


@cache
def _model_tree(name: str) -> exp.Expression:
    """A model's SELECT parsed, with its own CTEs renamed `<model>__<cte>`."""
    tree = sqlglot.parse_one(models()[name].body, read="duckdb")
    with_ = tree.args.get("with_") or tree.args.get("with")
    if with_ is None:
        return tree
    inner = {cte.alias for cte in with_.expressions}
    for table in tree.find_all(exp.Table):
        if not table.db and table.name in inner:
            if not table.alias:  # keep the old name visible to qualified columns (`lines.*`)
                table.set("alias", exp.TableAlias(this=exp.to_identifier(table.name)))
            table.set("this", exp.to_identifier(f"{name}__{table.name}"))
    for cte in with_.expressions:
        cte.set("alias", exp.TableAlias(this=exp.to_identifier(f"{name}__{cte.alias}")))
    return tree


def _spark_exact(node: exp.Expression) -> exp.Expression:
    """Keep Spark's arithmetic as exact as DuckDB's where SQLGlot would not.

    - `percentile_cont(p) within group (order by x)` becomes Spark's exact `percentile(x, p)`
      (linear interpolation, as percentile_cont); SQLGlot would write `percentile_approx`.
    - A decimal literal (`1.0`, `365.0`) is a double: Spark types `1.0` as DECIMAL(2,1), so
      `1.0 * count(*) / n` is decimal arithmetic with a capped scale, while DuckDB divides
      in double precision. Integer literals stay integers.
    """
    if isinstance(node, exp.WithinGroup) and isinstance(node.this, exp.PercentileCont):
        ordered = node.expression.expressions
        if len(ordered) != 1 or ordered[0].args.get("desc"):
            raise TranspileError("percentile_cont needs exactly one ascending order key")
        return exp.Anonymous(
            this="percentile", expressions=[ordered[0].this.copy(), node.this.this.copy()]
        )
    if isinstance(node, exp.Literal) and not node.is_string and "." in node.this:
        return exp.cast(node.copy(), exp.DataType.build("double"))
    return node


@cache
def transpile(name: str, dialect: str, materialized: frozenset = frozenset()) -> str:
    """The composed model `name` in `dialect`; dependencies in `materialized` are read
    from their stored tables (`mart_<dep>`), as in analytics.models.compose."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; choose one of {sorted(DIALECTS)}")
    ctes = []
    for dep in dependency_order(name, materialized):
        body = (
            sqlglot.parse_one(f"select * from mart_{dep}")
            if dep in materialized
            else _model_tree(dep).copy()
        )
        ctes.append(exp.CTE(this=body, alias=exp.TableAlias(this=exp.to_identifier(dep))))
    main = _model_tree(name).copy()
    if ctes:
        statement = exp.select("*").from_(
            exp.Subquery(this=main, alias=exp.TableAlias(this=exp.to_identifier(name)))
        )
        statement.set("with_", exp.With(expressions=ctes))
    else:
        statement = main
    if dialect == "spark":
        statement = statement.transform(_spark_exact)
    try:
        return statement.sql(
            dialect=DIALECTS[dialect], unsupported_level=sqlglot.ErrorLevel.RAISE, pretty=False
        )
    except sqlglot.errors.UnsupportedError as exc:
        raise TranspileError(f"model {name} does not transpile to {dialect}: {exc}") from exc


# -- engines -------------------------------------------------------------------------------
def _sql_string(text: str) -> str:
    """A quoted SQL string literal, for file paths in DDL where no parameter can go."""
    return "'" + str(text).replace("'", "''") + "'"


class DuckDBEngine:
    """The rollup job on one machine: an in-memory DuckDB that reads and writes Parquet.

    The connection is locked down like the app's: it may read the input folder and write
    the output folder, nothing else.
    """

    name = "duckdb"

    def __init__(self, input_dir: Path, output_dir: Path, memory_limit: str = "4GB"):
        self.con = duckdb.connect()
        spill = Path(output_dir) / "_tmp"
        spill.mkdir(parents=True, exist_ok=True)
        allowed = [str(Path(d).resolve()) + os.sep for d in (input_dir, output_dir)]
        self.con.execute(f"SET allowed_directories={allowed!r}")
        self.con.execute(f"SET temp_directory={_sql_string(spill.resolve())}")
        self.con.execute("SET enable_external_access=false")
        self.con.execute("SET autoinstall_known_extensions=false")
        self.con.execute("SET autoload_known_extensions=false")
        self.con.execute(f"SET memory_limit={_sql_string(memory_limit)}")
        self.con.execute("SET preserve_insertion_order=false")
        self.con.execute("SET lock_configuration=true")
        self._spill = spill

    def register(self, name: str, folder, columns: list[tuple[str, str]]) -> bool:
        """`name` as a view over the Parquet files in `folder`, with the columns (and types)
        given; an empty table of those columns when the folder has no file. True if data.
        A column the files lack (a lake exported before the column existed) is null."""
        files = parquet_files(folder)
        casts = ", ".join(f"cast({c} as {t}) as {c}" for c, t in columns)
        if files:
            source = f"read_parquet([{', '.join(_sql_string(f) for f in files)}])"
            described = self.con.execute(f"describe select * from {source}").fetchall()
            present = {row[0] for row in described}
            casts = present_casts(columns, present)
            self.con.execute(f"create or replace view {name} as select {casts} from {source}")
        else:
            self.con.execute(
                f"create or replace table {name} as select {casts} from (select "
                + ", ".join(f"null as {c}" for c, _ in columns)
                + ") where false"
            )
        return bool(files)

    def attach(self, name: str, folder: Path) -> None:
        """`name` as a view over a folder this job wrote (every column as stored)."""
        files = ", ".join(_sql_string(f) for f in parquet_files(folder))
        self.con.execute(f"create or replace view {name} as select * from read_parquet([{files}])")

    def sql(self, name: str, materialized: frozenset) -> str:
        return duckdb_dialect(compose(name, materialized))

    def rows(self, sql: str, params: dict) -> list[dict]:
        result = self.con.execute(sql, params)
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]

    def query(self, sql: str) -> list[dict]:
        """A portable statement without parameters (written in DuckDB's dialect)."""
        return self.rows(sql, {})

    def write(self, sql: str, params: dict, folder: Path, order_by: str | None) -> int:
        """Run `sql` and write its rows to `folder/part-0.parquet`; the row count."""
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.parquet"):
            old.unlink()
        order = f" order by {order_by}" if order_by else ""
        self.con.execute(
            f"create or replace temp table _rollup as select * from ({sql}) as result{order}",
            params,
        )
        # a sum of integers is a HUGEINT in DuckDB, which Parquet can only hold as a double:
        # store such counts as 64-bit integers, as Spark does
        columns = [
            f"cast({name} as bigint) as {name}" if kind == "HUGEINT" else name
            for name, kind, *_rest in self.con.execute("describe _rollup").fetchall()
        ]
        target = _sql_string((folder / "part-0.parquet").resolve())
        self.con.execute(
            f"copy (select {', '.join(columns)} from _rollup) to {target} (format parquet)"
        )
        (count,) = self.con.execute("select count(*) from _rollup").fetchone()
        self.con.execute("drop table _rollup")
        return count

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self._spill, ignore_errors=True)


def _local_conf(master: str) -> dict:
    """On one machine, 200 shuffle partitions (Spark's default, sized for clusters) cost
    more in task start-up than the work they split: use a few per core."""
    cores = os.cpu_count() or 2
    inner = master[master.find("[") + 1 : master.find("]")] if "[" in master else "1"
    threads = cores if inner in ("*", "") else max(1, int(inner) if inner.isdigit() else cores)
    # The analyser of a model composed from many others (customer misses traced to
    # suppliers) needs more than the 1g heap a local driver gets by default.
    return {
        "spark.sql.shuffle.partitions": str(2 * threads),
        "spark.ui.enabled": "false",
        "spark.driver.memory": "4g",
    }


class SparkEngine:
    """The rollup job on Apache Spark: local mode (`local[*]`) or a cluster's master URL.

    Canonical tables are registered as temporary views over their Parquet folders, models
    run as transpiled Spark SQL with named parameters, results are written with Spark's
    Parquet writer (one folder of part files per table).
    """

    name = "spark"

    def __init__(self, master: str = "local[*]", app_name: str = "takt-rollup", conf=None):
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.appName(app_name)
        remote = master.startswith("sc://")
        if remote:  # Spark Connect: the job runs on the server's cluster
            builder = builder.remote(master)
        elif master:
            builder = builder.master(master)
        settings = {
            "spark.sql.session.timeZone": "UTC",  # dates are calendar dates, never shifted
            "spark.sql.ansi.enabled": "false",  # x / 0 is null, as DuckDB's nullif guards expect
            **({} if remote else {"spark.ui.showConsoleProgress": "false"}),
            **(_local_conf(master) if master.startswith("local") else {}),
            **(conf or {}),
        }
        for key, value in settings.items():
            builder = builder.config(key, value)
        self.spark = builder.getOrCreate()
        if not remote:  # a Connect client has no SparkContext
            self.spark.sparkContext.setLogLevel("ERROR")

    def register(self, name: str, folder, columns: list[tuple[str, str]]) -> bool:
        """As DuckDBEngine.register; `folder` may be a URI the cluster reads (s3a://, hdfs://)."""
        spark_types = [
            (c, exp.DataType.build(t, dialect="duckdb").sql(dialect="spark")) for c, t in columns
        ]
        raw = self._read(folder)
        if raw is not None:
            raw.createOrReplaceTempView(f"_raw_{name}")
            casts = present_casts(spark_types, set(raw.columns))
            self.spark.sql(f"select {casts} from _raw_{name}").createOrReplaceTempView(name)
        else:
            schema = ", ".join(f"{c} {t}" for c, t in spark_types)
            self.spark.createDataFrame([], schema).createOrReplaceTempView(name)
        return raw is not None

    def _read(self, folder):
        """The Parquet files of a folder as a DataFrame; None when there are none."""
        if folder is None:
            return None
        if not is_uri(folder):
            files = parquet_files(folder)
            return self.spark.read.parquet(*files) if files else None
        from pyspark.errors import AnalysisException

        try:
            return self.spark.read.parquet(str(folder))
        except AnalysisException as exc:  # PATH_NOT_FOUND, or a folder without Parquet
            if "PATH_NOT_FOUND" in str(exc) or "UNABLE_TO_INFER_SCHEMA" in str(exc):
                return None
            raise

    def write_text(self, path: str, text: str) -> None:
        """A small text file at a URI the cluster writes to (the manifest): Spark writes a
        folder of that name holding one part file, which read_manifest understands."""
        frame = self.spark.createDataFrame([(text,)], "value string").coalesce(1)
        frame.write.mode("overwrite").text(str(path))

    def attach(self, name: str, folder: Path) -> None:
        self.spark.read.parquet(str(folder)).createOrReplaceTempView(name)

    def sql(self, name: str, materialized: frozenset) -> str:
        return transpile(name, "spark", materialized)

    def rows(self, sql: str, params: dict) -> list[dict]:
        return [r.asDict() for r in self.spark.sql(sql, args=params or None).collect()]

    def query(self, sql: str) -> list[dict]:
        spark_sql = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
        return self.rows(spark_sql, {})

    def write(self, sql: str, params: dict, folder: Path, order_by: str | None) -> int:
        # an ORDER BY clause, not orderBy(): a stored fact may sort by an expression
        ordered = f"select * from ({sql}) as model order by {order_by}" if order_by else sql
        frame = self.spark.sql(ordered, args=params or None)
        frame.write.mode("overwrite").parquet(str(folder))
        return self.spark.read.parquet(str(folder)).count()

    def close(self) -> None:
        self.spark.stop()


def engine_for(
    name: str, *, input_dir: Path, output_dir: Path, master: str | None = None, conf=None
):
    if name == "duckdb":
        return DuckDBEngine(input_dir, output_dir)
    if name == "spark":
        try:
            import pyspark  # noqa: F401
        except ImportError as exc:
            raise RuntimeError(
                "the Spark engine needs pyspark: pip install -r requirements-spark.txt"
            ) from exc
        return SparkEngine(master or "local[*]", conf=conf)
    raise ValueError(f"unknown engine {name!r}; choose duckdb or spark")
