"""SQL invariants on the demo data: each query lists violations and must return no rows."""

from __future__ import annotations

import re

import pytest

from analytics.models.compose import models
from analytics.models.params import Scope, resolve
from analytics.models.run import prepare

RATE = "not ({c} is null or {c} between 0 and 1)"
INVARIANTS = [
    (
        "po_lines",
        "one row per PO line",
        "select po_number, po_line from m group by 1, 2 having count(*) > 1",
    ),
    (
        "po_lines",
        "lead time and delivered qty non-negative",
        "select * from m where lead_time_days < 0 or delivered_qty < 0 or on_time_qty > "
        "delivered_qty",
    ),
    (
        "po_lines",
        "a line has a receipt exactly when its receipts net above 0",
        "select * from m where has_receipt <> (delivered_qty > 0) or "
        "(last_receipt is null) <> (first_receipt is null)",
    ),
    (
        "po_lines",
        "flags agree",
        "select * from m where (is_otif and not is_complete) or "
        "(is_early and not has_receipt) or (is_on_time and not has_receipt)",
    ),
    (
        "order_lines",
        "one row per order line",
        "select order_number, order_line from m group by 1, 2 having count(*) > 1",
    ),
    ("dim_sku", "one row per sku", "select sku from m group by sku having count(*) > 1"),
    ("dim_sku", "costs are never negative", "select * from m where unit_cost < 0"),
    (
        "supplier_scorecard",
        "one row per supplier",
        "select supplier from m group by supplier having count(*) > 1",
    ),
    (
        "supplier_scorecard",
        "rates in [0, 1]",
        "select * from m where "
        + " or ".join(
            RATE.format(c=c)
            for c in ("otif_rate", "on_time_rate", "in_full_rate", "early_rate", "spend_share")
        ),
    ),
    ("supplier_scorecard", "scores in [0, 100]", "select * from m where score < 0 or score > 100"),
    (
        "supplier_spend",
        "shares add up to 1",
        "select sum(spend_share) from m having abs(sum(spend_share) - 1) > 1e-9",
    ),
    ("sku_planning", "one row per sku", "select sku from m group by sku having count(*) > 1"),
    (
        "sku_planning",
        "sizes non-negative",
        "select * from m where safety_stock < 0 or "
        "reorder_point < 0 or kanban_cards < 0 or daily_demand < 0",
    ),
    (
        "sku_stock",
        "excess within on hand",
        "select * from m where excess_qty < 0 or excess_qty > on_hand_qty",
    ),
    (
        "kpi_overview",
        "headline rates in [0, 1]",
        "select * from m where "
        + " or ".join(
            RATE.format(c=c)
            for c in (
                "otif_rate",
                "on_time_rate",
                "in_full_rate",
                "early_rate",
                "fill_rate",
                "customer_otif_rate",
                "hhi",
            )
        ),
    ),
    ("kpi_overview", "one row", "select count(*) from m having count(*) <> 1"),
    (
        "waste_ledger",
        "measurable wastes valued, others not",
        "select * from m where (measurable and (value is null or value < 0)) "
        "or (not measurable and value is not null)",
    ),
]
SERIES = [
    "series_delivery",
    "series_lead_time",
    "series_quality",
    "series_inventory",
    "series_customer",
    "series_spend",
    "series_stock",
]


def violations(store, model: str, check: str, extra=None) -> list:
    with store.connect() as cur:
        params = {**resolve(cur, Scope()), **(extra or {})}
        around = f"with m as (select * from ({{sql}}) as composed) {check}"
        return cur.execute(*prepare(cur, model, params, around)).fetchall()


@pytest.mark.parametrize(
    ("model", "what", "check"), INVARIANTS, ids=[f"{m}: {w}" for m, w, _ in INVARIANTS]
)
def test_invariant(demo, model, what, check):
    assert violations(demo, model, check) == []


@pytest.mark.parametrize("model", SERIES)
@pytest.mark.parametrize("grain", ["week", "month"])
def test_series_have_one_row_per_bucket_and_sane_rates(demo, model, grain):
    check = "select bucket from m group by bucket having count(*) > 1"
    assert violations(demo, model, check, {"grain": grain}) == []
    body = models()[model].body
    rates = [
        c
        for c in (
            "otif_rate",
            "on_time_rate",
            "in_full_rate",
            "early_rate",
            "fill_rate",
            "customer_otif_rate",
            "hhi",
        )
        if re.search(rf"\bas {c}\b", body)
    ]
    if rates:
        check = "select * from m where " + " or ".join(RATE.format(c=c) for c in rates)
        assert violations(demo, model, check, {"grain": grain}) == []
