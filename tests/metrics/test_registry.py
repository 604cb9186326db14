"""Every SQL model and KPI is registered, documented, and wired to models that exist."""

from __future__ import annotations

import re

import pytest

from analytics.metrics.figures import KPI_KEYS, overview, series, table_rows
from analytics.metrics.registry import KPIS, MODEL_ROLES
from analytics.models.compose import dependencies, models
from analytics.models.params import Scope
from tests.conftest import ROOT

DOCS = (ROOT / "docs" / "metrics.md").read_text()


def test_every_model_is_registered_and_every_registration_has_a_model():
    assert set(models()) == set(MODEL_ROLES)


@pytest.mark.parametrize("name", sorted(models()))
def test_model_opens_with_grain_definition_and_true_inputs(name):
    model = models()[name]
    assert model.grain, f"{name} states no grain"
    assert re.search(r"^definition:", model.doc, re.MULTILINE), f"{name} has no definition"
    inputs = re.search(r"^inputs:\s*(.+)$", model.doc, re.MULTILINE)
    assert inputs, f"{name} lists no inputs"
    listed = {i.strip() for i in inputs.group(1).split(",")}
    assert set(dependencies(name)) == listed - {
        "deliveries",
        "orders",
        "defects",
        "inventory",
        "items",
        "rates",
        "forecasts",  # the app's table of stored forecasts (METRICS.md 14), not a model
        "none",  # a list written in the model itself (cancelled_statuses)
    }
    assert f"`{name}`" in DOCS, f"{name} is not in docs/metrics.md"


def test_every_cli_kpi_is_registered_and_documented():
    assert set(KPI_KEYS) == set(KPIS)
    for kpi in KPIS.values():
        assert kpi.unit in {"rate", "days", "ppm", "money", "ratio", "index"}
        assert len(kpi.definition) > 40 and kpi.label
        assert f"`{kpi.name}`" in DOCS, f"{kpi.name} is not in docs/metrics.md"


def test_kpi_wiring_points_at_real_columns(demo):
    """Each KPI's model, count column, series and rows query exist and answer."""
    row = overview(demo)
    for kpi in KPIS.values():
        assert kpi.name in row and kpi.count_column in row, kpi.name
        assert kpi.model in models()
        trend = series(demo, kpi.series_model, "month")
        assert trend and kpi.name in trend[0], kpi.name
        rows = table_rows(demo, kpi.rows_model, Scope())
        assert rows, kpi.rows_model
        if kpi.rows_filter:
            assert kpi.rows_filter in rows[0], kpi.name
