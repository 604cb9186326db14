"""Small pieces the Design tabs share: the saved-message flash and a table.

A save reruns the page so the stored values show; `flash` keeps its success message in the
session (`design-flash`) across that rerun, and `show_flash` shows it in the tab that saved.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.widgets import downloads, priced, shown

FLASH = "design-flash"


def flash(where: str, text: str) -> None:
    """A success message that survives the rerun showing the saved values, shown `where`."""
    st.session_state[FLASH] = (where, text)
    st.rerun()


def show_flash(where: str) -> None:
    if st.session_state.get(FLASH, ("",))[0] == where:
        st.success(st.session_state.pop(FLASH)[1], icon=":material/check_circle:")


def table(df: pd.DataFrame, columns: dict, name: str, key: str) -> None:
    """A labelled, formatted table with its CSV and Excel downloads."""
    columns = priced(columns)
    st.dataframe(shown(df), column_config=columns, column_order=list(columns), hide_index=True)
    labelled = df[list(columns)].rename(columns={k: c["label"] for k, c in columns.items()})
    downloads(labelled, name, key)
