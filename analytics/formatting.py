"""Numbers as managers read them: units, sensible precision, and "no data" for nothing."""

from __future__ import annotations

CURRENCY = "€"


def format_value(value, unit: str) -> str:
    if value is None:
        return "no data"
    if unit == "rate":
        return f"{value:.1%}"
    if unit == "days":
        return f"{value:,.1f} d"
    if unit == "ppm":
        return f"{value:,.0f} ppm"
    if unit == "money":
        return format_money(value)
    if unit == "index":
        return f"{value:.3f}"
    return f"{value:,.2f}×"


def format_money(value) -> str:
    if value is None:
        return "no data"
    size = abs(value)
    if size >= 1e6:
        return f"{CURRENCY}{value / 1e6:,.2f}M"
    if size >= 1e4:
        return f"{CURRENCY}{value / 1e3:,.1f}k"
    return f"{CURRENCY}{value:,.0f}"


def format_delta(delta, unit: str) -> str | None:
    """A change between two periods in the unit's own terms (rates in points)."""
    if delta is None:
        return None
    if unit == "rate":
        return f"{delta * 100:+.1f} pts"
    if unit == "money":
        return ("+" if delta >= 0 else "-") + format_money(abs(delta))
    if unit == "days":
        return f"{delta:+,.1f} d"
    if unit == "ppm":
        return f"{delta:+,.0f} ppm"
    if unit == "index":
        return f"{delta:+.3f}"
    return f"{delta:+,.2f}"


def status(value, target, higher_is_better: bool, margin: float = 0.05) -> str:
    """'good' at or beyond target, 'watch' within `margin` of it (relative), else 'bad'."""
    if value is None or target is None:
        return "unknown"
    gap = (value - target) if higher_is_better else (target - value)
    if gap >= 0:
        return "good"
    return "watch" if abs(gap) <= margin * max(abs(target), 1e-9) else "bad"
