"""Signals (METRICS.md section 13) on a hand-built plant, and the digest's memory."""

from __future__ import annotations

from datetime import timedelta
from statistics import NormalDist

import pytest

from analytics.metrics.targets import set_target
from analytics.models import materialize
from analytics.models.params import Scope, default_since, resolve
from analytics.models.stored_figures import lookup
from analytics.review.actions import create_action
from analytics.review.signals import (
    Signal,
    as_of_date,
    entered_red,
    last_run_as_of,
    late_lines,
    new_drift,
    record_run,
    signals,
    unreported,
)
from analytics.store.settings import set_setting
from analytics.store.version import bump_version
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


# -- the panel's default moments, read from the figures stored at refresh --------------------
# As of 06-30 (the last snapshot and order), since = 06-23 (the default: no digest yet).
# X, Y, Z at site 1000: 2 ordered and shipped every day since 03-01, so d = 2 and sd_d = 0 in
# both 90-day windows; lead times 8, 10, 12 (received by 04-22): L = 10 = plan, sd_L = 2; z = 1
# -> safety stock 4, reorder point 24, top of green 24 + 2 x 7 = 38.
#   X: on hand 30 on 06-23 (green: 24 < 30 <= 38), 3 on 06-30 (red: 3 <= 4)  -> one signal,
#      order 38 - 3 = 35
#   Y: 2, then 3: red both times -> none;  Z: 3 (red), then 30 (green) -> none
# D1, D2 (planned lead time 10, no demand: not sized for the Pull list):
#   D1: a 10-day line received 03-11; a 24-day line ordered 06-01, received 06-25 (after
#       since): L = 10 as of 06-23, (10 + 24) / 2 = 17 as of 06-30, drift 7 > 20% of 10
#       -> newly flagged
#   D2: two 13-day lines received in March: drift 3 > 2 at both moments -> none
AS_OF, SINCE = d("06-30"), d("06-23")
LEADS = {"X": (8, 10, 12), "Y": (8, 10, 12), "Z": (8, 10, 12), "D1": (10,), "D2": (13, 13)}
STOCK = {"X": (30, 3), "Y": (2, 3), "Z": (3, 30)}  # on hand on 06-23, on 06-30


def _lines():
    for sku, leads in LEADS.items():
        for i, lead in enumerate(leads):
            ordered = d("03-01") + timedelta(days=20 * i)
            received = ordered + timedelta(days=lead)
            yield {"po_number": f"{sku}-{i}", "supplier": "Acme", "sku": sku, "site": "1000",
                   "order_date": ordered, "promised_date": received, "ordered_qty": 10,
                   "received_date": received, "received_qty": 10}  # fmt: skip
    yield {"po_number": "D1-late", "supplier": "Acme", "sku": "D1", "site": "1000",
           "order_date": d("06-01"), "promised_date": d("06-11"), "ordered_qty": 10,
           "received_date": d("06-25"), "received_qty": 10}  # fmt: skip


def _demand():
    for sku in STOCK:
        for day in range((AS_OF - d("03-01")).days + 1):
            when = d("03-01") + timedelta(days=day)
            yield {"order_number": f"SO-{sku}-{day}", "sku": sku, "site": "1000",
                   "order_date": when, "requested_date": when, "ordered_qty": 2,
                   "shipped_date": when, "shipped_qty": 2}  # fmt: skip


@pytest.fixture
def moments(store):
    with store.connect() as cur:
        set_setting(cur, "service_level", NormalDist().cdf(1.0))  # z = 1
    insert(store, "items", *({"sku": s, "planned_lead_time_days": 10} for s in LEADS))
    insert(store, "deliveries", *_lines())
    insert(store, "orders", *_demand())
    insert(
        store,
        "inventory",
        *(
            {"date": day, "sku": sku, "site": "1000", "location": "A", "on_hand_qty": qty}
            for sku, pair in STOCK.items()
            for day, qty in zip((SINCE, AS_OF), pair, strict=True)
        ),
    )
    materialize.refresh_store(store)
    return store


def _red_and_drift(store) -> tuple[list[Signal], list[Signal]]:
    return entered_red(store, SINCE, AS_OF), new_drift(store, SINCE, AS_OF)


def test_red_and_drift_signals_from_the_stored_moments_by_hand(moments):
    with moments.connect() as cur:
        assert default_since(cur) == SINCE
        then, now = resolve(cur, Scope(as_of=SINCE)), resolve(cur, Scope(as_of=AS_OF))
        stored = {m: lookup(cur, m, then) for m in ("replenishment", "sku_planning")}
        stored_now = {m: lookup(cur, m, now) for m in ("replenishment", "sku_planning")}
    assert stored == {
        "replenishment": "figure_replenishment_since",
        "sku_planning": "figure_sku_planning_since",
    }
    assert stored_now == {
        "replenishment": "figure_replenishment",
        "sku_planning": "figure_sku_planning",
    }
    red, drift = _red_and_drift(moments)
    assert [(s.key, s.title) for s in red] == [
        ("red:X:1000:2024-06-23", "X at 1000 entered red: order 35")
    ]
    assert [(s.key, s.title) for s in drift] == [
        ("drift:D1:2024-06-23", "D1: lead time 17.0 days against 10 planned")
    ]


def test_the_stored_moments_give_what_the_models_give_on_request(moments):
    stored = _red_and_drift(moments)
    with moments.connect() as cur:
        bump_version(cur, changed=())  # no refresh: no stored fact or figure is current
        assert lookup(cur, "replenishment", resolve(cur, Scope(as_of=SINCE))) is None
        assert materialize.usable(cur, resolve(cur)) == frozenset()
    assert _red_and_drift(moments) == stored
    assert len(stored[0]) == len(stored[1]) == 1


def test_the_last_digest_moves_the_stored_moment(moments):
    record_run(moments, d("06-01"), d("06-27"), [])  # since the last digest: 06-27
    materialize.refresh_store(moments)  # the next write's refresh
    with moments.connect() as cur:
        assert default_since(cur) == d("06-27")
        table = lookup(cur, "replenishment", resolve(cur, Scope(as_of=d("06-27"))))
        assert table == "figure_replenishment_since"
        assert lookup(cur, "replenishment", resolve(cur, Scope(as_of=SINCE))) is None
