"""What the Data page shows when the app serves precomputed rollups instead of a database.

Rollups have no import history and nobody edits them: the page says which job made them,
when and from what, and lists the tables it wrote (`analytics.scale.serving.summary`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.scale.serving import summary
from analytics.store.connection import Store


def served_rollups(store: Store) -> None:
    """Precomputed rollups have no import history: say which job made them, and what."""
    facts, tables = summary(store)
    st.header("Served rollups")
    st.write(
        "Every page reads the per-line outcomes, rollups and scorecards below, computed by the "
        "rollup job (`python -m analytics rollup`) from the lake's canonical tables."
    )
    st.table(pd.DataFrame(facts, columns=["", "Value"]).set_index(""))
    st.dataframe(
        pd.DataFrame(tables),
        hide_index=True,
        width="stretch",
        column_config={"Rows": st.column_config.NumberColumn(format="localized")},
    )
