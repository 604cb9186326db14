"""Signals (METRICS.md section 13) on a hand-built plant, and the digest's memory."""

from __future__ import annotations

from datetime import timedelta

import pytest

from analytics.metrics.targets import set_target
from analytics.review.actions import create_action
from analytics.review.signals import (
    as_of_date,
    last_run_as_of,
    late_lines,
    record_run,
    signals,
    unreported,
)
from tests.conftest import d, insert


def po(n: int, promised, received=None, qty: float = 10) -> dict:
    return {
        "po_number": f"PO{n}",
        "supplier": "Acme",
        "sku": "SKU1",
        "order_date": d("02-01"),
        "promised_date": promised,
        "ordered_qty": qty,
        "received_date": received,
        "received_qty": qty if received else None,
    }


@pytest.fixture
def plant(store):
    # OTIF: PO1 (promised 03-01, on time) and the open PO5, PO6, PO7 are due by 03-15:
    # 1 of 4 = 25%; by 03-20 also PO4 (03-17, on time), PO2 (03-18, on time) and PO3
    # (03-19, received 03-20, late): 3 of 7 = 42.9%. The as-of date is 03-20, the last receipt.
    insert(
        store,
        "deliveries",
        po(1, d("03-01"), d("03-01")),
        po(2, d("03-18"), d("03-18")),
        po(3, d("03-19"), d("03-20")),
        po(4, d("03-17"), d("03-17")),
        po(5, d("03-05")),  # open: 14 days late on 03-19, 15 on 03-20
        po(6, d("03-01")),  # open: 14 days late on 03-15
        po(7, d("02-20")),  # open: 14 days late on 03-05
    )
    return store


def test_each_kind_of_signal_by_hand(plant):
    set_target(plant, "otif_rate", 0.4)  # 25% was off target, 42.9% is on it
    create_action(plant, title="Call-off <b>board</b>", kpi="otif_rate", start_date=d("03-10"))
    found = signals(plant, since=d("03-15"))
    assert [s["key"] for s in found] == [
        "kpi_status:otif_rate:bad->good:2024-03-15",
        "late_line:PO5:1:2024-03-05",  # crossed 14 days on 03-19, after 03-15
        # on the data to 03-15 the after-window [03-10, 03-15] has no due line; to 03-20
        # it has PO4, PO2 (OTIF) and PO3 (late): 2 of 3 against 1 of 4 before, p > 0.05
        "verdict:1:insufficient data->not yet significant:2024-03-15",
    ]
    late = found[1]
    assert late["title"] == "Acme: PO PO5/1 (SKU1) is 15 days late, 10 open"
    assert (late["page"], late["params"]) == (
        "suppliers",
        {"view": "Supplier detail", "detail": "Acme"},
    )
    assert (
        found[0]["title"] == "Supplier OTIF is now on target (42.9% against 40.0%; was off target)"
    )
    assert found[2]["title"] == (
        "Action \u201cCall-off <b>board</b>\u201d is now not yet significant "
        "(was insufficient data)"
    )


def test_late_alert_days_is_a_setting(plant):
    with plant.connect() as cur:
        cur.execute("update settings set value = 20 where name = 'late_alert_days'")
    # 20 days late: PO7 (02-20) on 03-11, PO6 (03-01) on 03-21 (after the as-of date)
    keys = [s.key for s in late_lines(plant, d("03-10"), d("03-20"))]
    assert keys == ["late_line:PO7:1:2024-02-20"]


def test_nothing_when_since_is_the_as_of_date(plant):
    assert signals(plant, since=d("03-20")) == []
    assert signals(plant, since=d("03-25")) == []


def test_the_digest_reports_a_key_once(plant):
    found = signals(plant, since=d("03-15"))
    assert [s["kind"] for s in found] == ["late_line"]
    assert last_run_as_of(plant) is None
    assert unreported(plant, found) == found
    record_run(plant, d("03-15"), d("03-20"), found)
    assert unreported(plant, found) == []
    assert last_run_as_of(plant) == d("03-20")
    record_run(plant, d("03-20"), d("03-20"), [])  # a run with nothing new is a run too
    with plant.connect() as cur:
        runs = cur.execute("select since, as_of, reported from digest_runs order by 1").fetchall()
    assert runs == [(d("03-15"), d("03-20"), 1), (d("03-20"), d("03-20"), 0)]


def test_a_week_before_the_demo_as_of_is_a_handful(demo):
    as_of = as_of_date(demo)
    found = signals(demo, since=as_of - timedelta(days=7))
    kinds = {s["kind"] for s in found}
    assert 3 <= len(found) <= 30 and {"late_line", "red"} <= kinds
    assert len({s["key"] for s in found}) == len(found)  # keys are unique
