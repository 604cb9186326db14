"""Fitting and backtesting the forecast candidates of METRICS.md section 14 with statsforecast.

The only module of Takt that imports statsforecast (and, through it, numba): it takes
seconds to load, so the app never imports it at start; `batch` loads it when a refresh runs.
Everything here works on plain arrays of weekly demand, oldest week first; the models are
statsforecast's, never hand-written. Each sku gets the candidates its pattern calls for,
a rolling-origin backtest (4 origins 4 weeks apart, each forecasting the next 4 weeks from
what was known then, every model refitted at each origin), the candidate with the lowest
WAPE, and that model's 13-week forecast with its 80% interval where the model gives one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from statsforecast.models import (
    ADIDA,
    TSB,
    AutoETS,
    CrostonOptimized,
    Naive,
    SeasonalNaive,
    WindowAverage,
)

from analytics.forecast.accuracy import Errors, choose, errors, fva, total

ORIGINS, STEP, TEST_WEEKS = 4, 4, 4  # the backtest: 4 origins, 4 weeks apart, 4 weeks ahead
WINDOW = 13  # weeks of the moving average; also the least history before the first origin
MIN_HISTORY = WINDOW + ORIGINS * STEP  # 29 weeks: shorter series are forecast untested
SEASON = 52
LEVEL = 80
INTERMITTENT_EMPTY_SHARE = 0.3

# Each candidate, made once: statsforecast's `forecast` keeps no state between calls.
# AutoETS is held to additive error without trend or season (simple exponential smoothing
# with optimised alpha and its intervals): the trend search costs 25x more per fit (about
# 9 ms against 0.34 ms, measured) and would put 20,000 skus past a quarter of an hour.
MODELS = {
    "Naive": Naive(),
    "SeasonalNaive": SeasonalNaive(season_length=SEASON),
    "WindowAverage": WindowAverage(window_size=WINDOW),
    "AutoETS": AutoETS(season_length=1, model="ANN"),
    "CrostonOptimized": CrostonOptimized(),
    "TSB": TSB(alpha_d=0.1, alpha_p=0.1),
    "ADIDA": ADIDA(),
}
WITH_INTERVALS = {"Naive", "SeasonalNaive", "AutoETS"}  # the others give a mean only


def is_intermittent(y: np.ndarray, xyz_y: float = 1.0) -> bool:
    """Z in XYZ (CV of the last 52 weeks above xyz_y, or fewer than 4 weeks with demand in
    them) or >= 30% empty weeks. A series younger than 52 weeks is judged on its own weeks:
    XYZ's zeros before a sku existed would make every new sku look intermittent."""
    last = y[-SEASON:]
    mean = last.mean()
    if (last > 0).sum() < 4 or mean <= 0 or last.std(ddof=1) / mean > xyz_y:
        return True
    return bool((y == 0).mean() >= INTERMITTENT_EMPTY_SHARE)


def candidates(y: np.ndarray, xyz_y: float = 1.0) -> list[str]:
    """The candidates of section 14 for this series, simplest first (ties go to the first)."""
    names = ["Naive"]
    if len(y) >= 2 * SEASON:
        names.append("SeasonalNaive")
    names += ["WindowAverage", "AutoETS"]
    if is_intermittent(y, xyz_y):
        names += ["CrostonOptimized", "TSB", "ADIDA"]
    return names


def predict(name: str, y: np.ndarray, h: int, intervals: bool = False) -> dict[str, np.ndarray]:
    """The model's mean forecast (and 80% band when asked and given), floored at 0."""
    if intervals and name in WITH_INTERVALS:
        out = MODELS[name].forecast(y=y, h=h, level=[LEVEL])
        return {
            "mean": np.maximum(out["mean"], 0.0),
            "lo": np.maximum(out[f"lo-{LEVEL}"], 0.0),
            "hi": np.maximum(out[f"hi-{LEVEL}"], 0.0),
        }
    return {"mean": np.maximum(MODELS[name].forecast(y=y, h=h)["mean"], 0.0)}


def origins(n: int) -> list[int]:
    """Where each backtest forecast starts: the weeks known then are y[:origin]."""
    return [n - STEP * k for k in range(ORIGINS, 0, -1)]


def backtest(y: np.ndarray, names: list[str]) -> dict[str, Errors]:
    """Each candidate's errors over all origins and weeks, refitted at every origin."""
    scored = {}
    for name in names:
        parts = []
        for origin in origins(len(y)):
            actual = y[origin : origin + TEST_WEEKS]
            parts.append(errors(actual, predict(name, y[:origin], TEST_WEEKS)["mean"]))
        scored[name] = total(parts)
    return scored


def forecast_series(y, xyz_y: float = 1.0, horizon: int = 13) -> dict:
    """The chosen model for one weekly series, its backtest accuracy and its forecast."""
    y = np.asarray(y, dtype=float)
    if len(y) < MIN_HISTORY:
        # Too short to test: a moving average of what there is, its accuracy unknown.
        window = min(WINDOW, len(y))
        mean = np.full(horizon, y[-window:].mean())
        return _result("WindowAverage", y, xyz_y, None, None, {"mean": mean})
    scored = backtest(y, candidates(y, xyz_y))
    chosen = choose(scored)
    out = predict(chosen, y, horizon, intervals=True)
    return _result(chosen, y, xyz_y, scored[chosen], scored["Naive"], out)


def _result(model, y, xyz_y, chosen: Errors | None, naive: Errors | None, out) -> dict:
    tested = chosen is not None
    return {
        "model": model,
        "history_weeks": len(y),
        "intermittent": is_intermittent(y, xyz_y),
        "wape": chosen.wape if tested else None,
        "bias": chosen.bias if tested else None,
        "naive_wape": naive.wape if tested else None,
        "fva": fva(naive, chosen) if tested else None,
        "backtest_demand": chosen.actual if tested else None,
        "backtest_abs_error": chosen.abs_error if tested else None,
        "backtest_error": chosen.error if tested else None,
        "naive_abs_error": naive.abs_error if tested else None,
        "forecast": [float(v) for v in out["mean"]],
        "lo": [float(v) for v in out["lo"]] if "lo" in out else None,
        "hi": [float(v) for v in out["hi"]] if "hi" in out else None,
    }


def _chunk(args: tuple[list, float, int]) -> list[dict]:
    series, xyz_y, horizon = args
    return [forecast_series(y, xyz_y, horizon) for y in series]


def forecast_many(
    series: list[np.ndarray],
    xyz_y: float = 1.0,
    horizon: int = 13,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    chunk: int = 250,
) -> list[dict]:
    """`forecast_series` for each series, in order; on several processes when there are
    many (each fit is independent), with `progress(done, total)` after each chunk."""
    progress = progress or (lambda done, n: None)
    workers = workers or os.cpu_count() or 1
    parts = [series[i : i + chunk] for i in range(0, len(series), chunk)]
    results: list[dict] = []
    if workers == 1 or len(parts) < 2:
        for part in parts:
            results += _chunk((part, xyz_y, horizon))
            progress(len(results), len(series))
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for out in pool.map(_chunk, [(p, xyz_y, horizon) for p in parts]):
            results += out
            progress(len(results), len(series))
    return results
