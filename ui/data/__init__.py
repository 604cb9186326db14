"""The Data page's forms, one module each, so pages/data.py holds only its layout.

Text that came from a user's file (names, headers, values, messages quoting them) is only
ever shown through st.text or st.dataframe, never as markdown. Every write goes through
`ui.writes`, which checks the role again on the server.
"""
