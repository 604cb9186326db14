"""The supplier pack page: rank change in words, safe file names, hostile names inert."""

from __future__ import annotations

from datetime import date

from analytics.charts.pack import file_name, rank_text, supplier_pack
from analytics.review.pack import gather_pack, shared
from tests.conftest import d, insert
from tests.review.test_pack import Q1, po

HOSTILE = "<script>window.__taktXss=1</script>"
IMG = '<img src=x onerror="window.__taktXss=2">'


def test_rank_change_against_the_previous_period(store):
    # December (before Q1): Acme on time, Bolt late -> Acme 1st, Bolt 2nd. Q1: Acme 1 of 3
    # OTIF, Bolt 1 of 1 -> Bolt 1st (up 1), Acme 2nd (down 1).
    december = date(2023, 12, 10)
    insert(
        store,
        "deliveries",
        {**po(10, "Acme", december, december), "order_date": date(2023, 12, 1)},
        {**po(11, "Bolt", december, date(2023, 12, 20)), "order_date": date(2023, 12, 1)},
        po(1, "Acme", d("01-10"), d("01-10")),
        po(2, "Acme", d("03-05"), d("03-09")),
        po(3, "Acme", d("03-20"), None),
        po(4, "Bolt", d("02-12"), d("02-12")),
    )
    common = shared(store, Q1)
    bolt, acme = gather_pack(store, "Bolt", common), gather_pack(store, "Acme", common)
    assert rank_text(bolt).endswith("rank 1 of 2 (previous period: rank 2, up 1).")
    assert rank_text(acme).endswith("rank 2 of 2 (previous period: rank 1, down 1).")
    assert rank_text(acme).startswith(f"Score {acme.card['score']:.0f} of 100, grade ")


def test_file_names_are_safe_whatever_the_supplier_is_called():
    assert file_name(3, HOSTILE) == "03-script-window-taktXss-1-script.html"
    assert file_name(12, "../../etc/passwd") == "12-etc-passwd.html"
    assert file_name(1, "<>") == "01-supplier.html"


def test_hostile_names_stay_text(store):
    insert(
        store,
        "deliveries",
        po(1, HOSTILE, d("01-10"), d("01-10")),
        po(2, HOSTILE, d("03-05"), None),
        po(3, IMG, d("02-12"), d("02-20")),
    )
    insert(
        store,
        "defects",
        {
            "defect_id": "D1",
            "date": d("02-21"),
            "sku": "SKU1",
            "supplier": IMG,
            "cause": HOSTILE,
            "qty": 2,
        },
    )
    common = shared(store, Q1)
    page = supplier_pack(gather_pack(store, HOSTILE, common))
    assert "<script>window.__taktXss" not in page and "<img src=x" not in page
    assert "<h1>Supplier pack: &lt;script&gt;window.__taktXss=1&lt;/script&gt;</h1>" in page
    page = supplier_pack(gather_pack(store, IMG, common))
    assert "<script>window.__taktXss" not in page and "<img src=x" not in page
    assert "<h1>Supplier pack: &lt;img src=x onerror=&quot;window.__taktXss=2&quot;&gt;" in page
    # the defect cause is drawn in the Pareto chart as entities, which plotly shows as text
    assert "&lt;script&gt;window.__taktXss=1&lt;\\/script&gt;" in page or (
        "&lt;script&gt;window.__taktXss=1&lt;/script&gt;" in page
    )
