"""Before/after verification of improvement actions (METRICS.md section 10)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from scipy.stats import fisher_exact, mannwhitneyu

from analytics.review.effect import fisher_p, rate_effect, value_effect


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


def test_fisher_p_by_hand():
    # Fisher's tea tasting: [[3, 1], [1, 3]], margins 4/4 of 8. The tables x = 0..4 in the
    # first cell have probabilities C(4,x)C(4,4-x)/C(8,4) = 1, 16, 36, 16, 1 in 70. The one
    # seen (x = 3) has 16/70; those no more likely: x = 0, 1, 3, 4, so p = 34/70.
    assert fisher_p(3, 1, 1, 3) == pytest.approx(34 / 70, rel=1e-12)
    # The most likely table (x = 2 of 36/70) counts every table: p = 1.
    assert fisher_p(2, 2, 2, 2) == pytest.approx(1.0, rel=1e-12)
    # One extreme: [[4, 0], [0, 4]] and its mirror, 2 tables of 1/70.
    assert fisher_p(4, 0, 0, 4) == pytest.approx(2 / 70, rel=1e-12)


@pytest.mark.parametrize(
    "table",
    [
        [[60, 40], [90, 10]],
        [[2, 8], [10, 0]],
        [[30, 970], [2, 998]],
        [[10, 990], [80, 920]],
        [[0, 5], [5, 0]],
        [[0, 0], [3, 4]],
        [[1, 9], [11, 3]],
        [[412, 6588], [371, 6629]],  # a demo-sized OTIF count, where ties would show
        [[7, 0], [0, 0]],
    ],
)
def test_fisher_p_is_scipys_two_sided_value(table):
    (a, b), (c, d) = table
    assert fisher_p(a, b, c, d) == pytest.approx(
        fisher_exact(table, alternative="two-sided").pvalue, rel=1e-9, abs=1e-300
    )


def test_verifying_a_rate_does_not_import_scipy():
    # The first page verifies the demo's action (a rate): scipy.stats would cost it ~0.8 s.
    code = (
        "import sys; from analytics.review.effect import rate_effect; "
        "rate_effect(3, 10, 9, 10, True); print('scipy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
