"""The uploader and one card per staged file: its name, its reading, its import.

Uploads arrive in memory: each is written to disk at once (`ui.writes.save_upload`),
inspected, and kept in `staged` (staged id -> what we know about one file) until the user
removes it; the widget's own copy is dropped by giving the uploader a new key
(`uploader_n`). A card shows, in order, the file's name, how it was read
(`ui.data.inspection`) and the import with its report (`ui.data.importing`).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import streamlit as st

from analytics.ingest import ImportRefused, inspect_file
from analytics.ingest.uploads import preview_frame
from analytics.store.connection import Store
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
from ui.writes import EditRefused, save_upload


def init_state() -> None:
    """No file staged yet, and the uploader's first key."""
    st.session_state.setdefault("staged", {})  # staged id -> what we know about one file
    st.session_state.setdefault("uploader_n", 0)


def upload_form(store: Store) -> None:
    """The uploader, then a card for every file staged in this session."""
    uploads = st.file_uploader(
        "CSV files",
        type=["csv", "txt", "tsv"],
        accept_multiple_files=True,
        key=f"uploader-{st.session_state.uploader_n}",
    )
    if uploads:
        stage_uploads(store, uploads)
    for sid, entry in list(st.session_state.staged.items()):
        staged_file(store, sid, entry)


def stage_uploads(store: Store, files) -> None:
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
        st.session_state.staged[uuid.uuid4().hex[:10]] = entry
    st.session_state.uploader_n += 1  # a new key empties the uploader
    st.rerun()


def remove(sid: str) -> None:
    """Forget a staged file and delete its copy on disk."""
    entry = st.session_state.staged.pop(sid)
    if entry["path"]:
        Path(entry["path"]).unlink(missing_ok=True)


def staged_file(store: Store, sid: str, entry: dict) -> None:
    """One file's card: its name and Remove, then its reading, or why it cannot be read."""
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
        inspected_file(store, sid, entry)


def inspected_file(store: Store, sid: str, entry: dict) -> None:
    """Table and mapping side by side, what was found, a preview, then the import; each
    step only once the one before it can be used."""
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
