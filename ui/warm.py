"""Work done in the background from app.py's first line, so the first visitor waits less.

One thread per process (`start_in_background`), started before app.py imports anything
heavy, so it runs while the main thread imports the pages' modules (DuckDB leaves the GIL
while it works):
0. it settles Streamlit's once-per-process REPL check while the stack is short and few
   modules are loaded (`settle_first_element_check`), so the first page does not pay it;
1. it finds the store a visitor without URL parameters sees (`serving.choose_store`);
2. when that is the demo plant, it makes the demo store ready (`shipped.serve_demo`: the
   built file, else the shipped tables copied into memory, else the file built from the
   sample files); `ui.stores.demo_ready` waits for it on the same lock and finds it ready;
   when the thread failed, it builds, or fails, in the open;
3. it computes the Overview's figures for the default filters into the shared cache
   (`ui.cache.warm`), the slowest first: the "Since last review" signals, which the page
   draws last, so the main thread draws the KPI cards while this thread counts signals;
   Streamlit's per-key compute lock makes a page asking for a figure being computed wait
   for it rather than compute it twice;
4. when the user's store is shown, the demo's file is built after the warm-up (for the
   sidebar switch; a file, so a process that never shows the demo holds none of it in
   memory), so it never competes with the first page.

The thread runs no Streamlit element and holds no session: it only fills `st.cache_data`,
which is process-wide. Never beside served rollups (`TAKT_ROLLUPS`): no demo there, and the
rollups answer without a warm-up.
"""

from __future__ import annotations

import logging
import os
import threading

_started = False
_lock = threading.Lock()
log = logging.getLogger(__name__)


def start_in_background() -> None:
    global _started
    if os.environ.get("TAKT_ROLLUPS"):
        return
    with _lock:
        if _started:
            return
        _started = True
    # Not a daemon: a build cut off by the interpreter leaving would abort inside DuckDB.
    threading.Thread(target=_run, name="takt-warm").start()


def _run() -> None:
    settle_first_element_check()  # first: only Streamlit is loaded yet
    # Imported in the thread: pandas, DuckDB and the importer load here, beside the main
    # thread's imports.
    from analytics.demo.shipped import ensure_demo_store, serve_demo
    from analytics.scale.serving import choose_store
    from analytics.store.connection import demo_db_path

    choice = choose_store(None)
    if choice.demo:
        serve_demo(choice.path)
    try:
        warm_overview(choice.path)
    except Exception:  # the page computes what is missing, and shows any error itself
        log.exception("warming the Overview's figures failed")
    if not choice.demo:
        # the file, not the tables in memory: a deployment that never opens the demo
        # should not hold it (~70 MiB); the switch then opens the built file
        ensure_demo_store(demo_db_path())


def settle_first_element_check() -> None:
    """Streamlit asks once per process, when the first element is drawn, whether it runs in
    a Python REPL (`env_util.is_repl`: `inspect.stack()`, which reads every frame's source
    and resolves the file of every loaded module). On the first page that is a deep stack
    with ~1,400 modules loaded, beside this thread's work: 0.3-0.9 s of the first
    visitor's wait. Asked here, from this thread's short stack with little more than
    Streamlit loaded, it takes ~20 ms, and the page's first element skips it. Streamlit's
    own function, looked up: should a release rename it, the page pays the check again."""
    from streamlit import delta_generator

    check = getattr(delta_generator, "_maybe_print_use_warning", None)
    if callable(check):
        check()


def warm_overview(db_path: str) -> None:
    """The Overview's figures for a visitor without URL parameters, into the cache."""
    from ui.cache import warm

    warm(db_path, overview_plan)


def overview_plan(get) -> None:
    """Ask `get` (`ui.cache.call` on one store) for what the Overview asks for with the
    default filters (the last 12 months to the latest event, no other filter), the slowest
    first. Kept in step with the page by tests/ui/test_warm.py, which runs the page after a
    warm-up and counts what it still had to compute."""

    from analytics.charts.overview import KEY_FOUR, SECTIONS
    from analytics.metrics.registry import KPIS
    from analytics.models.params import Scope, period_of, previous_scope, since_default

    latest = get("choices")["latest"]
    if latest is None:
        return
    as_of = get("as_of_date")
    if as_of is not None:  # the panel's default `since`, as ui.signals asks for it
        get("signals", since_default(as_of, get("last_run_as_of")))
    scope = Scope(*period_of("Last 12 months", latest))
    now = get("overview", scope)
    get("overview", previous_scope(scope, now["start"], now["end"]))
    get("targets")
    get("currency")
    get("status_counts", scope)  # the red card
    weekly = dict.fromkeys(KPIS[n].series_model for names in SECTIONS.values() for n in names)
    for model in weekly:
        get("series", model, "week", scope)
    grain = "month" if (now["end"] - now["start"]).days + 1 > 180 else "week"
    for name in KEY_FOUR:
        get("series", KPIS[name].series_model, grain, scope)
