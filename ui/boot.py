"""Every page runs inside app.py's navigation, even the first one after a server start.

Until some session has called `st.navigation`, Streamlit 1.67 treats `pages/` as an
old-style page folder (`PagesManager.uses_pages_directory`): a shared link such as
`/suppliers`, opened first after a restart, runs pages/suppliers.py on its own, with file
names for a sidebar, no filters of app.py's and no demo data loaded. The first page that
finds itself run that way switches the flag off and reruns, which runs app.py, whose
`st.navigation` then opens the page the URL names. A session in which app.py has already
run (`APP_RAN`) is left alone: its rerun would drop the click that started this run.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

APP_RAN = "_takt_app_ran"


def mark_app_ran() -> None:
    """app.py calls this first: the session has been through the navigation."""
    st.session_state[APP_RAN] = True


def ensure_app() -> None:
    """Call first in every page: rerun through app.py if the page was run without it."""
    if PagesManager.uses_pages_directory and not st.session_state.get(APP_RAN):
        PagesManager.uses_pages_directory = False
        st.rerun()
