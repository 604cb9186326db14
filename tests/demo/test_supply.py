"""The demo's suppliers (analytics/demo/supply.py): lateness that many lines share in a week,
so the weekly OTIF varies more than binomial chance and the Review page draws Laney's p'.

The demo figures are recomputed from the sample files with pandas (tests/demo_files.py and
the PO-line table of tests/pandas_reference.py), sigma_z and the limits by hand as METRICS.md
section 13 writes them, never by the app's own code."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.demo.days import START, iso_week
from analytics.demo.supply import SHOCK_WEEKS, weekly_shocks
from tests.demo_files import demo_frames
from tests.pandas_reference import DEFAULT_SETTINGS, _line_table, _scope


def test_weekly_shocks_average_one_and_christmas_is_a_bad_week():
    odds = weekly_shocks(np.random.default_rng(3))
    assert len(odds) == SHOCK_WEEKS and odds.mean() == pytest.approx(1.0, rel=1e-12)
    christmas = int(iso_week((date(2025, 12, 25) - START).days))
    assert odds[christmas] > 2 * np.median(odds)  # x3.0 on a lognormal week
    assert odds.std() > 0.5  # weeks differ: the over-dispersion the demo needs


def test_iso_weeks_start_on_mondays():
    # START is Thursday 2025-05-01: its week runs Mon 28 Apr to Sun 4 May; Mon 5 May is the next
    assert [int(iso_week(d)) for d in (0, 3, 4, 10, 11)] == [0, 0, 1, 1, 2]


def sigma_z_and_rule_1(due: pd.DataFrame) -> tuple[float, int, int]:
    """Weekly OTIF (by the Monday of the promise), Laney's sigma_z, and the weeks outside the
    p-chart's limits and outside Laney p' limits (METRICS.md sections 9 and 13)."""
    week = due.promised - pd.to_timedelta(due.promised.dt.day_of_week, unit="D")
    weeks = due.groupby(week).otif.agg(["sum", "size"])
    n, p = weeks["size"], weeks["sum"] / weeks["size"]
    p_bar = weeks["sum"].sum() / n.sum()
    s = np.sqrt(p_bar * (1 - p_bar) / n)
    z = (p - p_bar) / s
    sigma_z = float(np.abs(np.diff(z)).mean() / 1.128)
    return sigma_z, int((np.abs(z) > 3).sum()), int((np.abs(z) > 3 * sigma_z).sum())


def test_the_demo_weekly_otif_is_over_dispersed():
    """The default year (as-of the latest event date, 365 days back), lines due in it."""
    sc = _scope(demo_frames(), None, None, None, None, None, None)
    lines = _line_table(sc["frames"]["deliveries"], sc["as_of"], DEFAULT_SETTINGS)
    lines = lines[lines.order_date <= sc["as_of"]]
    in_period = lines.promised.between(sc["start"], sc["end"])
    due = lines[in_period & (lines.complete | (lines.promised < sc["as_of"]))]
    assert 0.87 < due.otif.mean() < 0.91  # the headline stays where it was (89.2%)
    sigma_z, p_chart, laney = sigma_z_and_rule_1(due)
    assert 1.3 < sigma_z < 3
    assert p_chart >= 2 and laney < p_chart  # Laney's wider limits flag fewer weeks


def test_sigma_z_of_a_hand_worked_series():
    """Three weeks of 100 lines with 90, 80, 90 OTIF: p-bar = 260/300; s = sqrt(p(1-p)/100)
    = 0.03399; z = 0.981, -1.961, 0.981; both |dz| = 0.1 / s = 2.942, / 1.128 -> sigma_z =
    2.608; no |z| above 3, nor above 3 sigma_z."""
    promised = pd.to_datetime(["2026-01-05"] * 100 + ["2026-01-12"] * 100 + ["2026-01-19"] * 100)
    otif = [True] * 90 + [False] * 10 + [True] * 80 + [False] * 20 + [True] * 90 + [False] * 10
    sigma_z, p_chart, laney = sigma_z_and_rule_1(pd.DataFrame({"promised": promised, "otif": otif}))
    p = 260 / 300
    s = np.sqrt(p * (1 - p) / 100)
    assert sigma_z == pytest.approx((0.9 - 0.8) / s / 1.128, rel=1e-12)
    assert sigma_z == pytest.approx(2.608, abs=1e-3) and (p_chart, laney) == (0, 0)
