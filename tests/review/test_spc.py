"""Control limits and run rules against published worked examples and hand-made series."""

from __future__ import annotations

import pytest

from analytics.review.spc import (
    Point,
    flag_rules,
    laney_p,
    laney_sigma_z,
    p_chart,
    phased,
    u_chart,
    xmr,
)

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


# Laney p': the weekly English A&E attendances seen within 4 hours, 20 weeks, tabulated in
# Mohammed MA, Panesar JS, Laney DB, Wilson R, "Statistical process control charts for
# attribute data involving very large sample sizes: a review of problems and solutions",
# BMJ Quality & Safety 2013;22:362-368 (doi:10.1136/bmjqs-2012-001373), shipped as the
# `nhs_accidents` data set of Anhøj's R package qicharts2. The limits below are those of
# qicharts2 0.8.1, `qic(i, r, n, data = nhs_accidents, chart = "pp")` (Laney's p' as in
# Laney 2002, Quality Engineering 14(4):531-537), as recorded in the test fixture
# test/fixtures/qicharts2.ts, case "nhs pp", of AUS-DOH-Safety-and-Quality/PowerBI-SPC.
# The plain p-chart ("nhs p" there) flags 16 of the 20 weeks; Laney's p' flags none.
NHS_SEEN = [266501, 264225, 276532, 281461, 269071, 261215, 270409, 279778, 270483, 270320]
NHS_SEEN += [267923, 271478, 255353, 256820, 261835, 259144, 255910, 260863, 264465, 260989]
NHS_ATTENDED = [280443, 276823, 291681, 296155, 282343, 275888, 283867, 295251, 284468, 282529]
NHS_ATTENDED += [279618, 283932, 266629, 268091, 276803, 271578, 266005, 273520, 278574, 273772]


def test_laney_p_reproduces_the_published_nhs_limits():
    points = flag_rules(laney_p(NHS_SEEN, NHS_ATTENDED))
    assert points[0].center == pytest.approx(0.95289971134419116, rel=1e-12)
    # (index, lcl, ucl) of weeks 1, 13 and 20 as qicharts2 gives them
    for index, lcl, ucl in (
        (1, 0.9401296441775141, 0.96566977851086822),
        (13, 0.93980301398912502, 0.96599640869925729),
        (20, 0.93997499652290417, 0.96582442616547814),
    ):
        point = points[index - 1]
        assert (point.lcl, point.ucl) == (
            pytest.approx(lcl, rel=1e-12),
            pytest.approx(ucl, rel=1e-12),
        )
    assert points[0].sigma_z == pytest.approx(10.6404, abs=1e-4)
    assert not any(p.rules for p in points)
    plain = flag_rules(p_chart(NHS_SEEN, NHS_ATTENDED))
    assert plain[0].lcl == pytest.approx(0.95169956464601502, rel=1e-12)  # qicharts2 "nhs p"
    assert len([p for p in plain if p.rules]) == 16


def test_laney_sigma_z_by_hand():
    # p-bar = 30 / 300 = 0.1; s = sqrt(0.1 x 0.9 / 100) = 0.03; z = -1, +2, -1;
    # moving ranges 3 and 3, mean 3; sigma_z = 3 / 1.128 = 2.6596
    assert laney_sigma_z([7, 16, 7], [100, 100, 100]) == pytest.approx(3 / 1.128)
    points = laney_p([7, 16, 7], [100, 100, 100])
    assert points[0].ucl == pytest.approx(0.1 + 3 * 0.03 * 3 / 1.128)  # 0.3394
    assert points[0].lcl == 0.0  # 0.1 - 0.2394 clipped at 0
    assert laney_sigma_z([0, 0], [10, 10]) is None  # p-bar 0: no spread to measure


def test_u_chart_by_hand():
    # u-bar = 9 / 4 = 2.25; n = 1: sigma 1.5, UCL 6.75, LCL 2.25 - 4.5 floored at 0;
    # n = 2: sigma sqrt(1.125) = 1.0607, UCL 5.432; value 6 / 2 = 3
    points = u_chart([2, 6, 1], [1, 2, 1])
    assert [p.value for p in points] == [2.0, 3.0, 1.0]
    assert (points[0].center, points[0].ucl, points[0].lcl) == (2.25, 6.75, 0.0)
    assert points[1].ucl == pytest.approx(2.25 + 3 * 1.125**0.5)
    assert u_chart([1], [0]) == []


@pytest.mark.parametrize(
    ("rule", "series", "flagged"),
    [
        (5, [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.3], [6]),  # six rising, then a fall
        (6, [0.1, 0.6] * 7 + [0.7], [14]),  # 14 alternating; the 15th rises after a rise
        (7, [0.5, -0.5] * 7 + [0.5, 1.5], [15]),  # 15 within 1 sigma, then one outside
        (8, [1.5, -1.5] * 4 + [0.5], [8]),  # 8 beyond 1 sigma on both sides
    ],
)
def test_each_nelson_rule_breaks_exactly_once(rule, series, flagged):
    points = flag_rules(_chart(series), rules=(rule,))
    assert [p.index for p in points if p.rules] == flagged
