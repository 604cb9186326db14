"""The Overview's figures stored at refresh time are the models' own answers, and stay right
after a load, an undo and a settings change (analytics.models.stored_figures)."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.ingest.history import undo_import
from analytics.metrics.figures import KPI_KEYS, choices, overview, series
from analytics.metrics.planning import save_settings
from analytics.metrics.targets import set_target
from analytics.models import compose as compose_module
from analytics.models import materialize, stored_figures
from analytics.models.compose import compose, duckdb_dialect, parameters
from analytics.models.params import Scope, default_since, previous_scope, resolve
from analytics.models.run import prepare
from analytics.models.stored_figures import FIGURES, SERIES, lookup
from analytics.store.settings import get_settings
from analytics.store.version import bump_version
from tests.conftest import csv_text, insert, load
from tests.pandas_reference import kpis_reference, load_frames

# One supplier, SKU1, 10 units a line. The data ends on 2024-12-31 (PO4's receipt), so the
# default period is 2024-01-02 .. 2024-12-31 and the previous one 2023-01-02 .. 2024-01-01,
# judged as of 2024-01-01:
#   PO1 promised 2023-06-01, received 05-30                        -> OTIF
#   PO2 promised 2023-12-15, received 2024-01-10 (after the as-of) -> nothing yet: not OTIF
#   PO3 promised 2023-12-20, received 12-18, reversed 2024-01-05   -> as of 01-01: OTIF
#   PO5 promised 2023-11-01, received 11-05 (4 days late)          -> not OTIF (tolerance 0)
# previous OTIF = 2/4 = 0.5. Facts built with every receipt would say 1/4 (PO2 late, PO3
# netted to nothing). Default period: PO4 promised and received 2024-12-31 -> OTIF 1/1.
BASE = csv_text(
    "PO1,1,G1,Acme,SKU1,2023-05-01,2023-06-01,10,2023-05-30,10,2",
    "PO2,1,G2,Acme,SKU1,2023-11-01,2023-12-15,10,2024-01-10,10,2",
    "PO3,1,G3,Acme,SKU1,2023-12-01,2023-12-20,10,2023-12-18,10,2",
    "PO3,1,G4,Acme,SKU1,2023-12-01,2023-12-20,10,2024-01-05,-10,2",
    "PO4,1,G5,Acme,SKU1,2024-12-01,2024-12-31,10,2024-12-31,10,2",
    "PO5,1,G7,Acme,SKU1,2023-10-01,2023-11-01,10,2023-11-05,10,2",
)
# PO2 received in full on 2023-12-14, a day early: OTIF as of 2024-01-01 -> 3/4
EARLIER_PO2 = csv_text("PO2,1,G6,Acme,SKU1,2023-11-01,2023-12-15,10,2023-12-14,10,2")
PREVIOUS = Scope(date(2023, 1, 2), date(2024, 1, 1), date(2024, 1, 1))


@pytest.fixture
def plant(store):
    assert load(store, "base.csv", BASE).status == "imported"
    return store


def _model_without_stored(store, model: str, params: dict) -> list[dict]:
    """The model composed from the canonical tables alone: no fact, no figure."""
    with store.connect() as cur:
        sql = duckdb_dialect(compose(model))
        result = cur.execute(sql, {k: params[k] for k in parameters(sql)})
        names = [c[0] for c in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _previous_otif(store) -> float:
    with store.connect() as cur:
        table = lookup(cur, "kpi_overview", resolve(cur, PREVIOUS))
    assert table == "figure_kpi_overview_previous"  # read from the stored figure
    return overview(store, PREVIOUS)["otif_rate"]


def _reference(store, scope: Scope) -> dict:
    with store.connect() as cur:
        settings = get_settings(cur)
    frames = load_frames(store)
    return kpis_reference(
        frames, start=scope.start, end=scope.end, as_of=scope.as_of, settings=settings
    )


def test_the_previous_period_is_the_stored_default_previous_scope(plant):
    with plant.connect() as cur:
        default = resolve(cur)
    assert previous_scope(Scope(), default["start"], default["end"]) == PREVIOUS


def test_stored_previous_figures_equal_the_model_and_the_reference(plant):
    assert _previous_otif(plant) == 0.5
    stored = overview(plant, PREVIOUS)
    with plant.connect() as cur:
        (raw,) = _model_without_stored(plant, "kpi_overview", resolve(cur, PREVIOUS))
    assert {k: stored[k] for k in raw} == raw
    reference = _reference(plant, PREVIOUS)
    for key in KPI_KEYS:
        if reference[key] is None:
            assert stored[key] is None, key
        else:
            assert float(stored[key]) == pytest.approx(reference[key], rel=1e-12), key
    assert (stored["on_time_rate"], stored["in_full_rate"]) == (0.5, 0.75)  # PO1, PO3 / +PO5
    assert overview(plant, Scope())["otif_rate"] == 1.0


@pytest.mark.parametrize("grain", ["week", "month"])
def test_stored_series_equal_the_models(plant, grain):
    with plant.connect() as cur:
        params = {**resolve(cur), "grain": grain}
        for model in SERIES:
            assert lookup(cur, model, params) == f"figure_{model}_{grain}"
    for model in SERIES:
        expected = sorted(_model_without_stored(plant, model, params), key=lambda r: r["bucket"])
        assert series(plant, model, grain) == expected


def test_a_load_and_its_undo_move_the_stored_previous_figure(plant):
    report = load(plant, "po2.csv", EARLIER_PO2)
    assert report.status == "imported"
    assert _previous_otif(plant) == 0.75  # PO1, PO2, PO3 of 4
    assert _reference(plant, PREVIOUS)["otif_rate"] == 0.75
    undo_import(plant, report.import_id)
    assert _previous_otif(plant) == 0.5
    assert _reference(plant, PREVIOUS)["otif_rate"] == 0.5


def test_a_settings_change_rebuilds_the_stored_figures(plant):
    save_settings(plant, {"late_tolerance_days": 7})  # PO5, 4 days late, is now on time
    assert _previous_otif(plant) == 0.75
    assert _reference(plant, PREVIOUS)["otif_rate"] == 0.75


def _defect(store, defect_id: str, day: date, sku: str) -> None:
    """One unit of `sku` from Acme found defective on `day`, inserted (no refresh)."""
    insert(
        store,
        "defects",
        {"defect_id": defect_id, "date": day, "sku": sku, "supplier": "Acme", "qty": 1},
    )


def test_a_figure_is_rebuilt_only_when_what_it_reads_changed(plant):
    # a defect of a sku already known, before the data's end: only quality figures read it
    _defect(plant, "D1", date(2024, 6, 3), "SKU1")
    done = materialize.refresh_store(plant)
    assert done["figure_series_quality_week"] == done["figure_kpi_overview"] == "rebuilt"
    assert done["figure_series_delivery_week"] == done["figure_series_lead_time_month"] == "kept"
    assert {k for k in done if k.startswith("figure_")} == {f.table for f in FIGURES}
    # the sku dimension (defects are among its inputs) was rebuilt to the rows it had: the
    # figures reading it, but not the defects, are kept
    assert done["dim_sku"] == "rebuilt"
    assert done["figure_sku_planning"] == done["figure_replenishment_since"] == "kept"
    # a defect of a sku no table had adds a row to the dimension: its readers are rebuilt
    _defect(plant, "D2", date(2024, 6, 4), "SKU9")
    done = materialize.refresh_store(plant)
    assert done["figure_sku_planning"] == done["figure_replenishment_since"] == "rebuilt"
    assert done["figure_series_delivery_week"] == "kept"


def test_a_target_keeps_the_stored_figures_in_use(plant):
    set_target(plant, "otif_rate", 0.9)  # the data version moves; no figure changes
    assert _previous_otif(plant) == 0.5


def test_a_write_without_its_refresh_never_reads_a_stale_figure(plant):
    insert(
        plant,
        "deliveries",
        {
            "po_number": "PO6",
            "po_line": "1",
            "receipt_id": "G8",
            "supplier": "Acme",
            "sku": "SKU1",
            "order_date": date(2023, 3, 1),
            "promised_date": date(2023, 4, 1),
            "ordered_qty": 10,
        },
    )
    with plant.connect() as cur:
        assert lookup(cur, "kpi_overview", resolve(cur, PREVIOUS)) is None
    assert overview(plant, PREVIOUS)["otif_rate"] == 0.4  # PO6, due and never received: 2/5


def test_the_sidebar_values_are_stored_and_equal_the_model(plant):
    # suppliers of deliveries and defects (a defect's own supplier too), skus of every
    # table but defects, sites with '' for rows without one
    insert(
        plant,
        "defects",
        {"defect_id": "D1", "date": date(2024, 6, 3), "sku": "SKU9", "supplier": "Bolt", "qty": 1},
    )
    insert(plant, "items", {"sku": "SKU2"})
    materialize.refresh_store(plant)
    expected = {"suppliers": ["Acme", "Bolt"], "skus": ["SKU1", "SKU2"], "sites": [""]}
    with plant.connect() as cur:
        assert lookup(cur, "filter_values", resolve(cur)) == "figure_filter_values"
    stored = choices(plant)
    assert {k: stored[k] for k in expected} == expected
    with plant.connect() as cur:
        bump_version(cur, changed=())  # no refresh: the model runs on the canonical tables
        assert lookup(cur, "filter_values", resolve(cur)) is None
    assert choices(plant) == stored


def test_a_forecast_weight_leaves_the_pull_list_unstored(plant):
    # a forecast run records no change a refresh could see: with a weight, the list is
    # computed on request; the sizing reads no forecast and stays stored
    done = materialize.refresh_store(plant)
    assert done["figure_replenishment"] == done["figure_replenishment_since"] == "kept"
    save_settings(plant, {"forecast_weight": 0.5})
    with plant.connect() as cur:
        done = {f.name: "not stored" if lookup(cur, f.model, _params(cur, f)) is None else "read"
                for f in FIGURES if f.model in ("replenishment", "sku_planning")}  # fmt: skip
        (marts,) = cur.execute(
            "select count(*) from marts where name like 'figure_repl%'"
        ).fetchone()
    assert done == {
        "replenishment": "not stored",
        "replenishment_since": "not stored",
        "sku_planning": "read",
        "sku_planning_since": "read",
    }
    assert marts == 0


def _params(cur, figure) -> dict:
    scope = Scope(as_of=default_since(cur)) if figure.moment == "since" else Scope()
    return resolve(cur, scope)


# An as-of no stored figure holds: the model reads the stored PO-line facts through a view
# of them as of that date, built on the cursor (models.stored_figures.composed_as_of).
# As of 2023-12-31: PO1 OTIF; PO2 due and not yet received; PO3 received 12-18 (its
# reversal of 2024-01-05 not yet made): OTIF; PO5 late. OTIF 2/4, where the facts with
# every receipt say 1/4. On time PO1, PO3 (2/4); in full PO1, PO3, PO5 (3/4).
DECEMBER = Scope(date(2023, 1, 2), date(2023, 12, 31), date(2023, 12, 31))


def test_an_earlier_as_of_reads_the_stored_line_facts_through_a_view(plant, monkeypatch):
    made = []
    as_of_view = stored_figures._po_line_facts_as_of
    monkeypatch.setattr(
        stored_figures,
        "_po_line_facts_as_of",
        lambda cur, params, *a: made.append(params["as_of"]) or as_of_view(cur, params, *a),
    )
    got = overview(plant, DECEMBER)
    assert made == [DECEMBER.as_of]
    assert (got["otif_rate"], got["on_time_rate"], got["in_full_rate"]) == (0.5, 0.5, 0.75)
    with plant.connect() as cur:
        (raw,) = _model_without_stored(plant, "kpi_overview", resolve(cur, DECEMBER))
    assert {k: got[k] for k in raw} == raw
    reference = _reference(plant, DECEMBER)
    assert (reference["otif_rate"], reference["in_full_rate"]) == (0.5, 0.75)


def test_statements_prepared_on_one_cursor_for_two_dates_keep_their_own_view(plant, monkeypatch):
    # as of 2024-01-01 PO3's reversal is still ahead too; as of 2024-01-06 it nets PO3 to
    # nothing received, and PO2 (received 01-10) is still open: OTIF PO1 only, 1/4
    later = Scope(DECEMBER.start, DECEMBER.end, date(2024, 1, 6))
    with plant.connect() as cur:
        first = prepare(cur, "kpi_overview", resolve(cur, DECEMBER))
        second = prepare(cur, "kpi_overview", resolve(cur, later))
        names = [d[0] for d in cur.execute(*first).description]
        otif = names.index("otif_rate")
        assert cur.execute(*first).fetchone()[otif] == 0.5
        assert cur.execute(*second).fetchone()[otif] == 0.25
        # the same data and date again: the view built for the first is read, not rebuilt
        built = []
        restrict = compose_module.only_touched_lines
        monkeypatch.setattr(
            compose_module,
            "only_touched_lines",
            lambda *a: built.append(a) or restrict(*a),
        )
        assert prepare(cur, "kpi_overview", resolve(cur, DECEMBER)) == first
        assert built == []
        assert cur.execute(*first).fetchone()[otif] == 0.5
