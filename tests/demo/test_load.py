"""Writing the demo store's tables to ship: a stored figure's HUGEINT counts go to Parquet
as DECIMAL(38,0) and come back as HUGEINT, exactly; no other table may hold a HUGEINT."""

from __future__ import annotations

import duckdb
import pytest

from analytics.demo.load import _shippable
from analytics.demo.shipped import copy_shipped
from analytics.store.connection import Store

COLUMNS = (
    "select column_name, data_type from information_schema.columns "
    "where table_name = ? order by ordinal_position"
)


def test_a_stored_figures_hugeint_count_is_shipped_and_read_back_exactly(tmp_path):
    # 2**70 + 1 = 1180591620717411303425 needs 71 bits: no BIGINT, no DOUBLE holds it
    # (a double would read back ...303424); DECIMAL(38,0) in Parquet does, and the copy
    # makes it a HUGEINT again, as the refresh's sum made it.
    scratch = duckdb.connect(str(tmp_path / "scratch.duckdb"))
    scratch.execute(
        "create table figure_kpi_overview as select (2::hugeint ** 70)::hugeint + 1 as "
        "otif_lines, 0.5::double as otif, 'Acme' as supplier"
    )
    folder = tmp_path / "shipped"
    folder.mkdir()
    target = folder / "figure_kpi_overview.parquet"
    scratch.execute(f"copy {_shippable(scratch, 'figure_kpi_overview')} to '{target}'")
    assert scratch.execute(f"describe select * from '{target}'").fetchall()[0][1] == (
        "DECIMAL(38,0)"
    )
    scratch.close()
    store = Store(tmp_path / "demo.duckdb")
    with store.connect():  # the schema, as build_demo_file makes it
        pass
    store.close()
    copy_shipped(tmp_path / "demo.duckdb", folder)
    con = duckdb.connect(str(tmp_path / "demo.duckdb"), read_only=True)
    try:
        assert con.execute(COLUMNS, ["figure_kpi_overview"]).fetchall() == [
            ("otif_lines", "HUGEINT"),
            ("otif", "DOUBLE"),
            ("supplier", "VARCHAR"),
        ]
        assert con.execute("select * from figure_kpi_overview").fetchall() == [
            (1180591620717411303425, 0.5, "Acme")
        ]
    finally:
        con.close()


def test_a_hugeint_outside_the_stored_figures_is_not_shipped(tmp_path):
    con = duckdb.connect()
    con.execute("create table deliveries_sum as select 1::hugeint as n")
    with pytest.raises(ValueError, match="deliveries_sum: a HUGEINT column outside"):
        _shippable(con, "deliveries_sum")
