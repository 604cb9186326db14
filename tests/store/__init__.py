"""Tests of analytics/store: the connection, the tables' DDL, settings, freshness."""
