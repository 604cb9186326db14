"""The demo's stock (analytics/demo/stock.py): a weekly pull towards the buffer section 7
sizes, so the Pull page's list on the demo is believable (issue 13).

The sizing is worked by hand; the demo's list is recomputed from the sample files with the
plain-pandas reading of section 11 (tests/pandas_reference_pull.py)."""

from __future__ import annotations

import math
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analytics.demo.days import FIRST_DAY, N_DAYS
from analytics.demo.stock import AIM, TRIGGER, Z, _buffer, _sizing, daily, lead_time
from analytics.metrics.replenish import replenishment
from analytics.models.params import Scope
from tests.demo_files import demo_frames
from tests.pandas_reference_pull import replenishment_reference


def test_lead_time_of_a_supplier_by_hand():
    """Quote 10 days, a day to the promise and one for receipt: 11. On time 80%: -1.225 days
    on average (E[d^2] 3.24); late 20%: 1 + floor(Exp(4)), mean 4.5, E[d^2] 16 + 20.25.
    mean = 0.8 x -1.225 + 0.2 x 4.5 = -0.08; E[d^2] = 2.592 + 7.25 = 9.842;
    sd = sqrt(2/3 + 9.842 - 0.0064) = 3.2407."""
    mean, sd = lead_time({"lead": 10, "p_on_time": 0.8, "late_scale": 4.0})
    assert mean == pytest.approx(10.92, abs=1e-9)
    assert sd == pytest.approx(math.sqrt(2 / 3 + 9.842 - 0.08**2), rel=1e-12)
    assert sd == pytest.approx(3.2407, abs=1e-4)


def test_sizing_from_the_90_days_before_each_day():
    """One order of 90 units the day before START: on START, d = 90 / 90 = 1 and
    sd = sqrt((90^2 / 90 - 1) x 90 / 89) = sqrt(90); 90 days later it has left the window."""
    ordered = np.zeros(N_DAYS - FIRST_DAY)
    ordered[-FIRST_DAY - 1] = 90.0
    d, sd = _sizing(ordered)
    assert (d[0], sd[0]) == (pytest.approx(1.0), pytest.approx(math.sqrt(90)))
    assert d[89] == pytest.approx(1.0) and (d[90], sd[90]) == (0.0, 0.0)


def test_the_buyers_trigger_and_aim_by_hand():
    """L = 9 +/- 2 days, d = 2, sd_d = 3, containers of 10: safety = 1.645 sqrt(9 x 9 + 4 x 4)
    = 1.645 x 9.8489 = 16.2014; reorder point 18 + 16.2014 = 34.2014; green max(10, 7 x 2)
    = 14. The buyer orders at 34.2014 + 0.15 x 14 = 36.3014 or less, up to 34.2014 + 0.75 x 14
    = 44.7014; a lean sku (plan 0.5) at half of both."""
    sku = SimpleNamespace(container=10, plan=1.0, excess=1.0)
    safety, trigger, aim = _buffer(sku, (9.0, 2.0), 2.0, 3.0)
    assert safety == pytest.approx(Z * math.sqrt(97), rel=1e-12)
    assert safety == pytest.approx(16.2014, abs=1e-4)
    assert (TRIGGER, AIM) == (0.15, 0.75)
    assert trigger == pytest.approx(36.3014, abs=1e-4)
    assert aim == pytest.approx(44.7014, abs=1e-4)
    lean = SimpleNamespace(container=10, plan=0.5, excess=1.0)
    assert _buffer(lean, (9.0, 2.0), 2.0, 3.0)[1:] == pytest.approx((trigger / 2, aim / 2))


def test_daily_leaves_out_days_outside_the_span():
    skus = pd.DataFrame({"sku": ["A", "B"]})
    rows = pd.DataFrame({"sku": ["A", "B", "A", "B"], "day": [0, 2, -1, N_DAYS], "qty": [5.0] * 4})
    out = daily(skus, rows.sku, rows.day, rows.qty)
    assert out.shape == (2, N_DAYS) and out.sum() == 10 and (out[0, 0], out[1, 2]) == (5, 5)


def _shares(statuses) -> dict[str, float]:
    """Each status's share of the sku-sites that have one (not enough data left out)."""
    counts = Counter(statuses)
    rated = sum(n for status, n in counts.items() if status != "not enough data")
    return {status: n / rated for status, n in counts.items()}


def test_the_demo_pull_list_is_believable():
    """On the demo's as-of date, as pandas reads the files: a few red, some yellow, most
    green, over well under green (the Waste page's overstocked skus among them)."""
    rows = replenishment_reference(demo_frames())
    share = _shares(r["status"] for r in rows.values())
    assert 0.03 <= share["red"] <= 0.10
    assert 0.10 <= share["yellow"] <= 0.25
    assert share["green"] > 0.5
    assert 0.1 <= share["over"] <= 0.3 and share["over"] < share["green"] / 2
    nothing = sum(r["status"] == "not enough data" for r in rows.values())
    assert nothing / len(rows) < 0.1
    greens = sum(r["status"] == "green" for r in rows.values())
    assert greens > len(rows) / 2  # most of the whole list, the rows without a status too


def test_the_demo_store_counts_the_same_statuses(demo):
    """The Pull page's list on the demo store (SQL) has the statuses the files give pandas,
    sku-site by sku-site: green the majority, red at most one in ten."""
    rows = {(r["sku"], r["site"]): r["status"] for r in replenishment(demo, Scope())}
    expected = {key: r["status"] for key, r in replenishment_reference(demo_frames()).items()}
    assert rows == expected
    share = _shares(rows.values())
    assert share["green"] > 0.5 and share["red"] <= 0.10
