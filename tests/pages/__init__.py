"""app.py and every page of pages/ in Streamlit's AppTest, on the demo data."""
