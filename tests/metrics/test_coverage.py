"""What each kind of data unlocks and what a store holds of it (the Data page's guide)."""

from __future__ import annotations

from datetime import date

from analytics.metrics.coverage import KINDS, NEEDS, coverage, missing_tables, unlocks
from analytics.metrics.registry import KPIS
from analytics.store.schema import TABLES
from tests.conftest import GOOD_ROWS, csv_text, load


def test_every_kpi_says_what_it_needs_and_every_table_is_a_kind():
    assert set(NEEDS) == set(KPIS)  # a new KPI fails here until its inputs are named
    assert all(set(tables) <= set(TABLES) for tables in NEEDS.values())
    assert [k.table for k in KINDS] == list(TABLES)


def test_what_defects_unlock():
    assert unlocks("defects") == ["Supplier defects (PPM)", "Cost of poor quality"]
    assert unlocks("items") == []  # filters and costs, no figure of its own


def test_a_store_with_three_delivery_lines(store):
    # GOOD_ROWS: ordered 02-01 (PO1, PO2) and 03-01 (PO3), received 02-09 and 02-15.
    load(store, "mine.csv", csv_text(*GOOD_ROWS))
    rows = {r["table"]: r for r in coverage(store)}
    deliveries = rows["deliveries"]
    assert (deliveries["rows"], deliveries["first"], deliveries["last"]) == (
        3,
        date(2024, 2, 1),
        date(2024, 3, 1),
    )
    assert deliveries["blank"] == []  # nothing is blank for want of deliveries now
    assert rows["defects"]["blank"] == ["Supplier defects (PPM)", "Cost of poor quality"]
    assert (rows["orders"]["rows"], rows["orders"]["first"]) == (0, None)
    assert rows["orders"]["blank"] == [
        "Cost of goods sold",
        "Inventory turns",
        "Days inventory outstanding",
        "Fill rate",
        "Customer OTIF",
        "Excess stock",
    ]
    assert missing_tables(store, ("deliveries", "defects", "orders")) == ["defects", "orders"]
