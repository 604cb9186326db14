"""Every SQL model transpiles to Spark SQL cleanly (no Spark needed to run this module)."""

from __future__ import annotations

import re

import pytest
import sqlglot
from sqlglot import exp

from analytics.models.compose import compose, models, parameters
from analytics.scale import engines


@pytest.mark.parametrize("name", sorted(models()))
def test_every_model_transpiles_to_spark(name):
    sql = engines.transpile(name, "spark")
    tree = sqlglot.parse_one(sql, read="spark")  # Spark's own grammar reads it back
    with_ = tree.args.get("with_")
    names = [cte.alias for cte in with_.expressions] if with_ else []
    assert len(names) == len(set(names)), f"duplicate CTE names in {name}"
    assert "$" not in sql  # parameters are Spark's named markers, bound by the engine
    assert set(re.findall(r":([a-z_]+)\b", sql)) == parameters(compose(name))
    text = sql.upper()
    assert "APPROX" not in text  # no exact statistic silently turned into an estimate
    decimals = [lit for lit in tree.find_all(exp.Literal) if not lit.is_string and "." in lit.this]
    uncast = [lit.parent.sql("spark") for lit in decimals if not isinstance(lit.parent, exp.Cast)]
    assert all(f.startswith("PERCENTILE(") for f in uncast), uncast  # p of percentile(x, p)


def test_inner_ctes_are_renamed_per_model():
    """`po_line_facts` and `defect_events` both have a step called `final` or `lines`:
    hoisted into one WITH list they would clash without the `<model>__` prefix."""
    sql = engines.transpile("supplier_scorecard", "spark")
    assert "defect_events__final AS" in sql
    assert "po_line_facts__lines AS" in sql
    assert " final AS" not in sql


def test_percentile_cont_becomes_sparks_exact_percentile():
    tree = sqlglot.parse_one(
        "select percentile_cont(0.95) within group (order by x) as p, 1.0 * n / 2 as r from t",
        read="duckdb",
    )
    sql = tree.transform(engines._spark_exact).sql(dialect="spark")
    assert sql == "SELECT PERCENTILE(x, 0.95) AS p, CAST(1.0 AS DOUBLE) * n / 2 AS r FROM t"
    descending = sqlglot.parse_one(
        "select percentile_cont(0.5) within group (order by x desc) from t", read="duckdb"
    )
    with pytest.raises(engines.TranspileError, match="ascending"):
        descending.transform(engines._spark_exact)


def test_materialized_dependencies_are_read_from_their_marts():
    sql = engines.transpile("kpi_delivery", "spark", frozenset({"po_line_facts"}))
    assert "FROM mart_po_line_facts" in sql
    assert "FROM deliveries" not in sql  # the raw receipts are not read again


def test_unknown_dialect_is_refused():
    with pytest.raises(ValueError, match="unknown dialect 'oracle'"):
        engines.transpile("kpi_overview", "oracle")
