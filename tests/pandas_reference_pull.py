"""An independent, plain-pandas reading of METRICS.md section 11 (what to order now).

Written from section 11 (with section 7 for the sizing) and the decisions "Replenishment:
what to order now" of docs/metrics.md, on top of the PO-line table and the scope of
tests/pandas_reference.py. One row per (sku, site); the SQL model `replenishment` must give
the same figures. Readings the documents leave open are marked `READING:`.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import pandas as pd

from tests.pandas_reference import _in, _line_table, _scope

DEFAULTS = {"order_cycle_days": 7, "spike_factor": 0.5}
# docs/metrics.md, "Closed customer lines": statuses meaning nothing more ships on a line,
# compared trimmed and in lower case. Its unshipped rest is no open demand once closed.
CLOSED = {
    "closed",
    "completed",
    "complete",
    "closed short",
    "short closed",
    "short-closed",
    "closed-short",
    "fully delivered",
}
KEYS = ["sku", "site"]


def replenishment_reference(frames, as_of=None, settings=None) -> dict[tuple, dict]:
    """(sku, site) -> the section 11 figures at as_of, all sites, no filter."""
    sc = _scope(frames, None, None, as_of, None, None, {**DEFAULTS, **(settings or {})})
    f, s, as_of = sc["frames"], sc["settings"], sc["as_of"]
    lines = _line_table(f["deliveries"][f["deliveries"].order_date <= as_of], as_of, s)
    sizes = _sizing(f["orders"], lines, f["items"], sc, s)
    on_hand = _on_hand(f["inventory"], as_of)
    supply = _supply(lines[~_closed_po_lines(f["deliveries"], as_of, lines)], sizes, as_of)
    demand = _demand(f["orders"], sizes, as_of, s["spike_factor"])
    chosen = _proposed(f["deliveries"], as_of)
    figures = _supplier_figures(lines, sc)
    keys = set(sizes.index) | set(on_hand.index) | set(supply) | set(demand)
    out = {}
    for key in keys:
        size = sizes.loc[key] if key in sizes.index else None
        row = _row(size, on_hand.get(key), supply.get(key, 0.0), demand.get(key, 0.0))
        row["container_qty"] = _container(f["items"], key[0])
        row.update(_decide(row))
        supplier = chosen.get(key)
        row["supplier"] = supplier
        row["supplier_otif_rate"], row["supplier_lead_time_p95_days"] = figures.get(
            supplier, (None, None)
        )
        out[key] = row
    return out


def _container(items: pd.DataFrame, sku: str) -> float:
    found = items.loc[items.sku == sku, "container_qty"].dropna()
    return float(found.iloc[0]) if len(found) else 1.0


def _sizing(orders, lines, items, sc, s) -> pd.DataFrame:
    """Section 7 per (sku, site): d, sd_d over 90 daily buckets, L and sd_L of the lines with a
    receipt in the period, the zones. READING: d and sd_d of the site's own orders."""
    as_of = sc["as_of"]
    window = orders[_in(orders.order_date, as_of - pd.Timedelta(days=89), as_of)]
    daily = window.groupby([*KEYS, "order_date"]).ordered_qty.sum()
    total = daily.groupby(level=KEYS).sum()
    squares = (daily**2).groupby(level=KEYS).sum()
    d = total / 90
    sd_d = ((squares - total**2 / 90) / 89).clip(lower=0) ** 0.5
    got = lines[lines.has_receipt & _in(lines.last_receipt, sc["start"], sc["end"])]
    lead = got.groupby(KEYS).lead.agg(["mean", "std", "count"])
    sizes = pd.DataFrame({"d": d, "sd_d": sd_d}).join(lead, how="outer")
    sizes[["d", "sd_d"]] = sizes[["d", "sd_d"]].fillna(0.0)
    z = NormalDist().inv_cdf(s["service_level"])
    ss = z * (sizes["mean"] * sizes.sd_d**2 + sizes.d**2 * sizes["std"] ** 2) ** 0.5
    sizes["safety_stock"] = ss
    sizes["reorder_point"] = sizes.d * sizes["mean"] + ss
    container = pd.Series([_container(items, k[0]) for k in sizes.index], index=sizes.index)
    cycle = (sizes.d * s["order_cycle_days"]).combine(container, max)
    sizes["top_of_green"] = sizes.reorder_point + cycle
    sizes["horizon"] = sizes["mean"].map(lambda v: v if pd.isna(v) else math.ceil(v))
    return sizes


def _on_hand(inventory, as_of) -> pd.Series:
    inv = inventory[inventory.date <= as_of]
    latest = inv[inv.date == inv.groupby(KEYS).date.transform("max")]
    return latest.groupby(KEYS).on_hand_qty.sum()


def _horizon(sizes, key):
    return sizes.loc[key, "horizon"] if key in sizes.index else float("nan")


