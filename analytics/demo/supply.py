"""The demo's suppliers and what they deliver: quoted lead times, reliability, and when and
how much of each PO line arrives.

Lateness is not only a supplier's own: a holiday week, a carrier's bad week or a supplier's
bad month makes many lines late at once, so the weekly OTIF varies more than binomial
chance (METRICS.md section 13: the Review page draws Laney's p' for it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.demo.days import N_DAYS, day_of_year, iso_week, weekday
from analytics.demo.plant import CATEGORIES, SUPPLIERS, UNRELIABLE_SUPPLIERS

SHOCK_SIGMA = 0.7  # spread of the weekly lateness odds (lognormal, mean 1)
CARRIER_WEEKS, CARRIER_ODDS = 0.07, (2.5, 4.0)  # share of weeks, and how much likelier late
HOLIDAY_ODDS = 3.0  # promised between Christmas and New Year
BAD_MONTHS, BAD_MONTH_ODDS = 0.08, 3.0  # share of a supplier's months that go wrong
SHOCK_WEEKS = int(iso_week(N_DAYS + 120)) + 1  # promises reach past the end


def price(value):
    """Cents, or hundredths of a cent below one unit, as price lists for small parts do."""
    return np.where(value < 1, np.round(value, 4), np.round(value, 2))


def suppliers(rng) -> dict[str, dict]:
    """Per supplier: quoted lead time, reliability, order weekday and its bad months."""
    out = {}
    for category, name in SUPPLIERS:
        bad, (low, high) = name in UNRELIABLE_SUPPLIERS, CATEGORIES[category][4]
        out[name] = {
            "name": name, "category": category, "lead": int(rng.integers(low, high + 1)),
            "p_on_time": rng.uniform(0.68, 0.72) if bad else rng.uniform(0.95, 0.99),
            "late_scale": rng.uniform(7, 12) if bad else rng.uniform(1.5, 3.5),
            "p_under": 0.08 if bad else 0.045, "p_defect": 0.06 if bad else 0.035,
            "price": rng.uniform(0.92, 1.08), "weekday": int(rng.integers(0, 5)),
            "bad_months": np.where(rng.random(24) < BAD_MONTHS, BAD_MONTH_ODDS, 1.0),
        }  # fmt: skip
    return out


def weekly_shocks(rng) -> np.ndarray:
    """Per ISO week of the promise: how much likelier than usual a line is late or short.

    Shared by every supplier (weather, carriers, holidays), scaled to a mean of 1 so the
    year's OTIF stays where the suppliers' own reliability puts it."""
    odds = rng.lognormal(-0.5 * SHOCK_SIGMA**2, SHOCK_SIGMA, SHOCK_WEEKS)
    carrier = rng.random(SHOCK_WEEKS) < CARRIER_WEEKS
    odds[carrier] *= rng.uniform(*CARRIER_ODDS, carrier.sum())
    thursdays = np.arange(SHOCK_WEEKS) * 7 - weekday(0) + 3
    doy = day_of_year(thursdays)
    odds[(doy > 354) | (doy < 4)] *= HOLIDAY_ODDS
    return odds / odds.mean()


def po_line(rng, sku, sups, day: int, qty: float) -> tuple:
    """A dual-sourced sku goes to its second supplier about one time in three."""
    sup = sups[sku.second if sku.second and rng.random() < 0.3 else sku.main]
    promised = day + sup["lead"] + int(rng.integers(0, 3))
    promised += weekday(promised) == 6  # suppliers confirm working days
    cost = float(price(sku.cost * sup["price"]))
    return sup["name"], sku.sku, day, promised, qty, cost


def receipts(rng, order_day: int, promised: int, qty: float, sup: dict, odds) -> list[tuple]:
    """When and how much of one PO line arrives: on time, early, late, short, over, split."""
    if promised >= N_DAYS - 60 and rng.random() < 0.04:
        return []  # stuck at the supplier: an overdue open line
    shock = odds[int(iso_week(promised))] * sup["bad_months"][min(23, max(0, promised // 30))]
    if rng.random() >= min(0.95, (1 - sup["p_on_time"]) * shock):
        delay = -int(rng.integers(3, 9)) if rng.random() < 0.05 else -int(rng.integers(0, 3))
    else:
        delay = 1 + int(rng.exponential(sup["late_scale"]))
    parts = _split(rng, _received_total(rng, qty, min(0.5, sup["p_under"] * shock**0.5)))
    # A punctual supplier's partial loads lead up to the promise; a late one's trail after it.
    gaps = rng.integers(1, 4, len(parts)) if delay <= 0 else rng.integers(2, 10, len(parts))
    offsets = np.cumsum(gaps) - gaps[0]
    days = promised + delay + (offsets - offsets[-1] if delay <= 0 else offsets)
    out = []
    for day, part in zip(days, parts, strict=True):
        day = max(int(day), order_day + 1)
        day += weekday(day) == 6  # no receipts on Sundays; promises never fall on one
        out.append((day, part))
    return out


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


def deliveries(lines: list[tuple]) -> pd.DataFrame:
    """Receipt rows with SAP-style numbers: one PO per supplier and day, lines 10, 20, ...

    Each line comes with its receipts (day, qty), drawn when it was ordered."""
    cols = ["supplier", "sku", "order_date", "promised_date", "ordered_qty", "unit_cost"]
    po = pd.DataFrame([line for line, _got in lines], columns=cols)
    po["got"] = [got for _line, got in lines]
    po = po.sort_values(["order_date", "supplier", "sku"], kind="stable").reset_index(drop=True)
    head = po.groupby(["order_date", "supplier"], sort=False).ngroup()
    po["po_number"] = (4500010001 + head).astype(str)
    po["po_line"] = ((po.groupby(head).cumcount() + 1) * 10).astype(str)
    rows = []
    for got, line in zip(po.got, po.drop(columns="got").itertuples(index=False), strict=True):
        kept = [(d, q) for d, q in got if d < N_DAYS]
        rows += [(*line, day, qty) for day, qty in kept or [(np.nan, np.nan)]]
    columns = [c for c in po.columns if c != "got"]
    out = pd.DataFrame(rows, columns=[*columns, "received_date", "received_qty"])
    got = out[out.received_date.notna()]
    order = got.sort_values(["received_date", "po_number", "po_line"], kind="stable").index
    out["receipt_id"] = ""
    out.loc[order, "receipt_id"] = [str(5000100001 + k) for k in range(len(order))]
    return out
