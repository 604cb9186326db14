"""Numbers as managers read them: units, sensible precision, and "no data" for nothing.

Money is shown in the currency setting (an ISO 4217 code, default EUR): the common codes by
their symbol, the others by their code. `SYMBOLS` is the one place a currency sign is
written; pages, charts, downloads and reports ask `money_prefix` for it.
"""

from __future__ import annotations

import re

DEFAULT_CURRENCY = "EUR"

# How an amount in these currencies opens; any other code opens with the code and a space.
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF "}


def currency_code(value) -> str:
    """An ISO 4217 code, upper-cased; refused unless it is three letters."""
    code = str(value or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(
            "currency must be an ISO 4217 code of three letters (EUR, USD, GBP, ...), "
            f"got {value!r}"
        )
    return code


def money_prefix(currency: str = DEFAULT_CURRENCY) -> str:
    """What an amount opens with: the sign of SYMBOLS, else the code and a space ('SEK ')."""
    return SYMBOLS.get(currency, f"{currency} ")


def money_format(currency: str = DEFAULT_CURRENCY, decimals: int = 0) -> str:
    """A printf format for a table column of amounts (Streamlit's NumberColumn)."""
    return f"{money_prefix(currency).replace('%', '%%')}%,.{decimals}f"


def money_label(label: str, currency: str = DEFAULT_CURRENCY) -> str:
    """A column or axis title with its unit: 'Spend ($)', 'Spend (SEK)'."""
    return f"{label} ({money_prefix(currency).strip()})"


def format_value(value, unit: str, currency: str = DEFAULT_CURRENCY) -> str:
    if value is None:
        return "no data"
    if unit == "rate":
        return f"{value:.1%}"
    if unit == "days":
        return f"{value:,.1f} d"
    if unit == "ppm":
        return f"{value:,.0f} ppm"
    if unit == "money":
        return format_money(value, currency)
    if unit == "index":
        return f"{value:.3f}"
    return f"{value:,.2f}×"


def format_money(value, currency: str = DEFAULT_CURRENCY) -> str:
    if value is None:
        return "no data"
    prefix, size = money_prefix(currency), abs(value)
    if size >= 1e6:
        return f"{prefix}{value / 1e6:,.2f}M"
    if size >= 1e4:
        return f"{prefix}{value / 1e3:,.1f}k"
    return f"{prefix}{value:,.0f}"


def format_delta(delta, unit: str, currency: str = DEFAULT_CURRENCY) -> str | None:
    """A change between two periods in the unit's own terms (rates in points)."""
    if delta is None:
        return None
    if unit == "rate":
        return f"{delta * 100:+.1f} pts"
    if unit == "money":
        return ("+" if delta >= 0 else "-") + format_money(abs(delta), currency)
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
