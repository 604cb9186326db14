"""Settings: their defaults, their validation and storing them."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.metrics.figures import scorecard
from analytics.models.params import Scope
from analytics.store.connection import Store
from analytics.store.schema import SETTINGS
from analytics.store.settings import get_currency, get_settings, set_currency, set_setting
from analytics.store.version import current_version
from tests.store.test_tables import old_store


def test_settings_have_their_defaults_and_are_validated(store):
    with store.connect() as cur:
        settings = get_settings(cur)
        assert settings["service_level"] == 0.95 and settings["early_tolerance_days"] == 2
        assert set(settings) == set(SETTINGS)
        set_setting(cur, "service_level", 0.98)
        assert get_settings(cur)["service_level"] == 0.98
        with pytest.raises(ValueError, match="service_level must be between 0.5 and 0.9999"):
            set_setting(cur, "service_level", 1.5)
        with pytest.raises(ValueError, match="unknown setting 'colour'"):
            set_setting(cur, "colour", 1)


def test_the_currency_is_a_validated_text_setting_that_moves_the_data_version(store):
    with store.connect() as cur:
        assert get_currency(cur) == "EUR"  # the default
        before = current_version(cur)
        assert set_currency(cur, " usd ") == "USD"
        assert get_currency(cur) == "USD" and current_version(cur) == before + 1
        for bad in ("US", "dollar", "€", "", "1AB"):
            with pytest.raises(ValueError, match="ISO 4217 code of three letters"):
                set_currency(cur, bad)
        assert get_currency(cur) == "USD"  # nothing refused was stored
        # the number settings stay numbers: the currency is not among them
        assert "currency" not in get_settings(cur)
        assert cur.execute("SELECT name, value FROM text_settings").fetchall() == [
            ("currency", "USD")
        ]


def test_a_store_from_before_currencies_opens_with_them(tmp_path):
    old_store(tmp_path / "old.duckdb")  # no currency column, no rates, no text settings
    store = Store(tmp_path / "old.duckdb", lock_timeout=20)
    try:
        with store.connect() as cur:
            assert get_currency(cur) == "EUR"
            assert cur.execute("SELECT count(*) FROM rates").fetchone() == (0,)
            # the old receipt is in the base currency (blank), valued 100 x 2.5 as before
            assert cur.execute("SELECT currency FROM deliveries").fetchall() == [("",)]
        (acme,) = scorecard(store, Scope(date(2024, 2, 1), date(2024, 2, 29)))
        assert (acme["supplier"], acme["spend"]) == ("Acme", 250.0)
    finally:
        store.close()
