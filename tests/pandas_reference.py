"""An independent, plain-pandas reading of the KPI definitions, to cross-check the SQL.

Written from `shared/METRICS.md` (sections 1a, 2-6 and 8) and the section "Metrics (sections
2-8): decisions where the contract is silent" of `docs/metrics.md`, without looking at the
SQL implementation. Each canonical table is loaded once into a DataFrame; everything after
that is pandas / numpy, spelled out step by step so a reader can check it by hand.
Reversals are netted the way the docs tell it, with a stack of receipt dates (the SQL uses
a formula over cumulative sums instead): the two must agree.

Readings of points that neither document settles are marked `READING:` below.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

# METRICS.md section 2 defaults (the subset the KPIs use, plus the rest for completeness).
DEFAULT_SETTINGS: dict[str, float] = {
    "late_tolerance_days": 0,
    "early_tolerance_days": 2,
    "in_full_tolerance": 0.0,
    "holding_cost_rate": 0.25,
    "target_cover_days": 10,
    "dead_stock_days": 90,
    "service_level": 0.95,
    "kanban_safety_factor": 0.10,
    "abc_cutoff_a": 0.80,
    "abc_cutoff_b": 0.95,
    "xyz_cutoff_x": 0.5,
    "xyz_cutoff_y": 1.0,
}

KPI_KEYS = (
    "otif_rate",
    "on_time_rate",
    "in_full_rate",
    "early_rate",
    "lead_time_mean_days",
    "lead_time_sd_days",
    "lead_time_p95_days",
    "defect_ppm",
    "copq",
    "avg_inventory_value",
    "cogs",
    "inventory_turnover",
    "dio_days",
    "fill_rate",
    "customer_otif_rate",
    "excess_value",
    "hhi",
)

COLUMNS = {
    "deliveries": {
        "po_number": "text",
        "po_line": "text",
        "receipt_id": "text",
        "supplier": "text",
        "sku": "text",
        "order_date": "date",
        "promised_date": "date",
        "ordered_qty": "number",
        "received_date": "date",
        "received_qty": "number",
        "unit_cost": "number",
        "currency": "text",
        "site": "text",
        "status": "text",
    },
    "orders": {
        "order_number": "text",
        "order_line": "text",
        "customer": "text",
        "sku": "text",
        "order_date": "date",
        "requested_date": "date",
        "shipped_date": "date",
        "ordered_qty": "number",
        "shipped_qty": "number",
        "unit_price": "number",
        "currency": "text",
        "site": "text",
        "status": "text",
    },
    "defects": {
        "defect_id": "text",
        "date": "date",
        "sku": "text",
        "supplier": "text",
        "po_number": "text",
        "stage": "text",
        "cause": "text",
        "qty": "number",
        "cost": "number",
        "disposition": "text",
        "site": "text",
        "currency": "text",
    },
    "inventory": {
        "date": "date",
        "sku": "text",
        "site": "text",
        "location": "text",
        "on_hand_qty": "number",
        "unit_cost": "number",
        "currency": "text",
    },
    "items": {
        "sku": "text",
        "description": "text",
        "category": "text",
        "container_qty": "number",
        "planned_lead_time_days": "number",
        "unit_cost": "number",
        "currency": "text",
    },
    "rates": {"currency": "text", "valid_from": "date", "rate": "number"},
}

# docs/metrics.md, "Currencies": each table's money column and the date its rate is taken on
# (None: the item master has no date, so the latest rate of the currency applies).
MONEY = {
    "deliveries": ("unit_cost", ("received_date", "order_date")),
    "orders": ("unit_price", ("order_date",)),
    "defects": ("cost", ("date",)),
    "inventory": ("unit_cost", ("date",)),
    "items": ("unit_cost", None),
}


# docs/metrics.md, "Reversals, returns and cancelled lines": statuses meaning cancelled,
# compared trimmed and in lower case. Rows with one are stored but count in no figure.
CANCELLED = {
    "cancelled",
    "canceled",
    "cancel",
    "2",
    "storniert",
    "storno",
    "annulliert",
    "deleted",
    "void",
    "voided",
}


# -- loading -------------------------------------------------------------------------------
def load_frames(store) -> dict[str, pd.DataFrame]:
    """The five canonical tables of a Store as DataFrames (without the import_id column)."""
    frames = {}
    with store.connect() as cur:
        for name in COLUMNS:  # fixed names, never user input
            df = cur.execute(f"select * from {name}").df()
            frames[name] = df.drop(columns=["import_id"], errors="ignore")
    return frames


def _normalise(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every table present with every column; dates as day-precision timestamps, numbers float.

    A missing table (the item master is optional) is an empty frame."""
    out = {}
    for name, cols in COLUMNS.items():
        df = frames.get(name)
        df = pd.DataFrame(columns=list(cols)) if df is None else df.copy()
        for col, kind in cols.items():
            if col not in df.columns:
                df[col] = None
            if kind == "date":
                df[col] = pd.to_datetime(df[col]).astype("datetime64[ns]").dt.normalize()
            elif kind == "number":
                df[col] = pd.to_numeric(df[col]).astype("float64")
            else:  # pandas' string dtype: missing is NaN, min / max run in C
                df[col] = df[col].astype("str")
        out[name] = df.reset_index(drop=True)
    return out


