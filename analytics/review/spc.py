"""Statistical process control (METRICS.md sections 9 and 13): limits and run rules.

Pure functions over plain lists so the Review page, the `spc` command and the tests share
them. A chart is a list of points with their own limits (a p-chart's limits vary with n);
rules are judged on each point's distance from the centre in sigmas, so one rule engine
serves every chart type (XmR, p, Laney p', u). Phases (split at improvement actions) get
limits of their own. Rules 1-4 are Western Electric's; 5-8 are the Nelson tests that
Western Electric lacks (trend, alternation, stratification, mixture).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

XMR_FACTOR = 2.66  # 3 / d2 with d2 = 1.128 for moving ranges of two
RULE_NAMES = {
    1: "1 point beyond 3 sigma",
    2: "2 of 3 beyond 2 sigma on one side",
    3: "4 of 5 beyond 1 sigma on one side",
    4: "8 in a row on one side",
    5: "6 in a row steadily rising or falling",
    6: "14 in a row alternating up and down",
    7: "15 in a row within 1 sigma",
    8: "8 in a row beyond 1 sigma, none within",
}
WESTERN_ELECTRIC = (1, 2, 3, 4)
NELSON_EXTRA = (5, 6, 7, 8)
DEFAULT_RULES = (1,)
D2 = 1.128  # mean moving range of two / sigma


@dataclass
class Point:
    index: int  # 1-based position in the series
    value: float | None
    center: float
    sigma: float
    ucl: float
    lcl: float
    rules: list[int] = field(default_factory=list)
    sigma_z: float | None = None  # Laney p' only: the between-subgroup spread of z

    @property
    def z(self) -> float | None:
        if self.value is None or not self.sigma:
            return None
        return (self.value - self.center) / self.sigma


def xmr(values: list[float]) -> list[Point]:
    """Individuals chart: centre = mean, limits = mean +/- 2.66 x mean moving range."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return []
    center = sum(known) / len(known)
    ranges = [abs(b - a) for a, b in zip(known, known[1:], strict=False)]
    mr_bar = sum(ranges) / len(ranges)
    sigma = XMR_FACTOR * mr_bar / 3
    return [
        Point(i, v, center, sigma, center + 3 * sigma, center - 3 * sigma)
        for i, v in enumerate(values, start=1)
    ]


def p_chart(events: list[float], sizes: list[float]) -> list[Point]:
    """Proportions with varying n: p-bar +/- 3 sqrt(p-bar (1 - p-bar) / n_i), clipped to [0, 1]."""
    total_n = sum(n for n in sizes if n)
    if not total_n:
        return []
    p_bar = sum(e for e, n in zip(events, sizes, strict=True) if n) / total_n
    points = []
    for i, (e, n) in enumerate(zip(events, sizes, strict=True), start=1):
        sigma = math.sqrt(p_bar * (1 - p_bar) / n) if n else 0.0
        value = e / n if n else None
        points.append(
            Point(i, value, p_bar, sigma, min(1.0, p_bar + 3 * sigma), max(0.0, p_bar - 3 * sigma))
        )
    return points


def laney_sigma_z(events: list[float], sizes: list[float]) -> float | None:
    """sigma_z = mean |z_i - z_(i-1)| / 1.128 over the weeks with n (None below two)."""
    total_n = sum(n for n in sizes if n)
    if not total_n:
        return None
    p_bar = sum(e for e, n in zip(events, sizes, strict=True) if n) / total_n
    if p_bar in (0.0, 1.0):
        return None
    z = [
        (e / n - p_bar) / math.sqrt(p_bar * (1 - p_bar) / n)
        for e, n in zip(events, sizes, strict=True)
        if n
    ]
    if len(z) < 2:
        return None
    return sum(abs(b - a) for a, b in zip(z, z[1:], strict=False)) / (len(z) - 1) / D2


def laney_p(events: list[float], sizes: list[float]) -> list[Point]:
    """Laney p': the p-chart's sigma_i times sigma_z, for large n where a p-chart flags noise.

    limits_i = p-bar +/- 3 s_i sigma_z, clipped to [0, 1]; sigma_z = 1 is the p-chart.
    """
    points = p_chart(events, sizes)
    sigma_z = laney_sigma_z(events, sizes)
    if sigma_z is None:
        return points
    for point in points:
        point.sigma *= sigma_z
        point.sigma_z = sigma_z
        point.ucl = min(1.0, point.center + 3 * point.sigma)
        point.lcl = max(0.0, point.center - 3 * point.sigma)
    return points


