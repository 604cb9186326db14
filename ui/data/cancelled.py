"""The cancelled lines of the stored data, shown as cancelled (METRICS.md section 1a).

A cancelled PO line or customer order line is kept as imported, so undo and re-import
treat it like any row, but no figure counts it; listing them here is how a user sees that
the export's cancellations arrived and were read as such.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.models.params import Scope
from ui.cache import call

COLUMNS = {
    "kind": "Line",
    "document": "Document",
    "line": "Item",
    "partner": "Supplier / customer",
    "sku": "SKU",
    "site": "Site",
    "order_date": "Ordered on",
    "ordered_qty": "Quantity",
    "status": "Status",
}


def cancelled_lines() -> None:
    """A count and the list; nothing at all when no line is cancelled."""
    rows = call("table_rows", "cancelled_lines", Scope())
    if not rows:
        return
    kinds = pd.Series([r["kind"] for r in rows]).value_counts()
    st.header("Cancelled lines")
    st.write(
        f"{kinds.get('PO line', 0):,} PO lines and "
        f"{kinds.get('customer order line', 0):,} customer order lines are cancelled in "
        "the imported exports: kept as imported, counted in no figure."
    )
    frame = pd.DataFrame(rows, columns=list(COLUMNS)).rename(columns=COLUMNS)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=250,
        column_config={
            "Ordered on": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Quantity": st.column_config.NumberColumn(format="localized"),
        },
    )
