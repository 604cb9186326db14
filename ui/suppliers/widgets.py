"""Small pieces the Suppliers tabs share: a table, a chart or a note, the empty state.

The guarded cached call (`load`) is every page's: see ui/widgets.py.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import widgets
from ui.widgets import MONEY, downloads, priced

__all__ = ["MONEY", "chart_or_note", "empty_state", "table"]


def table(rows: list[dict], columns: dict, name: str, key: str) -> None:
    """A table with labelled, formatted columns and its CSV and Excel downloads."""
    columns = priced(columns)
    df = pd.DataFrame(rows, columns=list(columns))
    st.dataframe(df, column_config=columns, hide_index=True, width="stretch", placeholder="–")
    downloads(df.rename(columns={k: c["label"] for k, c in columns.items()}), name, key)


def chart_or_note(data, figure, note: str) -> None:
    if data:
        st.plotly_chart(figure(), width="stretch")
    else:
        st.info(note, icon=":material/info:")


def empty_state() -> None:
    widgets.empty_state(
        "No supplier data yet: import deliveries (and defects) to see the scorecard.",
        ("deliveries", "defects"),
    )
