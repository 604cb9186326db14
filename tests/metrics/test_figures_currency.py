"""Amounts in other currencies, converted with the rates file or left out and counted.

Base currency EUR (the default setting). Rates: USD undated 0.80, USD from 2024-03-01 0.90,
USD from 2024-04-01 1.50 (next month's rate: it applies to nothing in March and is no
event, so the as-of date stays 03-31); CHF undated 1.05; JPY from 2024-01-01 0.006 and
from 2024-05-01 0.0062. No GBP rate.

| receipt | supplier | sku | received    | qty | unit cost  | in EUR                          |
|---------|----------|-----|-------------|-----|------------|---------------------------------|
| A       | Acme     | S1  | 03-10       | 10  | 2.00 (blank = EUR) | 2.00                    |
| B       | Bolt     | S1  | 03-12       | 10  | 2.00 USD   | x 0.90 (from 03-01) = 1.80      |
| D       | Bolt     | S1  | 02-20       | 10  | 1.00 usd   | before 03-01: undated 0.80      |
| C       | Cobalt   | S2  | 03-14       | 10  | 3.00 GBP   | no rate: unknown, counted       |

March spend: Acme 10 x 2.00 = 20, Bolt 10 x 1.80 = 18, Cobalt unknown (left out, never the
sku's cost instead): HHI = (20/38)^2 + (18/38)^2 = 724 / 1444.
S1's unit cost from deliveries (all data): (20 + 18 + 8) / 30 = 46 / 30.
Defects: N1 03-20 S1 2 units, cost 5.00 CHF = 5.25; N2 03-21 S1 1 unit, cost 4.00 GBP: no
rate, so unknown (not 1 x S1's cost). COPQ = 5.25 with one event of unknown cost.
Item master: S3 at 100 JPY (no date: the latest JPY rate, 0.0062) = 0.62.
Unconverted rows: deliveries GBP 1, defects GBP 1.
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.metrics.figures import (
    compute_kpis,
    scorecard,
    table_rows,
    unconverted_money,
)
from analytics.metrics.planning import save_currency
from analytics.models.params import Scope, latest_date
from analytics.store.schema import UNDATED
from tests.conftest import d, insert
from tests.pandas_reference import kpis_reference, load_frames

MARCH = {"start": date(2024, 3, 1), "end": date(2024, 3, 31), "as_of": date(2024, 3, 31)}


def receipt(po, supplier, sku, received, cost, currency=None):
    return {
        "po_number": po,
        "supplier": supplier,
        "sku": sku,
        "order_date": d("02-01"),
        "promised_date": d(received),
        "ordered_qty": 10,
        "received_date": d(received),
        "received_qty": 10,
        "unit_cost": cost,
        "currency": currency,
    }


@pytest.fixture
def currencies(store):
    insert(
        store,
        "deliveries",
        receipt("A", "Acme", "S1", "03-10", 2.0),
        receipt("B", "Bolt", "S1", "03-12", 2.0, "USD"),
        receipt("D", "Bolt", "S1", "02-20", 1.0, " usd "),
        receipt("C", "Cobalt", "S2", "03-14", 3.0, "GBP"),
    )
    rate = [
        ("USD", date.fromisoformat(UNDATED), 0.80),
        ("USD", d("03-01"), 0.90),
        ("USD", d("04-01"), 1.50),
        ("CHF", date.fromisoformat(UNDATED), 1.05),
        ("JPY", d("01-01"), 0.006),
        ("JPY", d("05-01"), 0.0062),
    ]
    insert(store, "rates", *({"currency": c, "valid_from": v, "rate": r} for c, v, r in rate))
    defect = {"sku": "S1", "supplier": "Acme", "stage": "receiving", "cause": "Burrs"}
    insert(
        store,
        "defects",
        {**defect, "defect_id": "N1", "date": d("03-20"), "qty": 2, "cost": 5.0}
        | {"currency": "CHF"},
        {**defect, "defect_id": "N2", "date": d("03-21"), "qty": 1, "cost": 4.0}
        | {"currency": "GBP"},
    )
    insert(store, "inventory", {"date": d("03-31"), "sku": "S1", "on_hand_qty": 100})
    insert(store, "items", {"sku": "S3", "unit_cost": 100.0, "currency": "JPY"})
    return store


def test_receipts_are_valued_in_the_base_currency_at_the_rate_of_their_date(currencies):
    got = {r["po_number"]: r for r in table_rows(currencies, "receipts", Scope(**MARCH))}
    assert got["A"]["value"] == pytest.approx(20.0)
    assert got["B"]["value"] == pytest.approx(18.0)  # 10 x 2.00 USD x 0.90
    # GBP has no rate: the receipt's value is unknown, not valued at S2's (unknown) cost
    assert got["C"]["value"] is None and got["C"]["money_unconverted"]
    spend = {s["supplier"]: s["spend"] for s in scorecard(currencies, Scope(**MARCH))}
    assert (spend["Acme"], spend["Bolt"], spend["Cobalt"]) == (20.0, pytest.approx(18.0), None)


def test_the_sku_cost_uses_converted_amounts_and_the_master_the_latest_rate(currencies):
    dims = {r["sku"]: r for r in table_rows(currencies, "dim_sku", Scope())}
    # D on 02-20 is before the USD rate of 03-01: the undated 0.80 applies
    assert dims["S1"]["unit_cost"] == pytest.approx(46 / 30)
    assert dims["S2"]["unit_cost"] is None  # its only cost is in GBP
    assert dims["S3"]["unit_cost"] == pytest.approx(0.62)  # 100 JPY x the latest 0.0062


def test_amounts_without_a_rate_are_left_out_and_counted(currencies):
    k = compute_kpis(currencies, **MARCH)
    assert k["copq"] == pytest.approx(5.25)  # N2's GBP cost is unknown, not 1 x S1's cost
    assert k["hhi"] == pytest.approx(724 / 1444)
    assert unconverted_money(currencies) == [
        {"table_name": "defects", "currency": "GBP", "rows": 1},
        {"table_name": "deliveries", "currency": "GBP", "rows": 1},
    ]
    (quality,) = table_rows(currencies, "kpi_quality", Scope(**MARCH))
    assert quality["defects_cost_unknown"] == 1


def test_a_rate_of_next_month_moves_no_as_of_date(currencies):
    with currencies.connect() as cur:
        assert latest_date(cur) == d("03-31")


def test_the_pandas_reference_reads_currencies_the_same_way(currencies):
    sql = compute_kpis(currencies, **MARCH)
    ref = kpis_reference(load_frames(currencies), **MARCH)
    assert set(sql) == set(ref)
    for key, value in ref.items():
        assert sql[key] == (None if value is None else pytest.approx(value)), key


def test_another_base_currency_reads_blank_rows_in_it(currencies):
    # USD as the base: A's blank currency is USD now, B and D are in the base (rate 1), the
    # rates of USD are never read; GBP still has no rate.
    assert save_currency(currencies, "usd") == "USD"
    assert save_currency(currencies, "USD") is None  # unchanged: nothing to rebuild
    spend = {s["supplier"]: s["spend"] for s in scorecard(currencies, Scope(**MARCH))}
    assert (spend["Acme"], spend["Bolt"], spend["Cobalt"]) == (20.0, 20.0, None)
    ref = kpis_reference(load_frames(currencies), **MARCH, settings={"currency": "USD"})
    assert compute_kpis(currencies, **MARCH)["hhi"] == pytest.approx(ref["hhi"])
    assert ref["hhi"] == pytest.approx(0.5)
