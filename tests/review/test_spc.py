"""Control limits and run rules against published worked examples and hand-made series."""

from __future__ import annotations

import pytest

from analytics.review.spc import Point, flag_rules, p_chart, phased, xmr

# Montgomery, Introduction to Statistical Quality Control, orange-juice cans (Table 6.1):
# 30 samples of n = 50; p-bar = 347 / 1500 = 0.2313, UCL 0.4102, LCL 0.0524; samples 15
# and 23 are above the UCL.
CANS = [
    12,
    15,
    8,
    10,
    4,
    7,
    16,
    9,
    14,
    10,
    5,
    6,
    17,
    12,
    22,
    8,
    10,
    5,
    13,
    11,
    20,
    18,
    24,
    15,
    9,
    12,
    7,
    13,
    9,
    6,
]
# Montgomery, Example 6.5, mortgage loan processing costs: x-bar 300.5, MR-bar 7.79,
# UCL 321.22, LCL 279.78; no point is out of control.
LOANS = [
    310,
    288,
    297,
    298,
    307,
    303,
    294,
    297,
    308,
    306,
    294,
    299,
    297,
    299,
    314,
    295,
    293,
    306,
    301,
    304,
]


def test_textbook_p_chart():
    points = flag_rules(p_chart(CANS, [50] * 30))
    assert points[0].center == pytest.approx(0.2313, abs=1e-4)
    assert (points[0].ucl, points[0].lcl) == (
        pytest.approx(0.4102, abs=1e-4),
        pytest.approx(0.0524, abs=1e-4),
    )
    assert [p.index for p in points if p.rules] == [15, 23]


def test_p_chart_limits_vary_with_n_and_clip_at_zero():
    points = p_chart([1, 1, 10], [2, 50, 100])
    p_bar = 12 / 152
    assert points[0].lcl == 0.0 and points[0].ucl == pytest.approx(
        min(1, p_bar + 3 * (p_bar * (1 - p_bar) / 2) ** 0.5)
    )
    assert points[2].ucl == pytest.approx(p_bar + 3 * (p_bar * (1 - p_bar) / 100) ** 0.5)


def test_textbook_xmr_chart():
    points = flag_rules(xmr(LOANS))
    assert points[0].center == pytest.approx(300.5)
    assert (points[0].ucl, points[0].lcl) == (
        pytest.approx(321.22, abs=0.01),
        pytest.approx(279.78, abs=0.01),
    )
    assert not any(p.rules for p in points)


def _chart(z_scores):
    """A chart with centre 0 and sigma 1, so each value is its own z-score."""
    return [Point(i, z, 0.0, 1.0, 3.0, -3.0) for i, z in enumerate(z_scores, start=1)]


@pytest.mark.parametrize(
    ("rule", "series", "flagged"),
    [
        (1, [0.5, -0.2, 3.4, 0.1, -0.5], [3]),
        (2, [0.5, 2.3, -0.4, 2.5, 0.1, -2.1, 0.3], [4]),  # 2.3 and 2.5 of three points
        (3, [0.2, 1.4, 1.2, -0.3, 1.5, 1.1, 0.2, -1.5], [6]),  # 4 of points 2-6 above 1
        (4, [-0.1, 0.3, 0.5, 0.2, 0.9, 0.4, 0.1, 0.6, 0.8, -0.4], [9]),  # points 2-9 above
    ],
)
def test_each_rule_breaks_exactly_once(rule, series, flagged):
    points = flag_rules(_chart(series), rules=(rule,))
    assert [p.index for p in points if p.rules] == flagged
    assert all(p.rules == [rule] for p in points if p.rules)


def test_only_rule_one_by_default():
    series = [0.5, 2.3, -0.4, 2.5, 0.1, 3.2]
    assert [(p.index, p.rules) for p in flag_rules(_chart(series)) if p.rules] == [(6, [1])]
    assert [(p.index, p.rules) for p in flag_rules(_chart(series), (1, 2, 3, 4)) if p.rules] == [
        (4, [2]),
        (6, [1, 2]),
    ]


def test_phases_get_their_own_limits():
    values = [10, 11, 9, 10, 11, 2, 3, 2, 3, 2]
    points = phased(xmr, values, [0] * 5 + [1] * 5)
    assert points[0].center == pytest.approx(10.2) and points[5].center == pytest.approx(2.4)
    assert [p.index for p in points] == list(range(1, 11))
    assert not any(p.rules for p in points)  # split at the change, nothing is out of control
    # one chart over the step change: centre 6.3, sigma 2.66 x 2 / 3; the zone rules fire
    unsplit = flag_rules(xmr(values), (1, 2, 3, 4))
    assert [(p.index, p.rules) for p in unsplit if p.rules] == [
        (4, [2]),
        (5, [2, 3]),
        (8, [2]),
        (9, [3]),
        (10, [2, 3]),
    ]
