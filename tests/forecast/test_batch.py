"""The forecast batch on a real store: weekly series from the orders, only changed skus
refitted, results stored and read back.

As of 2024-06-30 (the latest order date). Orders:
- STEADY: 10 units every Sunday for 40 weeks (06-30 back to 2023-09-24): 40 weeks of 10;
  every model is exact, naive (first) is chosen, WAPE 0, forecast 10 a week.
- YOUNG at site 2000: 5 on 06-16 (week 2: 14 days before as-of) and 7 on 06-28 (week 0):
  series 5, 0, 7 (week 1 empty); too short to test: the mean of the three weeks, 4.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from analytics.forecast.batch import refresh, weekly_series
from analytics.forecast.stored import accuracy, forecast_rows, history, weeks_ahead
from analytics.models.params import Scope, resolve
from tests.conftest import insert

AS_OF = date(2024, 6, 30)


def order(number, sku, day, qty, site=""):
    return {"order_number": number, "sku": sku, "site": site, "order_date": day,
            "requested_date": day, "ordered_qty": qty}  # fmt: skip


@pytest.fixture
def filled(store):
    steady = (order(f"S{k}", "STEADY", AS_OF - timedelta(days=7 * k), 10) for k in range(40))
    insert(store, "orders", *steady)
    insert(store, "orders", order("Y1", "YOUNG", date(2024, 6, 16), 5, "2000"))
    insert(store, "orders", order("Y2", "YOUNG", date(2024, 6, 28), 7, "2000"))
    return store


def test_weekly_series_fill_empty_weeks_with_zeros(filled):
    with filled.connect() as cur:
        series = weekly_series(cur, resolve(cur))
    assert series[("YOUNG", "2000")].tolist() == [5.0, 0.0, 7.0]
    assert series[("STEADY", "")].tolist() == [10.0] * 40


def test_refresh_stores_each_sku_and_refits_only_what_changed(filled):
    first = refresh(filled)
    assert (first.series, first.refitted, first.unchanged, first.removed) == (2, 2, 0, 0)
    rows = {r["sku"]: r for r in forecast_rows(filled)}
    steady, young = rows["STEADY"], rows["YOUNG"]
    assert (steady["model"], steady["wape"], steady["bias"], steady["fva"]) == ("Naive", 0, 0, 0)
    assert steady["as_of"] == AS_OF and steady["history_weeks"] == 40
    assert steady["backtest_demand"] == 160  # 4 origins x 4 weeks x 10
    assert list(steady["forecast"]) == [10.0] * 13
    assert young["model"] == "WindowAverage" and young["wape"] is None
    assert list(young["forecast"]) == [4.0] * 13 and young["site"] == "2000"

    again = refresh(filled)
    assert (again.refitted, again.unchanged) == (0, 2)
    # one more YOUNG order inside its weeks (as-of does not move): only YOUNG is refitted
    insert(filled, "orders", order("Y3", "YOUNG", date(2024, 6, 20), 3, "2000"))
    third = refresh(filled)
    assert (third.refitted, third.unchanged) == (1, 1)
    young = forecast_rows(filled, Scope(sku="YOUNG"))[0]
    assert list(young["forecast"]) == [5.0] * 13  # 5, 3, 7 over three weeks


def test_a_sku_without_demand_now_is_removed(filled):
    refresh(filled)
    with filled.connect() as cur:
        cur.execute("DELETE FROM orders WHERE sku = 'YOUNG'")
    done = refresh(filled)
    assert done.removed == 1 and [r["sku"] for r in forecast_rows(filled)] == ["STEADY"]


def test_stored_rows_read_back_as_weeks_history_and_overall_accuracy(filled):
    refresh(filled)
    steady = forecast_rows(filled, Scope(sku="STEADY"))[0]
    weeks = weeks_ahead(steady, horizon=2)
    assert weeks == [
        {"week": 1, "week_end": date(2024, 7, 7), "forecast": 10.0, "lo": 10.0, "hi": 10.0},
        {"week": 2, "week_end": date(2024, 7, 14), "forecast": 10.0, "lo": 10.0, "hi": 10.0},
    ]
    past = history(filled, "YOUNG", "2000", AS_OF)
    assert past == [
        {"week_end": date(2024, 6, 16), "demand": 5.0},
        {"week_end": date(2024, 6, 23), "demand": 0.0},
        {"week_end": date(2024, 6, 30), "demand": 7.0},
    ]
    # only STEADY was tested: WAPE 0 over 160 units, naive 0, FVA 0
    assert accuracy(forecast_rows(filled)) == {
        "wape": 0.0, "bias": 0.0, "naive_wape": 0.0, "fva": 0.0, "demand": 160.0, "skus": 1
    }  # fmt: skip


def test_reading_forecasts_never_loads_the_forecasting_library():
    import subprocess
    import sys

    code = (
        "import sys, analytics.forecast.stored, analytics.forecast.batch, analytics.cli.forecast,"
        " ui.cache, ui.data.importing, ui.pull.demand;"
        "print('statsforecast' in sys.modules, 'numba' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False False", done.stderr
