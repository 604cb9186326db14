"""The demo's stock: a pull system run the way METRICS.md section 11 judges it, and the
Monday snapshots that follow from it.

Every week, on its main supplier's order day, the buyer sizes each sku's buffer from the
last 90 days of demand and the lead time the supplier quotes (section 7's formulas), works
out the net flow (stock + open supply - due and spiking customer demand) and, once it is
low in green, orders whole containers up to three quarters of the way into green.
Customer lines ship only from stock: a late supplier leaves its skus short and their
customer lines wait; one more than WAIT_DAYS overdue ships what there is and is closed.
Where the buffer on the Pull page differs from the buyer's, the list shows it: suppliers
later than they quote (the page measures lead time), lean skus planned below their buffer,
skus overstocked on purpose and the dead ones (the Waste page's excess and dead stock).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.demo.days import FIRST_DAY, N_DAYS, START
from analytics.demo.supply import po_line, receipts

Z = 1.645  # the 95% service level of the settings' default
WINDOW = 90  # days of demand behind d and sd_d
GREEN_DAYS = 7  # order_cycle_days
SPIKE = 0.5  # spike_factor x safety stock
WAIT_DAYS = 14  # a customer line this late ships what is in stock
# The buyer orders when the net flow is at most TRIGGER of the way into green, whole
# containers up to AIM of the way (never past it, at least one): the zones move with the
# 90 days of demand, so a buyer filling green to the top is over as soon as they shrink.
TRIGGER, AIM = 0.15, 0.75


def daily(skus: pd.DataFrame, sku_col, day_col, qty_col, first: int = 0) -> np.ndarray:
    """Quantities summed into a (sku, day) matrix from day `first`; days outside are left out."""
    index = pd.Series(np.arange(len(skus)), index=skus.sku)
    out = np.zeros((len(skus), N_DAYS - first))
    day = day_col.to_numpy(float)
    ok = ~np.isnan(day) & (day >= first) & (day < N_DAYS)
    rows = index[sku_col[ok]].to_numpy()
    np.add.at(out, (rows, day[ok].astype(int) - first), qty_col[ok].fillna(0).to_numpy())
    return out


def _sizing(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """d and sd_d of the WINDOW days before each day from START (section 7, daily buckets)."""
    total = np.concatenate([[0.0], np.cumsum(ordered)])
    squares = np.concatenate([[0.0], np.cumsum(ordered**2)])
    end = np.arange(N_DAYS) - FIRST_DAY  # index of day t in `ordered`; the window ends before
    mean = (total[end] - total[end - WINDOW]) / WINDOW
    var = (squares[end] - squares[end - WINDOW]) / WINDOW - mean**2
    return mean, np.sqrt(np.clip(var, 0, None) * WINDOW / (WINDOW - 1))


def run_pull(rng, skus, sups, orders, odds) -> tuple[list, np.ndarray, pd.DataFrame]:
    """The PO lines (each with its receipts), each sku's opening stock on START, and every
    customer line's ship day (NaN: not shipped by END)."""
    ordered = daily(skus, orders.sku, orders.order_date, orders.ordered_qty, FIRST_DAY)
    shipped = orders[["shipped_date", "shipped_qty"]].astype(float)  # as planned, for now
    by_sku = orders.groupby("sku", sort=False).indices
    lines, init = [], np.zeros(len(skus))
    for i, sku in enumerate(skus.itertuples()):
        mine = orders.iloc[by_sku.get(sku.sku, [])].sort_values("shipped_date", kind="stable")
        found, init[i] = _run_sku(rng, sku, sups, mine, _sizing(ordered[i]), odds, shipped)
        lines += found
    return lines, init, shipped


