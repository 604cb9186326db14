"""The Design page (Design step): a placeholder that shows what the store holds."""

import streamlit as st

from analytics.db import Store
from analytics.overview import table_counts
from analytics.schema import TABLES

st.title("Design")
st.write(
    "Plan the flow here: ABC-XYZ classes, safety stock, reorder points and kanban loop "
    "sizes per item."
)
counts = table_counts(Store.shared())
for column, (table, rows) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(TABLES[table].label, f"{rows:,}", help="Rows in the database")
