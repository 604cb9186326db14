"""Tests of analytics/charts: figures and the offline meeting report, from data given to them."""
