"""The app in a real browser: `streamlit run app.py` driven by Debian's chromium (Playwright)."""
