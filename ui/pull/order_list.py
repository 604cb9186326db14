"""The "What to order" tab: the list by planning priority, and the orders grouped by supplier.

Every row shows the terms of its net flow (on hand + open supply - demand), so a buyer can
check the suggestion before pasting it into the ERP.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.metrics.replenish import orders_by_supplier
from ui.pull.columns import LIST_COLUMNS, ORDER_COLUMNS
from ui.widgets import downloads, priced, shown


def list_tab(rows: list[dict]) -> None:
    if not rows:
        st.info("No sku matches these filters.", icon=":material/info:")
        return
    df = pd.DataFrame(rows, columns=list(LIST_COLUMNS))
    df["planning_priority"] = df["planning_priority"] * 100
    df["supplier_otif_rate"] = df["supplier_otif_rate"] * 100
    if (df["site"] == "").all():  # one site: the column says nothing
        df = df.drop(columns="site")
    st.dataframe(
        shown(df),
        column_config=priced(LIST_COLUMNS),
        hide_index=True,
        width="stretch",
        placeholder="–",
    )
    labelled = df.rename(
        columns={k: c["label"] for k, c in priced(LIST_COLUMNS).items() if k in df}
    )
    downloads(labelled, "replenishment", "pull-list")
    st.subheader("Suggested orders by supplier")
    st.caption("One line per sku and site, ready to paste into a purchase requisition.")
    orders = pd.DataFrame(orders_by_supplier(rows), columns=list(ORDER_COLUMNS))
    if orders.empty:
        st.info("Nothing to order among these rows.", icon=":material/info:")
        return
    st.dataframe(orders, column_config=priced(ORDER_COLUMNS), hide_index=True, width="stretch")
    labelled = orders.rename(columns={k: c["label"] for k, c in priced(ORDER_COLUMNS).items()})
    downloads(labelled, "suggested-orders", "pull-orders")
