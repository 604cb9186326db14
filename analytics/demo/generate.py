"""The demo plant, generated deterministically from a seed.

A mid-sized machine shop with suppliers of uneven reliability, one quality problem fixed
part-way through (an action to verify), seasonal demand and the stock that follows. It
works on two sites (`sites`) and its exports carry a few reversals, returns and cancelled
lines (`corrections`), drawn after the year itself.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.demo.corrections import book_reversals_and_returns, cancel_some_lines
from analytics.demo.plant import (
    CATEGORIES,
    CUSTOMER_CAUSES,
    CUSTOMERS,
    DESCRIPTIONS,
    DISPOSITION_COST,
    DISPOSITIONS,
    PRODUCTION_CAUSES,
    QUALITY_CAUSE,
    QUALITY_SUPPLIER,
    RECEIVING_CAUSES,
    SUPPLIERS,
    UNRELIABLE_SUPPLIERS,
    demo_columns,
)
from analytics.demo.sites import place
from analytics.store.schema import TABLES

START = date(2025, 5, 1)
END = date(2026, 10, 31)

# The export holds no line planned after END: such lines are drawn like the others and then
# left out of the files. (While as-of defaulted to the latest date of any column, a promise
# beyond the last receipt judged every open line late; METRICS.md section 2 now counts only
# event dates, but the demo files stay as they are.)
LAST_PROMISE = END
QUALITY_FIX_DATE = date(2026, 3, 2)  # a Monday, so weekly buckets split cleanly
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "sample"
N_DAYS = (END - START).days + 1
_BASE = np.datetime64(START, "D")
_FIX_DAY = (QUALITY_FIX_DATE - START).days
_LAST_PROMISE_DAY = (LAST_PROMISE - START).days
ORDERS_PER_DAY, LINES_PER_ORDER = 13, 2.2  # before seasonality; weekdays only


def _dates(offsets) -> pd.Series:
    """Day offsets from START (NaN = no date) as a datetime column."""
    arr = np.asarray(offsets, dtype="float64")
    out = np.full(arr.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(arr)
    out[ok] = _BASE + arr[ok].astype("int64")
    return pd.Series(out, dtype="datetime64[s]")


def _season(day):
    """Spring upswing plus a November peak: demand a planner cannot treat as flat."""
    doy = (START.timetuple().tm_yday - 1 + np.asarray(day)) % 365.25
    spring = 0.15 * np.sin(2 * np.pi * (doy + 10) / 365.25)
    return 1 + spring + 0.5 * np.exp(-(((doy - 318) / 30) ** 2))


def _weekday(day: int) -> int:
    return (START.weekday() + day) % 7


def _log_uniform(rng, low: float, high: float, size=None):
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


def _price(value):
    """Cents, or hundredths of a cent below one unit, as price lists for small parts do."""
    return np.where(value < 1, np.round(value, 4), np.round(value, 2))


def _suppliers(rng) -> dict[str, dict]:
    """Per supplier: quoted lead time, reliability, review cycle and order weekday."""
    out = {}
    for category, name in SUPPLIERS:
        bad, (low, high) = name in UNRELIABLE_SUPPLIERS, CATEGORIES[category][4]
        out[name] = {
            "name": name, "category": category, "lead": int(rng.integers(low, high + 1)),
            "p_on_time": rng.uniform(0.68, 0.72) if bad else rng.uniform(0.95, 0.99),
            "late_scale": rng.uniform(7, 12) if bad else rng.uniform(1.5, 3.5),
            "p_under": 0.08 if bad else 0.045, "p_defect": 0.06 if bad else 0.035,
            "price": rng.uniform(0.92, 1.08), "weekday": int(rng.integers(0, 5)),
            "cycle": 7 if name == QUALITY_SUPPLIER or rng.random() < 0.25 else 14,
        }  # fmt: skip
    return out


def _skus(rng, sups: dict) -> pd.DataFrame:
    """One row per sku: cost, price, container, popularity, suppliers and stock policy."""
    frames = []
    for category, (n, cost, boxes, lot, _lead) in CATEGORIES.items():
        names = np.array([s for s, v in sups.items() if v["category"] == category])
        weights = np.where(names == QUALITY_SUPPLIER, 3.0, 1.0)
        main = rng.choice(names, n, p=weights / weights.sum())
        second = [rng.choice(names[names != m]) if rng.random() < 0.62 else "" for m in main]
        frames.append(pd.DataFrame({
            "category": category, "cost": _price(_log_uniform(rng, *cost, n)),
            "container": rng.choice(boxes, n), "lot": _log_uniform(rng, *lot, n),
            "main": main, "second": second}))  # fmt: skip
    skus = pd.concat(frames, ignore_index=True)
    n = len(skus)
    skus.insert(0, "sku", [f"SKU-{10001 + i}" for i in range(n)])
    skus["price"] = np.round(skus.cost * rng.uniform(1.3, 1.8, n), 2)
    skus["weight"] = np.maximum(rng.lognormal(0, 0.7, n), 0.6)
    lot_mean = skus.lot * np.exp(0.125)  # mean of lot x lognormal(0, 0.5)
    per_day = ORDERS_PER_DAY * LINES_PER_ORDER * 5 / 7
    skus["rate"] = per_day * skus.weight / skus.weight.sum() * lot_mean  # units per day
    skus["excess"] = np.where(rng.random(n) < 0.08, 3.5, 1.0)
    # Customer lines are lumpy, so safety stock is counted in lots; lean skus carry none.
    skus["safety"] = np.where(rng.random(n) < 0.05, 0, rng.uniform(2.5, 4.5, n) * lot_mean)
    dead = rng.choice(n, 10, replace=False)
    skus["dead_from"] = N_DAYS
    skus.loc[dead, "dead_from"] = N_DAYS - rng.integers(135, 260, 10)
    skus.loc[dead, "excess"] = 2.5  # overstocked, then the demand went away
    picked = rng.permutation(n)
    skus["missing_item"] = skus.index.isin(picked[:15])
    skus["no_cost"] = skus.index.isin(picked[15:21])
    return skus


def _orders(rng, skus: pd.DataFrame) -> pd.DataFrame:
    """Customer order lines, weekdays only, seasonal; some late, short or not yet shipped."""
    cust_lead = rng.integers(5, 21, len(CUSTOMERS))
    cust_weight = rng.dirichlet(np.full(len(CUSTOMERS), 2.0))
    weight, dead_from = skus.weight.to_numpy(), skus.dead_from.to_numpy()
    rows, number = [], 100000
    for day in (d for d in range(N_DAYS) if _weekday(d) < 5):
        active = np.flatnonzero(dead_from > day)
        p = weight[active] / weight[active].sum()
        for _ in range(rng.poisson(ORDERS_PER_DAY * _season(day))):
            cust, number = rng.choice(len(CUSTOMERS), p=cust_weight), number + 1
            picks = rng.choice(active, min(1 + rng.poisson(1.2), 6), replace=False, p=p)
            requested = day + cust_lead[cust] + int(rng.integers(0, 6))
            head = (f"SO-{number}", CUSTOMERS[cust], day, requested)
            rows += [(*head, str(k), i) for k, i in enumerate(picks, start=1)]
    out = [_order_line(rng, skus, *row) for row in rows]
    frame = pd.DataFrame(out, columns=_filled("orders"))
    return frame[frame.requested_date <= _LAST_PROMISE_DAY].reset_index(drop=True)


def _order_line(rng, skus, number, customer, day, requested, line, i) -> tuple:
    qty = max(1.0, float(np.round(skus.lot[i] * rng.lognormal(0, 0.5))))
    if qty >= 50:  # big lines are ordered in round tens
        qty = float(np.round(qty, -1))
    late = rng.random() < 0.09
    ship = requested + 1 + int(rng.geometric(0.2)) if late else requested - rng.integers(0, 4)
    shipped = qty
    if rng.random() < 0.05 and qty >= 2:
        shipped = float(min(qty - 1, np.floor(qty * rng.uniform(0.5, 0.95))))
    ship = max(day, int(ship))
    if ship >= N_DAYS:  # not shipped yet
        ship, shipped = np.nan, np.nan
    return (number, line, customer, skus.sku[i], day, requested, ship, qty, shipped,
            skus.price[i])  # fmt: skip


def _daily(skus: pd.DataFrame, sku_col, day_col, qty_col) -> np.ndarray:
    """Quantities summed into a (sku, day) matrix, so stock is a cumulative sum."""
    index = pd.Series(np.arange(len(skus)), index=skus.sku)
    out = np.zeros((len(skus), N_DAYS))
    ok = day_col.notna().to_numpy()
    rows = index[sku_col[ok]].to_numpy()
    np.add.at(out, (rows, day_col[ok].to_numpy(int)), qty_col[ok].fillna(0).to_numpy())
    return out


def _po_lines(rng, skus, sups, shipped: np.ndarray) -> tuple[list[tuple], np.ndarray]:
    """Order-up-to replenishment on each main supplier's review day, so supply follows demand.

    Returns the PO lines and each sku's opening stock on START."""
    lines, init = [], np.zeros(len(skus))
    for i, sku in enumerate(skus.itertuples()):
        main = sups[sku.main]
        cover = main["lead"] + 2 + main["cycle"]
        rate = _season(np.arange(N_DAYS) + cover / 2) * sku.rate * sku.excess
        target = rate * cover + sku.safety * sku.excess
        stock = init[i] = np.round(target[0] - rate[0] * main["cycle"] / 2)
        shipped_to, ordered = np.cumsum(shipped[i]), 0.0
        first = (main["weekday"] - START.weekday()) % 7
        for day in range(first, min(N_DAYS, sku.dead_from), main["cycle"]):
            need = target[day] - (stock + ordered - shipped_to[day])
            if need >= 0.5 * sku.container:
                qty = float(np.ceil(need / sku.container) * sku.container)
                lines.append(_po_line(rng, sku, sups, day, qty))
                ordered += qty
    return lines, init


