"""The forecast batch: after orders are imported, refit the skus whose weekly series changed.

Run by `python -m analytics forecast --refresh`, by `load` and the Data page after a load,
and by the demo loader; never on a page rerun. The store is leased only to read the series
and to write the results: the fitting, which can take a minute, holds no lease, so the app
and other commands go on meanwhile. A sku's series is its weekly demand at one site from
its first week with an order up to the week ending at as_of (at most 156 weeks); its
fingerprint covers as_of and every week, so a moved as_of refits every sku (its weeks moved).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyarrow as pa

from analytics.models.params import resolve
from analytics.models.run import run_rows
from analytics.store.version import bump_keeping_facts

MAX_WEEKS = 156
HORIZON = 13
# Loaded by name when a refresh runs, so importing this module (the Data page and the
# command line do) never loads statsforecast and numba, which take seconds.
ENGINE = "analytics.forecast.engine"
COLUMNS = (
    "history_weeks", "intermittent", "model", "wape", "bias", "naive_wape", "fva",
    "backtest_demand", "backtest_abs_error", "backtest_error", "naive_abs_error",
    "forecast", "lo", "hi",
)  # fmt: skip


@dataclass(frozen=True)
class Refresh:
    """What a refresh did: series seen, refitted, kept (unchanged) and removed (no demand)."""

    as_of: object
    series: int
    refitted: int
    unchanged: int
    removed: int


def weekly_series(cur, params: dict) -> dict[tuple[str, str], np.ndarray]:
    """Each sku and site's weekly demand, oldest week first, zeros for weeks without orders,
    from its first week with an order (within MAX_WEEKS) to the week ending at as_of."""
    series: dict[tuple[str, str], np.ndarray] = {}
    rows = run_rows(cur, "demand_weekly", params)
    first: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r["sku"], r["site"])
        first[key] = max(first.get(key, 0), r["week_no"])
    for key, oldest in first.items():
        series[key] = np.zeros(oldest + 1)
    for r in rows:
        y = series[(r["sku"], r["site"])]
        y[len(y) - 1 - r["week_no"]] = float(r["qty"])
    return series


def fingerprint(as_of, y: np.ndarray) -> str:
    return hashlib.sha256(f"{as_of}|{','.join(repr(float(v)) for v in y)}".encode()).hexdigest()


def refresh(store, progress: Callable[[int, int], None] | None = None, force=False) -> Refresh:
    """Refit what changed since the last refresh (everything with `force`) and store it."""
    with store.connect() as cur:
        params = resolve(cur)
        series = weekly_series(cur, params)
        stored = dict(
            cur.execute("SELECT sku || chr(0) || site, fingerprint FROM forecasts").fetchall()
        )
    as_of = params["as_of"]
    prints = {key: fingerprint(as_of, y) for key, y in series.items()}
    todo = [k for k in sorted(series) if force or stored.get("\0".join(k)) != prints[k]]
    gone = [k for k in stored if tuple(k.split("\0", 1)) not in series]
    engine = importlib.import_module(ENGINE) if todo else None
    results = (
        engine.forecast_many([series[k] for k in todo], params["xyz_y"], HORIZON, progress)
        if todo
        else []
    )
    if todo or gone:
        _write(store, as_of, [(k, prints[k], r) for k, r in zip(todo, results, strict=True)], gone)
    return Refresh(as_of, len(series), len(todo), len(series) - len(todo), len(gone))


def _write(store, as_of, fitted: list, gone: list[str]) -> None:
    """Replace the refitted skus' rows and drop those without demand now, in one
    transaction; the rows go in as one Arrow table (20,000 executemany rows take seconds)."""
    now = datetime.now().replace(microsecond=0)
    keys = [k for k, _, _ in fitted] + [tuple(k.split("\0", 1)) for k in gone]
    new = {
        "sku": [k[0] for k, _, _ in fitted],
        "site": [k[1] for k, _, _ in fitted],
        "as_of": [as_of] * len(fitted),
        **{c: [r[c] for _, _, r in fitted] for c in COLUMNS},
        "fingerprint": [fp for _, fp, _ in fitted],
        "computed_at": [now] * len(fitted),
    }
    with store.writer() as cur:
        cur.register("forecast_keys", pa.table({"sku": [k[0] for k in keys],
                                                "site": [k[1] for k in keys]}))  # fmt: skip
        cur.register("new_forecasts", pa.table(new, schema=ARROW_SCHEMA))
        try:
            cur.execute("BEGIN")
            cur.execute(
                "DELETE FROM forecasts AS f USING forecast_keys AS k "
                "WHERE f.sku = k.sku AND f.site = k.site"
            )
            cur.execute("INSERT INTO forecasts BY NAME SELECT * FROM new_forecasts")
            bump_keeping_facts(cur)  # cached pages show the new forecasts; stored facts stay
            cur.execute("COMMIT")
        except Exception:
            cur.execute("ROLLBACK")
            raise
        finally:
            cur.unregister("forecast_keys")
            cur.unregister("new_forecasts")


_LIST = pa.list_(pa.float64())
ARROW_SCHEMA = pa.schema(
    [("sku", pa.string()), ("site", pa.string()), ("as_of", pa.date32()),
     ("history_weeks", pa.int32()), ("intermittent", pa.bool_()), ("model", pa.string()),
     *((c, pa.float64()) for c in COLUMNS[3:11]),
     ("forecast", _LIST), ("lo", _LIST), ("hi", _LIST),
     ("fingerprint", pa.string()), ("computed_at", pa.timestamp("us"))]
)  # fmt: skip


def refresh_forecasts(store, progress: Callable[[int, int], None] | None = None) -> Refresh:
    """The batch as the app runs it after an import (`ui.writes`, editors only)."""
    return refresh(store, progress)
