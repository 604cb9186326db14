"""The warm-up after start (ui.warm): the Overview's figures for the default filters are in
the cache before the first visitor asks, so the first page computes none of them again.

Real stores (the demo's files imported into a temporary one); the analytics functions are
only counted (wrapped), never replaced.
"""

from __future__ import annotations

import ast
import os
from collections import Counter

import pytest
import streamlit as st

import ui.warm
from analytics.metrics import figures, replenish
from analytics.models.params import previous_scope
from analytics.review import signals
from tests.conftest import ROOT, default_scope, heavy_modules_after, open_app, use_db
from ui.warm import settle_first_element_check, warm_overview

COUNTED = {
    "overview": (figures, "overview"),
    "series": (figures, "series"),
    "replenishment": (replenish, "replenishment"),
    "status_counts": (replenish, "count_statuses"),
    "signals": (signals, "signals"),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from use_db(tmp_path_factory.mktemp("warm") / "takt.duckdb")


@pytest.fixture
def counted(db, monkeypatch):
    """How often the page computed each figure; no warm-up thread of app.py's own."""
    monkeypatch.setattr(ui.warm, "_started", True)
    seen: Counter = Counter()
    for name, (module, attr) in COUNTED.items():
        real = getattr(module, attr)

        def spy(*args, _real=real, _name=name, **kwargs):
            seen[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, attr, spy)
    st.cache_data.clear()
    yield seen
    st.cache_data.clear()


def test_without_a_warm_up_the_first_page_computes_its_figures(counted):
    # The check below can fail: a cold page computes the period and the previous period
    # (2 overviews), the signals once, the statuses counted once (the red card: no list), and
    # one series per model and grain: the cards' 7 weekly models (delivery, lead time,
    # quality, inventory, stock, customer, spend) plus the key four by month = 11.
    at = open_app()
    assert not at.exception
    assert dict(counted) == {"overview": 2, "series": 11, "status_counts": 1, "signals": 1}


def test_after_the_warm_up_the_first_page_computes_none_of_them(db, counted):
    warm_overview(db.path)
    warmed = dict(counted)
    counted.clear()
    at = open_app()
    assert not at.exception
    assert dict(counted) == {}  # every figure the page asked for was in the cache
    assert warmed == {"overview": 2, "series": 11, "status_counts": 1, "signals": 1}
    # and what the page shows is what the store says: the warmed figures are the real ones
    scope = default_scope(db)
    now = figures.overview(db, scope)
    before = figures.overview(db, previous_scope(scope, now["start"], now["end"]))
    shown = {m.label: m.value for m in at.metric}
    assert shown["Supplier OTIF"] == f"{now['otif_rate']:.1%}"
    assert before["otif_rate"] is not None


def test_streamlits_repl_check_is_settled_before_the_first_page(db, counted, monkeypatch):
    # Streamlit runs `env_util.is_repl` (inspect.stack over every frame) once per process,
    # at the first element drawn; the warm-up thread asks it first, so the page does not.
    from streamlit import delta_generator, env_util

    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    calls = []
    real = env_util.is_repl

    def spy():
        calls.append(1)
        return real()

    monkeypatch.setattr(env_util, "is_repl", spy)
    settle_first_element_check()
    assert len(calls) == 1  # asked once, here, and not a REPL: nothing printed
    assert delta_generator._use_warning_has_been_displayed is True
    at = open_app()
    assert not at.exception
    assert at.metric  # elements were drawn, and none of them asked again
    assert len(calls) == 1


def test_app_and_the_overview_load_no_pandas_pyarrow_or_importer_before_the_cards():
    # What app.py and pages/overview.py import, and the warm-up's demo build: pandas,
    # pyarrow and numpy (0.5-1.4 s of a fresh start) load with the trends' first
    # Vega-Lite chart, after the cards; the importer with the Data page.
    modules = {"analytics.demo.shipped"}
    for source in ("app.py", "pages/overview.py"):
        tree = ast.parse((ROOT / source).read_text())
        modules |= {
            n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0
        }
    modules -= {"__future__"}
    assert {"ui.stores", "ui.cache", "ui.widgets", "ui.signals"} <= modules
    assert heavy_modules_after(f"import {', '.join(sorted(modules))}") == []


def test_beside_the_users_store_the_demo_is_built_as_a_file_not_held_in_memory(db):
    # `db` holds the demo's imports: the user's store is shown, and the warm-up builds the
    # demo's file for the sidebar switch (a process that never shows the demo holds none of
    # it in memory); the switch then serves that file.
    from analytics.demo.shipped import MemoryDemoStore, serve_demo
    from analytics.scale.serving import choose_store
    from analytics.store.connection import Store, demo_db_path

    assert not choose_store(None).demo
    demo = demo_db_path()
    assert not os.path.exists(demo)
    st.cache_data.clear()
    ui.warm._run()
    try:
        assert os.path.exists(demo)
        served = serve_demo(demo)
        assert not isinstance(served, MemoryDemoStore)
        assert served.built_as() is not None
    finally:
        store = Store._registry.pop(demo, None)
        if store is not None:
            store.close()
        st.cache_data.clear()
