"""Streamlit-side helpers shared by the pages: filters in the URL, cached analytics, widgets.

Everything that computes stays in `analytics`; this package only reads widgets, caches
results per data version and renders.
"""
