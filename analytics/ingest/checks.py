"""The checks an import runs on its typed rows, as SQL conditions with their messages.

Column checks find values that could not be typed; rule checks find values that break the
data contract (negative quantities, receipts before orders, dates after today).
"""

from __future__ import annotations

from datetime import date, timedelta

from analytics.ingest.cast import DATE_FORMATS_TEXT
from analytics.store.schema import DATE, NUMBER, TABLES


def column_checks(kind: str, mapped: set[str]) -> list[tuple[str, str, str]]:
    """(column, condition on the typed row, reason) for types, required values and minimums."""
    checks = []
    for col in TABLES[kind].columns:
        if col.name not in mapped:
            continue
        if col.type == DATE:
            checks.append(
                (
                    col.name,
                    f"r_{col.name} IS NOT NULL AND {col.name} IS NULL",
                    f"not a valid date (expected {DATE_FORMATS_TEXT})",
                )
            )
        if col.type == NUMBER:
            checks.append(
                (col.name, f"r_{col.name} IS NOT NULL AND {col.name} IS NULL", "not a number")
            )
        if col.required:
            checks.append((col.name, f"r_{col.name} IS NULL", "required value is missing"))
        if col.minimum is not None:
            op, word = ("<=", "greater than 0") if col.strict_minimum else ("<", "0 or more")
            checks.append((col.name, f"{col.name} {op} {col.minimum}", f"must be {word}"))
    return checks


def rule_checks(kind: str, mapped: set[str], today: date) -> list[tuple[str, str, str]]:
    """METRICS.md's rules between columns, plus dates that cannot be true yet."""
    tomorrow = (today + timedelta(days=1)).isoformat()
    horizon = (today + timedelta(days=730)).isoformat()
    events = {
        "deliveries": ["received_date", "order_date"],
        "orders": ["shipped_date", "order_date"],
        "defects": ["date"],
        "inventory": ["date"],
        "items": [],
        "rates": [],  # a rate may apply from any day, past or coming
    }[kind]
    plans = {"deliveries": ["promised_date"], "orders": ["requested_date"]}.get(kind, [])
    checks = []
    for col in events:
        checks.append((col, f"{col} > DATE '{tomorrow}'", f"date is in the future (after {today})"))
    for col in plans:
        checks.append((col, f"{col} > DATE '{horizon}'", "date is more than two years ahead"))
    for col in events + plans:
        checks.append((col, f"{col} < DATE '1970-01-01'", "date is before 1970"))
    for col, reason in {
        "deliveries": [
            ("received_date", "received before it was ordered"),
            ("promised_date", "promised before it was ordered"),
        ],
        "orders": [
            ("shipped_date", "shipped before it was ordered"),
            ("requested_date", "requested before it was ordered"),
        ],
    }.get(kind, []):
        checks.append((col, f"{col} < order_date", f"{reason} (order date ' || order_date || ')"))
    if kind == "deliveries":
        checks += [
            (
                "received_qty",
                "received_qty IS NOT NULL AND received_date IS NULL",
                "a received quantity needs a receipt date",
            ),
            (
                "received_date",
                "received_date IS NOT NULL AND received_qty IS NULL",
                "a receipt date needs a received quantity",
            ),
        ]
    if kind == "orders":
        checks.append(
            (
                "shipped_qty",
                "shipped_qty > 0 AND shipped_date IS NULL",
                "a shipped quantity needs a ship date",
            )
        )
    if kind == "defects":
        checks.append(
            (
                "stage",
                "stage NOT IN ('receiving', 'production', 'customer')",
                "stage must be receiving, production or customer",
            )
        )
    return [c for c in checks if c[0] in mapped or c[0] in ("stage",) and kind == "defects"]
