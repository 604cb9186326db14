"""Small pieces the Waste sections share: number formats and a table with its downloads.

The empty state and the guarded cached call (`load`) are every page's: see ui/widgets.py.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.widgets import MONEY, MONEY_CENTS, downloads, priced, shown

__all__ = ["MONEY", "MONEY_CENTS", "QTY", "table"]
QTY = "%,.0f"


def table(df: pd.DataFrame, columns: dict, name: str, key: str) -> None:
    """A table with labelled, formatted columns and its CSV and Excel downloads."""
    columns = priced(columns)
    st.dataframe(shown(df), column_config=columns, hide_index=True, width="stretch")
    labelled = df.rename(columns={k: c["label"] for k, c in columns.items() if k in df})
    downloads(labelled, name, key)