def _po_line(rng, sku, sups, day: int, qty: float) -> tuple:
    """A dual-sourced sku goes to its second supplier about one time in three."""
    sup = sups[sku.second if sku.second and rng.random() < 0.3 else sku.main]
    promised = day + sup["lead"] + int(rng.integers(0, 3))
    promised += _weekday(promised) == 6  # suppliers confirm working days
    cost = float(_price(sku.cost * sup["price"]))
    return sup["name"], sku.sku, day, promised, qty, cost


def _receipts(rng, order_day: int, promised: int, qty: float, sup: dict) -> list[tuple]:
    """When and how much of one PO line arrives: on time, early, late, short, over, split."""
    if promised >= N_DAYS - 60 and rng.random() < 0.04:
        return []  # stuck at the supplier: an overdue open line
    if rng.random() < sup["p_on_time"]:
        delay = -int(rng.integers(3, 9)) if rng.random() < 0.05 else -int(rng.integers(0, 3))
    else:
        delay = 1 + int(rng.exponential(sup["late_scale"]))
    parts = _split(rng, _received_total(rng, qty, sup["p_under"]))
    # A punctual supplier's partial loads lead up to the promise; a late one's trail after it.
    gaps = rng.integers(1, 4, len(parts)) if delay <= 0 else rng.integers(2, 10, len(parts))
    offsets = np.cumsum(gaps) - gaps[0]
    days = promised + delay + (offsets - offsets[-1] if delay <= 0 else offsets)
    out = []
    for day, part in zip(days, parts, strict=True):
        day = max(int(day), order_day + 1)
        day += _weekday(day) == 6  # no receipts on Sundays; promises never fall on one
        out.append((day, part))
    return [(d, q) for d, q in out if d < N_DAYS]


