"""Settings: their defaults, their validation and storing them."""

from __future__ import annotations

import pytest

from analytics.store.schema import SETTINGS
from analytics.store.settings import get_settings, set_setting


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
