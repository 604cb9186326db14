"""Tests of analytics/review: drill-down, Pareto, control charts, SPC, effects, actions, notes."""
