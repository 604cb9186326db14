"""Did an improvement work? The before/after tests of METRICS.md section 10.

Rates compare counts with Fisher's exact test on the 2x2 table (events / non-events,
before / after); lead time and lateness compare the values with a two-sided Mann-Whitney
test and report the median shift. "Verified" needs p < 0.05 *and* the wanted direction;
a significant change the wrong way is "worse".

scipy.stats takes 0.6 to 0.9 s to import (more on a busy machine), and the first page
verifies the actions of the "Since last review" panel: Fisher's test is computed here from
the hypergeometric probabilities (`fisher_p`, scipy's value to 1e-9), and scipy.stats is
imported only by the Mann-Whitney test, when it runs (issue 16).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import exp, lgamma, log1p
from statistics import median

ALPHA = 0.05


@dataclass
class Effect:
    before: float | None
    after: float | None
    change: float | None
    p_value: float | None
    verdict: str  # "verified", "not yet significant", "worse" or "insufficient data"
    n_before: int
    n_after: int


def _verdict(change, p_value, higher_is_better) -> str:
    if p_value is None:
        return "insufficient data"
    if p_value >= ALPHA or change == 0:
        return "not yet significant"
    better = change > 0 if higher_is_better else change < 0
    return "verified" if better else "worse"


def rate_effect(
    events_before: int, n_before: int, events_after: int, n_after: int, higher_is_better: bool
) -> Effect:
    """Events are the counted outcome (e.g. OTIF lines, defective units) out of n."""
    if not n_before or not n_after:
        return Effect(None, None, None, None, "insufficient data", n_before, n_after)
    before, after = events_before / n_before, events_after / n_after
    kept_before, kept_after = n_before - events_before, n_after - events_after
    p_value = fisher_p(events_before, kept_before, events_after, kept_after)
    change = after - before
    return Effect(
        before,
        after,
        change,
        p_value,
        _verdict(change, p_value, higher_is_better),
        n_before,
        n_after,
    )


def fisher_p(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test on the table [[a, b], [c, d]]: with the
    margins fixed, the probability of every table no more likely than the one seen (scipy's
    rule, its relative tolerance for ties included)."""
    row, col, n = a + b, a + c, a + b + c + d
    lowest, highest = max(0, col - (n - row)), min(row, col)

    def log_p(x: int) -> float:  # hypergeometric: x of the row's `row` draws in the column
        return _log_comb(col, x) + _log_comb(n - col, row - x) - _log_comb(n, row)

    cutoff = log_p(a) + log1p(1e-7)
    logs = (log_p(x) for x in range(lowest, highest + 1))
    return min(1.0, sum(exp(v) for v in logs if v <= cutoff))


def _log_comb(n: int, k: int) -> float:
    return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)


def value_effect(before: list[float], after: list[float], higher_is_better: bool) -> Effect:
    """Medians before and after, their shift, and the Mann-Whitney p-value."""
    if not before or not after:
        return Effect(None, None, None, None, "insufficient data", len(before), len(after))
    from scipy.stats import mannwhitneyu

    m_before, m_after = float(median(before)), float(median(after))
    p_value = float(mannwhitneyu(before, after, alternative="two-sided").pvalue)
    change = m_after - m_before
    return Effect(
        m_before,
        m_after,
        change,
        p_value,
        _verdict(change, p_value, higher_is_better),
        len(before),
        len(after),
    )