def _counted(frames: dict[str, pd.DataFrame], base: str = "EUR") -> dict[str, pd.DataFrame]:
    """The normalised tables without cancelled deliveries and orders (section 1a), money
    converted into the base currency `base`.

    READING: a status belongs to its row; a row without a status is not cancelled."""
    out = dict(frames)
    for name in ("deliveries", "orders"):
        df = frames[name]
        status = df.status.where(df.status.notna(), "").str.strip().str.lower()
        out[name] = df[~status.isin(CANCELLED)].reset_index(drop=True)
    return _converted(out, base)


def _rate_on(rates: pd.DataFrame, code: str, day) -> float | None:
    """The rate of `code` on `day`: the latest valid_from on or before it, else the undated
    one; `day` None (the item master): the latest of all. None when there is none.

    READING: an undated rate is stored valid from 1900-01-01, so "else the undated rate" is
    the same as "the latest valid_from on or before the day" for every day after 1900."""
    mine = rates[rates.currency.str.strip().str.upper() == code]
    if day is not None and not pd.isna(day):
        mine = mine[mine.valid_from <= day]
    if mine.empty:
        return None
    return float(mine.sort_values("valid_from").rate.iloc[-1])


def _converted(frames: dict[str, pd.DataFrame], base: str) -> dict[str, pd.DataFrame]:
    """Money columns in the base currency (docs/metrics.md, "Currencies"). A row in another
    currency is multiplied by its rate; without a rate its amount is unknown (NaN) and the
    row is marked `money_unconverted`. Converted rows get currency '' (= the base), so a
    second pass changes nothing."""
    out = dict(frames)
    rates = frames["rates"]
    rates = rates[rates.rate > 0]
    for name, (column, dates) in MONEY.items():
        df = frames[name].copy()
        if "money_unconverted" not in df.columns:
            df["money_unconverted"] = False
        codes = df.currency.where(df.currency.notna(), "").str.strip().str.upper()
        codes = codes.where(codes != "", base)
        for i in df.index[(codes != base) & df[column].notna()]:  # the few foreign rows
            day = None
            for col in dates or ():
                if pd.notna(df.at[i, col]):
                    day = df.at[i, col]
                    break
            rate = _rate_on(rates, codes[i], day)
            if rate is None:
                df.at[i, column] = np.nan
                df.at[i, "money_unconverted"] = True
            else:
                df.at[i, column] = df.at[i, column] * rate
        df["currency"] = ""
        out[name] = df
    return out


def _ts(value) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value).normalize()


# METRICS.md section 2: "received, shipped, order, defect and snapshot dates". Promised and
# requested dates are plans and are left out on purpose.
EVENT_DATES = {
    "deliveries": ("received_date", "order_date"),
    "orders": ("shipped_date", "order_date"),
    "defects": ("date",),
    "inventory": ("date",),
}


def default_as_of(frames: dict[str, pd.DataFrame]) -> pd.Timestamp | None:
    """The latest event date of any table: planned dates (promised, requested) never count.

    READING: over all stored data, before any filter, so a filter never moves as_of."""
    frames = _normalise(frames)
    latest = None
    for name, cols in EVENT_DATES.items():
        for col in cols:
            m = frames[name][col].max()
            if pd.notna(m) and (latest is None or m > latest):
                latest = m
    return latest


