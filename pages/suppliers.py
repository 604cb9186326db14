"""The Suppliers page (Establish step): a placeholder that shows what the store holds."""

import streamlit as st

from analytics.db import Store
from analytics.overview import table_counts
from analytics.schema import TABLES

st.title("Suppliers")
st.write(
    "Supplier delivery performance will come here: on time, in full, lead-time spread and a"
    " drill-down to every late or short receipt."
)
counts = table_counts(Store.shared())
for column, (table, rows) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(TABLES[table].label, f"{rows:,}", help="Rows in the database")
