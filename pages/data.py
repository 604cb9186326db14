"""The Data page: upload ERP exports, check how they were read, import, review and undo.

UI only: the importer (`analytics.ingest`) decides everything, `analytics.uploads` shapes what
is shown. Text that came from a user's file (names, headers, values, messages quoting them)
is only ever shown through st.text or st.dataframe, never as markdown. Viewers and
read-only serving see the history only; every write goes through `ui.writes`, which checks
the role again on the server.
"""

import uuid
from pathlib import Path

import streamlit as st

from analytics.ingest import ImportRefused, inspect_file
from analytics.ingest.uploads import preview_frame
from ui.auth import can_edit, gate, read_only_notice
from ui.cache import store as cache_store
from ui.data import notices
from ui.data.history import import_history
from ui.data.importing import import_form
from ui.data.inspection import (
    choose_kind,
    edit_mapping,
    readable,
    show_findings,
    show_format,
    unreadable,
)
from ui.data.notices import notice
from ui.data.reload_demo import demo_form
from ui.data.rollups import served_rollups
from ui.writes import EditRefused, save_upload

gate()  # nothing below runs for a visitor who may not see the data
store = cache_store()
state = st.session_state
state.setdefault("staged", {})  # staged id -> what we know about one uploaded file
state.setdefault("uploader_n", 0)
notices.init_state()


def stage_uploads(files) -> None:
    """Write each upload to disk at once, inspect it, then drop the widget's in-memory copy."""
    for f in files:
        entry = {
            "name": f.name,
            "path": None,
            "base": None,
            "inspection": None,
            "error": None,
            "report": None,
            "rejected_csv": None,
        }
        try:
            path = save_upload(store, f.name, f.getvalue())
            entry["path"] = str(path)
            with st.spinner("Reading the file…"):
                entry["inspection"] = entry["base"] = inspect_file(path, display_name=f.name)
        except (ImportRefused, EditRefused) as exc:
            entry["error"] = str(exc)
            entry["kind_unknown"] = entry["path"] is not None and readable(entry)
        state.staged[uuid.uuid4().hex[:10]] = entry
    state.uploader_n += 1  # a new key empties the uploader
    st.rerun()


def remove(sid: str) -> None:
    entry = state.staged.pop(sid)
    if entry["path"]:
        Path(entry["path"]).unlink(missing_ok=True)


def staged_file(sid: str, entry: dict) -> None:
    with st.container(border=True):
        name_col, remove_col = st.columns([5, 1], vertical_alignment="center")
        name_col.text(entry["name"])
        remove_col.button(
            "Remove",
            key=f"remove-{sid}",
            on_click=remove,
            args=(sid,),
            icon=":material/close:",
            width="stretch",
        )
        if entry["base"] is None:
            unreadable(sid, entry)
            return
        entry["error"] = None  # recomputed below whenever the choices changed
        left, right = st.columns([2, 3], gap="medium")
        with left:
            kind = choose_kind(sid, entry)
        if kind is None:
            st.info("Choose the table this file fills.")
            return
        if entry["base"].kind != kind:
            notice("error", "The file cannot be read as this table.", entry["error"])
            return
        with right:
            mapping = edit_mapping(sid, entry, kind)
        if entry["error"]:
            notice("error", "This mapping cannot be used.", entry["error"])
            return
        inspection = entry["inspection"]
        with left:
            show_format(inspection)
        show_findings(inspection, mapping)
        with st.expander("Preview of the first rows"):
            st.dataframe(preview_frame(inspection), hide_index=True, width="stretch")
        import_form(store, sid, entry, kind, mapping)


st.title("Data")
editable = can_edit()
if editable:
    st.write(
        "Import CSV exports from your ERP: supplier deliveries, customer orders, defects, "
        "inventory snapshots and the item master. Check how each file was read, then import "
        "it. Every import can be undone."
    )
    uploads = st.file_uploader(
        "CSV files",
        type=["csv", "txt", "tsv"],
        accept_multiple_files=True,
        key=f"uploader-{state.uploader_n}",
    )
    if uploads:
        stage_uploads(uploads)
    for sid, entry in list(state.staged.items()):
        staged_file(sid, entry)
else:
    read_only_notice()
if store.read_only:
    served_rollups(store)
else:
    if not editable:
        st.write("What was imported, when, and how each file was read.")
    import_history(store, editable)
if editable:
    demo_form(store)
