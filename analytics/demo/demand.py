"""The demo's customer demand: order lines, weekdays only, over two and a half years.

Every sku follows the plant's season (a spring upswing, a November peak); beside that some
skus have a season of their own (garden, heating, harvest: a yearly peak several times
their trough), some grow or fade year on year, the rest stay flat, so the forecast's
choice of model (METRICS.md section 14) has something to choose between. A line's ship
date here is the planned one; `stock` ships it only when the stock is there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.demo.days import FIRST_DAY, N_DAYS, day_of_year, season, weekday
from analytics.demo.plant import CUSTOMERS, filled_columns

ORDERS_PER_DAY, LINES_PER_ORDER = 26, 2.2  # before seasonality; weekdays only
# a line is this share of the sku's lot, times lognormal(0, LINE_SPREAD): many modest lines,
# so a slow mover's 90 days hold enough of them for its buffer not to jump with each one
LINE_LOT, LINE_SPREAD = 0.5, 0.25
SEASONAL, GROWING, FADING = 30, 15, 15  # skus, drawn among the busier half
SEASON_PEAK = (1.0, 1.6)  # von Mises concentration: peak / trough = exp(2k)
TREND = (0.35, 0.6)  # growth per year, log scale: 0.6 is x1.8 a year


def profiles(rng, skus: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per sku and day (from FIRST_DAY): its demand relative to its usual, and its kind
    (0 flat, 1 seasonal, 2 growing, 3 fading)."""
    n, days = len(skus), np.arange(FIRST_DAY, N_DAYS)
    busy = np.flatnonzero(skus.weight.to_numpy() >= np.median(skus.weight))
    picked = rng.permutation(busy)[: SEASONAL + GROWING + FADING]
    kind = np.zeros(n, dtype=int)
    kind[picked[:SEASONAL]] = 1
    kind[picked[SEASONAL : SEASONAL + GROWING]] = 2
    kind[picked[SEASONAL + GROWING :]] = 3
    shape = np.ones((n, len(days)))
    angle = 2 * np.pi * day_of_year(days) / 365.25
    for i in np.flatnonzero(kind == 1):
        k, peak = rng.uniform(*SEASON_PEAK), rng.uniform(0, 2 * np.pi)
        wave = np.exp(k * np.cos(angle - peak))
        shape[i] = wave / np.i0(k)  # a mean of 1 over the year
    years = (days - (FIRST_DAY + N_DAYS) / 2) / 365.25
    for i in np.flatnonzero(kind >= 2):
        shape[i] = np.exp(rng.uniform(*TREND) * (1 if kind[i] == 2 else -1) * years)
    return shape, kind


def orders(rng, skus: pd.DataFrame, shape: np.ndarray) -> pd.DataFrame:
    """Customer order lines with their planned ship day and quantity; some late or short."""
    cust_lead = rng.integers(5, 21, len(CUSTOMERS))
    cust_weight = rng.dirichlet(np.full(len(CUSTOMERS), 2.0))
    weight, dead_from = skus.weight.to_numpy(), skus.dead_from.to_numpy()
    rows, number = [], 100000
    for day in (d for d in range(FIRST_DAY, N_DAYS) if weekday(d) < 5):
        active = np.flatnonzero(dead_from > day)
        p = weight[active] * shape[active, day - FIRST_DAY]
        p /= p.sum()
        for _ in range(rng.poisson(ORDERS_PER_DAY * season(day))):
            cust, number = rng.choice(len(CUSTOMERS), p=cust_weight), number + 1
            picks = rng.choice(active, min(1 + rng.poisson(1.2), 6), replace=False, p=p)
            requested = day + cust_lead[cust] + int(rng.integers(0, 6))
            head = (f"SO-{number}", CUSTOMERS[cust], day, requested)
            rows += [(*head, str(k), i) for k, i in enumerate(picks, start=1)]
    out = [_order_line(rng, skus, *row) for row in rows]
    frame = pd.DataFrame(out, columns=filled_columns("orders"))
    return frame


def _order_line(rng, skus, number, customer, day, requested, line, i) -> tuple:
    qty = max(1.0, float(np.round(skus.lot[i] * LINE_LOT * rng.lognormal(0, LINE_SPREAD))))
    if qty >= 50:  # big lines are ordered in round tens
        qty = float(np.round(qty, -1))
    late = rng.random() < 0.05  # the customer's own reasons (transport, a held order)
    ship = requested + 1 + int(rng.geometric(0.2)) if late else requested - rng.integers(0, 4)
    shipped = qty
    if rng.random() < 0.05 and qty >= 2:
        shipped = float(min(qty - 1, np.floor(qty * rng.uniform(0.5, 0.95))))
    return (number, line, customer, skus.sku[i], day, requested, max(day, int(ship)), qty,
            shipped, skus.price[i])  # fmt: skip
