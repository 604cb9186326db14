"""The Data page: upload ERP exports, check how they were read, import, review and undo.

Layout only: each form with its own state is a module of `ui.data` (the uploader and its
staged files, the import and its report, the history with undo, the served rollups, the
demo reload). The importer (`analytics.ingest`) decides everything, and
`analytics.ingest.uploads` shapes what is shown. Viewers and read-only serving see the
history only; every write goes through `ui.writes`, which checks the role again on the
server.
"""

from __future__ import annotations

import streamlit as st

from ui.auth import can_edit, gate, read_only_notice
from ui.cache import store
from ui.data import notices, upload
from ui.data.cancelled import cancelled_lines
from ui.data.history import import_history
from ui.data.reload_demo import demo_form
from ui.data.rollups import served_rollups

gate()  # nothing below runs for a visitor who may not see the data
db = store()
upload.init_state()
notices.init_state()

st.title("Data")
editable = can_edit()
if editable:
    st.write(
        "Import CSV exports from your ERP: supplier deliveries, customer orders, defects, "
        "inventory snapshots, the item master and currency rates. Check how each file was "
        "read, then import it. Every import can be undone."
    )
    upload.upload_form(db)
else:
    read_only_notice()
if db.read_only:
    served_rollups(db)
else:
    if not editable:
        st.write("What was imported, when, and how each file was read.")
    notices.unconverted_money()
    import_history(db, editable)
    cancelled_lines()
if editable:
    demo_form(db)
