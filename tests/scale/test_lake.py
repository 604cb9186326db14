"""The Parquet export of the demo: one folder per table, the canonical columns, every row."""

from __future__ import annotations

from analytics.store.schema import SETTINGS, TABLES
from tests.demo_files import demo_rows
from tests.rollup_helpers import read_table


def test_export_writes_one_folder_per_table_with_the_canonical_columns(lake):
    assert sorted(p.name for p in lake.iterdir()) == sorted([*TABLES, "settings", "text_settings"])
    expected = demo_rows()  # the sample files' rows, counted by pandas
    for name, table in TABLES.items():
        columns, rows = read_table(lake / name)
        assert columns == [c.name for c in table.columns]
        assert len(rows) == expected.get(name, 0)  # no rates file: the demo has one currency
    _, settings = read_table(lake / "settings")
    assert dict(settings)["late_tolerance_days"] == 0.0
    assert sorted(name for name, _ in settings) == sorted(SETTINGS)  # every setting travels
    # the currency setting travels with the tables, so the rollup job converts into it
    assert read_table(lake / "text_settings")[1] == [("currency", "EUR")]