def _received_total(rng, qty: float, p_under: float) -> float:
    u = rng.random()
    if u < 0.03:
        return qty + max(1.0, np.round(qty * rng.uniform(0.05, 0.2)))
    if u < 0.03 + p_under and qty >= 2:
        return float(min(qty - 1, max(1.0, np.floor(qty * rng.uniform(0.5, 0.95)))))
    return qty


def _split(rng, total: float) -> list[float]:
    if total < 3 or rng.random() >= 0.08:
        return [total]
    cuts = np.sort(rng.choice(np.arange(1, int(total)), int(rng.integers(1, 3)), replace=False))
    return [float(x) for x in np.diff(np.concatenate([[0], cuts, [total]]))]


def _deliveries(rng, lines: list[tuple], sups) -> pd.DataFrame:
    """Receipt rows with SAP-style numbers: one PO per supplier and day, lines 10, 20, ..."""
    cols = ["supplier", "sku", "order_date", "promised_date", "ordered_qty", "unit_cost"]
    po = pd.DataFrame(lines, columns=cols)
    po = po.sort_values(["order_date", "supplier", "sku"], kind="stable").reset_index(drop=True)
    head = po.groupby(["order_date", "supplier"], sort=False).ngroup()
    po["po_number"] = (4500010001 + head).astype(str)
    po["po_line"] = ((po.groupby(head).cumcount() + 1) * 10).astype(str)
    rows = []
    for line in po.itertuples(index=False):
        sup = sups[line.supplier]
        got = _receipts(rng, line.order_date, line.promised_date, line.ordered_qty, sup)
        rows += [(*line, day, qty) for day, qty in got or [(np.nan, np.nan)]]
    out = pd.DataFrame(rows, columns=[*po.columns, "received_date", "received_qty"])
    out = out[out.promised_date <= _LAST_PROMISE_DAY].reset_index(drop=True)
    got = out[out.received_date.notna()]
    order = got.sort_values(["received_date", "po_number", "po_line"], kind="stable").index
    out["receipt_id"] = ""
    out.loc[order, "receipt_id"] = [str(5000100001 + k) for k in range(len(order))]
    return out


