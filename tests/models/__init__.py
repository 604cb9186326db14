"""Tests of analytics/models: composing, running and materialising the SQL models."""
