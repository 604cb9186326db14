"""Before/after verification of improvement actions (METRICS.md section 10)."""

from __future__ import annotations

import pytest
from scipy.stats import fisher_exact, mannwhitneyu

from analytics.review.effect import rate_effect, value_effect


def test_a_real_improvement_in_a_rate_is_verified():
    # OTIF 60 of 100 lines before, 90 of 100 after.
    effect = rate_effect(60, 100, 90, 100, higher_is_better=True)
    assert (effect.before, effect.after, effect.change) == (0.6, 0.9, pytest.approx(0.3))
    assert effect.p_value == pytest.approx(fisher_exact([[60, 40], [90, 10]]).pvalue)
    assert effect.p_value < 0.001 and effect.verdict == "verified"


def test_no_change_is_not_yet_significant():
    effect = rate_effect(60, 100, 63, 100, higher_is_better=True)
    assert effect.p_value > 0.5 and effect.verdict == "not yet significant"


def test_a_significant_change_the_wrong_way_is_worse():
    # defect rate (lower is better) went from 1% to 8% of units
    assert rate_effect(10, 1000, 80, 1000, higher_is_better=False).verdict == "worse"


def test_lead_time_shift_uses_medians_and_mann_whitney():
    before = [20, 22, 19, 25, 21, 23, 24, 20, 22, 26]
    after = [14, 15, 13, 16, 15, 14, 17, 13, 15, 16]
    effect = value_effect(before, after, higher_is_better=False)
    assert (effect.before, effect.after, effect.change) == (22.0, 15.0, -7.0)
    assert effect.p_value == pytest.approx(
        mannwhitneyu(before, after, alternative="two-sided").pvalue
    )
    assert effect.verdict == "verified"


def test_empty_sides_are_insufficient_data():
    assert rate_effect(0, 0, 5, 10, True).verdict == "insufficient data"
    assert value_effect([], [1.0], False).verdict == "insufficient data"
