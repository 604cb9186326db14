"""What to order now (METRICS.md section 11) on a plant small enough to work out by hand.

As of 06-30-2024; period [2023-07-02, 2024-06-30]; 90 demand days from 04-02. The service
level is set so that z = 1. Every sku-site has a customer line every day of the 90 (shipped
at once), so sd_d = 0 and safety stock = z x d x sd_L. Open customer lines are ordered on
03-01, before the 90 days, so they do not move d.

| sku@site  | d | lead times (supplier) | L  | sd_L | SS | ROP | container | top of green  |
|-----------|---|-----------------------|----|------|----|-----|-----------|---------------|
| FAR       | 2 | 8, 10, 12 (Acme)      | 10 | 2    | 4  | 24  | 1         | 24 + 14 = 38  |
| LATE      | 2 | 8, 10, 12 (Acme)      | 10 | 2    | 4  | 24  | 1         | 38            |
| SPIKE     | 2 | 11, 11, 11 Acme, 7 Bolt| 10 | 2   | 4  | 24  | 10        | 24 + 14 = 38  |
| BOX       | 2 | 8, 10, 12 (Acme)      | 10 | 2    | 4  | 24  | 20        | 24 + 20 = 44  |
| ONE       | 2 | 10 (Acme): one line   | 10 | -    | -  | -   | 1         | not enough    |
| TWO@1000  | 2 | 8, 10, 12 (Acme)      | 10 | 2    | 4  | 24  | 1         | 38            |
| TWO@2000  | 1 | 4, 6, 8 (Bolt)        | 6  | 2    | 2  | 8   | 1         | 8 + 7 = 15    |

Horizon = ceil(L) = 10 days (to 07-10); 6 days (to 07-06) at site 2000.
- FAR: on hand 3 (06-30; 50 on 06-01 is older); an open PO of 100 promised 09-30 is after
  the horizon: not counted (later_supply 100). Net flow 3 <= 4: red; order 38 - 3 = 35.
- LATE: on hand 2; open POs of 10 promised 06-20 (overdue, counted and flagged) and 5
  promised 07-05. Net flow 2 + 15 = 17: yellow (4 < 17 <= 24); order 38 - 17 = 21.
- SPIKE: on hand 30; open customer lines 1 requested 06-25 (past due: counts), 25 on 07-05
  (>= 0.5 x 4: a spike), 1 on 07-08 (< 2: no spike), 25 on 07-20 (after the horizon).
  Qualified demand 26, net flow 4: red; 38 - 4 = 34 -> 4 containers of 10 = 40. Bolt
  received 40 in the year, Acme 30: Bolt is proposed.
- BOX: on hand 10, net flow 10: yellow; 44 - 10 = 34 -> 2 containers of 20 = 40.
- ONE: one measured line has no spread: not enough data, no suggestion; net flow 5.
- TWO@1000: on hand 50 > 38: over. TWO@2000: on hand 3 + 4 (two locations, 06-28; 100 on
  06-01 is older) = 7: yellow (2 < 7 <= 8); order 15 - 7 = 8.
Bolt's lines: SPIKE's (lead 7, late) and TWO@2000's three (on time): OTIF 3/4; lead-time
p95 over [4, 6, 7, 8] = 7 + 0.85 x (8 - 7) = 7.85; at site 2000 only: OTIF 1, p95 over
[4, 6, 8] = 6 + 0.9 x 2 = 7.8.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path
from statistics import NormalDist

import pytest

from analytics.metrics.figures import compute_kpis, table_rows
from analytics.metrics.replenish import (
    FIELDS,
    buffer_history,
    count_statuses,
    demand_note,
    lines_behind,
    named,
    onhand_performance,
    orders_by_supplier,
    replenishment,
    status_counts,
)
from analytics.models.params import Scope
from analytics.store.connection import Store
from analytics.store.settings import get_settings, set_setting
from tests.conftest import d, insert
from tests.pandas_reference import load_frames
from tests.pandas_reference_pull import CLOSED, replenishment_reference

AS_OF = d("06-30")
SCOPE = Scope(as_of=AS_OF)
LEADS = {
    ("FAR", ""): [("Acme", 8), ("Acme", 10), ("Acme", 12)],
    ("LATE", ""): [("Acme", 8), ("Acme", 10), ("Acme", 12)],
    ("SPIKE", ""): [("Acme", 11), ("Acme", 11), ("Acme", 11), ("Bolt", 7)],
    ("BOX", ""): [("Acme", 8), ("Acme", 10), ("Acme", 12)],
    ("ONE", ""): [("Acme", 10)],
    ("TWO", "1000"): [("Acme", 8), ("Acme", 10), ("Acme", 12)],
    ("TWO", "2000"): [("Bolt", 4), ("Bolt", 6), ("Bolt", 8)],
}
DAILY = {("TWO", "2000"): 1}  # every other sku-site: 2 a day
CONTAINERS = {"SPIKE": 10, "BOX": 20}
ON_HAND = {  # (sku, site): [(date, location, qty)]
    ("FAR", ""): [("06-01", "A", 50), ("06-30", "A", 3)],
    ("LATE", ""): [("06-30", "A", 2)],
    ("SPIKE", ""): [("06-30", "A", 30)],
    ("BOX", ""): [("06-30", "A", 10)],
    ("ONE", ""): [("06-30", "A", 5)],
    ("TWO", "1000"): [("06-30", "A", 50)],
    ("TWO", "2000"): [("06-01", "A", 100), ("06-28", "A", 3), ("06-28", "B", 4)],
}
OPEN_PO = [  # (po, sku, site, supplier, ordered, promised, qty)
    ("FUT", "FAR", "", "Acme", "06-15", "09-30", 100),
    ("OVD", "LATE", "", "Acme", "06-01", "06-20", 10),
    ("NXT", "LATE", "", "Acme", "06-10", "07-05", 5),
]
OPEN_SO = [("SPIKE", "06-25", 1), ("SPIKE", "07-05", 25), ("SPIKE", "07-08", 1)]
OPEN_SO += [("SPIKE", "07-20", 25)]


def _received_lines():
    for (sku, site), leads in LEADS.items():
        for i, (supplier, lead) in enumerate(leads):
            ordered = d("03-01") + timedelta(days=20 * i)
            received = ordered + timedelta(days=lead)
            late = supplier == "Bolt" and sku == "SPIKE"
            promised = received - timedelta(days=3 if late else 0)
            qty = 40 if supplier == "Bolt" and sku == "SPIKE" else 10
            yield {
                "po_number": f"{sku}{site}-{i}", "supplier": supplier, "sku": sku,
                "site": site, "order_date": ordered, "promised_date": promised,
                "ordered_qty": qty, "received_date": received, "received_qty": qty,
            }  # fmt: skip


def _demand():
    for sku, site in LEADS:
        for day in range(90):
            when = AS_OF - timedelta(days=day)
            qty = DAILY.get((sku, site), 2)
            yield {
                "order_number": f"D-{sku}{site}-{day}", "sku": sku, "site": site,
                "order_date": when, "requested_date": when, "ordered_qty": qty,
                "shipped_date": when, "shipped_qty": qty,
            }  # fmt: skip


def fill(store):
    insert(store, "items", *({"sku": s, "container_qty": c} for s, c in CONTAINERS.items()))
    insert(store, "deliveries", *_received_lines())
    insert(
        store,
        "deliveries",
        *(
            {"po_number": po, "sku": sku, "site": site, "supplier": supplier,
             "order_date": d(ordered), "promised_date": d(promised), "ordered_qty": qty}
            for po, sku, site, supplier, ordered, promised, qty in OPEN_PO
        ),
    )  # fmt: skip
    insert(store, "orders", *_demand())
    insert(
        store,
        "orders",
        *(
            {"order_number": f"SO-{i}", "sku": sku, "order_date": d("03-01"),
             "requested_date": d(requested), "ordered_qty": qty}
            for i, (sku, requested, qty) in enumerate(OPEN_SO)
        ),
    )  # fmt: skip
    insert(
        store,
        "inventory",
        *(
            {"date": d(day), "sku": sku, "site": site, "location": loc, "on_hand_qty": qty}
            for (sku, site), snaps in ON_HAND.items()
            for day, loc, qty in snaps
        ),
    )
    with store.connect() as cur:
        set_setting(cur, "service_level", NormalDist().cdf(1.0))  # z = 1
    return store


@pytest.fixture(scope="module")
def plant(tmp_path_factory):
    """One plant for the module: the tests only read it (a test that changes a setting
    fills a store of its own)."""
    s = Store(tmp_path_factory.mktemp("pull") / "takt.duckdb", lock_timeout=20)
    yield fill(s)
    s.close()


def by_key(rows):
    return {(r["sku"], r["site"]): r for r in rows}


EXPECTED = {  # (sku, site): on_hand, open_supply, qualified_demand, net_flow, status, suggested
    ("FAR", ""): (3, 0, 0, 3, "red", 35),
    ("LATE", ""): (2, 15, 0, 17, "yellow", 21),
    ("SPIKE", ""): (30, 0, 26, 4, "red", 40),
    ("BOX", ""): (10, 0, 0, 10, "yellow", 40),
    ("ONE", ""): (5, 0, 0, 5, "not enough data", None),
    ("TWO", "1000"): (50, 0, 0, 50, "over", None),
    ("TWO", "2000"): (7, 0, 0, 7, "yellow", 8),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_net_flow_terms_status_and_suggestion(plant, key):
    row = by_key(replenishment(plant, SCOPE))[key]
    on_hand, supply, demand, net, status, suggested = EXPECTED[key]
    got = (row["on_hand"], row["open_supply"], row["qualified_demand"], row["net_flow"])
    assert got == pytest.approx((on_hand, supply, demand, net))
    assert row["status"] == status
    assert row["suggested_qty"] == (None if suggested is None else pytest.approx(suggested))


def test_zones_from_measured_lead_time_and_demand(plant):
    rows = by_key(replenishment(plant, SCOPE))
    zones = {k: (r["safety_stock"], r["reorder_point"], r["top_of_green"]) for k, r in rows.items()}
    assert zones[("FAR", "")] == pytest.approx((4, 24, 38))
    assert zones[("SPIKE", "")] == pytest.approx((4, 24, 38))
    assert zones[("BOX", "")] == pytest.approx((4, 24, 44))
    assert zones[("TWO", "2000")] == pytest.approx((2, 8, 15))
    assert zones[("ONE", "")] == (None, None, None)
    assert rows[("FAR", "")]["planning_priority"] == pytest.approx(3 / 38)
    assert rows[("TWO", "1000")]["planning_priority"] == pytest.approx(50 / 38)


def test_far_future_po_does_not_hide_the_shortage(plant):
    far = by_key(replenishment(plant, SCOPE))[("FAR", "")]
    assert far["later_supply"] == 100 and far["open_supply"] == 0
    assert far["horizon_days"] == 10


def test_overdue_supply_counts_and_is_flagged(plant):
    late = by_key(replenishment(plant, SCOPE))[("LATE", "")]
    assert (late["overdue_supply"], late["overdue_lines"]) == (10, 1)


def test_spike_within_the_horizon_counts_and_the_spike_factor_moves_it(store):
    fill(store)
    spike = by_key(replenishment(store, SCOPE))[("SPIKE", "")]
    assert (spike["due_demand"], spike["spike_demand"], spike["spike_lines"]) == (1, 25, 1)
    with store.connect() as cur:
        set_setting(cur, "spike_factor", 7)  # 25 < 7 x 4 = 28: no spike; net flow 29
    again = by_key(replenishment(store, SCOPE))[("SPIKE", "")]
    assert (again["qualified_demand"], again["status"]) == (1, "green")


SHORT = {  # FAR's line closed short, or not: 100 ordered 03-01 (before the 90 days: d stays 2)
    "order_number": "SHORT", "sku": "FAR", "order_date": d("03-01"),
    "requested_date": d("06-20"), "ordered_qty": 100, "shipped_date": d("06-22"),
    "shipped_qty": 60,
}  # fmt: skip


@pytest.mark.parametrize(
    ("status", "open_qty"),
    [("Closed", 0), (" closed short ", 0), ("Completed", 0), (None, 40), ("done", 40)],
)
def test_a_closed_short_line_is_no_open_demand_but_still_short(store, status, open_qty):
    """FAR (on hand 3, zones 4/24/38) with a line of 100 shipped 60 on 06-22. Closed (any
    spelling of closed_statuses): its rest of 40 will never ship, qualified demand 0, net flow
    3. Without a status, or Odoo's `done` (a locked order still delivers): 40 is due demand,
    net flow 3 - 40 = -37. Red either way; the buffer history of 06-30 says the same and the
    lines behind list it only while open. Fill rate over the lines requested 06-20 counts it
    as 60 of 100 either way: (2 + 60) / (2 + 100); customer OTIF 1 of 2 (it was short)."""
    fill(store)
    insert(store, "orders", SHORT | {"status": status})
    far = by_key(replenishment(store, SCOPE))[("FAR", "")]
    assert (far["due_demand"], far["net_flow"]) == (open_qty, 3 - open_qty)
    assert far["qualified_demand"] == open_qty
    (day,) = [r for r in buffer_history(store, SCOPE, "FAR", "") if r["date"] == AS_OF]
    assert day["net_flow"] == 3 - open_qty
    _, demand = lines_behind(store, SCOPE, far)
    assert [(r["order_number"], r["open_qty"]) for r in demand] == (
        [("SHORT", 40)] if open_qty else []
    )
    k = compute_kpis(store, start=d("06-20"), end=d("06-20"), as_of=AS_OF, sku="FAR")
    assert k["fill_rate"] == pytest.approx(62 / 102)
    assert k["customer_otif_rate"] == pytest.approx(0.5)
    assert replenishment_reference(load_frames(store), AS_OF)[("FAR", "")]["net_flow"] == (
        pytest.approx(3 - open_qty)
    )


SHUT = {  # LATE's third open line: 12 ordered 06-01, promised 06-15, nothing received
    "po_number": "SHUT", "sku": "LATE", "site": "", "supplier": "Acme",
    "order_date": d("06-01"), "promised_date": d("06-15"), "ordered_qty": 12,
}  # fmt: skip


@pytest.mark.parametrize(
    ("status", "open_qty"), [("Closed", 0), ("Completed", 0), (None, 12), ("done", 12)]
)
def test_a_closed_po_line_is_no_open_supply_but_still_a_miss(store, status, open_qty):
    """LATE (on hand 2, zones 4/24/38, open supply 10 overdue + 5 due 07-05 = 17, yellow)
    with a PO line of 12 promised 06-15 and nothing received. Closed by the buyer: nothing
    more comes, open supply stays 15, net flow 17, yellow, order 21. Open (no status, or
    Odoo's `done`: a locked order still receives): 12 more overdue supply, net flow 29,
    green, no order. The buffer history of 06-30 agrees; the lines behind the row, the late
    open lines to chase and the scorecard's count list it only while open. Acme's OTIF over
    the lines promised 06-15 is 0 of 1 either way: a closed line is still a miss."""
    fill(store)
    insert(store, "deliveries", SHUT | {"status": status})
    late = by_key(replenishment(store, SCOPE))[("LATE", "")]
    assert (late["open_supply"], late["net_flow"]) == (15 + open_qty, 17 + open_qty)
    assert (late["overdue_supply"], late["overdue_lines"]) == (10 + open_qty, 1 + bool(open_qty))
    assert late["status"] == ("green" if open_qty else "yellow")
    assert late["suggested_qty"] == (None if open_qty else pytest.approx(21))
    (day,) = [r for r in buffer_history(store, SCOPE, "LATE", "") if r["date"] == AS_OF]
    assert day["net_flow"] == 17 + open_qty
    supply, _ = lines_behind(store, SCOPE, late)
    assert [(r["po_number"], r["open_qty"]) for r in supply if r["po_number"] == "SHUT"] == (
        [("SHUT", 12)] if open_qty else []
    )
    chase = table_rows(store, "supplier_late_lines", SCOPE)
    assert [r["open_qty"] for r in chase if r["po_number"] == "SHUT"] == ([12] if open_qty else [])
    k = compute_kpis(store, start=d("06-15"), end=d("06-15"), as_of=AS_OF, sku="LATE")
    assert k["otif_rate"] == 0.0 and k["in_full_rate"] == 0.0
    reference = replenishment_reference(load_frames(store), AS_OF)[("LATE", "")]
    assert reference["net_flow"] == pytest.approx(17 + open_qty)


def test_the_closed_statuses_are_the_documented_ones(plant):
    """One list (the model closed_statuses); docs/metrics.md and the pandas reference spell
    it out and must not drift from it."""
    listed = {r["status"] for r in table_rows(plant, "closed_statuses", Scope())}
    docs = (Path(__file__).parents[2] / "docs" / "metrics.md").read_text()
    bullet = docs[docs.index("- **Closed customer lines**") :].split("\n- ")[0]
    spelled = bullet[: bullet.index("(the model")]
    assert listed == set(re.findall(r"`([^`]+)`", spelled)) - {"status"} == CLOSED


def test_container_rounding_and_the_proposed_supplier(plant):
    rows = by_key(replenishment(plant, SCOPE))
    assert rows[("SPIKE", "")]["suggested_qty"] / rows[("SPIKE", "")]["container_qty"] == 4
    spike = rows[("SPIKE", "")]
    assert spike["supplier"] == "Bolt"
    assert spike["supplier_otif_rate"] == pytest.approx(0.75)
    assert spike["supplier_lead_time_p95_days"] == pytest.approx(7.85)


def test_one_po_line_is_not_enough_data(plant):
    one = by_key(replenishment(plant, SCOPE))[("ONE", "")]
    assert one["lead_time_lines"] == 1 and one["execution_status"] is None
    assert named(one)["suggested_qty"] is None and named(one)["planning_priority"] is None


def test_two_sites_are_two_rows_and_a_site_filter_keeps_its_own(plant):
    rows = replenishment(plant, Scope(as_of=AS_OF, site="2000"))
    assert [(r["sku"], r["site"]) for r in rows] == [("TWO", "2000")]
    (two,) = rows
    assert (two["supplier"], two["horizon_days"]) == ("Bolt", 6)
    assert two["supplier_otif_rate"] == 1.0
    assert two["supplier_lead_time_p95_days"] == pytest.approx(7.8)


def test_most_urgent_first_and_filters(plant):
    rows = replenishment(plant, SCOPE)
    assert [(r["sku"], r["site"]) for r in rows] == [
        ("FAR", ""),  # 3 / 38
        ("SPIKE", ""),  # 4 / 38
        ("BOX", ""),  # 10 / 44 = 0.227
        ("LATE", ""),  # 17 / 38 = 0.447
        ("TWO", "2000"),  # 7 / 15 = 0.467
        ("TWO", "1000"),  # 50 / 38
        ("ONE", ""),  # not enough data: last
    ]
    red = replenishment(plant, SCOPE, status=["red"])
    assert [r["sku"] for r in red] == ["FAR", "SPIKE"]
    bolt = replenishment(plant, Scope(as_of=AS_OF, supplier="Bolt"))
    assert [(r["sku"], r["site"]) for r in bolt] == [("SPIKE", ""), ("TWO", "2000")]
    with pytest.raises(ValueError, match="unknown status purple"):
        replenishment(plant, SCOPE, status=["purple"])


def test_statuses_counted_in_the_database(plant):
    """The Overview's red card: FAR and SPIKE red; LATE, BOX and TWO@2000 yellow; TWO@1000
    over; ONE without enough data; no green. The same for a supplier's skus (Bolt: SPIKE
    red, TWO@2000 yellow)."""
    counts = count_statuses(plant, SCOPE)
    assert counts == {"red": 2, "yellow": 3, "green": 0, "over": 1, "not enough data": 1}
    assert counts == status_counts(replenishment(plant, SCOPE))
    bolt = count_statuses(plant, Scope(as_of=AS_OF, supplier="Bolt"))
    assert bolt == {"red": 1, "yellow": 1, "green": 0, "over": 0, "not enough data": 0}


def test_execution_status_compares_on_hand_with_safety_stock(plant):
    rows = by_key(replenishment(plant, SCOPE))
    # on hand / SS: FAR 3/4 yellow, LATE 2/4 = 0.5 yellow (red is below), SPIKE 30/4 green
    assert rows[("FAR", "")]["execution_status"] == "yellow"
    assert rows[("LATE", "")]["execution_status"] == "yellow"
    assert rows[("SPIKE", "")]["execution_status"] == "green"


def test_suggested_orders_grouped_by_supplier(plant):
    lines = orders_by_supplier(replenishment(plant, SCOPE))
    assert [(r["supplier"], r["sku"], r["suggested_qty"], r["containers"]) for r in lines] == [
        ("Acme", "FAR", 35, 35),
        ("Acme", "BOX", 40, 2),
        ("Acme", "LATE", 21, 21),
        ("Bolt", "SPIKE", 40, 4),
        ("Bolt", "TWO", 8, 8),
    ]


def test_named_rows_carry_section_11_names_only(plant):
    row = named(by_key(replenishment(plant, SCOPE))[("BOX", "")])
    assert tuple(row) == FIELDS
    assert row["container_qty"] == 20.0 and row["supplier"] == "Acme"


# -- the pandas reading of section 11 ------------------------------------------------------
COMPARED = (
    "on_hand",
    "open_supply",
    "qualified_demand",
    "net_flow",
    "safety_stock",
    "reorder_point",
    "top_of_green",
    "status",
    "planning_priority",
    "suggested_qty",
    "container_qty",
    "supplier",
    "supplier_otif_rate",
    "supplier_lead_time_p95_days",
)


def same(got, expected) -> bool:
    if got is None or expected is None:
        return got is None and expected is None
    if isinstance(expected, str):
        return got == expected
    return math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9)


def assert_reference(store, as_of=None):
    scope = Scope(as_of=as_of)
    rows = by_key(replenishment(store, scope))
    with store.connect() as cur:
        settings = get_settings(cur)
    expected = replenishment_reference(load_frames(store), as_of, settings)
    assert set(rows) == set(expected)
    bad = {
        (key, name): (rows[key][name], want[name])
        for key, want in expected.items()
        for name in COMPARED
        if not same(rows[key][name], want[name])
    }
    assert not bad, f"(sql, pandas): {dict(list(bad.items())[:10])}"
    return rows


def test_the_hand_made_plant_equals_the_pandas_reference(plant):
    assert_reference(plant, AS_OF)


def test_the_demo_equals_the_pandas_reference_and_is_believable(demo):
    rows = assert_reference(demo)
    statuses = Counter(r["status"] for r in rows.values())
    assert statuses["red"] > 0 and statuses["yellow"] > 0 and statuses["green"] > 0


# -- the buffer over the period and whether the sizing works --------------------------------
def test_zones_recomputed_as_of_the_last_day_equal_the_list(plant):
    (day,) = [r for r in buffer_history(plant, SCOPE, "FAR", "") if r["date"] == AS_OF]
    zones = (day["safety_stock"], day["reorder_point"], day["top_of_green"])
    assert zones == pytest.approx((4, 24, 38))
    assert (day["zone"], day["net_flow"]) == ("red", 3)


def test_net_flow_history_ends_at_the_list_net_flow(plant):
    rows = by_key(replenishment(plant, SCOPE))
    for (sku, site), row in rows.items():
        history = buffer_history(plant, SCOPE, sku, site)
        last = [h for h in history if h["date"] == AS_OF]
        if last:  # every sku-site but TWO@2000 is counted on 06-30
            assert last[0]["net_flow"] == pytest.approx(row["net_flow"]), (sku, site)


def test_far_on_06_01_was_over_its_zones_of_that_day(plant):
    """06-01: 61 demand days of 2 in the 90 to 06-01: d = 122/90, sd_d^2 = (244 - 122^2/90)
    / 89 = 0.8834; L = 10, sd_L = 2 (all three lines received by 04-22): SS = sqrt(10 x
    0.8834 + (122/90)^2 x 4) = 4.0229; top of green = 13.556 + 4.023 + 9.489 = 27.067;
    on hand 50: over."""
    (day,) = [r for r in buffer_history(plant, SCOPE, "FAR", "") if r["date"] == d("06-01")]
    assert day["safety_stock"] == pytest.approx(4.0229, abs=1e-4)
    assert day["top_of_green"] == pytest.approx(27.067, abs=1e-3)
    assert day["zone"] == "over"


def test_onhand_performance_shares_of_snapshot_days(plant):
    """FAR: over on 06-01, red on 06-30; LATE: 2 <= 4 red; BOX 10 and SPIKE 30: in the zones;
    TWO@1000: 50 > 38 over; ONE has no zones (one measured line): not listed."""
    got = {
        (r["sku"], r["site"]): (r["days"], r["red_share"], r["in_zones_share"], r["over_share"])
        for r in onhand_performance(plant, SCOPE)
    }
    assert got[("FAR", "")] == (2, 0.5, 0.0, 0.5)
    assert got[("LATE", "")] == (1, 1.0, 0.0, 0.0)
    assert got[("BOX", "")] == got[("SPIKE", "")] == (1, 0.0, 1.0, 0.0)
    assert got[("TWO", "1000")] == (1, 0.0, 0.0, 1.0)
    assert ("ONE", "") not in got
    assert [r["sku"] for r in onhand_performance(plant, SCOPE)][:2] == ["LATE", "FAR"]


def test_lines_behind_say_how_each_enters_the_net_flow(plant):
    rows = by_key(replenishment(plant, SCOPE))
    supply, _ = lines_behind(plant, SCOPE, rows[("LATE", "")])
    assert [(r["po_number"], r["open_qty"], r["counts_as"]) for r in supply] == [
        ("OVD", 10, "overdue (counted)"),
        ("NXT", 5, "counted"),
    ]
    supply, _ = lines_behind(plant, SCOPE, rows[("FAR", "")])
    assert [r["counts_as"] for r in supply] == ["after the horizon (not counted)"]
    _, demand = lines_behind(plant, SCOPE, rows[("SPIKE", "")])
    assert [(str(r["requested_date"]), r["counts_as"]) for r in demand] == [
        ("2024-06-25", "due (counted)"),
        ("2024-07-05", "spike (counted)"),
        ("2024-07-08", "within the horizon, below the spike threshold"),
        ("2024-07-20", "after the horizon (not counted)"),
    ]


def _stored_forecast(cur, sku: str, as_of, weeks: list[float]) -> None:
    cur.execute(
        "INSERT INTO forecasts (sku, site, as_of, history_weeks, intermittent, model, forecast, "
        "fingerprint, computed_at) VALUES (?, '', ?, 40, false, 'Naive', ?, 'x', now())",
        [sku, as_of, weeks],
    )


def test_forecast_weight_blends_the_forecast_into_d(store):
    """METRICS.md section 14, last bullet, by hand. FAR: d90 = 2, L = 10 (horizon 10 days),
    sd_L = 2, sd_d = 0, z = 1. Its forecast (made at 06-30): week 1 = 21, week 2 = 42, then
    7s. Over the next 10 days: 21 + 42 x 3/7 = 39, 3.9 a day. With w = 0.5: d = 0.5 x 3.9 +
    0.5 x 2 = 2.95; safety stock = d x sd_L = 5.9; reorder point = 2.95 x 10 + 5.9 = 35.4;
    top of green = 35.4 + max(1, 2.95 x 7) = 56.05. BOX's forecast was made at another
    as-of: it keeps d = 2 and says so. With w = 0 (the default) FAR keeps d = 2."""
    fill(store)
    with store.connect() as cur:
        _stored_forecast(cur, "FAR", AS_OF, [21.0, 42.0] + [7.0] * 11)
        _stored_forecast(cur, "BOX", AS_OF - timedelta(days=1), [70.0] * 13)
    rows = {r["sku"]: r for r in replenishment(store, Scope(as_of=AS_OF))}
    assert rows["FAR"]["daily_demand"] == pytest.approx(2)
    assert rows["FAR"]["demand_basis"] == "last 90 days"
    with store.connect() as cur:
        set_setting(cur, "forecast_weight", 0.5)
    rows = {r["sku"]: r for r in replenishment(store, Scope(as_of=AS_OF))}
    far, box = rows["FAR"], rows["BOX"]
    assert far["forecast_daily"] == pytest.approx(3.9)
    assert far["daily_demand"] == pytest.approx(2.95)
    assert far["demand_basis"] == "blend: 50% forecast"
    assert far["safety_stock"] == pytest.approx(5.9)
    assert far["reorder_point"] == pytest.approx(35.4)
    assert far["top_of_green"] == pytest.approx(56.05)
    assert (box["daily_demand"], box["demand_basis"]) == (pytest.approx(2), "last 90 days")
    note = demand_note(list(rows.values()))
    assert note.startswith("Daily demand d: 50% forecast + the rest from the last 90 days for 1")
