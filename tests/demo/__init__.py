"""Tests of analytics/demo: the generated demo data, its files and its loading."""
