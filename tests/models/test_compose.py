"""Composing models: the statement DuckDB runs."""

from __future__ import annotations

from analytics.models.compose import compose, duckdb_dialect


def test_every_pass_through_cte_is_inlined_the_first_included():
    """The first CTE follows `with ` on its line; it was left for DuckDB to materialise, so a
    statement reading the stored line facts twice scanned them once with the OR of both
    filters, and no row group was skipped."""
    sql = duckdb_dialect(compose("kpi_delivery", frozenset({"po_line_facts"})))
    assert sql.startswith("with po_line_facts as not materialized (\nselect * from mart_")
    assert "\npo_lines as not materialized (" in sql
    portable = compose("kpi_delivery", frozenset({"po_line_facts"}))
    assert "materialized" not in portable  # the model text for other engines is untouched
