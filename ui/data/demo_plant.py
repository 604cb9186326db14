"""The demo plant, seen from the Data page: where it lives and the way to it.

The demo has a store of its own (`analytics.demo.shipped.serve_demo`); nothing here
writes to the user's store. Moving the demo's imports out of a store an earlier Takt
seeded is offered by the banner of `ui.stores` on every page.
"""

from __future__ import annotations

import streamlit as st

from analytics.scale.serving import StoreChoice
from ui.stores import DEMO, MINE


def demo_section(choice: StoreChoice) -> None:
    """A word on the demo plant and the switch to it (or back)."""
    st.header("Demo plant")
    if choice.demo:
        st.write(
            "You are looking at the demo plant's own store: it is read-only, so nothing can "
            "be imported here. Your own data lives in your store."
        )
        st.page_link("pages/data.py", label="Back to your data", query_params={"store": MINE},
                     icon=":material/arrow_back:")  # fmt: skip
        return
    st.write(
        "A made-up plant with 18 months of supplier deliveries, customer orders, defects, "
        "stock snapshots and the item master, kept in a store of its own: it never mixes "
        "with your imports. Explore it read-only at any time (also with the sidebar switch)."
    )
    st.page_link("pages/overview.py", label="Open the demo plant", query_params={"store": DEMO},
                 icon=":material/factory:")  # fmt: skip
