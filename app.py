"""Takt: page config, sign-in, navigation over the improvement cycle, which store, freshness.

Pages hold UI only and call `analytics`. The database is never held between reruns: every
read leases it through `Store.connect()`, so a nightly `python -m analytics load` can open
the same file while the app runs. When the deployment configures a sign-in provider
(`ui.auth`), nothing is read or shown before the user has signed in and has a role.
"""

from datetime import date

import streamlit as st

from ui.warm import start_in_background

start_in_background()  # first: the demo store and the Overview's figures, beside the imports

from analytics.store.freshness import Freshness, freshness, freshness_lines  # noqa: E402
from analytics.store.version import data_version  # noqa: E402
from ui.auth import current, gate, sidebar_identity  # noqa: E402
from ui.boot import mark_app_ran  # noqa: E402
from ui.cache import store as cache_store  # noqa: E402
from ui.scope import sidebar_scope  # noqa: E402
from ui.stores import choose, page_banner, sidebar_switch  # noqa: E402

st.set_page_config(page_title="Takt", page_icon=":material/conveyor_belt:", layout="wide")
mark_app_ran()


@st.cache_data(max_entries=16, show_spinner=False)
def freshness_text(db_path: str, version: int, today: date) -> str:
    """Keyed on the data version and the day, so it is recomputed only when either moved."""
    f = freshness(cache_store(db_path))
    return "  \n".join([latest_data_line(f, today), *freshness_lines(f)])


def latest_data_line(f: Freshness, today: date) -> str:
    """How old the newest event is: a manager should see at once when data stopped coming."""
    latest = max((d for d in f.latest.values() if d is not None), default=None)
    if latest is None:
        return "**No data yet.**"
    age = (today - latest).days
    when = "today" if age == 0 else f"{age} days ago" if age > 0 else "in the future"
    return f"**Data up to {latest:%d %b %Y}** ({when})"


pages = {
    "Manage": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True)
    ],
    "Design": [st.Page("pages/design.py", title="Design", icon=":material/architecture:")],
    "Pull": [st.Page("pages/pull.py", title="Pull", icon=":material/shopping_cart:")],
    "Establish": [
        st.Page("pages/suppliers.py", title="Suppliers", icon=":material/local_shipping:")
    ],
    "Refine": [st.Page("pages/waste.py", title="Waste", icon=":material/delete_sweep:")],
    "Review": [st.Page("pages/review.py", title="Review", icon=":material/fact_check:")],
    "Data": [st.Page("pages/data.py", title="Data", icon=":material/upload_file:")],
}
now = current()
allowed = not now.must_sign_in and now.role is not None
page = st.navigation(pages, position="sidebar" if allowed else "hidden")
gate()  # stops here, asking to sign in, unless this session may see the data

# The demo plant while the user's store is empty (or when asked for); the Data page always
# works on the user's store unless the demo was asked for (ui.stores, analytics.scale.serving).
choice = choose(data_page=page.url_path == "data")
store = cache_store()
sidebar_switch(choice)
st.session_state["takt_scope"] = sidebar_scope()
with st.sidebar:
    st.caption(freshness_text(store.path, data_version(store), date.today()))
sidebar_identity(current())  # the store chosen: the demo is read-only
page_banner(choice)

page.run()
