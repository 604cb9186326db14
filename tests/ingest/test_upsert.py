"""The upsert keeps the natural key unique: one row per key after overlapping imports."""

from __future__ import annotations

from analytics.store.schema import TABLES
from tests.conftest import csv_text, rows


def test_one_row_per_natural_key_after_overlapping_imports(loaded):
    from tests.conftest import GOOD_ROWS, load

    load(
        loaded,
        "again.csv",
        csv_text(GOOD_ROWS[1], GOOD_ROWS[2], "PO7,1,,Acme,S,2024-01-01,2024-01-05,1,,,"),
    )
    for name, table in TABLES.items():
        key = ", ".join(table.key)
        assert rows(loaded, f"SELECT {key} FROM {name} GROUP BY {key} HAVING count(*) > 1") == []
