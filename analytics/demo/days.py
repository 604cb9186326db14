"""The demo's calendar: its span, day offsets from START and the seasons of its year.

Days are integer offsets from START (negative before it: the customer order history
reaches back to HISTORY_START, so a forecast sees two years of weekly demand).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

START = date(2025, 5, 1)
END = date(2026, 10, 31)
# Customer orders reach back a year before the rest (METRICS.md section 14: seasonal naive
# needs two years of weekly history); deliveries, snapshots and defects start at START.
HISTORY_START = date(2024, 5, 1)

# The export holds the open order book as on END: PO lines promised and customer lines
# requested after it are open lines (METRICS.md section 2 takes as-of from event dates, so
# a promise beyond the last receipt no longer moves it; section 11 counts them as supply
# and spikes). Until the pull list came in, the demo left them out.
N_DAYS = (END - START).days + 1
FIRST_DAY = (HISTORY_START - START).days  # negative
_BASE = np.datetime64(START, "D")


def dates(offsets) -> pd.Series:
    """Day offsets from START (NaN = no date) as a datetime column."""
    arr = np.asarray(offsets, dtype="float64")
    out = np.full(arr.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(arr)
    out[ok] = _BASE + arr[ok].astype("int64")
    return pd.Series(out, dtype="datetime64[s]")


def weekday(day):
    """Monday 0 .. Sunday 6 of a day offset (or an array of them)."""
    return (START.weekday() + day) % 7


def iso_week(day):
    """A week number that changes on Mondays, as the weekly charts bucket by ISO week."""
    return (START.weekday() + np.asarray(day)) // 7


def day_of_year(day):
    return (START.timetuple().tm_yday - 1 + np.asarray(day)) % 365.25


def season(day):
    """Spring upswing plus a November peak: demand a planner cannot treat as flat."""
    doy = day_of_year(day)
    spring = 0.15 * np.sin(2 * np.pi * (doy + 10) / 365.25)
    return 1 + spring + 0.5 * np.exp(-(((doy - 318) / 30) ** 2))