# -- unit cost -------------------------------------------------------------------------------
def unit_costs(frames: dict[str, pd.DataFrame]) -> pd.Series:
    """sku -> unit cost (METRICS.md section 1 and the decisions), NaN-free: unknown skus absent.

    1. items.unit_cost;
    2. else the mean of the non-empty inventory.unit_cost values (over its locations) of the
       sku's latest snapshot date that has one;
    3. else sum(received_qty x unit_cost) / sum(received_qty) over delivery rows with a
       received_date and a unit_cost;
    4. else unknown.

    READING: "computed once over all data" = over every stored row, ignoring the period, as_of
    and every filter (the supplier filter does not change a sku's cost; a snapshot or receipt
    dated after as_of still informs the cost). A sku whose received-cost rows weigh 0 in total
    (all received_qty 0) has no step-3 cost; reversals (negative received_qty) weigh
    negative, and a net of 0 or less gives no step-3 cost. Cancelled rows give no cost.
    """
    frames = _counted(_normalise(frames))
    items = frames["items"]
    step1 = items[items.unit_cost.notna()].groupby("sku").unit_cost.first()

    inv = frames["inventory"]
    inv = inv[inv.unit_cost.notna()]
    latest = inv.groupby("sku").date.transform("max")
    step2 = inv[inv.date == latest].groupby("sku").unit_cost.mean()

    dl = frames["deliveries"]
    dl = dl[dl.received_date.notna() & dl.unit_cost.notna() & dl.received_qty.notna()]
    qty = dl.groupby("sku").received_qty.sum()
    money = (dl.received_qty * dl.unit_cost).groupby(dl.sku).sum()
    step3 = (money[qty > 0] / qty[qty > 0]).dropna()

    cost = step1.copy()
    for later in (step2, step3):
        extra = later[~later.index.isin(cost.index)]
        cost = pd.concat([cost, extra])
    return cost.astype("float64")


# -- helpers ---------------------------------------------------------------------------------
def _ratio(num: float, den: float) -> float | None:
    """A ratio whose denominator is empty or zero is null, never 0 or 1."""
    if den is None or num is None or den == 0 or (isinstance(den, float) and math.isnan(den)):
        return None
    return float(num) / float(den)


def _money_sum(values: pd.Series, needs: pd.Series | None = None) -> float | None:
    """Sum of money values, leaving out those that need an unknown unit cost (NaN).

    READING (the decisions say such values are "left out of sums ... never counted as 0"):
    a sum over no rows is 0.0 (no defects: COPQ 0); a sum whose every row needs an unknown
    cost is unknown, None; a mix sums the known part. `needs` marks the rows whose value needs
    a cost at all (a quantity of 0 is worth 0 whatever the cost); default: every row."""
    needs = pd.Series(True, index=values.index) if needs is None else needs
    known = values.notna() & needs
    if needs.any() and not known.any():
        return None
    return float(values[known].sum())


def _cost_of(skus: pd.Series, cost: pd.Series) -> pd.Series:
    """The unit cost of each sku in `skus` (NaN = unknown), always float."""
    return skus.map(cost).astype("float64")


def _days(value: float) -> pd.Timedelta:
    return pd.Timedelta(days=float(value))


