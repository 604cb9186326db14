"""Small pieces the Suppliers tabs share: a guarded cached call, a table, a chart or a note.

`load` stops the page with a plain message when the chosen filters cannot be computed, so
every tab reads figures the same way and none shows a traceback.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.cache import call
from ui.widgets import downloads, user_text

MONEY = "€ %,.0f"


def load(name: str, *args):
    """A cached analytics call; filters the figures cannot be computed for stop the page."""
    try:
        return call(name, *args)
    except ValueError as error:
        st.error("These figures cannot be computed for the chosen filters. Please change them.")
        user_text(str(error))
        st.stop()


def table(rows: list[dict], columns: dict, name: str, key: str) -> None:
    """A table with labelled, formatted columns and its CSV and Excel downloads."""
    df = pd.DataFrame(rows, columns=list(columns))
    st.dataframe(df, column_config=columns, hide_index=True, width="stretch", placeholder="–")
    downloads(df.rename(columns={k: c["label"] for k, c in columns.items()}), name, key)


def chart_or_note(data, figure, note: str) -> None:
    if data:
        st.plotly_chart(figure(), width="stretch")
    else:
        st.info(note, icon=":material/info:")


def empty_state() -> None:
    st.info(
        "No supplier data yet: import deliveries (and defects) to see the scorecard.",
        icon=":material/info:",
    )
    st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")
