"""Reloading the bundled demo data, for editors, after a yes.

The reload empties every table and the whole import history first, the user's own imports
included, so the button only asks (`confirm` holds the question across the rerun); the
outcome is left in `flash` for the history to show.
"""

from __future__ import annotations

import streamlit as st

from analytics.store.connection import Store
from ui.data.notices import asking, confirm
from ui.writes import EditRefused, load_demo


def demo_form(store: Store) -> None:
    """What the demo holds, the Reload button, and its question."""
    st.header("Demo data")
    st.write(
        "The bundled demo plant: 18 months of supplier deliveries, customer orders, "
        "defects, stock snapshots and the item master."
    )
    if st.button("Reload demo data…", key="demo", icon=":material/restart_alt:"):
        st.session_state.confirm = ("demo", None)
    if asking("demo"):
        confirm(
            "demo",
            "Reload the demo data? **Every table and the whole import history are "
            "emptied first**, including your own imports; then the demo files are "
            "imported again.",
            "Yes, empty and reload",
            lambda: do_reload_demo(store),
        )


def do_reload_demo(store: Store) -> None:
    """Reload through `ui.writes`; the outcome, a refusal included, waits in `flash`."""
    try:
        with st.spinner("Loading the demo data…"):
            load_demo(store, replace=True)
    except EditRefused as exc:
        st.session_state.flash = ("error", "The demo data was not reloaded.", str(exc))
        return
    st.session_state.flash = ("success", "The demo data was reloaded.", None)
