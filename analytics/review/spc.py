"""Statistical process control (METRICS.md section 9): limits and Western Electric rules.

Pure functions over plain lists so the Review page, the `spc` command and the tests share
them. A chart is a list of points with their own limits (a p-chart's limits vary with n);
rules are judged on each point's distance from the centre in sigmas, so one rule engine
serves both chart types. Phases (split at improvement actions) get limits of their own.
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
}
DEFAULT_RULES = (1,)


@dataclass
class Point:
    index: int  # 1-based position in the series
    value: float | None
    center: float
    sigma: float
    ucl: float
    lcl: float
    rules: list[int] = field(default_factory=list)

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


def flag_rules(points: list[Point], rules=DEFAULT_RULES) -> list[Point]:
    """Mark each point with the rules it completes (the last point of a breaking run)."""
    z = [p.z for p in points]
    for i, point in enumerate(points):
        if z[i] is None:
            continue
        point.rules = [r for r in sorted(set(rules)) if _breaks(r, z, i)]
    return points


def _breaks(rule: int, z: list, i: int) -> bool:
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
    raise ValueError(f"unknown rule {rule}; rules are 1, 2, 3 and 4")


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
