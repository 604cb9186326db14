"""Takt's analytics: everything that reads, checks, stores and computes. No Streamlit here."""
