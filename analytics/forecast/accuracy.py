"""How wrong a forecast was (METRICS.md section 14): WAPE, bias and forecast value added.

Errors are kept as sums (absolute error, signed error, actual demand) so that origins,
weeks and skus add up exactly: a demand-weighted mean of per-sku WAPEs is the WAPE of the
summed errors over the summed demand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Errors:
    """Sums over the weeks a forecast was tested on."""

    abs_error: float = 0.0  # sum |actual - forecast|
    error: float = 0.0  # sum (forecast - actual): positive = forecast too high
    actual: float = 0.0  # sum actual

    def __add__(self, other: Errors) -> Errors:
        return Errors(
            self.abs_error + other.abs_error, self.error + other.error, self.actual + other.actual
        )

    @property
    def wape(self) -> float | None:
        """sum |actual - forecast| / sum actual; None when nothing was demanded."""
        return self.abs_error / self.actual if self.actual > 0 else None

    @property
    def bias(self) -> float | None:
        """sum (forecast - actual) / sum actual; None when nothing was demanded."""
        return self.error / self.actual if self.actual > 0 else None


def errors(actual, forecast) -> Errors:
    import numpy as np  # the backtest's, loaded already; not with the Overview (issue 16)

    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    return Errors(float(np.abs(a - f).sum()), float((f - a).sum()), float(a.sum()))


def total(parts: Iterable[Errors]) -> Errors:
    out = Errors()
    for part in parts:
        out = out + part
    return out


def choose(scored: dict[str, Errors]) -> str:
    """The candidate with the lowest WAPE. All share one actual demand, so this is the lowest
    absolute error, which also decides when nothing was demanded (WAPE undefined); a tie
    goes to the candidate listed first (the simpler one)."""
    return min(scored, key=lambda name: scored[name].abs_error)


def fva(naive: Errors, chosen: Errors) -> float | None:
    """Forecast value added: WAPE(naive) - WAPE(chosen); positive = better than naive."""
    if naive.wape is None or chosen.wape is None:
        return None
    return naive.wape - chosen.wape


def overall(rows: Iterable[dict]) -> dict[str, float | None]:
    """WAPE, bias and FVA over many skus, weighted by their backtest demand: the sums of
    their errors over the sum of their demand (rows as stored: backtest_abs_error,
    backtest_error, naive_abs_error, backtest_demand; rows without a backtest skipped)."""
    tested = [r for r in rows if r.get("backtest_demand") is not None]
    chosen = total(
        Errors(r["backtest_abs_error"], r["backtest_error"], r["backtest_demand"]) for r in tested
    )
    naive = total(Errors(r["naive_abs_error"], 0.0, r["backtest_demand"]) for r in tested)
    return {
        "wape": chosen.wape,
        "bias": chosen.bias,
        "naive_wape": naive.wape,
        "fva": fva(naive, chosen),
        "demand": chosen.actual,
        "skus": len(tested),
    }
