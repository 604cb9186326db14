"""The default as-of date and period (METRICS.md section 2), on `open_lines_ahead`
(tests/conftest.py): two PO lines received by 03-10, two open lines promised 03-20 and
04-30, a customer line requested 05-15."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.metrics.figures import choices, compute_kpis, scorecard
from analytics.models.params import (
    Scope,
    latest_date,
    period_of,
    previous_scope,
    resolve,
    since_default,
)
from tests.conftest import d, insert


def test_the_default_as_of_is_the_latest_event_not_a_promise(open_lines_ahead):
    with open_lines_ahead.connect() as cur:
        assert latest_date(cur) == date(2024, 3, 10)  # not 04-30 nor 05-15: plans
        params = resolve(cur)
    assert (params["start"], params["end"], params["as_of"]) == (
        date(2023, 3, 12),
        date(2024, 3, 10),
        date(2024, 3, 10),
    )
    # the sidebar's latest date and quick periods end there too
    assert choices(open_lines_ahead)["latest"] == date(2024, 3, 10)
    assert period_of("Last 4 weeks", date(2024, 3, 10)) == (date(2024, 2, 12), date(2024, 3, 10))


def test_open_lines_promised_ahead_are_not_judged_late(open_lines_ahead):
    # As of 03-10: due PO1 (OTIF) and PO2 (in full, 2 days late); PO3 and PO4 are promised
    # after the as-of date and open, so not due. OTIF 1/2, OT 1/2, IF 2/2.
    # (Judged as of 04-30, the latest planned date, PO3 would be due and late: OTIF 1/3.)
    k = compute_kpis(open_lines_ahead)
    assert (k["otif_rate"], k["on_time_rate"], k["in_full_rate"]) == (0.5, 0.5, 1.0)
    (acme,) = scorecard(open_lines_ahead)
    assert (acme["due_lines"], acme["late_open_lines"]) == (2, 0)


def test_an_as_of_chosen_later_still_judges_open_lines(open_lines_ahead):
    # As of 04-30 over March-April: PO3 (P 03-20 < 04-30, nothing received) is due, late
    # and not in full; PO4 (P = as-of, open) is not due yet. OTIF 1/3, OT 1/3, IF 2/3.
    scope = Scope(start=date(2024, 3, 1), end=date(2024, 4, 30), as_of=date(2024, 4, 30))
    k = compute_kpis(open_lines_ahead, **vars(scope))
    assert k["otif_rate"] == pytest.approx(1 / 3)
    assert k["on_time_rate"] == pytest.approx(1 / 3)
    assert k["in_full_rate"] == pytest.approx(2 / 3)
    (acme,) = scorecard(open_lines_ahead, scope)
    assert acme["late_open_lines"] == 1


def test_a_store_of_plans_only_has_its_order_dates_as_events(store):
    insert(
        store,
        "orders",
        {
            "order_number": "SO1",
            "sku": "S1",
            "order_date": d("02-01"),
            "requested_date": d("06-30"),
            "ordered_qty": 1,
        },
    )
    with store.connect() as cur:
        assert latest_date(cur) == date(2024, 2, 1)


@pytest.mark.parametrize(
    ("as_of", "expected_as_of"),
    [
        (None, date(2024, 2, 29)),  # judged as of the end of the previous period
        (date(2024, 3, 20), date(2024, 2, 18)),  # 20 Mar - 31 days: 20 days to 29 Feb, 11 more
    ],
)
def test_previous_scope_is_the_same_length_just_before(as_of, expected_as_of):
    # March 2024 has 31 days; the 31 days before it are 30-31 Jan and all 29 days of February.
    scope = Scope(date(2024, 3, 1), date(2024, 3, 31), as_of, supplier="Acme")
    prev = previous_scope(scope, scope.start, scope.end)
    assert prev == Scope(date(2024, 1, 30), date(2024, 2, 29), expected_as_of, supplier="Acme")


@pytest.mark.parametrize(
    ("last_review", "expected"),
    [
        (None, date(2024, 6, 23)),  # no digest yet: a week before the as-of date
        (date(2024, 6, 27), date(2024, 6, 27)),  # since the last digest's as-of date
        (date(2024, 6, 30), date(2024, 6, 23)),  # a digest at the as-of date: nothing since
    ],
)
def test_the_signals_default_since(last_review, expected):
    assert since_default(date(2024, 6, 30), last_review) == expected
