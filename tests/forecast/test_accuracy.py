"""WAPE, bias and FVA (METRICS.md section 14) by hand, and against a pandas reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.forecast.accuracy import Errors, choose, errors, fva, overall, total


def test_errors_of_one_forecast_by_hand():
    # actual 10, 0, 5; forecast 8, 2, 5: |err| 2 + 2 + 0 = 4; forecast - actual -2 + 2 + 0 = 0
    e = errors([10, 0, 5], [8, 2, 5])
    assert (e.abs_error, e.error, e.actual) == (4.0, 0.0, 15.0)
    assert e.wape == pytest.approx(4 / 15)
    assert e.bias == 0.0


def test_no_demand_has_no_wape_and_the_choice_falls_to_the_smaller_error():
    flat, zero = errors([0, 0], [1, 1]), errors([0, 0], [0, 0])
    assert flat.wape is None and flat.bias is None
    assert choose({"Naive": flat, "WindowAverage": zero}) == "WindowAverage"
    assert fva(flat, zero) is None


def test_a_tie_goes_to_the_first_candidate_and_fva_is_naive_minus_chosen():
    naive, ets = Errors(6, 6, 20), Errors(4, -2, 20)
    assert choose({"Naive": naive, "AutoETS": Errors(6, 0, 20)}) == "Naive"
    # WAPE naive 6/20 = 0.3, chosen 4/20 = 0.2: FVA 0.1
    assert fva(naive, ets) == pytest.approx(0.1)


def test_overall_is_demand_weighted():
    # sku A: |err| 10 over demand 100 (WAPE 0.1), naive |err| 20; sku B: |err| 30 over 50
    # (0.6), naive 25; untested C skipped. WAPE (10 + 30) / 150 = 0.2667, not (0.1 + 0.6) / 2;
    # bias (5 - 15) / 150; naive 45 / 150 = 0.3; FVA 0.3 - 0.2667 = 0.0333.
    rows = [
        {"backtest_abs_error": 10, "backtest_error": 5, "naive_abs_error": 20,
         "backtest_demand": 100},
        {"backtest_abs_error": 30, "backtest_error": -15, "naive_abs_error": 25,
         "backtest_demand": 50},
        {"backtest_abs_error": None, "backtest_error": None, "naive_abs_error": None,
         "backtest_demand": None},
    ]  # fmt: skip
    got = overall(rows)
    assert got["wape"] == pytest.approx(40 / 150)
    assert got["bias"] == pytest.approx(-10 / 150)
    assert got["naive_wape"] == pytest.approx(45 / 150)
    assert got["fva"] == pytest.approx(5 / 150)
    assert got["skus"] == 2


def test_wape_and_bias_match_pandas_over_origins_weeks_and_skus():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "sku": np.repeat(["A", "B", "C"], 16),
            "actual": rng.poisson(8, 48).astype(float),
            "forecast": rng.uniform(0, 15, 48),
        }
    )
    frame["abs_err"] = (frame["actual"] - frame["forecast"]).abs()
    frame["err"] = frame["forecast"] - frame["actual"]
    ref = frame.groupby("sku")[["abs_err", "err", "actual"]].sum()
    per_sku = {
        sku: errors(g["actual"], g["forecast"]) for sku, g in frame.groupby("sku", sort=True)
    }
    for sku, e in per_sku.items():
        assert e.wape == pytest.approx(ref.loc[sku, "abs_err"] / ref.loc[sku, "actual"])
        assert e.bias == pytest.approx(ref.loc[sku, "err"] / ref.loc[sku, "actual"])
    all_ = total(per_sku.values())
    assert all_.wape == pytest.approx(frame["abs_err"].sum() / frame["actual"].sum())
    assert all_.bias == pytest.approx(frame["err"].sum() / frame["actual"].sum())
