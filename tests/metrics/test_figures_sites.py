"""Sites (METRICS.md section 1a): every figure for one site, and for all sites by default.

The store is tests/conftest.py's `fill_two_sites`; period March 2024, as-of 03-31, default
tolerances (late 0, early 2, in-full 0), target cover 10 days, S1 at 2.00 a unit.

Supplier OTIF: 1000 has P1 (OTIF) and P2 (late): 1/2; 2000 has P3 and P4, both OTIF: 2/2;
all sites 3/4.
Fill rate: 1000 filled 10 + 6 of 20 ordered = 0.8; 2000 20 of 20 = 1; all 36 / 40 = 0.9.
Customer OTIF: 1000 O1 of O1, O2 = 1/2; 2000 O3 is late: 0/1; all 1/3.
Average inventory value (per snapshot date, summed over what is counted that day, then the
mean over the dates): 1000: 03-01 50 x 2 = 100, 03-31 30 x 2 = 60: 80; 2000: 03-01 40,
03-15 20: 30; all sites: 03-01 (50 + 20) x 2 = 140, 03-15 20, 03-31 60: 220 / 3.
Excess at 03-31: each site's latest snapshot counts: 1000's 30 (03-31) and 2000's 10 (03-15),
so S1 has 40 on hand (not only the 30 of the latest date). Demand 40 units in 90 days:
excess (40 - 10 x 40 / 90) x 2 = 640 / 9. Site 1000: 30 on hand, demand 20:
(30 - 10 x 20 / 90) x 2 = 500 / 9; site 2000: (10 - 200 / 90) x 2 = 140 / 9.
Defect PPM: Bolt's 1 unit at 2000 over 20 received there: 50,000; 1000: 0; all 1 / 40: 25,000.
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.metrics.figures import choices, compute_kpis, kpis_with_period, sku_sizing, waste
from analytics.models.params import Scope

MARCH = {"start": date(2024, 3, 1), "end": date(2024, 3, 31), "as_of": date(2024, 3, 31)}


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        (
            None,
            {
                "otif_rate": 3 / 4,
                "fill_rate": 0.9,
                "customer_otif_rate": 1 / 3,
                "avg_inventory_value": 220 / 3,
                "excess_value": 640 / 9,
                "defect_ppm": 25_000,
            },
        ),
        (
            "1000",
            {
                "otif_rate": 1 / 2,
                "fill_rate": 0.8,
                "customer_otif_rate": 1 / 2,
                "avg_inventory_value": 80.0,
                "excess_value": 500 / 9,
                "defect_ppm": 0.0,
            },
        ),
        (
            "2000",
            {
                "otif_rate": 1.0,
                "fill_rate": 1.0,
                "customer_otif_rate": 0.0,
                "avg_inventory_value": 30.0,
                "excess_value": 140 / 9,
                "defect_ppm": 50_000,
            },
        ),
    ],
)
def test_every_figure_for_one_site_and_for_all(two_sites, site, expected):
    got = compute_kpis(two_sites, **MARCH, site=site)
    assert {k: got[k] for k in expected} == pytest.approx(expected)


def test_a_site_of_no_rows_has_no_figures(two_sites):
    got = compute_kpis(two_sites, **MARCH, site="3000")
    assert got["otif_rate"] is None and got["fill_rate"] is None
    assert got["avg_inventory_value"] is None


def test_kpis_with_period_names_the_site(two_sites):
    assert kpis_with_period(two_sites, Scope(**MARCH))["site"] is None
    assert kpis_with_period(two_sites, Scope(**MARCH, site="1000"))["site"] == "1000"


def test_choices_list_the_sites(two_sites):
    assert choices(two_sites)["sites"] == ["1000", "2000"]


def test_stock_of_a_sku_is_the_sum_of_its_sites_latest_snapshots(two_sites):
    # 30 at 1000 (03-31) + 10 at 2000 (03-15); one site: its own latest only
    on_hand = {
        site: sku_sizing(two_sites, Scope(**MARCH, site=site))[0]["on_hand_qty"]
        for site in (None, "1000", "2000")
    }
    assert on_hand == {None: 40, "1000": 30, "2000": 10}


def test_the_waste_ledger_holds_the_sites_excess(two_sites):
    # inventory waste = excess x holding rate x 31 days / 365
    def inventory(site):
        rows = waste(two_sites, Scope(**MARCH, site=site))
        return next(r["value"] for r in rows if r["waste"] == "Inventory")

    assert inventory("1000") / inventory(None) == pytest.approx(500 / 640)
    assert inventory("2000") / inventory(None) == pytest.approx(140 / 640)
