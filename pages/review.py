"""The Review page (Review step): a placeholder that shows what the store holds."""

import streamlit as st

from analytics.db import Store
from analytics.overview import table_counts
from analytics.schema import TABLES

st.title("Review")
st.write(
    "Improvement actions and their before/after checks will come here, with control charts "
    "that show whether a change held."
)
counts = table_counts(Store.shared())
for column, (table, rows) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(TABLES[table].label, f"{rows:,}", help="Rows in the database")