def u_chart(events: list[float], sizes: list[float]) -> list[Point]:
    """Events per unit with varying n: u-bar +/- 3 sqrt(u-bar / n_i), floored at 0."""
    total_n = sum(n for n in sizes if n)
    if not total_n:
        return []
    u_bar = sum(e for e, n in zip(events, sizes, strict=True) if n) / total_n
    points = []
    for i, (e, n) in enumerate(zip(events, sizes, strict=True), start=1):
        sigma = math.sqrt(u_bar / n) if n else 0.0
        value = e / n if n else None
        points.append(Point(i, value, u_bar, sigma, u_bar + 3 * sigma, max(0.0, u_bar - 3 * sigma)))
    return points


def flag_rules(points: list[Point], rules=DEFAULT_RULES) -> list[Point]:
    """Mark each point with the rules it completes (the last point of a breaking run)."""
    z = [p.z for p in points]
    values = [p.value for p in points]
    for i, point in enumerate(points):
        if z[i] is None:
            continue
        point.rules = [r for r in sorted(set(rules)) if _breaks(r, z, i, values)]
    return points


def _breaks(rule: int, z: list, i: int, values: list | None = None) -> bool:
    if rule > 4:
        return _nelson(rule, z, i, values if values is not None else z)
    if rule == 1:
        return abs(z[i]) > 3
    if rule == 2:
        return _k_of_n_beyond(z, i, k=2, n=3, limit=2)
    if rule == 3:
        return _k_of_n_beyond(z, i, k=4, n=5, limit=1)
    if rule == 4:
        window = z[i - 7 : i + 1] if i >= 7 else []
        return (
            len(window) == 8
            and None not in window
            and (all(v > 0 for v in window) or all(v < 0 for v in window))
        )
    raise ValueError(f"unknown rule {rule}; rules are 1 to 8")


def _nelson(rule: int, z: list, i: int, values: list) -> bool:
    """Rules 5-8: trend and alternation read the plotted values, the others z."""
    if rule == 5:
        run = _window(values, i, 6)
        steps = [b - a for a, b in zip(run, run[1:], strict=False)] if run else []
        return bool(steps) and (all(s > 0 for s in steps) or all(s < 0 for s in steps))
    if rule == 6:
        run = _window(values, i, 14)
        steps = [b - a for a, b in zip(run, run[1:], strict=False)] if run else []
        return bool(steps) and all(a * b < 0 for a, b in zip(steps, steps[1:], strict=False))
    if rule == 7:
        run = _window(z, i, 15)
        return bool(run) and all(abs(v) < 1 for v in run)
    if rule == 8:
        run = _window(z, i, 8)
        return bool(run) and all(abs(v) > 1 for v in run)
    raise ValueError(f"unknown rule {rule}; rules are 1 to 8")


def _window(series: list, i: int, n: int) -> list:
    """The n values ending at i, or [] when fewer exist or one is missing."""
    window = series[i - n + 1 : i + 1] if i >= n - 1 else []
    return window if len(window) == n and None not in window else []


def _k_of_n_beyond(z: list, i: int, k: int, n: int, limit: float) -> bool:
    """k of the n points ending at i beyond `limit` sigma on i's side, i itself among them."""
    if i < n - 1 or abs(z[i]) <= limit:
        return False
    side = 1 if z[i] > 0 else -1
    window = z[i - n + 1 : i + 1]
    return sum(1 for v in window if v is not None and v * side > limit) >= k


def phased(build, series: list, phase_of: list[int], rules=DEFAULT_RULES) -> list[Point]:
    """Limits computed per phase; `build` makes a chart from one phase's slice of `series`."""
    points: list[Point] = []
    for phase in sorted(set(phase_of)):
        idx = [i for i, p in enumerate(phase_of) if p == phase]
        chart = flag_rules(build([series[i] for i in idx]), rules)
        for i, point in zip(idx, chart, strict=False):
            point.index = i + 1
            points.append(point)
    return sorted(points, key=lambda p: p.index)
