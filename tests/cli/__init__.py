"""Tests of analytics/cli: `python -m analytics ...` as a script or a scheduler runs it."""
