"""Tests of analytics/ingest: reading, mapping, casting, checking, upserting and undoing imports."""
