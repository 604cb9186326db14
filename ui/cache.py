"""Cached analytics calls, keyed on the database, its data version and the arguments.

A page rerun with unchanged data and filters reads from the cache and never touches the
database beyond one cheap version query. Any write (import, undo, settings, targets) moves
the data version on, which expires every entry of that database at once.
"""

from __future__ import annotations

import streamlit as st

from analytics.forecast import stored as forecasts
from analytics.metrics import coverage, figures, replenish, targets
from analytics.review import actions, control, drill, notes, signals
from analytics.review import pareto as defect_pareto
from analytics.scale.serving import shared_store
from analytics.store.connection import Store
from analytics.store.version import data_version

STORE_CHOICE = "_takt_store"  # this session's StoreChoice, set by ui.stores.choose


def store(db_path: str | None = None) -> Store:
    """The store every page and cached call uses: the one this session looks at (the
    user's DuckDB file, the demo plant's, or the rollups that `TAKT_ROLLUPS` names; decided
    by analytics.scale.serving, not here)."""
    if db_path is None:
        choice = st.session_state.get(STORE_CHOICE)
        db_path = choice.path if choice is not None else None
    return shared_store(db_path)


def version() -> int:
    return data_version(store())


@st.cache_data(max_entries=256, show_spinner=False)
def _call(db_path: str, version: int, name: str, args: tuple, kwargs: tuple):
    functions = {
        "overview": figures.overview,
        "compute_kpis": figures.compute_kpis,
        "series": figures.series,
        "scorecard": figures.scorecard,
        "sku_sizing": figures.sku_sizing,
        "waste": figures.waste,
        "table_rows": figures.table_rows,
        "choices": figures.choices,
        "currency": figures.currency,
        "unconverted_money": figures.unconverted_money,
        "targets": targets.get_targets,
        "breakdown": drill.breakdown,
        "drill_rows": drill.rows,
        "pareto": defect_pareto.pareto,
        "pareto_suppliers": defect_pareto.pareto_suppliers,
        "cause_events": defect_pareto.cause_events,
        "control_chart": control.control_chart,
        "action_effects": actions.action_effects,
        "notes_for": notes.notes_for,
        "replenishment": replenish.replenishment,
        "status_counts": replenish.count_statuses,
        "onhand_performance": replenish.onhand_performance,
        "buffer_history": replenish.buffer_history,
        "lines_behind": replenish.lines_behind,
        "coverage": coverage.coverage,
        "missing_tables": coverage.missing_tables,
        "signals": signals.signals,
        "as_of_date": signals.as_of_date,
        "last_run_as_of": signals.last_run_as_of,
        "forecast_rows": forecasts.forecast_rows,
        "forecast_history": forecasts.history,
    }
    return functions[name](store(db_path), *args, **dict(kwargs))


def call(name: str, *args, **kwargs):
    """Run the analytics function called `name` (store, *args, **kwargs) through the cache."""
    s = store()
    return _call(s.path, data_version(s), name, args, tuple(sorted(kwargs.items())))


def warm(db_path: str, plan) -> None:
    """Run `plan(get)` from a thread with no session (ui.warm): `get(name, *args)` is
    `call` on the store at `db_path`, so what it computes is what a page's `call` finds."""
    s = store(db_path)
    version = data_version(s)  # a write meanwhile only makes these entries stale, not wrong

    def get(name: str, *args):  # a lease per figure: a command-line load waits for one only
        return _call(s.path, version, name, args, ())

    plan(get)


def currency() -> str:
    """The base currency of the store's data (the currency setting), for every money format."""
    return call("currency")
