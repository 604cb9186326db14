"""The DDL: every canonical table has exactly the columns of the data contract."""

from __future__ import annotations

from analytics.store.schema import TABLES


def test_canonical_tables_have_exactly_the_contract_columns(store):
    with store.connect() as cur:
        for name, table in TABLES.items():
            got = cur.execute(f"SELECT * FROM {name} LIMIT 0").description
            assert [d[0] for d in got] == [c.name for c in table.columns] + ["import_id"]
