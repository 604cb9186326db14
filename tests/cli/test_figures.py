"""`kpis`, `suppliers`, `skus` and `waste` as a script calls them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from analytics.metrics.figures import KPI_KEYS
from tests.conftest import cli, insert
from tests.metrics.test_figures_delivery import line

MARCH = ["--start", "2024-03-01", "--end", "2024-03-31", "--as-of", "2024-03-31"]


@pytest.fixture
def db(store):
    insert(
        store,
        "deliveries",
        line("A", 100, "03-10", "03-01", "03-08", 60, "r1"),
        line("A", 100, "03-10", "03-01", "03-12", 40, "r2"),
        line("B", 50, "03-15", "03-05", "03-15", 60, supplier="=HYPERLINK(1)"),
        line("C", 20, "03-20", "03-10", "03-16", 20),
    )
    store.close()
    return store.path


def test_kpis_json_has_exactly_the_contract_keys(db):
    done = cli("kpis", "--db", db, *MARCH, "--json")
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    assert list(values) == [*KPI_KEYS, "start", "end", "as_of", "site", "currency"]
    assert values["site"] is None  # all sites
    assert values["currency"] == "EUR"  # the default setting
    assert (values["start"], values["end"], values["as_of"]) == (
        "2024-03-01",
        "2024-03-31",
        "2024-03-31",
    )
    # due A, B, C; OTIF B and C; lead times 11, 10, 6
    assert values["otif_rate"] == pytest.approx(2 / 3)
    assert values["lead_time_mean_days"] == pytest.approx(9.0)
    assert values["fill_rate"] is None and values["avg_inventory_value"] is None


def test_defaults_are_the_365_days_ending_at_the_latest_event(db):
    # The latest event is C's receipt on 03-16 (orders placed 03-01 to 03-10, receipts 03-08
    # to 03-16); C's promise, 03-20, is a plan and does not count. Period [2023-03-18,
    # 2024-03-16]: due A (late) and B (OTIF); C is promised after the period -> OTIF 1/2.
    values = json.loads(cli("kpis", "--db", db, "--json").stdout)
    assert (values["start"], values["end"], values["as_of"]) == (
        "2023-03-18",
        "2024-03-16",
        "2024-03-16",
    )
    assert values["otif_rate"] == pytest.approx(1 / 2)


def test_kpis_text_names_the_period_first(db):
    done = cli("kpis", "--db", db, *MARCH)
    first, *kpis = done.stdout.splitlines()
    assert first.split() == ["Period", "2024-03-01", "to", "2024-03-31,", "as", "of", "2024-03-31"]
    assert len(kpis) == len(KPI_KEYS)


def test_filters_and_bad_dates(db):
    values = json.loads(cli("kpis", "--db", db, *MARCH, "--supplier", "Acme", "--json").stdout)
    assert values["otif_rate"] == pytest.approx(1 / 2)
    assert cli("kpis", "--db", db, "--as-of", "31/03/2024").returncode == 2
    done = cli("kpis", "--db", db, "--start", "2024-04-01", "--end", "2024-03-01")
    assert done.returncode == 2 and "starts (2024-04-01) after it ends" in done.stderr


def test_suppliers_csv_defuses_formulas_and_json_ranks(db):
    text = cli("suppliers", "--db", db, *MARCH).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["supplier"] for r in rows} == {"Acme", "'=HYPERLINK(1)"}
    ranked = json.loads(cli("suppliers", "--db", db, *MARCH, "--format", "json").stdout)
    assert [r["score_rank"] for r in ranked] == [1, 2]


def test_skus_and_waste(db):
    skus = json.loads(cli("skus", "--db", db, *MARCH, "--format", "json").stdout)
    assert [(s["sku"], s["lead_time_mean_days"]) for s in skus] == [("S1", 9.0)]
    waste = list(csv.DictReader(io.StringIO(cli("waste", "--db", db, *MARCH).stdout)))
    assert [w["waste"] for w in waste][:2] == ["Inventory", "Overproduction / over-delivery"]
    over = next(w for w in waste if w["waste"].startswith("Overproduction"))
    assert over["basis"] == "1 over-delivered lines"
    # beside the ledger, last: dead stock's write-off exposure, a stock (no stock here)
    exposure = waste[-1]
    assert (exposure["waste"], exposure["unit"]) == ("Dead stock (write-off exposure)", "stock")
    assert float(exposure["value"]) == 0.0 and exposure["basis"].startswith("0 dead SKUs")


@pytest.fixture
def sites_db(two_sites):
    two_sites.close()
    return two_sites.path


def test_site_narrows_every_figures_command(sites_db):
    # tests/conftest.py's fill_two_sites: OTIF 1000 1/2, 2000 2/2, all 3/4; S1 on hand 30
    # at 1000 (its 03-31 snapshot), 10 at 2000 (03-15), 40 for all sites
    def kpis(*site):
        done = cli("kpis", "--db", sites_db, *MARCH, *site, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    every, one = kpis(), kpis("--site", "1000")
    assert (every["site"], every["otif_rate"]) == (None, 0.75)
    assert (one["site"], one["otif_rate"], one["fill_rate"]) == ("1000", 0.5, 0.8)
    on_hand = {}
    for site in ("1000", "2000"):
        done = cli("skus", "--db", sites_db, *MARCH, "--site", site, "--format", "json")
        assert done.returncode == 0, done.stderr
        on_hand[site] = json.loads(done.stdout)[0]["on_hand_qty"]
    assert on_hand == {"1000": 30, "2000": 10}
    # suppliers: only Acme delivers at 1000 (P1, P2), both deliver at 2000
    shown = {}
    for site in ("1000", "2000"):
        done = cli("suppliers", "--db", sites_db, *MARCH, "--site", site, "--format", "json")
        assert done.returncode == 0, done.stderr
        shown[site] = sorted(r["supplier"] for r in json.loads(done.stdout))
    assert shown == {"1000": ["Acme"], "2000": ["Acme", "Bolt"]}
    done = cli("waste", "--db", sites_db, *MARCH, "--site", "2000", "--format", "json")
    assert done.returncode == 0, done.stderr
