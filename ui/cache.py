"""Cached analytics calls, keyed on the database, its data version and the arguments.

A page rerun with unchanged data and filters reads from the cache and never touches the
database beyond one cheap version query. Any write (import, undo, settings, targets) moves
the data version on, which expires every entry of that database at once.
"""

from __future__ import annotations

import streamlit as st

from analytics import actions, drill, kpis, notes, targets
from analytics.db import Store
from analytics.ingest import data_version


def store() -> Store:
    return Store.shared()


def version() -> int:
    return data_version(store())


@st.cache_data(max_entries=256, show_spinner=False)
def _call(db_path: str, version: int, name: str, args: tuple, kwargs: tuple):
    functions = {
        "overview": kpis.overview,
        "compute_kpis": kpis.compute_kpis,
        "series": kpis.series,
        "scorecard": kpis.scorecard,
        "sku_sizing": kpis.sku_sizing,
        "waste": kpis.waste,
        "table_rows": kpis.table_rows,
        "choices": kpis.choices,
        "targets": targets.get_targets,
        "breakdown": drill.breakdown,
        "drill_rows": drill.rows,
        "pareto": drill.pareto,
        "pareto_suppliers": drill.pareto_suppliers,
        "cause_events": drill.cause_events,
        "control_chart": drill.control_chart,
        "action_effects": actions.action_effects,
        "notes_for": notes.notes_for,
    }
    return functions[name](Store.shared(db_path), *args, **dict(kwargs))


def call(name: str, *args, **kwargs):
    """Run `analytics.kpis.<name>(store, *args, **kwargs)` through the cache."""
    s = store()
    return _call(s.path, data_version(s), name, args, tuple(sorted(kwargs.items())))