def _defect(rng, day, sku, qty, cause, unit_cost, stage, supplier="", po="") -> tuple:
    """Half the events carry a cost; the rest leave it to qty x unit cost, as METRICS allows."""
    disposition = str(rng.choice(DISPOSITIONS[stage]))
    cost = qty * unit_cost * DISPOSITION_COST[disposition]
    cost = np.round(cost, 2) if rng.random() < 0.5 else np.nan
    return day, sku, supplier, po, stage, cause, float(qty), cost, disposition


def _receiving_defects(rng, deliveries, sups, skus) -> list[tuple]:
    """Inspection rejections on the day of receipt; the quality supplier's story lives here."""
    causes, weights = np.array(list(RECEIVING_CAUSES)), np.array(list(RECEIVING_CAUSES.values()))
    cost, category = skus.set_index("sku").cost, skus.set_index("sku").category
    rows = []
    for r in deliveries[deliveries.received_date.notna()].itertuples():
        found = []
        if r.supplier == QUALITY_SUPPLIER:
            before = r.received_date < _FIX_DAY
            if rng.random() < (0.55 if before else 0.02):
                found.append((QUALITY_CAUSE, rng.uniform(0.04, 0.15) if before else 0.005))
        if rng.random() < sups[r.supplier]["p_defect"]:
            w = np.where(causes == QUALITY_CAUSE, category[r.sku] == "Castings", 1.0) * weights
            found.append((str(rng.choice(causes, p=w / w.sum())), rng.uniform(0.01, 0.1)))
        for cause, share in found:
            qty = min(r.received_qty, max(1.0, np.round(r.received_qty * share)))
            where = ("receiving", r.supplier, r.po_number)
            rows.append(_defect(rng, r.received_date, r.sku, qty, cause, cost[r.sku], *where))
    return rows


def _internal_defects(rng, skus, orders) -> list[tuple]:
    """Production scrap (no supplier to blame) and a few customer returns."""
    rows, p = [], skus.weight.to_numpy() / skus.weight.sum()
    for day in (d for d in range(N_DAYS) if _weekday(d) < 5):
        for i in rng.choice(len(skus), rng.poisson(1.4), p=p):
            qty = max(1.0, np.round(skus.lot[i] * rng.uniform(0.02, 0.2)))
            cause = str(rng.choice(PRODUCTION_CAUSES, p=[0.4, 0.3, 0.2, 0.1]))
            rows.append(_defect(rng, day, skus.sku[i], qty, cause, skus.cost[i], "production"))
    cost = skus.set_index("sku").cost
    shipped = orders[(orders.shipped_qty > 0) & (orders.shipped_date < N_DAYS - 7)]
    for r in shipped.sample(45, random_state=rng).sort_index().itertuples():
        day = min(N_DAYS - 1, int(r.shipped_date) + int(rng.integers(7, 45)))
        qty = float(rng.integers(1, min(r.shipped_qty, 20) + 1))
        cause = str(rng.choice(CUSTOMER_CAUSES))
        rows.append(_defect(rng, day, r.sku, qty, cause, cost[r.sku], "customer"))
    return rows


def _defects(rng, deliveries, orders, sups, skus) -> pd.DataFrame:
    """Quality events numbered NCR-<yy>-<nnnnn> in date order, as a QMS would number them."""
    rows = _receiving_defects(rng, deliveries, sups, skus) + _internal_defects(rng, skus, orders)
    out = pd.DataFrame(rows, columns=_filled("defects")[1:])
    out = out.sort_values("date", kind="stable").reset_index(drop=True)
    year = (_dates(out.date).dt.year % 100).astype(str)
    out["defect_id"] = "NCR-" + year + "-" + (out.groupby(year).cumcount() + 1).map("{:05d}".format)
    return out


