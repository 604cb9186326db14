"""The Waste page (Refine step): a placeholder that shows what the store holds."""

import streamlit as st

from analytics.db import Store
from analytics.overview import table_counts
from analytics.schema import TABLES

st.title("Waste")
st.write(
    "The wastes to remove will come here: defect Pareto by cause and supplier, excess and "
    "dead stock, with their cost."
)
counts = table_counts(Store.shared())
for column, (table, rows) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(TABLES[table].label, f"{rows:,}", help="Rows in the database")
