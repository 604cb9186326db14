"""The Data page: upload ERP exports, check how they were read, import, review and undo.

Layout only: each form with its own state is a module of `ui.data` (the uploader and its
staged files, the import and its report, the history with undo, the served rollups, the
demo plant's own store). The importer (`analytics.ingest`) decides everything, and
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
from ui.data.demo_plant import demo_section
from ui.data.guide import guide
from ui.data.history import import_history
from ui.data.rollups import served_rollups
from ui.stores import for_data_page

gate()  # nothing below runs for a visitor who may not see the data
choice = for_data_page()  # the user's store, unless the demo plant was asked for
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
if not db.read_only:
    guide()
if db.read_only and not choice.demo:
    served_rollups(db)
else:
    if not editable:
        st.write("What was imported, when, and how each file was read.")
    notices.unconverted_money()
    import_history(db, editable)
    cancelled_lines()
if not (db.read_only and not choice.demo):
    demo_section(choice)
