"""How the Data page speaks: notices, a message kept across a rerun, and confirmations.

A notice's headline is ours and shown in colour; its detail may quote a user's file, so it
is only ever plain text. A write that reruns the page leaves its outcome in `flash`, shown
once at the top of the history. A destructive button asks first: `confirm` holds what
awaits a yes, so the question survives the rerun its button started.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui.cache import call, currency

NOTICE = {
    "error": ("red", ":material/error:"),
    "warning": ("orange", ":material/warning:"),
    "success": ("green", ":material/check_circle:"),
    "info": ("blue", ":material/info:"),
}


def init_state() -> None:
    """This session's pending question and pending message, none at first."""
    st.session_state.setdefault("confirm", None)  # ("undo", import_id) or ("demo", None)
    st.session_state.setdefault("flash", None)  # (level, headline, detail) shown once


def notice(level: str, headline: str, detail: str | None = None) -> None:
    """Our own headline in colour; the detail, which may quote a file, only as plain text."""
    if not detail:
        getattr(st, level)(headline, icon=NOTICE[level][1])
        return
    color, icon = NOTICE[level]
    with st.container(border=True):
        st.markdown(f":{color}[{icon} **{headline}**]")
        st.text(detail)


def show_flash() -> None:
    """The message a write left before its rerun, shown once."""
    if st.session_state.flash:
        level, headline, detail = st.session_state.flash
        notice(level, headline, detail)
        st.session_state.flash = None


def asking(what: str) -> bool:
    """Whether the question of `what` ("undo", "demo") awaits an answer."""
    pending = st.session_state.confirm
    return bool(pending) and pending[0] == what


def confirm(what: str, question: str, yes_label: str, action: Callable[[], None]) -> None:
    """An inline yes/cancel under a destructive button; the action runs only on yes."""
    st.warning(question, icon=":material/warning:")
    yes, cancel = st.columns(2)
    if yes.button(yes_label, key=f"yes-{what}", type="primary", width="stretch"):
        st.session_state.confirm = None
        action()
        st.cache_data.clear()
        st.rerun()
    if cancel.button("Cancel", key=f"cancel-{what}", width="stretch"):
        st.session_state.confirm = None
        st.rerun()


def unconverted_money() -> None:
    """Amounts in a currency without a rate: left out of every money figure, so say so."""
    rows = call("unconverted_money")
    if not rows:
        return
    detail = ", ".join(
        f"{r['rows']:,} {r['table_name']} row{'s' if r['rows'] != 1 else ''} in {r['currency']}"
        for r in rows
    )
    notice(
        "warning",
        f"Some amounts have no rate into {currency()} and are left out of every money figure. "
        "Import a rates file (Currency, Rate, optional Valid From) to convert them.",
        detail,
    )
