"""The demo's customer demand (analytics/demo/demand.py): two and a half years of orders, some
skus seasonal, some growing or fading, so the forecast's choice of model shows (issue 17).

The demo checks read customer_orders.csv and forecasts.parquet with pandas alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.demo.days import END, HISTORY_START
from analytics.demo.demand import FADING, GROWING, SEASONAL, profiles
from analytics.demo.forecasts import FORECASTS
from tests.demo_files import demo_frames

END_TS = pd.Timestamp(END)


def test_profiles_of_a_seasonal_and_a_flat_sku():
    skus = pd.DataFrame({"weight": np.linspace(0.6, 3.0, 120)})
    shape, kind = profiles(np.random.default_rng(5), skus)
    assert [int((kind == k).sum()) for k in (1, 2, 3)] == [SEASONAL, GROWING, FADING]
    assert (skus.weight[kind > 0] >= skus.weight.median()).all()  # the busier half
    assert (shape[kind == 0] == 1).all()
    # A seasonal sku is exp(k cos(angle - peak)) / I0(k): its mean over whole years is 1
    # (day 0 is START, 1 May 2025; 2 x 365 days from HISTORY_START cover two years).
    seasonal = shape[kind == 1][:, :730]
    assert seasonal.mean(axis=1) == pytest.approx(np.ones(SEASONAL), abs=0.01)
    peak_to_trough = seasonal.max(axis=1) / seasonal.min(axis=1)
    assert (peak_to_trough > np.exp(2 * 1.0) * 0.99).all()  # k >= 1: peak/trough >= e^2
    assert (peak_to_trough < np.exp(2 * 1.6) * 1.01).all()
    growing, fading = shape[kind == 2], shape[kind == 3]
    assert (growing[:, -1] > growing[:, 0]).all() and (fading[:, -1] < fading[:, 0]).all()


@pytest.fixture(scope="module")
def weekly() -> pd.DataFrame:
    """Ordered quantity per sku in 7-day buckets ending at END (as METRICS.md section 14),
    oldest first; cancelled lines left out."""
    o = demo_frames()["orders"]
    o = o[o.status != "cancelled"]
    back = (END_TS - o.order_date).dt.days // 7
    table = o.assign(back=back).pivot_table(
        index="back", columns="sku", values="ordered_qty", aggfunc="sum", fill_value=0
    )
    return table.reindex(range(int(back.max()) + 1), fill_value=0).iloc[::-1]


def test_the_order_history_holds_two_years_of_weeks(weekly):
    assert demo_frames()["orders"].order_date.min() == pd.Timestamp(HISTORY_START)
    assert len(weekly) >= 104 + 26  # seasonal naive needs 104 weeks; 2024-05-01 gives 130


def test_some_skus_repeat_last_years_demand(weekly):
    """A lag-52 autocorrelation of weekly demand above 0.3: this year's weeks follow last
    year's. Flat skus, the great majority, have none to speak of."""
    lag52 = pd.Series({s: weekly[s].autocorr(52) for s in weekly if weekly[s].std() > 0})
    assert (lag52 > 0.3).sum() >= 8
    assert lag52.median() < 0.15


def test_some_skus_grow_and_some_fade(weekly):
    """Last 52 weeks against the 52 before them; skus that went dead (nothing in the last 13
    weeks) are left out of the fading ones. The slowest fade is x0.70 a year (TREND), so
    below 0.6 is a fading sku, give or take its year's noise."""
    last, before = weekly.iloc[-52:].sum(), weekly.iloc[-104:-52].sum()
    alive = weekly.iloc[-13:].sum() > 0
    ratio = last / before.where(before > 0)
    assert (ratio > 1.8).sum() >= 8
    assert ((ratio < 0.6) & alive).sum() >= 8


def test_the_shipped_forecasts_choose_seasonal_naive_for_some_skus():
    models = pd.read_parquet(FORECASTS).drop_duplicates(["sku", "site"]).model.value_counts()
    assert models.get("SeasonalNaive", 0) >= 20  # none before the history reached 2 years
    assert models.get("Naive", 0) < models.sum() / 2
