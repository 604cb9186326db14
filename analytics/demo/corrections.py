"""The bookings a real year's exports carry besides clean receipts: reversals, returns and
cancelled lines (METRICS.md section 1a), drawn into the demo so its pages show them.

- A **reversal** (SAP movement type 102) takes back a receipt posted by mistake, on its own
  later date: the whole receipt, re-posted on the reversal's day (wrong batch or storage
  location), or not re-posted (goods of another order: the line is open again), or part of
  it (a miscounted quantity).
- A **return** (SAP 122) sends rejected units back: every receiving defect with disposition
  `return` becomes a negative receipt of its quantity a few days after the inspection.
- A **cancelled line** (status `cancelled`) is a PO line or customer order line entered twice
  and the copy cancelled: stored, listed, counted in no figure.
- A **closed line** (status `Closed`) is a customer line shipped short: the plant ships what
  it has and closes the rest (no backorder), so the rest is no open demand (section 11).

Days are offsets from the demo's START, as in `generate`; the draws use their own generator,
so the rest of the plant is the same year with or without them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

REVERSED_SHARE = 0.01  # of receipt rows
CANCELLED_PO_SHARE = 0.01  # of PO lines
CANCELLED_SO_SHARE = 0.01  # of customer order lines
CANCELLED = "cancelled"
CLOSED = "Closed"  # ERPNext's word for a sales order closed with a rest left undelivered
FIRST_REVERSAL_DOC = 4900000001  # SAP numbers reversals and returns in their own range


def _working(day: int, sunday: int) -> int:
    """Goods movements are not posted on Sundays (the days d with d % 7 == sunday)."""
    return day + (day % 7 == sunday)


def _line_order(frame: pd.DataFrame, number: str, line: str, *then: str) -> pd.DataFrame:
    """Documents in number order, their lines in numeric order (line 100 after line 20)."""
    key = frame[line].astype(int)
    return frame.assign(_n=key).sort_values([number, "_n", *then], kind="stable").drop(columns="_n")


def _reversals(rng, received: pd.DataFrame, span: tuple[int, int]) -> list[dict]:
    """Full (re-posted or not) and partial reversals of a sample of receipt rows."""
    rows = []
    picked = received.sample(frac=REVERSED_SHARE, random_state=rng).sort_index()
    for r in picked.to_dict("records"):
        day = _working(int(r["received_date"]) + int(rng.integers(1, 5)), span[1])
        if day >= span[0]:
            continue
        kind = rng.choice(["reposted", "full", "partial"], p=[0.4, 0.3, 0.3])
        qty = r["received_qty"]
        if kind == "partial":
            qty = max(1.0, float(np.floor(qty * rng.uniform(0.1, 0.5))))
        rows.append({**r, "received_date": day, "received_qty": -qty})
        if kind == "reposted":
            rows.append({**r, "received_date": day, "received_qty": r["received_qty"]})
    return rows


def _returns(rng, received: pd.DataFrame, defects: pd.DataFrame, skip, span) -> list[dict]:
    """A negative receipt for each receiving defect sent back, on a line not reversed."""
    lines = received.drop_duplicates(["po_number", "sku"]).set_index(["po_number", "sku"])
    sent_back = defects[(defects.stage == "receiving") & (defects.disposition == "return")]
    rows = []
    for q in sent_back.itertuples():
        line = lines.loc[(q.po_number, q.sku)].to_dict()
        day = _working(int(q.date) + int(rng.integers(1, 6)), span[1])
        if day < span[0] and (q.po_number, line["po_line"]) not in skip:
            rows.append({**line, "po_number": q.po_number, "sku": q.sku,
                         "received_date": day, "received_qty": -q.qty})  # fmt: skip
    return rows


def book_reversals_and_returns(rng, deliveries, defects, span) -> pd.DataFrame:
    """The deliveries with their reversal and return rows, numbered as material documents.

    span = (days in the year, the day offset that falls on a Sunday modulo 7)."""
    received = deliveries[deliveries.received_date.notna()]
    reversals = _reversals(rng, received, span)
    skip = {(r["po_number"], r["po_line"]) for r in reversals}
    added = pd.DataFrame(reversals + _returns(rng, received, defects, skip, span))
    added = added.sort_values(["received_date", "po_number", "po_line"], kind="stable")
    added["receipt_id"] = [str(FIRST_REVERSAL_DOC + k) for k in range(len(added))]
    out = pd.concat([deliveries, added[deliveries.columns]], ignore_index=True)
    return _line_order(out, "po_number", "po_line", "received_date").reset_index(drop=True)


def _copies(rng, frame: pd.DataFrame, number: str, line: str, share: float, step: int):
    """Cancelled copies of a sample of lines, each the next line number of its document."""
    firsts = frame.drop_duplicates([number, line])
    picked = firsts.sample(frac=share, random_state=rng).drop_duplicates(number)
    last = frame[line].astype(int).groupby(frame[number]).max()
    copies = picked.assign(status=CANCELLED)
    copies[line] = (last[copies[number]].to_numpy() + step).astype(str)
    return copies


def closed_short(orders: pd.DataFrame) -> np.ndarray:
    """`Closed` on every line shipped short: the plant ships what it has and closes the
    line (no backorder), as an ERP says of a sales line closed by hand; empty otherwise."""
    short = orders.shipped_date.notna() & (orders.shipped_qty < orders.ordered_qty)
    return np.where(short, CLOSED, "")


def cancel_some_lines(rng, deliveries, orders) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A few PO and customer order lines entered twice, the copies cancelled before any
    receipt or shipment."""
    po = _copies(rng, deliveries, "po_number", "po_line", CANCELLED_PO_SHARE, 10)
    po = po.assign(receipt_id="", received_date=np.nan, received_qty=np.nan)
    so = _copies(rng, orders, "order_number", "order_line", CANCELLED_SO_SHARE, 1)
    so = so.assign(shipped_date=np.nan, shipped_qty=np.nan)
    deliveries = pd.concat([deliveries.assign(status=""), po], ignore_index=True)
    orders = pd.concat([orders.assign(status=closed_short(orders)), so], ignore_index=True)
    deliveries = _line_order(deliveries, "po_number", "po_line")
    orders = _line_order(orders, "order_number", "order_line")
    return deliveries.reset_index(drop=True), orders.reset_index(drop=True)
