"""The Refine page's pure helpers, on hand-written rows with hand-worked expected numbers."""

from __future__ import annotations

import pytest

from analytics.metrics.waste import (
    NO_DEMAND,
    count_excess,
    cover_band,
    cover_distribution,
    day_rows,
    excess_and_dead,
    ledger_table,
    money_rows,
    money_total,
    stock_rows,
    stock_settings,
    unclassified_skus,
    unmeasurable_rows,
)


def waste(position, name, value, unit="money", measurable=True, basis="b"):
    return {
        "position": position,
        "waste": name,
        "value": value,
        "unit": unit,
        "measurable": measurable,
        "basis": basis,
    }


LEDGER = [
    waste(1, "Inventory", 1000.0),
    waste(2, "Overproduction / over-delivery", 250.0),
    waste(3, "Early arrival", None),  # cost unknown: not 0, left out of the total
    waste(4, "Waiting", 40.0, unit="days"),
    waste(5, "Defects", 125.5),
    waste(6, "Transport", None, measurable=False),
    waste(7, "Motion", None, measurable=False),
]


def test_the_ledger_splits_into_money_days_and_unmeasurable():
    assert [r["waste"] for r in money_rows(LEDGER)] == [
        "Inventory",
        "Overproduction / over-delivery",
        "Early arrival",
        "Defects",
    ]
    assert [r["waste"] for r in day_rows(LEDGER)] == ["Waiting"]
    assert [r["waste"] for r in unmeasurable_rows(LEDGER)] == ["Transport", "Motion"]


def test_money_total_adds_the_money_rows_only():
    # 1000 + 250 + 125.5 = 1375.5; waiting (40 days) and the unknown early arrival are out
    assert money_total(LEDGER) == 1375.5
    assert money_total([waste(1, "Inventory", None), waste(4, "Waiting", 9.0, "days")]) is None
    assert money_total([]) is None


def test_ledger_table_puts_cost_and_days_apart_and_the_total_last():
    rows = ledger_table(LEDGER)
    assert len(rows) == len(LEDGER) + 1
    assert rows[0] == {
        "waste": "Inventory",
        "cost": 1000.0,
        "days": None,
        "measured": "yes",
        "basis": "b",
    }
    assert (rows[3]["cost"], rows[3]["days"]) == (None, 40.0)
    assert rows[5]["measured"] == "no" and rows[5]["cost"] is None
    assert rows[-1]["cost"] == 1375.5


def test_the_write_off_exposure_stands_beside_the_ledger():
    # Dead stock worth 700 at the as-of date: a stock, so neither in the money total (still
    # 1375.5), nor in the money, day or unmeasurable rows, nor in the ledger's table.
    exposure = waste(9, "Dead stock (write-off exposure)", 700.0, unit="stock")
    ledger = [*LEDGER, exposure]
    assert stock_rows(ledger) == [exposure]
    assert money_total(ledger) == 1375.5
    assert exposure not in money_rows(ledger) + day_rows(ledger) + unmeasurable_rows(ledger)
    assert ledger_table(ledger) == ledger_table(LEDGER)


def stock(sku, excess_qty, excess_value, on_hand_value, dead=False, cover=None):
    return {
        "sku": sku,
        "excess_qty": excess_qty,
        "excess_value": excess_value,
        "on_hand_value": on_hand_value,
        "is_dead": dead,
        "days_of_cover": cover,
    }


STOCK = [
    stock("S1", 0.0, 0.0, 50.0, cover=4.0),  # within cover: not listed
    stock("S2", 10.0, 200.0, 300.0, cover=25.0),
    stock("S3", 5.0, 200.0, 900.0, cover=12.0),  # ties S2 on excess, more on hand: first
    stock("S4", 8.0, None, None, dead=True),  # dead, cost unknown: last
    stock("S5", 20.0, 700.0, 700.0, dead=True),
    stock("S6", 0.0, 0.0, 0.0, cover=0.0),  # demand, nothing on hand
]


def test_excess_and_dead_lists_the_most_money_first():
    assert [r["sku"] for r in excess_and_dead(STOCK)] == ["S5", "S3", "S2", "S4"]
    assert count_excess(STOCK) == 4  # S2, S3, S4, S5


@pytest.mark.parametrize(
    ("cover", "band"),
    [
        (0.0, "< 5 days"),
        (4.99, "< 5 days"),
        (5.0, "5–10 days"),  # lower bounds are inclusive
        (9.99, "5–10 days"),
        (10.0, "10–30 days"),
        (30.0, "30–90 days"),
        (89.9, "30–90 days"),
        (90.0, "90+ days"),
        (3127.5, "90+ days"),
        (None, NO_DEMAND),
    ],
)
def test_cover_band_boundaries(cover, band):
    assert cover_band(cover) == band


def test_cover_distribution_has_every_band_in_order():
    got = cover_distribution(STOCK)
    assert [b["band"] for b in got] == [
        "< 5 days",
        "5–10 days",
        "10–30 days",
        "30–90 days",
        "90+ days",
        NO_DEMAND,
    ]
    by_band = {b["band"]: (b["skus"], b["on_hand_value"], b["cost_unknown"]) for b in got}
    assert by_band == {
        "< 5 days": (2, 50.0, 0),  # S1 50 + S6 0
        "5–10 days": (0, 0.0, 0),
        "10–30 days": (2, 1200.0, 0),  # S2 300 + S3 900
        "30–90 days": (0, 0.0, 0),
        "90+ days": (0, 0.0, 0),
        NO_DEMAND: (2, 700.0, 1),  # S5 700; S4 counted, cost unknown
    }
    assert cover_distribution([])[0] == {
        "band": "< 5 days",
        "skus": 0,
        "on_hand_value": 0.0,
        "cost_unknown": 0,
    }


def sized(abc, xyz, value):
    return {"abc_class": abc, "xyz_class": xyz, "consumption_value": value}


def test_unclassified_skus_are_those_outside_the_nine_cells():
    rows = [
        sized("A", "X", 600.0),
        sized("A", "X", 200.0),
        sized("A", "Z", 100.0),
        sized("B", "Y", 50.0),
        sized("C", "Z", 0.0),
        sized(None, "Z", None),  # no consumption value: no class
    ]
    assert unclassified_skus(rows) == 1


def test_stock_settings_reads_the_defaults(store):
    assert stock_settings(store) == {
        "target_cover_days": 10,
        "dead_stock_days": 90,
        "holding_cost_rate": 0.25,
        "abc_cutoff_a": 0.80,
        "abc_cutoff_b": 0.95,
        "xyz_cutoff_x": 0.5,
        "xyz_cutoff_y": 1.0,
    }
