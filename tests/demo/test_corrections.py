"""The demo's reversals, returns and cancelled lines (METRICS.md section 1a): a few of each,
taking back only what was received, and counted as the contract says once loaded.

Shares are counted from the generated frames; what a loaded figure must be is worked out
from the demo's CSV files with pandas, never by running the SQL a second time.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.demo.corrections import CANCELLED, CLOSED
from analytics.demo.generate import generate
from analytics.demo.load import load_demo
from analytics.metrics.figures import compute_kpis, table_rows
from analytics.models.materialize import refresh_store
from analytics.models.params import Scope
from analytics.store.connection import Store
from analytics.store.version import bump_version
from tests.demo_files import demo_file, german_number

LINE = ["po_number", "po_line"]


@pytest.fixture(scope="module")
def frames():
    return generate()


def sap_deliveries() -> pd.DataFrame:
    """deliveries_sap.csv as pandas reads it, its German numbers (1.234,56) as numbers."""
    out = demo_file("deliveries")
    for column in ("Order Quantity", "Quantity Received"):
        out[column] = german_number(out[column])
    return out.rename(columns={"Purchasing Document": "po_number", "Item": "po_line"})


def returned(frames) -> pd.DataFrame:
    """Negative receipts paired with the receiving defect they send back: same PO and sku,
    its quantity, 1 to 6 working days after the inspection."""
    d, q = frames["deliveries"], frames["defects"]
    negative = d[d.received_qty < 0].reset_index()
    sent = q[(q.stage == "receiving") & (q.disposition == "return")]
    pairs = negative.merge(sent, on=["po_number", "sku"], suffixes=("", "_defect"))
    gap = (pairs.received_date - pairs.date).dt.days
    return pairs[(pairs.received_qty == -pairs.qty) & gap.between(1, 7)]


def split(frames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The negative receipts: returns (paired with a defect sent back) and reversals."""
    d = frames["deliveries"]
    negative = d[d.received_qty < 0].reset_index()
    is_return = negative["index"].isin(returned(frames)["index"])
    return negative[is_return], negative[~is_return]


def test_a_few_of_each(frames):
    d, o = frames["deliveries"], frames["orders"]
    receipts = (d.received_qty > 0).sum()
    returns, reversals = split(frames)
    assert 0.005 < len(reversals) / receipts < 0.02
    assert 0.005 < len(returns) / receipts < 0.02
    po_lines = d.groupby(LINE).ngroups
    assert 0.005 < (d.status == CANCELLED).sum() / po_lines < 0.02
    assert 0.005 < (o.status == CANCELLED).mean() < 0.02
    assert set(d.status) == {"", CANCELLED} and set(o.status) == {"", CANCELLED, CLOSED}


def test_the_lines_shipped_short_are_closed(frames):
    """Every customer line shipped short (and only those) says `Closed`: the plant ships what
    it has and keeps no backorder, so the rest is no open demand on the Pull page."""
    o = frames["orders"]
    short = o.shipped_date.notna() & (o.shipped_qty < o.ordered_qty) & (o.status != CANCELLED)
    assert ((o.status == CLOSED) == short).all()
    assert 0.03 < short.mean() < 0.1


def test_nothing_takes_back_more_than_was_received(frames):
    d = frames["deliveries"]
    dated = d[d.received_date.notna()].sort_values([*LINE, "received_date"])
    by_date = dated.groupby([*LINE, "received_date"]).received_qty.sum()
    assert (by_date.groupby(level=LINE).cumsum() >= 0).all()
    reversal_docs = d.receipt_id[d.received_qty < 0]
    assert reversal_docs.str.startswith("49").all() and d.receipt_id[d.receipt_id != ""].is_unique


def test_every_rejected_lot_sent_back_is_a_return(frames):
    """A return for each receiving defect with disposition return, unless its line was also
    reversed or the return would fall after the data ends (31.10.2026)."""
    q = frames["defects"]
    sent = q[(q.stage == "receiving") & (q.disposition == "return")]
    _returns, reversals = split(frames)
    due = sent[~sent.po_number.isin(reversals.po_number) & (sent.date < pd.Timestamp(2026, 10, 24))]
    assert len(due) > 50
    assert set(due.defect_id) <= set(returned(frames).defect_id)


