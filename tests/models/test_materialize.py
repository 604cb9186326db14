"""Stored per-line facts give exactly what the models compute from the canonical tables."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.metrics.figures import KPI_KEYS, compute_kpis
from analytics.models import materialize
from analytics.models.compose import compose, duckdb_dialect, parameters
from analytics.models.params import Scope, resolve
from analytics.store.settings import set_setting


def _kpis_without_marts(store, scope: Scope) -> dict:
    with store.connect() as cur:
        sql = duckdb_dialect(compose("kpi_overview"))
        params = resolve(cur, scope)
        row = cur.execute(sql, {k: params[k] for k in parameters(sql)})
        names = [d[0] for d in row.description]
        values = dict(zip(names, row.fetchone(), strict=True))
    return {k: values[k] for k in KPI_KEYS}


@pytest.mark.parametrize(
    "scope",
    [
        Scope(),
        Scope(start=date(2026, 1, 1), end=date(2026, 6, 30)),
        Scope(supplier="Delta Machining Inc."),
    ],
)
def test_marts_and_models_agree_on_the_demo(demo, scope):
    with demo.connect() as cur:
        assert materialize.usable(cur, resolve(cur, scope)) == set(materialize.FACTS)
    assert compute_kpis(demo, **vars(scope)) == pytest.approx(
        _kpis_without_marts(demo, scope), rel=1e-12, nan_ok=True
    )


def test_marts_are_not_used_when_they_would_be_wrong(demo):
    with demo.connect() as cur:
        early = resolve(cur, Scope(as_of=date(2026, 6, 30)))
        # receipts after 2026-06-30 exist, so the stored line facts do not answer as of then
        # and the stock position was stored for the default as-of only
        assert materialize.usable(cur, early) == {"dim_sku", "receipt_facts", "snapshot_facts"}
        changed = {**resolve(cur), "late_tol": 3}
        assert "po_line_facts" not in materialize.usable(cur, changed)


def test_a_settings_change_without_refresh_falls_back_to_the_models(store):
    from tests.conftest import insert
    from tests.metrics.test_figures_delivery import MARCH, line

    insert(store, "deliveries", line("A", 10, "03-10", "03-01", "03-12", 10))
    materialize.refresh_store(store)
    assert compute_kpis(store, **MARCH)["on_time_rate"] == 0.0
    with store.connect() as cur:
        set_setting(cur, "late_tolerance_days", 2)
    assert compute_kpis(store, **MARCH)["on_time_rate"] == 1.0  # 03-12 is within P + 2


def test_stored_facts_answer_the_default_as_of_with_lines_promised_ahead(open_lines_ahead):
    """The default as-of is the latest event, so no stored fact holds an event after it:
    every fact answers, and gives what the models give (OTIF 1/2, see tests/conftest.py)."""
    materialize.refresh_store(open_lines_ahead)
    with open_lines_ahead.connect() as cur:
        params = resolve(cur)
        assert params["as_of"] == date(2024, 3, 10)
        assert materialize.usable(cur, params) == set(materialize.FACTS)
    k = compute_kpis(open_lines_ahead)
    assert k == pytest.approx(_kpis_without_marts(open_lines_ahead, Scope()), nan_ok=True)
    assert k["otif_rate"] == 0.5
