"""Figures as people read them: values in their units, deltas, and the status against a target."""

from __future__ import annotations

import pytest

from analytics.formatting import (
    SYMBOLS,
    currency_code,
    format_delta,
    format_money,
    format_value,
    money_format,
    money_label,
    money_prefix,
    status,
)
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.9156, "rate", "91.6%"),
        (None, "rate", "no data"),
        (14.51, "days", "14.5 d"),
        (1620.2, "ppm", "1,620 ppm"),
        (2_831_368.9, "money", "€2.83M"),
        (88_883, "money", "€88.9k"),
        (950.4, "money", "€950"),
        (6.8155, "ratio", "6.82×"),
        (0.1004, "index", "0.100"),
    ],
)
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text


def test_deltas_and_status():
    assert format_delta(0.012, "rate") == "+1.2 pts"
    assert format_delta(-25_000, "money") == "-€25.0k"
    assert [
        status(0.96, 0.95, True),
        status(0.93, 0.95, True),
        status(0.80, 0.95, True),
        status(None, 0.95, True),
        status(40, 45, False),
    ] == ["good", "watch", "bad", "unknown", "good"]


@pytest.mark.parametrize(
    ("currency", "small", "large", "column", "label"),
    [
        ("EUR", "€950", "€2.83M", "€%,.0f", "Spend (€)"),
        ("USD", "$950", "$2.83M", "$%,.0f", "Spend ($)"),
        ("GBP", "£950", "£2.83M", "£%,.0f", "Spend (£)"),
        ("JPY", "¥950", "¥2.83M", "¥%,.0f", "Spend (¥)"),
        ("CHF", "CHF 950", "CHF 2.83M", "CHF %,.0f", "Spend (CHF)"),
        ("SEK", "SEK 950", "SEK 2.83M", "SEK %,.0f", "Spend (SEK)"),
    ],
)
def test_amounts_in_each_currency(currency, small, large, column, label):
    assert format_money(950.4, currency) == small
    assert format_value(2_831_368.9, "money", currency) == large
    assert money_format(currency) == column
    assert money_label("Spend", currency) == label


def test_money_deltas_and_cents_carry_the_currency():
    assert format_delta(-25_000, "money", "CHF") == "-CHF 25.0k"
    assert format_delta(120, "money", "USD") == "+$120"
    assert money_format("GBP", 2) == "£%,.2f"
    assert money_prefix("NOK") == "NOK "
    assert set(SYMBOLS) == {"EUR", "USD", "GBP", "JPY", "CHF"}


@pytest.mark.parametrize(("given", "code"), [("eur", "EUR"), (" usd ", "USD"), ("Chf", "CHF")])
def test_a_currency_code_is_upper_cased(given, code):
    assert currency_code(given) == code


@pytest.mark.parametrize("given", ["", None, "EU", "EURO", "€", "US$", "12A", "E U"])
def test_anything_but_three_letters_is_refused(given):
    with pytest.raises(ValueError, match="ISO 4217 code of three letters"):
        currency_code(given)


# Product names in the demo's German item master ("Rundstahl C45 (€/kg)"): data, not a format.
SIGNS_ALLOWED = {"analytics/demo/plant.py"}


def test_currency_signs_are_written_only_in_the_formatting_table():
    """No page, chart, report or command writes a currency sign itself: each asks
    analytics.formatting, so the currency setting reaches every figure."""
    found = []
    for path in sorted(
        p
        for folder in ("analytics", "ui", "pages")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in (".py", ".sql")
    ) + [ROOT / "app.py"]:
        rel = path.relative_to(ROOT).as_posix()
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(sign in text for sign in "€£¥") and rel not in SIGNS_ALLOWED:
                found.append(f"{rel}:{number}: {text.strip()}")
    table = [f"analytics/formatting.py:{n}" for n in _symbols_lines()]
    assert [f for f in found if f.split(": ")[0] not in table] == []
    assert len(table) == 1  # the one line of SYMBOLS


def _symbols_lines() -> list[int]:
    text = (ROOT / "analytics" / "formatting.py").read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(text, 1) if line.startswith("SYMBOLS = {")]
