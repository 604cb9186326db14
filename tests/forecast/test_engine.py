"""The candidates, the rolling-origin backtest and the choice (METRICS.md section 14), on
series whose answers are known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analytics.forecast.engine import (
    MODELS,
    backtest,
    candidates,
    forecast_many,
    forecast_series,
    is_intermittent,
    origins,
    predict,
)

# Weeks 0-12 at 10, then four test blocks (origins 13, 17, 21, 25).
SMALL = [10.0] * 13 + [12, 8, 10, 14] + [10] * 4 + [20, 0, 10, 10] + [10] * 4


def test_constant_demand_every_model_is_exact():
    y = np.full(110, 10.0)  # over two years: seasonal naive is a candidate too
    assert candidates(y) == ["Naive", "SeasonalNaive", "WindowAverage", "AutoETS"]
    for name, e in backtest(y, list(MODELS)).items():
        assert (e.abs_error, e.error, e.actual) == (pytest.approx(0), pytest.approx(0), 160.0), name
    out = forecast_series(y)
    assert out["model"] == "Naive" and out["wape"] == 0 and out["bias"] == 0 and out["fva"] == 0
    assert out["forecast"] == [10.0] * 13 and out["lo"] == [10.0] * 13


def test_backtest_arithmetic_by_hand():
    # Naive repeats the week before each origin: 10, 14, 10, 10.
    #   origin 13: actual 12, 8, 10, 14 vs 10: |err| 2+2+0+4 = 8, f - a = -4
    #   origin 17: actual 10 x4 vs 14: |err| 16, +16; origin 21: 20, 0, 10, 10 vs 10: 20, 0
    #   origin 25: 0, 0. Total |err| 44, error 12, demand 44+40+40+40 = 164.
    # WindowAverage (13 weeks): origin 13: mean 10 -> |err| 8, -4; origins 17, 21, 25: every
    #   window holds 134 over 13 weeks (mean 134/13 = 10.31): |err| 16/13, 268/13, 16/13,
    #   error +16/13 each. Total |err| 8 + 300/13 = 404/13, error -4 + 48/13 = -4/13.
    y = np.array(SMALL)
    assert origins(len(y)) == [13, 17, 21, 25]
    scored = backtest(y, ["Naive", "WindowAverage"])
    naive, mean = scored["Naive"], scored["WindowAverage"]
    assert (naive.abs_error, naive.error, naive.actual) == (44, 12, 164)
    assert naive.wape == pytest.approx(44 / 164)  # 0.2683
    assert naive.bias == pytest.approx(12 / 164)  # 0.0732
    assert mean.abs_error == pytest.approx(404 / 13)
    assert mean.wape == pytest.approx(404 / 2132)  # 0.1895
    assert mean.bias == pytest.approx(-4 / 2132)  # -0.0019
    # FVA of the moving average: 0.2683 - 0.1895 = 168 / 2132 = 0.0788
    assert naive.wape - mean.wape == pytest.approx(168 / 2132)


def test_intermittent_croston_beats_the_mean():
    # 12 units every 4th week, 40 weeks; origins 24, 28, 32, 36 each see 0, 0, 0, 12.
    # Croston: sizes 12, intervals 4 -> 3 a week whatever its alpha: |err| 3+3+3+9 = 18 per
    #   origin over 12: WAPE 1.5, bias 0. The 13-week mean holds 4 demands: 48/13 = 3.69:
    #   |err| 3 x 48/13 + (12 - 48/13) = 252/13 per origin: WAPE 252/156 = 1.615, bias
    #   (4 x 48/13 - 12)/12 = 36/156. Naive repeats the 12 of the week before: WAPE 3.
    y = np.array([0.0, 0, 0, 12] * 10)
    assert is_intermittent(y)  # 75% empty weeks
    scored = backtest(y, candidates(y))
    assert scored["CrostonOptimized"].wape == pytest.approx(1.5)
    assert scored["CrostonOptimized"].bias == pytest.approx(0)
    assert scored["WindowAverage"].wape == pytest.approx(252 / 156)
    assert scored["WindowAverage"].bias == pytest.approx(36 / 156)
    assert scored["Naive"].wape == pytest.approx(3)
    out = forecast_series(y)
    assert out["model"] == "CrostonOptimized"
    assert out["fva"] == pytest.approx(1.5)  # 3 - 1.5
    assert out["forecast"] == pytest.approx([3.0] * 13)
    assert out["lo"] is None  # Croston gives no interval


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        # Demand sizes 10, 20, 12 every 2nd week (intervals 2, 2, 2: their forecast is 2
        # whatever alpha). Simple exponential smoothing starts at the first size, so its
        # squared errors are (20 - 10)^2 + (12 - 10 - 10a)^2, least at a = 2/10 = 0.2, inside
        # the optimiser's bounds [0.1, 0.3]. The size forecast is then
        # 0.2 x 12 + 0.8 x (0.2 x 20 + 0.8 x 10) = 2.4 + 9.6 = 12, and Croston's 12 / 2 = 6.
        # ADIDA sums blocks of the mean interval (2 weeks): 10, 20, 12, the same smoothing:
        # 12 per 2 weeks, 6 a week.
        ([0.0, 10, 0, 20, 0, 12], 6.0),
        # Sizes 10, 20, 30: the least error wants a = 20/10 = 2, so the bound 0.3 is taken:
        # 0.3 x 30 + 0.7 x (0.3 x 20 + 0.7 x 10) = 9 + 9.1 = 18.1 per 2 weeks, 9.05 a week.
        ([0.0, 10, 0, 20, 0, 30], 9.05),
    ],
)
def test_optimised_smoothing_of_croston_and_adida_by_hand(y, expected):
    # statsforecast 2.0 searches alpha with scipy's bounded Brent (tolerance 1e-5 in alpha),
    # 1.7.8 with L-BFGS-B from the lower bound: both find these minima, so rel=1e-4.
    for name in ("CrostonOptimized", "ADIDA"):
        mean = predict(name, np.array(y), 3)["mean"]
        assert mean == pytest.approx([expected] * 3, rel=1e-4), name


def test_seasonal_series_seasonal_naive_wins():
    season = [100 + round(50 * math.sin(2 * math.pi * k / 52)) for k in range(52)]
    y = np.array((season * 3)[:120], dtype=float)
    assert "SeasonalNaive" in candidates(y)
    out = forecast_series(y)
    assert out["model"] == "SeasonalNaive"
    assert out["wape"] == 0 and out["bias"] == 0 and out["fva"] > 0
    # week 1 ahead is week 120, whose season index is 120 % 52 = 16
    assert out["forecast"][:3] == [season[16], season[17], season[18]]
    bands = zip(out["lo"], out["forecast"], out["hi"], strict=True)
    assert all(lo <= f <= hi for lo, f, hi in bands)


def test_seasonal_naive_needs_two_years():
    assert "SeasonalNaive" not in candidates(np.full(103, 5.0))


def test_too_short_to_test_forecasts_the_mean_untested():
    out = forecast_series(np.array([4.0, 6, 8]))  # 3 weeks < 29
    assert out["model"] == "WindowAverage" and out["wape"] is None and out["fva"] is None
    assert out["forecast"] == [6.0] * 13


def test_many_in_processes_give_what_one_at_a_time_gives():
    rng = np.random.default_rng(5)
    series = [rng.poisson(6, 40).astype(float) for _ in range(6)]
    seen = []
    many = forecast_many(series, workers=2, chunk=2, progress=lambda d, n: seen.append((d, n)))
    assert [m["model"] for m in many] == [forecast_series(y)["model"] for y in series]
    assert seen == [(2, 6), (4, 6), (6, 6)]
