"""The "Does the sizing work?" tab: the share of snapshot days each sku spent in red, in its
zones and over them (zones recomputed as of each day); the worst first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.models.params import Scope
from ui.pull.columns import PERFORMANCE_COLUMNS
from ui.widgets import downloads, load, shown


def performance_tab(scope: Scope) -> None:
    rows = load("onhand_performance", scope)
    if not rows:
        st.info("No stock counts with sized buffers in the period.", icon=":material/info:")
        return
    df = pd.DataFrame(rows, columns=list(PERFORMANCE_COLUMNS))
    red_days = sum(r["red_days"] for r in rows) / sum(r["days"] for r in rows)
    over_days = sum(r["over_days"] for r in rows) / sum(r["days"] for r in rows)
    left, right = st.columns(2)
    left.metric("Snapshot days in red", f"{red_days:.0%}", help="Over every sku and site")
    right.metric("Snapshot days over the zones", f"{over_days:.0%}")
    st.dataframe(shown(df), column_config=PERFORMANCE_COLUMNS, hide_index=True, width="stretch")
    downloads(df, "onhand-performance", "pull-performance")
