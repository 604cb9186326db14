"""Tests of the repository itself: the import floors (import-linter), analytics without
Streamlit, docs/reliability.md naming tests that exist, and the shipped server settings."""
