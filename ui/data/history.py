"""The import history, and undoing one import after a yes.

Everyone who may see the data sees the history; only editors get the undo control. The
chosen import waits in `confirm` for its yes; the outcome of the undo is left in `flash`
and shown above the history after the rerun.
"""

from __future__ import annotations

import streamlit as st

from analytics.ingest import UndoRefused, list_imports
from analytics.ingest.uploads import history_frame, import_choice_label, undoable
from analytics.store.connection import Store
from ui.data.notices import asking, confirm, show_flash
from ui.writes import EditRefused, undo_import


def import_history(store: Store, editable: bool) -> None:
    """Every import, newest first; under it, for editors, the undo."""
    st.header("Import history")
    show_flash()
    rows = list_imports(store)
    if not rows:
        st.info("Nothing has been imported yet.")
        return
    history_table(rows)
    if editable:
        undo_form(store, rows)


def history_table(rows: list) -> None:
    """File names and messages come from users: only ever inside the table, never markdown."""
    counts = {
        label: st.column_config.NumberColumn(format="localized", width=70)
        for label in ("Read", "Inserted", "Updated", "Rejected")
    }
    st.dataframe(
        history_frame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "ID": st.column_config.NumberColumn(format="%d", width=45),
            "File": st.column_config.TextColumn(width=160),
            "Table": st.column_config.TextColumn(width=135),
            "Imported at": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm", width=125),
            "Status": st.column_config.TextColumn(width=170),
            **counts,
        },
    )


def undo_form(store: Store, rows: list) -> None:
    """Choose an import that can still be undone, press Undo…, then say yes."""
    ids = undoable(rows)
    pick, button = st.columns([4, 1], vertical_alignment="bottom")
    chosen = pick.selectbox(
        "Undo an import",
        ids,
        index=None,
        key="undo-id",
        format_func=lambda i: import_choice_label(rows, i),
        placeholder="Choose an import to undo",
    )
    if button.button("Undo…", disabled=chosen is None, width="stretch", key="undo"):
        st.session_state.confirm = ("undo", chosen)
    if asking("undo"):
        import_id = st.session_state.confirm[1]
        confirm(
            "undo",
            f"Undo import #{import_id}? The rows it added are removed and the "
            "values it replaced come back.",
            f"Yes, undo import #{import_id}",
            lambda: do_undo(store, import_id),
        )


def do_undo(store: Store, import_id: int) -> None:
    """Undo through `ui.writes`; the outcome, a refusal included, waits in `flash`."""
    try:
        st.session_state.flash = ("success", "Import undone.", undo_import(store, import_id))
    except (UndoRefused, EditRefused) as exc:
        st.session_state.flash = ("error", f"Import #{import_id} cannot be undone.", str(exc))
