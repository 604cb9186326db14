"""The demo's two sites: every table but the item master has rows at both, a smaller share
at the second, and the rows of one sku or one PO line agree on where they are.

Shares are counted from the generated frames with pandas; what the store offers is read
back from the demo loaded through the importer (the `demo` fixture).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.demo.files import FILES
from analytics.demo.generate import generate
from analytics.demo.sites import BOTH, MAIN_SITE, SECOND_ONLY, SECOND_SITE
from analytics.metrics.figures import choices, compute_kpis

TABLES_WITH_SITES = ("deliveries", "orders", "defects", "inventory")


@pytest.fixture(scope="module")
def frames():
    return generate()


@pytest.mark.parametrize("name", TABLES_WITH_SITES)
def test_every_table_has_rows_at_both_sites_fewer_at_the_second(frames, name):
    site = frames[name].site
    assert set(site) == {MAIN_SITE, SECOND_SITE}
    # 22% of skus at the second site only, 6% at both with a third of their rows there:
    # about 0.22 + 0.12 / 3 = 26% of the rows, give or take how busy those skus are.
    assert 0.15 < (site == SECOND_SITE).mean() < 0.35, name


def test_some_skus_are_stocked_at_both_sites_and_every_supplier_serves_both(frames):
    inv, d = frames["inventory"], frames["deliveries"]
    latest = inv[inv.date == inv.date.max()]
    sites_of = latest.groupby("sku").site.agg(lambda s: frozenset(s))
    both = (sites_of == frozenset({MAIN_SITE, SECOND_SITE})).mean()
    second_only = (sites_of == frozenset({SECOND_SITE})).mean()
    assert abs(both - BOTH) < 0.05 and abs(second_only - SECOND_ONLY) < 0.06
    assert d[d.site == SECOND_SITE].supplier.nunique() >= 30


def test_rows_agree_on_where_they_are(frames):
    d, q, o, inv = (frames[n] for n in ("deliveries", "defects", "orders", "inventory"))
    assert (d.groupby(["po_number", "po_line"]).site.nunique() == 1).all()
    # a receiving defect is at the site of the PO line it was found on
    received = d[d.received_qty > 0].drop_duplicates(["po_number", "sku"])
    found = q[q.stage == "receiving"].merge(received, on=["po_number", "sku"], how="left")
    assert found.site_y.notna().all() and (found.site_x == found.site_y).all()
    # what a site sells or buys, it stocks
    stocked = set(zip(inv.sku, inv.site, strict=True))
    assert set(zip(o.sku, o.site, strict=True)) <= stocked
    assert set(zip(d.sku, d.site, strict=True)) <= stocked


def test_the_loaded_demo_offers_both_sites_and_each_counts_its_own(demo):
    assert choices(demo)["sites"] == [MAIN_SITE, SECOND_SITE]
    everything = compute_kpis(demo)
    nord, sued = (compute_kpis(demo, site=s) for s in (MAIN_SITE, SECOND_SITE))
    # COGS is a sum over shipped customer lines: the sites split it exactly
    assert nord["cogs"] + sued["cogs"] == pytest.approx(everything["cogs"], rel=1e-9)
    assert 0.05 < sued["cogs"] / everything["cogs"] < 0.35


def test_the_second_site_in_the_files(frames):
    """The files name the site as their ERPs do: Plant in the SAP and stock exports, Site in
    the others; the item master has none."""
    headers = {s.table: s.headers.replace(";", ",").replace("\t", ",") for s in FILES.values()}
    assert headers["deliveries"].endswith(",Plant,Status")
    assert headers["orders"].endswith(",Site,Status")
    assert headers["defects"].endswith(",Site")
    assert ",Plant," in headers["inventory"] and "Site" not in headers["items"]
    assert pd.Index(frames["items"].columns).intersection(["site"]).empty
