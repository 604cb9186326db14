"""The analyst's settings (tolerances, service level, cut-offs), stored with the data.

Each setting has a default, a description and a range in `schema.SETTINGS`; a stored value
outside the range is refused before it is written.
"""

from __future__ import annotations

from analytics.store.schema import SETTINGS
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
    bump_version(cur)