def _closed_po_lines(deliveries, as_of, lines) -> pd.Series:
    """PO lines closed by as_of (docs/metrics.md, "Closed lines"): a row's status is a closed
    one, and the line's latest receipt date in the data, if it has one, is on or before as_of."""
    keys = ["po_number", "po_line"]
    status = deliveries.status.where(deliveries.status.notna(), "").str.strip().str.lower()
    by_line = deliveries.assign(closed=status.isin(CLOSED)).groupby(keys, dropna=False)
    last = by_line.received_date.max()
    closed = by_line.closed.any() & (last.isna() | (last <= as_of))
    index = pd.MultiIndex.from_frame(lines[keys])
    return pd.Series(closed.reindex(index, fill_value=False).to_numpy(), index=lines.index)


def _supply(lines, sizes, as_of) -> dict:
    """Open quantity (ordered - delivered, at least 0) of incomplete lines by as_of + horizon."""
    out: dict = {}
    for row in lines[~lines.complete].itertuples():
        key = (row.sku, row.site)
        horizon = _horizon(sizes, key)
        if pd.isna(horizon):
            continue
        open_qty = max(row.qty - row.delivered, 0.0)
        if row.promised <= as_of + pd.Timedelta(days=horizon):
            out[key] = out.get(key, 0.0) + open_qty
    return out


def _demand(orders, sizes, as_of, spike_factor) -> dict:
    """Open customer quantity due by as_of, plus spikes within the horizon; a closed line
    has none from its ship date on (always, without one)."""
    placed = orders[orders.order_date <= as_of]
    shipped = placed.shipped_qty.fillna(0.0).where(placed.shipped_date <= as_of, 0.0)
    status = placed.status.where(placed.status.notna(), "").str.strip().str.lower()
    closed = status.isin(CLOSED) & ~(placed.shipped_date > as_of)
    open_qty = (placed.ordered_qty - shipped).clip(lower=0).where(~closed, 0.0)
    out: dict = {}
    for row, qty in zip(placed.itertuples(), open_qty, strict=True):
        key = (row.sku, row.site)
        if qty <= 0:
            continue
        counts = row.requested_date <= as_of
        horizon = _horizon(sizes, key)
        if not counts and not pd.isna(horizon):
            ss = sizes.loc[key, "safety_stock"]
            within = row.requested_date <= as_of + pd.Timedelta(days=horizon)
            counts = within and not pd.isna(ss) and qty >= spike_factor * ss
        if counts:
            out[key] = out.get(key, 0.0) + qty
    return out


def _proposed(deliveries, as_of) -> dict:
    """The largest net received quantity in the 365 days to as_of; ties: first by name."""
    year = deliveries[_in(deliveries.received_date, as_of - pd.Timedelta(days=364), as_of)]
    qty = year.groupby([*KEYS, "supplier"]).received_qty.sum().reset_index()
    qty = qty[qty.received_qty > 0].sort_values(
        ["received_qty", "supplier"], ascending=[False, True]
    )
    return {(r.sku, r.site): r.supplier for r in qty.drop_duplicates(KEYS).itertuples()}


def _supplier_figures(lines, sc) -> dict:
    """OTIF over due lines and lead-time p95 (linear) of the period, every sku and site."""
    start, end, as_of = sc["start"], sc["end"], sc["as_of"]
    due = _in(lines.promised, start, end) & (lines.complete | (lines.promised < as_of))
    got = lines.has_receipt & _in(lines.last_receipt, start, end)
    out = {}
    for supplier, group in lines.groupby("supplier"):
        n_due = due[group.index].sum()
        otif = (due[group.index] & group.otif).sum() / n_due if n_due else None
        leads = group.lead[got[group.index]]
        p95 = float(leads.quantile(0.95)) if len(leads) else None
        out[supplier] = (otif, p95)
    return out


def _row(size, on_hand, supply, demand) -> dict:
    known = size is not None and not pd.isna(size["horizon"])
    enough = (
        size is not None
        and not pd.isna(size["safety_stock"])
        and size["d"] > 0
        and on_hand is not None
    )
    row = {
        "on_hand": on_hand,
        "open_supply": supply if known else None,
        "qualified_demand": demand if known else None,
        "enough": enough,
    }
    row["net_flow"] = None if not known or on_hand is None else on_hand + supply - demand
    for zone in ("safety_stock", "reorder_point", "top_of_green"):
        row[zone] = float(size[zone]) if enough else None
    return row


def _decide(row) -> dict:
    if not row.pop("enough"):
        return {"status": "not enough data", "planning_priority": None, "suggested_qty": None}
    net, ss = row["net_flow"], row["safety_stock"]
    rop, tog = row["reorder_point"], row["top_of_green"]
    status = "red" if net <= ss else "yellow" if net <= rop else "green" if net <= tog else "over"
    suggested = None
    if net <= rop:
        containers = math.ceil(round((tog - net) / row["container_qty"], 9))
        suggested = containers * row["container_qty"]
    return {"status": status, "planning_priority": net / tog, "suggested_qty": suggested}
