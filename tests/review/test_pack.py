"""Supplier packs: the monthly score history, the rank change and what one pack holds."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.models.params import Scope
from analytics.review.actions import create_action
from analytics.review.pack import gather_pack, gather_packs, months, score_history, shared
from tests.conftest import d, insert

Q1 = Scope(d("01-01"), d("03-31"), d("03-31"))


def po(n: int, supplier: str, promised, received, qty: float = 10) -> dict:
    return {
        "po_number": f"PO{n}",
        "supplier": supplier,
        "sku": "SKU1",
        "order_date": d("01-02"),
        "promised_date": promised,
        "ordered_qty": qty,
        "received_date": received,
        "received_qty": qty if received else None,
    }


@pytest.fixture
def quarter(store):
    # Acme: one line due in January (on time), none in February, one in March (4 days late)
    # and one still open promised 03-20 (11 days late on 03-31). Bolt: one line in February.
    insert(
        store,
        "deliveries",
        po(1, "Acme", d("01-10"), d("01-10")),
        po(2, "Acme", d("03-05"), d("03-09")),
        po(3, "Acme", d("03-20"), None),
        po(4, "Bolt", d("02-12"), d("02-12")),
    )
    return store


def test_months_cut_to_the_period():
    assert months(date(2024, 1, 15), date(2024, 3, 10)) == [
        (date(2024, 1, 15), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), date(2024, 3, 10)),
    ]


def test_a_month_without_due_lines_has_no_score_never_zero(quarter):
    history = score_history(quarter, Q1)
    acme = history["Acme"]
    assert [h["month"] for h in acme] == [d("01-01"), d("02-01"), d("03-01")]
    assert [h["due_lines"] for h in acme] == [1, 0, 2]
    # January 1 of 1 OTIF; February nothing due: no data; March 0 of 2 (one late, one open)
    assert [h["otif_rate"] for h in acme] == [1.0, None, 0.0]
    assert acme[1]["score"] is None and acme[1]["grade"] is None
    assert acme[0]["score"] > acme[2]["score"]
    assert [h["due_lines"] for h in history["Bolt"]] == [0, 1, 0]
    assert [h["score"] is None for h in history["Bolt"]] == [True, False, True]


def test_one_pack_holds_its_lines_and_only_its_actions(quarter):
    create_action(
        quarter,
        title="Weekly call",
        kpi="otif_rate",
        start_date=d("03-01"),
        scope_kind="supplier",
        scope_value="Acme",
    )
    create_action(
        quarter,
        title="Other",
        kpi="otif_rate",
        start_date=d("03-01"),
        scope_kind="supplier",
        scope_value="Bolt",
    )
    common = shared(quarter, Q1)
    pack = gather_pack(quarter, "Acme", common)
    assert [(r["po_number"], r["days_late"]) for r in pack.late_lines] == [("PO3", 11)]
    assert [a["title"] for a in pack.actions] == ["Weekly call"]
    assert pack.rank_before is None  # nothing was due in the quarter before
    assert pack.card["otif_rate"] == pytest.approx(1 / 3)  # PO1 of PO1, PO2, PO3
    assert pack.card["customer_lines_hit"] == 0 and pack.hits == []
    assert pack.suppliers == 2
    assert [p.supplier for p in gather_packs(quarter, Q1)] == list(common.cards)
    with pytest.raises(ValueError, match="no supplier"):
        gather_pack(quarter, "Nobody", common)
