"""The root-cause notes of the node under review: the list, and the form that adds one.

Notes stay with a KPI and a path, so they show again whenever anyone opens that node. The
note is saved in the form's callback, which runs before the page, so the new note is in the
list of that very run; viewers and read-only serving see the list without the form.
"""

from __future__ import annotations

import streamlit as st

from analytics.review.view import ReviewView
from ui.auth import read_only_notice
from ui.cache import call, store
from ui.review.state import flash
from ui.writes import EditRefused, add_note


def notes(view: ReviewView) -> None:
    """Root-cause notes of this node: the list, and a form to add one."""
    st.subheader("Root-cause notes")
    st.caption("Notes stay with this KPI and node: they show whenever anyone opens it again.")
    for note in call("notes_for", view.kpi, view.path):
        with st.container(border=True):
            st.text(note["text"])
            st.text(f"— {note['author']}, {note['created_at']:%d %b %Y %H:%M}")
    if read_only_notice():
        return
    with st.form("note", clear_on_submit=True, border=False):
        st.text_area("New note (five whys, countermeasure…)", height=100, key="note_text")
        st.text_input("Author", key="note_author")
        st.form_submit_button(
            "Add note", icon=":material/note_add:", on_click=save_note, args=(view,)
        )
    flash("note")


def save_note(view: ReviewView) -> None:
    """Runs before the page, so the new note is in the list of this very run."""
    state = st.session_state
    try:
        add_note(store(), view.kpi, view.path, state.get("note_text"), state.get("note_author"))
        state["flash-note"] = ("success", "Note added to this node.")
    except (ValueError, EditRefused) as error:
        state["flash-note"] = ("error", f"The note was not added: {error}.")