def lead_time(sup: dict) -> tuple[float, float]:
    """The mean and sd of a supplier's lead time from order to receipt, as the buyer has
    measured it (section 3): its quote, a day or two to the promise, and its lateness."""
    late = 1 - sup["p_on_time"]
    early_mean, early_square = -1.225, 3.24  # -U{0..2}, or -U{3..8} one time in twenty
    late_mean = sup["late_scale"] + 0.5  # 1 + floor(Exponential(late_scale))
    late_square = sup["late_scale"] ** 2 + late_mean**2
    mean = (1 - late) * early_mean + late * late_mean
    square = (1 - late) * early_square + late * late_square
    return sup["lead"] + 1 + mean, float(np.sqrt(2 / 3 + square - mean**2))


def _buffer(sku, lead: tuple, d: float, sd: float) -> tuple[float, float, float]:
    """Safety stock, the buyer's trigger (TRIGGER of the way into green) and aim (AIM of the
    way), sections 7 and 11; the last two scaled by the sku's plan (lean below 1) and excess
    (overstocked above 1)."""
    mean, sd_lead = lead
    safety = Z * np.sqrt(mean * sd**2 + d**2 * sd_lead**2)
    reorder, green = d * mean + safety, max(sku.container, d * GREEN_DAYS)
    scale = sku.plan * sku.excess
    return safety, (reorder + TRIGGER * green) * scale, (reorder + AIM * green) * scale


def _run_sku(rng, sku, sups, mine, sizing, odds, shipped) -> tuple[list, float]:
    main, (d, sd) = sups[sku.main], sizing
    lead = lead_time(main)
    plan, requested = mine.shipped_date.to_numpy(float), mine.requested_date.to_numpy(float)
    qty_out, ordered = mine.shipped_qty.to_numpy(float), mine.ordered_qty.to_numpy(float)
    arrive, found, where = np.zeros(N_DAYS + 1), [], mine.index.to_numpy()
    stock = init = float(np.round(_buffer(sku, lead, d[0], sd[0])[1] * 0.8))
    on_order = 0.0  # a line shipped short is closed (`Closed`): its rest is no demand
    queue, done = [k for k in range(len(mine)) if plan[k] >= 0], plan < 0
    first = (main["weekday"] - START.weekday()) % 7
    for t in range(N_DAYS):
        stock += arrive[t]
        on_order = max(0.0, on_order - arrive[t])
        while queue and plan[queue[0]] <= t and stock > 0:
            k = queue[0]
            if stock < qty_out[k] and t - plan[k] <= WAIT_DAYS:
                break
            qty = min(qty_out[k], np.floor(stock))  # long overdue: what there is, and closed
            stock, done[k] = stock - qty, True
            shipped.loc[where[queue.pop(0)]] = (t, qty)
        if t < first or (t - first) % 7 or t >= sku.dead_from:
            continue
        safety, trigger, aim = _buffer(sku, lead, d[t], sd[t])
        due = sum(ordered[k] for k in queue if requested[k] <= t)
        spiking = (
            (requested > t)
            & (requested <= t + np.ceil(lead[0]))
            & (ordered >= SPIKE * safety)
            & ~done
        )
        flow = stock + on_order - due - ordered[spiking].sum()
        if flow <= trigger:
            qty = float(max(1, np.floor((aim - flow) / sku.container)) * sku.container)
            line = po_line(rng, sku, sups, t, qty)
            got = receipts(rng, t, line[3], qty, sups[line[0]], odds)
            for day, part in got:
                arrive[min(day, N_DAYS)] += part
            found.append((line, got))
            on_order += qty
    for k in queue:  # not shipped by END
        shipped.loc[where[k]] = np.nan
    return found, init


def inventory(rng, skus, init, shipped, deliveries) -> pd.DataFrame:
    """Snapshots of opening stock + receipts - shipments, on Mondays and on the last day; a
    third of skus also line-side."""
    received = daily(skus, deliveries.sku, deliveries.received_date, deliveries.received_qty)
    stock = init[:, None] + np.cumsum(received - shipped, axis=1)
    # Mondays, and the day the export was taken (its as-of date): the Pull page's on-hand
    # is the latest snapshot, so receipts and shipments since Monday count too.
    mondays = np.arange((7 - START.weekday()) % 7, N_DAYS, 7)
    mondays = np.union1d(mondays, [N_DAYS - 1])
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
