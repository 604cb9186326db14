"""The Overview's "Since last review" panel: the digest's signals, each with a link.

The same `analytics.review.signals.signals` the `digest` command sends, listed from the
as-of date of the last digest (or the last 7 days) or from a day chosen here (`since` in the
URL). Titles carry supplier and sku names, so they are drawn as plain text.
"""

from __future__ import annotations

import streamlit as st

from analytics.charts.digest import PAGE_NAMES
from analytics.models.params import since_default
from analytics.review.signals import KINDS
from ui.cache import call

ICONS = {
    "review": ":material/fact_check:",
    "pull": ":material/shopping_cart:",
    "design": ":material/architecture:",
    "suppliers": ":material/local_shipping:",
}


def since_last_review() -> None:
    as_of = call("as_of_date")
    if as_of is None:
        return
    # the moment the refresh stored the panel's figures for (models.stored_figures)
    default = since_default(as_of, call("last_run_as_of"))
    found_before = call("signals", default)
    # closed by default, so the KPI cards stay at the top; open when a link chose the date
    opened = "since" in st.query_params
    with st.expander(f"Since last review: {len(found_before)} signals", expanded=opened):
        since = st.date_input(
            "Since",
            value=default,
            max_value=as_of,
            key="since",
            bind="query-params",
            format="YYYY-MM-DD",
            help="Default: the as-of date of the last digest, else a week before the data ends.",
        )
        found = found_before if since == default else call("signals", since)
        if not found:
            st.success(f"Nothing new between {since} and {as_of}.", icon=":material/check:")
            return
        st.caption(f"{len(found)} new between {since} and {as_of} (the latest data).")
        for kind, label in KINDS.items():
            mine = [s for s in found if s["kind"] == kind]
            if mine:
                signal_group(label, mine)


def signal_group(label: str, found: list[dict]) -> None:
    st.markdown(f"**{label}** ({len(found)})")
    for s in found:
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.text(s["title"])
            st.page_link(
                f"pages/{s['page']}.py",
                label=f"Open {PAGE_NAMES[s['page']]}",
                icon=ICONS[s["page"]],
                query_params=s["params"],
            )
