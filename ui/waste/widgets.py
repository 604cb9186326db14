"""Small pieces the Waste sections share: the empty state, a guarded cached call, a table.

`load` stops the page with a plain message when the chosen filters cannot be computed, so
every section reads figures the same way and none shows a traceback.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.cache import call
from ui.widgets import downloads, shown, user_text

MONEY = "€ %,.0f"
QTY = "%,.0f"


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")
    st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")


def load(name: str, *args):
    """A cached analytics call; a choice the figures cannot be computed for stops the page."""
    try:
        return call(name, *args)
    except ValueError as error:
        st.error("These figures cannot be computed for the chosen filters. Please change them.")
        user_text(str(error))
        st.stop()


def table(df: pd.DataFrame, columns: dict, name: str, key: str) -> None:
    """A table with labelled, formatted columns and its CSV and Excel downloads."""
    st.dataframe(shown(df), column_config=columns, hide_index=True, width="stretch")
    labelled = df.rename(columns={k: c["label"] for k, c in columns.items() if k in df})
    downloads(labelled, name, key)