def test_cancelled_lines_copy_a_line_and_never_arrive(frames):
    d, o = frames["deliveries"], frames["orders"]
    po = d[d.status == CANCELLED]
    assert po.received_date.isna().all() and (po.receipt_id == "").all()
    kept = d[d.status != CANCELLED].drop_duplicates(LINE)
    same = po.merge(kept, on=["po_number", "sku", "ordered_qty", "promised_date"])
    assert same.po_number.nunique() == len(po)  # every copy repeats a line of its PO
    so = o[o.status == CANCELLED]
    assert so.shipped_date.isna().all() and so.shipped_qty.isna().all()


def test_a_fully_reversed_demo_line_has_no_receipt(demo):
    """PO 4500010447 line 20, as deliveries_sap.csv has it: 500 received 07.07.2025 (on time
    for 08.07.2025), 500 reversed 09.07.2025. Net 0: no receipt, nothing delivered, not on
    time; the 500 units are listed as one return. The same holds for every line of the file
    whose receipts net to zero."""
    facts = {(r["po_number"], r["po_line"]): r for r in table_rows(demo, "po_line_facts", Scope())}
    line = facts["4500010447", "20"]
    assert (line["has_receipt"], line["delivered_qty"], line["receipts"]) == (False, 0, 0)
    assert (line["first_receipt"], line["last_receipt"], line["is_on_time"]) == (None, None, False)
    assert (line["returned_qty"], line["returns"]) == (500, 1)
    csv = sap_deliveries()
    got = csv[csv["Posting Date"] != ""]
    net = got.groupby(LINE)["Quantity Received"].agg(["sum", "min"])
    zero = net[(net["sum"] == 0) & (net["min"] < 0)]
    assert len(zero) >= 5 and ("4500010447", "20") in zero.index
    for key, row in zero.iterrows():
        assert (facts[key]["has_receipt"], facts[key]["delivered_qty"]) == (False, 0), key
        assert facts[key]["returned_qty"] == -row["min"], key


def cancelled_keys(cur) -> dict[str, list]:
    return {
        "deliveries": cur.execute(
            "select po_number, po_line from deliveries where status = 'cancelled'"
        ).fetchall(),
        "orders": cur.execute(
            "select order_number, order_line from orders where status = 'cancelled'"
        ).fetchall(),
    }


def rewrite(store, sql: str, rows: list | None = None) -> None:
    """A write the figures see: the data version moves and the stored facts are rebuilt."""
    with store.writer() as cur:
        cur.executemany(sql, rows) if rows else cur.execute(sql)
        bump_version(cur)
    refresh_store(store)


def test_cancelled_lines_are_stored_and_counted_in_no_figure(tmp_path):
    """The loaded demo holds the file's cancelled lines; its figures are those of the demo
    without them, and would be lower if they counted (lines due and never delivered)."""
    csv = sap_deliveries()
    orders = demo_file("orders")
    store = Store(tmp_path / "t.duckdb", lock_timeout=20)
    load_demo(store)
    with store.connect() as cur:
        stored = cancelled_keys(cur)
    assert len(stored["deliveries"]) == (csv.Status == CANCELLED).sum() > 0
    assert len(stored["orders"]) == (orders.Status == CANCELLED).sum() > 0
    with_them = compute_kpis(store)

    rewrite(store, "update deliveries set status = '' where status = 'cancelled'")
    rewrite(store, "update orders set status = '' where status = 'cancelled'")
    counted = compute_kpis(store)
    assert counted["otif_rate"] < with_them["otif_rate"]
    assert counted["fill_rate"] < with_them["fill_rate"]

    po, so = stored["deliveries"], stored["orders"]
    rewrite(store, "delete from deliveries where po_number = ? and po_line = ?", po)
    rewrite(store, "delete from orders where order_number = ? and order_line = ?", so)
    assert compute_kpis(store) == with_them
    store.close()
