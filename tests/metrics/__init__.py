"""Tests of analytics/metrics: the KPI figures worked out by hand, the registry, targets,
planning, suppliers and waste."""