def _inventory(rng, skus, init, shipped, deliveries) -> pd.DataFrame:
    """Monday snapshots of opening stock + receipts - shipments; a third of skus also line-side."""
    received = _daily(skus, deliveries.sku, deliveries.received_date, deliveries.received_qty)
    stock = init[:, None] + np.cumsum(received - shipped, axis=1)
    mondays = np.arange((7 - START.weekday()) % 7, N_DAYS, 7)
    on_hand = np.clip(np.round(stock[:, mondays]), 0, None)
    line_side = np.where(rng.random(len(skus)) < 0.3, skus.container * rng.integers(1, 4), 0)
    cost = skus.cost.where(~skus.sku.isin(skus.sku[skus.no_cost].head(2)))  # no cost anywhere
    frames = []
    for j, day in enumerate(mondays):
        line = np.minimum(on_hand[:, j], line_side)
        main = {"date": day, "sku": skus.sku, "location": "MAIN", "unit_cost": cost}
        frames.append(pd.DataFrame({**main, "on_hand_qty": on_hand[:, j] - line}))
        side = {**main, "location": "LINESIDE", "on_hand_qty": line}
        frames.append(pd.DataFrame(side)[line_side > 0])
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["date", "sku", "location"], kind="stable").reset_index(drop=True)


def _items(rng, skus, sups) -> pd.DataFrame:
    """The item master, deliberately imperfect: missing skus, missing costs, stale lead times."""
    n = len(skus)
    lead = np.array([sups[s]["lead"] for s in skus.main]) + 1
    drift = rng.random(n) < 0.15
    lead = np.where(drift, np.round(lead * rng.choice([0.4, 0.5, 2.0, 2.5], n)), lead)
    a = rng.choice([3, 4, 5, 6, 8, 10, 12, 16], n)
    b = rng.choice([16, 20, 25, 40, 50, 80, 120], n)
    text = [str(rng.choice(DESCRIPTIONS[c])).format(a=x, b=y)
            for c, x, y in zip(skus.category, a, b, strict=True)]  # fmt: skip
    out = pd.DataFrame({
        "sku": skus.sku, "description": text, "category": skus.category,
        "container_qty": skus.container.astype(float), "planned_lead_time_days": lead,
        "unit_cost": skus.cost.where(~skus.no_cost)})  # fmt: skip
    return out[~skus.missing_item].astype({"planned_lead_time_days": float})


# Drawn last, over the whole year (`sites`, `corrections`): the first draws leave them out.
DRAWN_LATER = ("site", "status")


def _filled(name: str) -> list[str]:
    """The demo's columns of a table that the first draws fill, in schema order."""
    return [c for c in demo_columns(name) if c not in DRAWN_LATER]


def _canonical(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Schema column order; days become dates."""
    out = frame[demo_columns(name)].reset_index(drop=True)
    for column in TABLES[name].columns:
        if column.type == "date" and column.name in out:
            out[column.name] = _dates(out[column.name])
    return out


def generate(seed: int = 7) -> dict[str, pd.DataFrame]:
    """All five canonical tables, identical for identical seeds."""
    rng = np.random.default_rng(seed)
    sups = _suppliers(rng)
    skus = _skus(rng, sups)
    orders = _orders(rng, skus)
    shipped = _daily(skus, orders.sku, orders.shipped_date, orders.shipped_qty)
    lines, init = _po_lines(rng, skus, sups, shipped)
    deliveries = _deliveries(rng, lines, sups)
    defects = _defects(rng, deliveries, orders, sups, skus)
    # Reversals, returns, cancellations and sites draw from their own generator, so the
    # plant's year is the same with or without them.
    more = np.random.default_rng([seed, 1])
    sunday = (6 - START.weekday()) % 7
    deliveries = book_reversals_and_returns(more, deliveries, defects, (N_DAYS, sunday))
    inventory = _inventory(rng, skus, init, shipped, deliveries)  # net of reversals
    deliveries, orders = cancel_some_lines(more, deliveries, orders)
    frames = {"deliveries": deliveries, "orders": orders, "defects": defects,
              "inventory": inventory, "items": _items(rng, skus, sups)}  # fmt: skip
    frames = place(more, frames, skus.sku)
    return {name: _canonical(frame, name) for name, frame in frames.items()}
