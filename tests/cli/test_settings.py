"""`currency`: the money unit as a script reads and sets it, and how `kpis` then shows money."""

from __future__ import annotations

import json

import pytest

from analytics.metrics.registry import KPIS
from tests.conftest import cli, d, insert

MARCH = ["--start", "2024-03-01", "--end", "2024-03-31", "--as-of", "2024-03-31"]


@pytest.fixture
def db(store):
    # Two receipts of 10 units in March: 2.00 in the base currency and 3.00 GBP (no rate).
    receipt = {"supplier": "Acme", "sku": "S1", "order_date": d("03-01")}
    receipt |= {"promised_date": d("03-10"), "ordered_qty": 10, "received_date": d("03-10")}
    insert(
        store,
        "deliveries",
        {**receipt, "po_number": "A", "received_qty": 10, "unit_cost": 2.0},
        {**receipt, "po_number": "B", "received_qty": 10, "unit_cost": 3.0, "currency": "GBP"},
    )
    insert(store, "defects", {"defect_id": "N1", "date": d("03-20"), "sku": "S1"}
           | {"cause": "Burrs", "qty": 1, "cost": 12.5})  # fmt: skip
    store.close()
    return store.path


def test_currency_prints_sets_and_refuses(db):
    assert cli("currency", "--db", db).stdout == "EUR\n"
    done = cli("currency", "chf", "--db", db)
    assert (done.returncode, done.stdout) == (0, "currency set to CHF\n")
    assert cli("currency", "CHF", "--db", db).stdout == "currency is already CHF\n"
    refused = cli("currency", "Swiss francs", "--db", db)
    assert refused.returncode == 2
    assert "currency must be an ISO 4217 code of three letters" in refused.stderr
    assert cli("currency", "--db", db).stdout == "CHF\n"  # the refused code changed nothing


def copq_line(lines: list[str]) -> list[str]:
    return next(x for x in lines if x.startswith(KPIS["copq"].label)).split()


def test_kpis_show_money_in_the_currency_and_name_rows_without_a_rate(db):
    lines = cli("kpis", "--db", db, *MARCH).stdout.splitlines()
    assert copq_line(lines)[-2:] == ["12.50", "EUR"]
    assert lines[-1] == (
        "1 deliveries rows in GBP have no rate into EUR: left out of the money figures "
        "(import a rates file)"
    )
    cli("currency", "GBP", "--db", db)
    # GBP is the base now: B is in it; A's blank currency is GBP too; nothing unconverted
    lines = cli("kpis", "--db", db, *MARCH).stdout.splitlines()
    assert copq_line(lines)[-2:] == ["12.50", "GBP"] and "no rate" not in lines[-1]
    assert json.loads(cli("kpis", "--db", db, *MARCH, "--json").stdout)["currency"] == "GBP"
