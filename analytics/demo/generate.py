"""The demo plant, generated deterministically from a seed.

A mid-sized machine shop with suppliers of uneven reliability, one quality problem fixed
part-way through (an action to verify), seasonal demand and the stock that follows. It
works on two sites (`sites`) and its exports carry a few reversals, returns and cancelled
lines (`corrections`), drawn after the year itself.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from analytics.demo.corrections import book_reversals_and_returns, cancel_some_lines
from analytics.demo.days import END, N_DAYS, START, dates, weekday
from analytics.demo.demand import LINE_LOT, LINE_SPREAD, LINES_PER_ORDER, ORDERS_PER_DAY, profiles
from analytics.demo.demand import orders as customer_orders
from analytics.demo.plant import (
    CATEGORIES,
    CUSTOMER_CAUSES,
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
    filled_columns,
)
from analytics.demo.samples import SAMPLE_DIR
from analytics.demo.sites import place
from analytics.demo.stock import daily, run_pull
from analytics.demo.stock import inventory as stock_snapshots
from analytics.demo.supply import deliveries as supplied
from analytics.demo.supply import price, suppliers, weekly_shocks
from analytics.store.schema import TABLES

# The names the app, the loader and the tests take from here.
__all__ = ["END", "QUALITY_CAUSE", "QUALITY_FIX_DATE", "QUALITY_SUPPLIER", "SAMPLE_DIR",
           "START", "SUPPLIERS", "UNRELIABLE_SUPPLIERS", "generate"]  # fmt: skip

QUALITY_FIX_DATE = date(2026, 3, 2)  # a Monday, so weekly buckets split cleanly
_FIX_DAY = (QUALITY_FIX_DATE - START).days
PACKS = (5, 10, 20, 25, 50, 100, 200, 250, 500)  # standard container sizes
CONTAINER_DAYS = 28  # a busy sku's pack: up to four weeks of demand, so green is that wide
LEAN_SHARE, LEAN_PLAN = 0.03, 0.5  # skus whose buyer keeps under half the sized buffer
EXCESS_SHARE = 0.04  # skus overstocked at 3.5 x the buffer (the Waste page's excess)


def _log_uniform(rng, low: float, high: float, size=None):
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


def _skus(rng, sups: dict) -> pd.DataFrame:
    """One row per sku: cost, price, container, popularity, suppliers and stock policy."""
    frames = []
    for category, (n, cost, boxes, lot, _lead) in CATEGORIES.items():
        names = np.array([s for s, v in sups.items() if v["category"] == category])
        weights = np.where(names == QUALITY_SUPPLIER, 3.0, 1.0)
        main = rng.choice(names, n, p=weights / weights.sum())
        second = [rng.choice(names[names != m]) if rng.random() < 0.62 else "" for m in main]
        frames.append(pd.DataFrame({
            "category": category, "cost": price(_log_uniform(rng, *cost, n)),
            "container": rng.choice(boxes, n), "lot": _log_uniform(rng, *lot, n),
            "main": main, "second": second}))  # fmt: skip
    skus = pd.concat(frames, ignore_index=True)
    n = len(skus)
    skus.insert(0, "sku", [f"SKU-{10001 + i}" for i in range(n)])
    skus["price"] = np.round(skus.cost * rng.uniform(1.3, 1.8, n), 2)
    skus["weight"] = np.maximum(rng.lognormal(0, 0.7, n), 0.6)
    skus["container"] = _container(skus)
    skus["excess"] = np.where(rng.random(n) < EXCESS_SHARE, 3.5, 1.0)
    # Most buyers keep the buffer they size; a few run lean (the Pull page's reds).
    skus["plan"] = np.where(rng.random(n) < LEAN_SHARE, LEAN_PLAN, 1.0)
    dead = rng.choice(n, 10, replace=False)
    skus["dead_from"] = N_DAYS
    skus.loc[dead, "dead_from"] = N_DAYS - rng.integers(135, 260, 10)
    skus.loc[dead, "excess"] = 2.5  # overstocked, then the demand went away
    picked = rng.permutation(n)
    skus["missing_item"] = skus.index.isin(picked[:15])
    skus["no_cost"] = skus.index.isin(picked[15:21])
    return skus


def _container(skus: pd.DataFrame) -> np.ndarray:
    """A busy sku comes in the largest standard pack of at most CONTAINER_DAYS of its demand,
    so a container is a sensible order (and the top of green a few weeks' stock)."""
    lines_per_day = ORDERS_PER_DAY * LINES_PER_ORDER * 5 / 7
    mean_line = skus.lot * LINE_LOT * np.exp(LINE_SPREAD**2 / 2)
    units_per_day = lines_per_day * skus.weight / skus.weight.sum() * mean_line
    fits = np.array(PACKS)[None, :] <= CONTAINER_DAYS * units_per_day.to_numpy()[:, None]
    largest = np.where(fits.any(axis=1), np.array(PACKS)[fits.argmin(axis=1) - 1], PACKS[0])
    largest = np.where(fits.all(axis=1), PACKS[-1], largest)
    return np.maximum(skus.container.to_numpy(), largest)


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
    for day in (d for d in range(N_DAYS) if weekday(d) < 5):
        for i in rng.choice(len(skus), rng.poisson(1.4), p=p):
            qty = max(1.0, np.round(skus.lot[i] * rng.uniform(0.02, 0.2)))
            cause = str(rng.choice(PRODUCTION_CAUSES, p=[0.4, 0.3, 0.2, 0.1]))
            rows.append(_defect(rng, day, skus.sku[i], qty, cause, skus.cost[i], "production"))
    cost = skus.set_index("sku").cost
    shipped = orders[(orders.shipped_qty > 0) & orders.shipped_date.between(0, N_DAYS - 8)]
    for r in shipped.sample(45, random_state=rng).sort_index().itertuples():
        day = min(N_DAYS - 1, int(r.shipped_date) + int(rng.integers(7, 45)))
        qty = float(rng.integers(1, min(r.shipped_qty, 20) + 1))
        cause = str(rng.choice(CUSTOMER_CAUSES))
        rows.append(_defect(rng, day, r.sku, qty, cause, cost[r.sku], "customer"))
    return rows


def _defects(rng, deliveries, orders, sups, skus) -> pd.DataFrame:
    """Quality events numbered NCR-<yy>-<nnnnn> in date order, as a QMS would number them."""
    rows = _receiving_defects(rng, deliveries, sups, skus) + _internal_defects(rng, skus, orders)
    out = pd.DataFrame(rows, columns=filled_columns("defects")[1:])
    out = out.sort_values("date", kind="stable").reset_index(drop=True)
    year = (dates(out.date).dt.year % 100).astype(str)
    out["defect_id"] = "NCR-" + year + "-" + (out.groupby(year).cumcount() + 1).map("{:05d}".format)
    return out


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


def _canonical(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Schema column order; days become dates."""
    out = frame[demo_columns(name)].reset_index(drop=True)
    for column in TABLES[name].columns:
        if column.type == "date" and column.name in out:
            out[column.name] = dates(out[column.name])
    return out


def generate(seed: int = 7) -> dict[str, pd.DataFrame]:
    """All five canonical tables, identical for identical seeds."""
    rng = np.random.default_rng(seed)
    sups = suppliers(rng)
    skus = _skus(rng, sups)
    shape, _kind = profiles(rng, skus)
    orders = customer_orders(rng, skus, shape)
    lines, init, shipped = run_pull(rng, skus, sups, orders, weekly_shocks(rng))
    orders[["shipped_date", "shipped_qty"]] = shipped
    shipped = daily(skus, orders.sku, orders.shipped_date, orders.shipped_qty)
    deliveries = supplied(lines)
    defects = _defects(rng, deliveries, orders, sups, skus)
    # Reversals, returns, cancellations and sites draw from their own generator, so the
    # plant's year is the same with or without them.
    more = np.random.default_rng([seed, 1])
    sunday = (6 - START.weekday()) % 7
    deliveries = book_reversals_and_returns(more, deliveries, defects, (N_DAYS, sunday))
    inventory = stock_snapshots(rng, skus, init, shipped, deliveries)  # net of reversals
    deliveries, orders = cancel_some_lines(more, deliveries, orders)
    frames = {"deliveries": deliveries, "orders": orders, "defects": defects,
              "inventory": inventory, "items": _items(rng, skus, sups)}  # fmt: skip
    frames = place(more, frames, skus.sku)
    return {name: _canonical(frame, name) for name, frame in frames.items()}
