"""The analyst's settings (tolerances, service level, cut-offs, the currency), stored with
the data.

Each number setting has a default, a description and a range in `schema.SETTINGS`; a stored
value outside the range is refused before it is written. The text settings
(`schema.TEXT_SETTINGS`: the currency) live in their own table, so `settings` stays numbers.
"""

from __future__ import annotations

from analytics.formatting import currency_code
from analytics.store.schema import SETTINGS, TEXT_SETTINGS
from analytics.store.version import bump_version


def get_settings(cur) -> dict[str, float]:
    stored = dict(cur.execute("SELECT name, value FROM settings").fetchall())
    return {name: stored.get(name, default) for name, (default, *_r) in SETTINGS.items()}


def set_setting(cur, name: str, value: float) -> None:
    """Validate against the documented range; refuse names that are not settings."""
    if name not in SETTINGS:
        raise ValueError(f"unknown setting {name!r}")
    _default, _desc, low, high = SETTINGS[name]
    value = float(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    cur.execute("INSERT OR REPLACE INTO settings VALUES (?, ?, now())", [name, value])
    bump_version(cur, changed=())  # no table: the facts binding it are rebuilt


def get_currency(cur) -> str:
    """The base currency: every amount is converted into it, summed and shown in it."""
    row = cur.execute("SELECT value FROM text_settings WHERE name = 'currency'").fetchone()
    return row[0] if row else TEXT_SETTINGS["currency"][0]


def set_currency(cur, value: str) -> str:
    """Store an ISO 4217 code (upper-cased; anything but three letters refused) and bump the
    data version, so cached pages and stored facts follow; the code stored."""
    code = currency_code(value)
    cur.execute("INSERT OR REPLACE INTO text_settings VALUES ('currency', ?, now())", [code])
    bump_version(cur, changed=())  # no table: the facts binding it are rebuilt
    return code
