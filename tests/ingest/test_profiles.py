"""ERP exports read as their ERP meant them (METRICS.md section 1a).

The fixtures in tests/fixtures/erp/ are written as each ERP writes the export (their README
cites the ERP's own field labels); expected.json holds the hand-worked results. Every file
either lands in its own table or is refused naming what it is: never in another table.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from analytics.ingest import ImportRefused, import_file, inspect_file
from analytics.store.schema import TABLES
from tests.conftest import ROOT, load, rows

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "erp"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text())["fixtures"]
TODAY = date(2024, 12, 31)


def target(name: str) -> str:
    return EXPECTED[name]["target_table"].split()[0]


def load_fixture(store, name: str, **kwargs):
    copy = store.spool_dir / Path(name).name
    shutil.copyfile(FIXTURES / name, copy)
    return import_file(store, copy, display_name=name, today=TODAY, **kwargs)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_export_lands_in_a_table_it_does_not_fit(name):
    try:
        kind = inspect_file(FIXTURES / name, display_name=name).kind
    except ImportRefused as refused:
        assert f"a file for {target(name)}" in str(refused)  # named for what it is
        return
    assert kind == target(name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_export_forced_into_another_table_is_refused(store, name):
    for kind in TABLES:
        if kind == target(name):
            continue
        report = load_fixture(store, name, kind=kind)
        assert report.status == "refused", (name, kind)
        assert f"a file for {target(name)}" in report.message
    assert rows(store, "select count(*) from imports") == [(0,)]


def deliveries(store) -> list[tuple]:
    return rows(
        store,
        "select po_number, po_line, supplier, sku, order_date, promised_date, ordered_qty, "
        "round(unit_cost, 4) from deliveries order by po_number, po_line",
    )


# The five PO items of ME2M, read the same from the English and the German layout: the
# vendor is the number before the name ('100001 Bolt & Nut GmbH'), German dates and decimal
# commas, and 4500000103/10 quotes 12.00 EUR per 100 units: 0.12 a unit.
ME2M = [
    ("4500000101", "10", "100001", "MAT-100", date(2024, 3, 1), date(2024, 3, 8), 500.0, 0.12),
    ("4500000101", "20", "100001", "MAT-300", date(2024, 3, 1), date(2024, 3, 8), 200.0, 0.4),
    ("4500000102", "10", "100002", "MAT-200", date(2024, 3, 4), date(2024, 3, 15), 1000.0, 2.5),
    ("4500000103", "10", "100001", "MAT-100", date(2024, 3, 11), date(2024, 4, 15), 300.0, 0.12),
    ("4500000103", "20", "100001", "MAT-300", date(2024, 3, 11), date(2024, 3, 20), 100.0, 0.4),
]


@pytest.mark.parametrize("name", ["sap/me2m_en.csv", "sap/me2m_de.csv"])
def test_sap_me2m_in_english_and_german_gives_the_same_po_lines(store, name):
    report = load_fixture(store, name)
    assert (report.status, report.kind, report.inserted, report.rejected) == (
        "imported",
        "deliveries",
        5,
        0,
    )
    assert report.inspection.profile.erp == "SAP"
    assert deliveries(store) == ME2M


def test_odoo_purchase_lines_fill_their_continuation_rows_and_read_product_codes(store):
    report = load_fixture(store, "odoo/purchase_order_lines.csv")
    assert (report.status, report.inserted) == ("imported", 5)
    # Line 2 of P00011 is a continuation row: order, vendor and dates from the row above;
    # '[GSK-20] Gasket 20mm' is sku GSK-20; lines are numbered within their order.
    # P00013 has no confirmation date: its order date is the order deadline (2024-03-04).
    assert deliveries(store) == [
        (
            "P00011",
            "1",
            "Acme Fasteners",
            "BOLT-M8",
            date(2024, 3, 1),
            date(2024, 3, 8),
            500.0,
            0.12,
        ),
        ("P00011", "2", "Acme Fasteners", "GSK-20", date(2024, 3, 1), date(2024, 3, 8), 200.0, 0.4),
        (
            "P00012",
            "1",
            "Polymer Works",
            "HSG-01",
            date(2024, 3, 4),
            date(2024, 3, 15),
            1000.0,
            2.5,
        ),
        (
            "P00013",
            "1",
            "Acme Fasteners",
            "GSK-20",
            date(2024, 3, 4),
            date(2024, 3, 20),
            100.0,
            0.4,
        ),
        (
            "P00014",
            "1",
            "Acme Fasteners",
            "BOLT-M8",
            date(2024, 3, 20),
            date(2024, 4, 15),
            300.0,
            0.12,
        ),
    ]


def test_erpnext_purchase_order_report_view_skips_its_totals_row(store):
    report = load_fixture(store, "erpnext/purchase_order_items.csv")
    assert (report.status, report.inserted, report.rejected) == ("imported", 5, 0)
    assert report.skipped == {"a totals row (no item)": 1}
    assert [r[:4] for r in deliveries(store)] == [
        ("PUR-ORD-2024-00011", "1", "Acme Fasteners", "BOLT-M8"),
        ("PUR-ORD-2024-00011", "2", "Acme Fasteners", "GSK-20"),
        ("PUR-ORD-2024-00012", "1", "Polymer Works", "HSG-01"),
        ("PUR-ORD-2024-00013", "1", "Acme Fasteners", "GSK-20"),
        ("PUR-ORD-2024-00014", "1", "Acme Fasteners", "BOLT-M8"),
    ]


def test_erpnext_sales_order_analysis_ships_on_order_date_plus_time_taken(store):
    report = load_fixture(store, "erpnext/sales_order_analysis.csv")
    assert (report.status, report.kind, report.inserted, report.rejected) == (
        "imported",
        "orders",
        3,
        0,
    )
    # 2024-03-05 + 17d = 2024-03-22 (To Bill); 2024-03-15 + 4d = 2024-03-19 (Completed);
    # the order still to deliver has no ship date and nothing shipped.
    assert rows(
        store,
        "select order_number, order_line, requested_date, shipped_date, ordered_qty, shipped_qty "
        "from orders order by 1",
    ) == [
        ("SAL-ORD-2024-00041", "1", date(2024, 3, 22), date(2024, 3, 22), 200.0, 200.0),
        ("SAL-ORD-2024-00042", "1", date(2024, 3, 26), None, 40.0, 0.0),
        ("SAL-ORD-2024-00043", "1", date(2024, 3, 20), date(2024, 3, 19), 50.0, 50.0),
    ]


def test_business_central_purchase_lines_skip_quotes_and_comment_lines(store):
    report = load_fixture(store, "business_central/purchase_lines.csv")
    assert (report.status, report.inserted, report.rejected) == ("imported", 4, 0)
    assert report.skipped == {
        "not an item line (a comment, G/L account or charge)": 1,
        "not an order line (a quote, invoice or return)": 1,
    }
    # en-US dates: 3/8/2024 is 8 March, read month-first without asking
    assert deliveries(store)[0] == (
        "106011",
        "10000",
        "10000",
        "BOLT-M8",
        date(2024, 3, 1),
        date(2024, 3, 8),
        500.0,
        0.12,
    )


def test_business_central_item_list_reads_lead_time_formulas(store):
    report = load_fixture(store, "business_central/item_list.csv")
    assert (report.status, report.kind, report.inserted) == ("imported", "items", 4)
    assert report.skipped == {"not an inventory item (a service or non-stock)": 1}
    # 3W = 21 days, 2W = 14, 10D = 10, 1M = 30; "1,250.00" is 1250
    assert rows(
        store, "select sku, category, planned_lead_time_days, unit_cost from items order by 1"
    ) == [
        ("ASM-100", "ASSEMBLIES", 21.0, 1250.0),
        ("BOLT-M8", "FASTENERS", 14.0, 0.12),
        ("GSK-20", "SEALS", 10.0, 0.4),
        ("HSG-01", "HOUSINGS", 30.0, 2.5),
    ]


def test_sap_qm_notifications_take_their_stage_from_the_notification_type(store):
    report = load_fixture(store, "sap/qm_notifications_en.csv")
    assert (report.status, report.kind, report.inserted, report.rejected) == (
        "imported",
        "defects",
        3,
        1,
    )
    assert (report.errors[0].line, report.errors[0].column) == (5, "Complaint Quantity")
    # Q2 (complaint against a vendor) -> receiving; Q3 (internal problem) -> production
    assert rows(store, "select defect_id, stage, supplier, qty from defects order by 1") == [
        ("200000101", "receiving", "100001", 15.0),
        ("200000102", "receiving", "100002", 50.0),
        ("200000103", "production", None, 5.0),
    ]


def test_odoo_scrap_orders_join_a_second_tag_and_skip_drafts(store):
    report = load_fixture(store, "odoo/scrap.csv")
    # 4 rows: SP/00001, SP/00002, SP/00002's second tag on a row of its own (not a defect),
    # SP/00003 still a draft: 2 defects read, 1 skipped
    assert (report.status, report.kind, report.rows_read, report.inserted) == (
        "imported",
        "defects",
        2,
        2,
    )
    assert report.skipped == {"not done (a draft scrap order)": 1}
    assert "1 continuation rows joined to the row above" in report.message
    # '[GSK-20] Gasket 20mm' is GSK-20; '2024-03-19 16:20:31' is 2024-03-19; no supplier:
    # stage production; the site is the source location's warehouse
    assert rows(
        store,
        "select defect_id, date, sku, supplier, po_number, stage, cause, qty, disposition, site "
        "from defects order by 1",
    ) == [
        ("SP/00001", date(2024, 3, 19), "GSK-20", None, None, "production", "Damaged in transit")
        + (5.0, "scrap", "San Francisco"),
        ("SP/00002", date(2024, 3, 21), "HSG-01", None, None, "production")
        + ("Broken, Wrong dimension", 12.0, "scrap", "Brussels"),
    ]


def test_continuation_rows_join_in_order_and_a_scrap_without_reason_says_so(store):
    header = "Reference,Date,Product,Quantity,Source Location,Scrap Reason,Status\n"
    text = header + (
        "SP/1,2024-03-01,[A] a,1,WH/Stock,,Done\n"  # no reason of its own, then one tag
        ",,,,,Bent,\n"
        "SP/2,2024-03-02,[B] b,2,WH/Stock,,Done\n"  # no reason at all
        "SP/3,2024-03-03,[C] c,3,WH/Stock,Broken,Done\n"
        ",,,,,Bent,\n"
        ",,,,,Wrong dimension,\n"
    )
    report = load(store, "scrap.csv", text)
    assert (report.rows_read, report.inserted) == (3, 3)
    assert rows(store, "select defect_id, cause from defects order by 1") == [
        ("SP/1", "Bent"),
        ("SP/2", "no reason given"),
        ("SP/3", "Broken, Bent, Wrong dimension"),
    ]


def receipts(store) -> list[tuple]:
    return rows(
        store,
        "select po_number, po_line, receipt_id, supplier, order_date, promised_date, ordered_qty, "
        "received_date, received_qty from deliveries where receipt_id <> '' order by 1, 2, 3",
    )


def test_sap_mb51_receipts_attach_to_the_me2m_lines_and_skip_other_movements(store):
    load_fixture(store, "sap/me2m_en.csv")
    report = load_fixture(store, "sap/mb51_en.csv")
    assert report.status == "imported"
    # 261 (issue to production), 311 twice (transfer), 551 (scrapping): not receipts
    assert report.skipped == {"not a supplier receipt (a goods issue, transfer or scrapping)": 4}
    unknown = [e for e in report.errors if e.column == "Purchase Order"]
    assert [(e.line, e.value) for e in unknown] == [(11, "4500000199")]
    assert "unknown PO line" in unknown[0].reason
    # each 101 takes supplier, order date, promise and ordered quantity from its ME2M line
    assert [r for r in receipts(store) if r[8] > 0] == [
        (
            "4500000101",
            "10",
            "5000000201/1",
            "100001",
            date(2024, 3, 1),
            date(2024, 3, 8),
            500.0,
            date(2024, 3, 7),
            500.0,
        ),
        (
            "4500000101",
            "20",
            "5000000201/2",
            "100001",
            date(2024, 3, 1),
            date(2024, 3, 8),
            200.0,
            date(2024, 3, 7),
            200.0,
        ),
        (
            "4500000102",
            "10",
            "5000000204/1",
            "100002",
            date(2024, 3, 4),
            date(2024, 3, 15),
            1000.0,
            date(2024, 3, 14),
            1000.0,
        ),
    ]


def test_a_receipts_file_given_first_in_one_load_still_attaches(tmp_path):
    db = tmp_path / "t.duckdb"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "load",
            "--db",
            str(db),
            "--json",
            str(FIXTURES / "business_central/posted_purchase_receipt_lines.csv"),
            str(FIXTURES / "business_central/purchase_lines.csv"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    reports = {Path(r["file"]).name: r for r in json.loads(out.stdout)}
    lines = reports["purchase_lines.csv"]
    got = reports["posted_purchase_receipt_lines.csv"]
    assert (lines["status"], lines["inserted"]) == ("imported", 4)
    assert got["status"] == "imported"
    assert got["skipped"] == {"not an item line (a charge, G/L account or comment)": 1}
    # 107023/10000 receives against order 106019, which no purchase-lines file holds
    unknown = [e for e in got["errors"] if e["column"] == "Order No."]
    assert [(e["line"], e["value"]) for e in unknown] == [(7, "106019")]


def test_the_sap_story_nets_reversals_and_counts_no_cancelled_line(store):
    """ME2M then MB51, as a buyer exports them (METRICS.md section 1a):
    - 4500000101/10: 500 received 03-07, promised 03-08: on time and in full;
    - 4500000101/20: 200 received 03-07, reversed (102, -200) 03-08: no receipt at all;
    - 4500000102/10: 1000 received 03-14, 50 returned (122) 03-18: 950 delivered, short;
    - 4500000103/10: promised 04-15, after the last event (as of 03-18): not due;
    - 4500000103/20: deletion indicator L: cancelled, in no figure.
    Due lines 3, OTIF 1 of 3; the as-of date is the return's, not the April promise."""
    from analytics.metrics.figures import compute_kpis, kpis_with_period

    load_fixture(store, "sap/me2m_en.csv")
    load_fixture(store, "sap/mb51_en.csv")
    with store.connect() as cur:
        from analytics.models.params import resolve
        from analytics.models.run import run_rows

        facts = {
            (r["po_number"], r["po_line"]): r for r in run_rows(cur, "po_line_facts", resolve(cur))
        }
    assert sorted(facts) == [
        ("4500000101", "10"),
        ("4500000101", "20"),
        ("4500000102", "10"),
        ("4500000103", "10"),
    ]
    assert [facts[k]["delivered_qty"] for k in sorted(facts)] == [500.0, 0.0, 950.0, 0.0]
    assert facts[("4500000101", "20")]["last_receipt"] is None
    assert facts[("4500000102", "10")]["returned_qty"] == 50.0
    assert facts[("4500000102", "10")]["site"] == "2000"
    assert compute_kpis(store)["otif_rate"] == pytest.approx(1 / 3)
    assert kpis_with_period(store)["as_of"] == "2024-03-18"


def test_odoo_stock_moves_attach_by_order_and_product_and_returns_are_negative(store):
    load_fixture(store, "odoo/purchase_order_lines.csv")
    report = load_fixture(store, "odoo/stock_moves.csv")
    assert report.status == "imported"
    # 12 moves: 3 not done (Available twice, Cancelled), 4 not to or from a vendor
    # (production, internal transfer, scrap, customer delivery), 5 vendor moves of which
    # P00019's has no PO line in the purchase-lines export.
    assert report.skipped == {
        "not a move from or to a vendor (production, transfer, scrap, customer)": 4,
        "not done (reserved, waiting or cancelled)": 3,
    }
    assert (report.inserted, report.rejected) == (4, 1)
    assert report.errors[0].value == "P00019"
    # BRU/OUT/00007 goes back to the vendor: -50 on 03-18 against P00012's 1000
    assert [r[1:3] + r[7:] for r in receipts(store)] == [
        ("1", "WH/IN/00021", date(2024, 3, 7), 500.0),
        ("2", "WH/IN/00021", date(2024, 3, 7), 150.0),
        ("1", "BRU/IN/00004", date(2024, 3, 14), 1000.0),
        ("1", "BRU/OUT/00007", date(2024, 3, 18), -50.0),
    ]