def _in(dates: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    return dates.notna() & (dates >= start) & (dates <= end)


def _kept_by_date(dates: list, nets: list) -> list[float]:
    """How much of each date's net quantity is left once reversals are netted (section 1a).

    Dates in order; a positive net is put on a stack, a negative net takes back from the top
    of the stack (the latest receipts first); what it cannot take back is a debt that the
    next positive nets pay first. What stays on the stack is kept."""
    stack: list[list] = []  # [index of the date, quantity left]
    debt = 0.0
    for i, qty in enumerate(nets):
        if qty > 0:
            paid = min(debt, qty)
            debt -= paid
            if qty - paid > 0:
                stack.append([i, qty - paid])
        elif qty < 0:
            owed = -qty
            while owed > 0 and stack:
                take = min(owed, stack[-1][1])
                stack[-1][1] -= take
                owed -= take
                if stack[-1][1] == 0:
                    stack.pop()
            debt += owed
    kept = [0.0] * len(dates)
    for i, qty in stack:
        kept[i] = qty
    return kept


def _netted_receipts(d: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per PO line: delivered (kept) quantity, first and last receipt date, and per receipt
    date the kept quantity, from rows with r_date / r_qty (receipts by as_of)."""
    per_date = (
        d[d.r_date.notna()].groupby([*keys, "r_date"], dropna=False).r_qty.sum().reset_index()
    )
    per_date = per_date.sort_values([*keys, "r_date"], kind="stable")
    kept = []
    for _key, group in per_date.groupby(keys, dropna=False, sort=False):
        kept += _kept_by_date(list(group.r_date), list(group.r_qty))
    per_date["kept"] = kept
    return per_date[per_date.kept > 0]


def _line_table(deliveries: pd.DataFrame, as_of: pd.Timestamp, settings: dict) -> pd.DataFrame:
    """One row per PO line (po_number, po_line) with the quantities of METRICS.md section 3.

    A line's order date, promised date, supplier and sku are the earliest / smallest of its
    rows (decisions). READING: ordered_qty must agree over the rows (section 1); the smallest
    is taken. Receipts count only when received on or before as_of; a row with a receipt date
    but no quantity counts as a receipt of 0 units. Reversals are netted (section 1a,
    `_kept_by_date`): receipt dates are those that keep quantity; delivered and on-time
    quantities are the kept quantities; a line keeping none has no receipt.
    """
    late_tol = _days(settings["late_tolerance_days"])
    early_tol = _days(settings["early_tolerance_days"])
    tol = float(settings["in_full_tolerance"])
    keys = ["po_number", "po_line"]
    d = deliveries.copy()
    got = d.received_date.notna() & (d.received_date <= as_of)
    d["r_date"] = d.received_date.where(got)
    d["r_qty"] = d.received_qty.fillna(0.0).where(got, 0.0)
    lines = d.groupby(keys, dropna=False).agg(
        supplier=("supplier", "min"),
        sku=("sku", "min"),
        site=("site", "min"),
        order_date=("order_date", "min"),
        promised=("promised_date", "min"),
        qty=("ordered_qty", "min"),
    )
    kept = _netted_receipts(d, keys).join(lines.promised, on=keys)
    by_line = kept.groupby(keys, dropna=False)
    lines["delivered"] = by_line.kept.sum().reindex(lines.index, fill_value=0.0)
    lines["first_receipt"] = by_line.r_date.min().reindex(lines.index)
    lines["last_receipt"] = by_line.r_date.max().reindex(lines.index)
    # on_time_qty: kept on dates on or before P + late tolerance, P being the line's promise.
    on_time = kept.kept.where(kept.r_date <= kept.promised + late_tol, 0.0)
    lines["on_time_qty"] = (
        on_time.groupby([kept[k] for k in keys]).sum().reindex(lines.index, fill_value=0.0)
    )
    lines["has_receipt"] = lines.last_receipt.notna()
    need = lines.qty * (1.0 - tol)
    lines["complete"] = lines.delivered >= need
    lines["ot"] = lines.has_receipt & (lines.last_receipt <= lines.promised + late_tol)
    lines["otif"] = lines.on_time_qty >= need
    lines["early"] = lines.has_receipt & (lines.first_receipt < lines.promised - early_tol)
    lines["lead"] = (lines.last_receipt - lines.order_date).dt.days.astype("float64")
    return lines.reset_index()


# -- the KPIs --------------------------------------------------------------------------------
def _scope(frames, start, end, as_of, sku, category, settings, site=None) -> dict:
    """The normalised frames, settings, as_of, period, unit costs and the sku filter."""
    frames = _normalise(frames)
    for name in ("deliveries", "orders", "defects", "inventory"):
        # METRICS.md 1a: a row without a site belongs to the one site ''.
        frames[name]["site"] = frames[name].site.fillna("")
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    as_of = _ts(as_of) if as_of is not None else default_as_of(frames)
    # READING: cancelled rows still date the data (as_of)
    frames = _counted(frames, settings.get("currency", "EUR"))
    if as_of is None:  # READING: a store without any date: judge as of today
        as_of = pd.Timestamp.today().normalize()
    # READING: the brief says start defaults to as_of - 364 and end to as_of, each on its own.
    # Only "neither given" is documented ([as_of - 364, as_of]); with only `end` given this
    # reading gives a period that is not 365 days long, while compute_kpis takes end - 364.
    # The cross-check therefore always passes both or neither.
    end = _ts(end) if end is not None else as_of
    start = _ts(start) if start is not None else as_of - pd.Timedelta(days=364)

    # Filters. sku and category apply to every table; supplier only to what carries one;
    # site to every table with a site (all but the item master; a PO line's is its rows').
    cat_skus = None
    if category is not None:
        items = frames["items"]
        cat_skus = set(items.loc[items.category == category, "sku"])

    def by_sku(df: pd.DataFrame) -> pd.DataFrame:
        keep = pd.Series(True, index=df.index)
        if sku is not None:
            keep &= df.sku == sku
        if cat_skus is not None:
            keep &= df.sku.isin(cat_skus)
        if site is not None and "site" in df.columns:
            keep &= df.site == site
        return df[keep]

    return {
        "frames": frames,
        "settings": settings,
        "as_of": as_of,
        "start": start,
        "end": end,
        "days": (end - start).days + 1,
        "cost": unit_costs(frames),
        "by_sku": by_sku,
    }


def kpis_reference(
    frames: dict[str, pd.DataFrame],
    *,
    start=None,
    end=None,
    as_of=None,
    supplier=None,
    sku=None,
    settings=None,
    category=None,
    site=None,
) -> dict:
    """The 17 headline KPIs of a period; rates as fractions 0..1, None when undefined.

    `category` (the item master's category of the sku) is an extra filter beyond the brief,
    applied like `sku`; a sku without an item-master row has no category. `site` keeps the
    rows of one site (section 1a), of every table that has one.
    """
    sc = _scope(frames, start, end, as_of, sku, category, settings, site)
    frames, settings, by_sku, cost = sc["frames"], sc["settings"], sc["by_sku"], sc["cost"]
    start, end, as_of, days = sc["start"], sc["end"], sc["as_of"], sc["days"]
    out = {}
    out.update(_delivery_kpis(frames["deliveries"], by_sku, supplier, start, end, as_of, settings))
    out.update(_quality_kpis(frames, by_sku, supplier, cost, start, end, as_of))
    out.update(_inventory_kpis(frames, by_sku, cost, start, end, as_of, days, settings))
    out["hhi"] = _hhi(frames["deliveries"], by_sku, supplier, cost, start, end, as_of)
    return {key: out[key] for key in KPI_KEYS}


def waste_reference(
    frames: dict[str, pd.DataFrame],
    *,
    start=None,
    end=None,
    as_of=None,
    sku=None,
    settings=None,
    category=None,
    site=None,
) -> dict:
    """The Inventory line of the waste ledger and dead stock's write-off exposure (section 6).

    inventory = excess_value x holding_cost_rate x days / 365; the value of dead stock is
    not added (dead stock is all excess). write_off_exposure = the on-hand value of the dead
    skus at as_of, a stock beside the ledger. Stock ignores the supplier filter.
    READING: dead skus of unknown cost are left out of the exposure; when every dead sku's
    cost is unknown the exposure is unknown (None); no dead sku: 0.
    """
    sc = _scope(frames, start, end, as_of, sku, category, settings, site)
    settings = sc["settings"]
    stock = _stock_position(sc["frames"], sc["by_sku"], sc["cost"], sc["as_of"], settings)
    excess = _money_sum(stock.excess * stock.price, stock.excess != 0)
    rate = float(settings["holding_cost_rate"])
    dead = stock[stock.dead]
    return {
        "inventory": None if excess is None else excess * rate * sc["days"] / 365,
        "write_off_exposure": _money_sum(dead.on_hand * dead.price),
        "dead_skus": len(dead),
    }


def _delivery_kpis(deliveries, by_sku, supplier, start, end, as_of, settings) -> dict:
    lines = _line_table(deliveries, as_of, settings)
    # Filters and "nothing ordered after as_of has happened" act on the line's attributes.
    lines = lines[lines.order_date <= as_of]
    lines = by_sku(lines)
    if supplier is not None:
        lines = lines[lines.supplier == supplier]

    in_period = _in(lines.promised, start, end)
    due = lines[in_period & (lines.complete | (lines.promised < as_of))]
    n_due = len(due)
    received = due[due.has_receipt]
    out = {
        "otif_rate": _ratio(due.otif.sum(), n_due),
        "on_time_rate": _ratio(due.ot.sum(), n_due),
        "in_full_rate": _ratio(due.complete.sum(), n_due),
        "early_rate": _ratio(received.early.sum(), len(received)),
    }
    # Lead time: lines with a receipt whose last receipt is in the period, due or not.
    lead = lines.loc[lines.has_receipt & _in(lines.last_receipt, start, end), "lead"]
    lead = lead.to_numpy(dtype="float64")
    out["lead_time_mean_days"] = float(np.mean(lead)) if len(lead) else None
    out["lead_time_sd_days"] = float(np.std(lead, ddof=1)) if len(lead) >= 2 else None
    out["lead_time_p95_days"] = float(np.quantile(lead, 0.95)) if len(lead) else None
    return out


def _received_rows(deliveries, by_sku, supplier, start, end, as_of) -> pd.DataFrame:
    """Receipt rows (delivery rows with a received date) in the period and on or before as_of.

    READING: receipt-level figures (PPM denominator, spend) filter on the receipt row's own
    supplier and sku (in well-formed data they equal the line's)."""
    d = by_sku(deliveries)
    if supplier is not None:
        d = d[d.supplier == supplier]
    d = d[_in(d.received_date, start, end) & (d.received_date <= as_of)]
    d = d[d.order_date.isna() | (d.order_date <= as_of)]
    return d


def _quality_kpis(frames, by_sku, supplier, cost, start, end, as_of) -> dict:
    defects = by_sku(frames["defects"])
    defects = defects[_in(defects.date, start, end) & (defects.date <= as_of)]
    if supplier is not None:
        defects = defects[defects.supplier == supplier]
    # READING: "names a supplier" = supplier not null and not the empty string.
    named = defects[defects.supplier.notna() & (defects.supplier != "")]
    received = _received_rows(frames["deliveries"], by_sku, supplier, start, end, as_of)
    ppm = _ratio(named.qty.sum(), received.received_qty.fillna(0.0).sum())
    # COPQ: every stage; the row's cost, else qty x the sku's unit cost, else left out.
    # A recorded cost in a currency without a rate is unknown, never the sku's cost instead.
    copq = _money_sum(
        defects.cost.fillna(defects.qty * _cost_of(defects.sku, cost)).where(
            ~defects.money_unconverted.astype(bool)
        )
    )
    return {"defect_ppm": None if ppm is None else ppm * 1_000_000, "copq": copq}


def _inventory_kpis(frames, by_sku, cost, start, end, as_of, days, settings) -> dict:
    """Inventory and customer figures ignore the supplier filter (decisions)."""
    tol = float(settings["in_full_tolerance"])
    late_tol = _days(settings["late_tolerance_days"])
    out = {}

    # Average inventory value: per distinct snapshot date in the period, the sum over every
    # sku and location of on_hand x the sku's unit cost; then the mean over those dates.
    # READING: a date where no row has a known cost has no value (not 0) and is left out of
    # the mean; no valued date -> None. (On hand 0 is worth 0 whatever the cost.)
    inv = by_sku(frames["inventory"])
    inv = inv[inv.date <= as_of]
    snaps = inv[_in(inv.date, start, end)]
    value = (snaps.on_hand_qty * _cost_of(snaps.sku, cost)).where(snaps.on_hand_qty != 0, 0.0)
    per_date = value.groupby(snaps.date).sum(min_count=1).dropna()
    avg_value = float(per_date.mean()) if len(per_date) else None
    out["avg_inventory_value"] = avg_value

    # COGS: shipped_qty x unit cost over order lines shipped in the period (and by as_of).
    orders = by_sku(frames["orders"])
    orders = orders[orders.order_date <= as_of].copy()
    shipped_ok = orders.shipped_date.notna() & (orders.shipped_date <= as_of)
    orders["shipped"] = orders.shipped_qty.fillna(0.0).where(shipped_ok, 0.0)
    orders["ship_date"] = orders.shipped_date.where(shipped_ok)
    in_period = orders[_in(orders.ship_date, start, end)]
    cogs = _money_sum(in_period.shipped * _cost_of(in_period.sku, cost), in_period.shipped != 0)
    out["cogs"] = cogs
    # No shipment in the period (cogs 0) with stock on hand: turnover 0 and DIO undefined.
    turnover = None if cogs is None else _ratio(cogs, avg_value)
    turnover = None if turnover is None else turnover * 365 / days
    out["inventory_turnover"] = turnover
    out["dio_days"] = _ratio(365, turnover)

    # Customer service: section 3's rule with requested_date for P and shipped_qty.
    need = orders.ordered_qty * (1.0 - tol)
    orders["complete"] = orders.shipped >= need
    on_time = orders.ship_date.notna() & (orders.ship_date <= orders.requested_date + late_tol)
    orders["otif"] = orders.shipped.where(on_time, 0.0) >= need
    due = orders[
        _in(orders.requested_date, start, end) & (orders.complete | (orders.requested_date < as_of))
    ]
    filled = np.minimum(due.shipped, due.ordered_qty).sum()
    out["fill_rate"] = _ratio(filled, due.ordered_qty.sum())
    out["customer_otif_rate"] = _ratio(due.otif.sum(), len(due))

    stock = _stock_position(frames, by_sku, cost, as_of, settings)
    out["excess_value"] = _money_sum(stock.excess * stock.price, stock.excess != 0)
    return out


def _stock_position(frames, by_sku, cost, as_of, settings) -> pd.DataFrame:
    """Per sku at as_of: on_hand, d, excess (units), price (NaN = unknown) and dead.

    Excess: latest on hand (each site's latest snapshot date on or before as_of, summed
    over the sites and their locations; with a site filter only that site's) beyond
    target_cover_days x d, d = ordered qty in [as_of - 89, as_of] / 90 (of the site's
    orders, with a site filter).
    Dead: on hand > 0 and no order line of the sku dated in the last dead_stock_days days,
    [as_of - dead_stock_days + 1, as_of].
    READING: every sku with a snapshot on or before as_of counts, whether or not that
    snapshot is in the period; demand is every order line (shipped or not) by order date.
    """
    inv = by_sku(frames["inventory"])
    inv = inv[inv.date <= as_of]
    orders = by_sku(frames["orders"])
    orders = orders[orders.order_date <= as_of]
    latest = inv[inv.date == inv.groupby(["sku", "site"]).date.transform("max")]
    on_hand = latest.groupby("sku").on_hand_qty.sum()
    window = orders[_in(orders.order_date, as_of - pd.Timedelta(days=89), as_of)]
    d = window.groupby("sku").ordered_qty.sum().reindex(on_hand.index, fill_value=0.0) / 90
    dead_days = int(settings["dead_stock_days"])
    recent = orders[_in(orders.order_date, as_of - pd.Timedelta(days=dead_days - 1), as_of)]
    stock = pd.DataFrame({"on_hand": on_hand, "d": d})
    stock["excess"] = (stock.on_hand - float(settings["target_cover_days"]) * stock.d).clip(
        lower=0.0
    )
    stock["price"] = _cost_of(pd.Series(stock.index, index=stock.index), cost)
    stock["dead"] = (stock.on_hand > 0) & ~stock.index.isin(set(recent.sku))
    return stock


def _hhi(deliveries, by_sku, supplier, cost, start, end, as_of) -> float | None:
    """Sum of squared spend shares; spend = received_qty x the row's cost (else the sku's)."""
    rows = _received_rows(deliveries, by_sku, supplier, start, end, as_of)
    price = rows.unit_cost.fillna(_cost_of(rows.sku, cost))
    price = price.where(~rows.money_unconverted.astype(bool))  # no rate: unknown, not the sku's
    spend = (rows.received_qty.fillna(0.0) * price).dropna()  # unknown costs left out
    per_supplier = spend.groupby(rows.supplier[spend.index]).sum()
    total = per_supplier.sum()
    if not total > 0:
        return None
    return float(((per_supplier / total) ** 2).sum())
