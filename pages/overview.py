"""The Overview page (Manage step): a placeholder that shows what the store holds."""

import streamlit as st

from analytics.db import Store
from analytics.overview import table_counts
from analytics.schema import TABLES

st.title("Overview")
st.write(
    "The plant's JIT scorecard will live here: supplier OTIF, lead-time reliability, "
    "inventory turns and days of cover, defect rates and the cost of waste, each with its "
    "trend."
)
counts = table_counts(Store.shared())
for column, (table, rows) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(TABLES[table].label, f"{rows:,}", help="Rows in the database")
