"""The sidebar filters every page shares, kept in the URL so any view is a shareable link.

Each widget is bound to a query parameter (`bind="query-params"`), so the filters survive
page switches, reloads and links. `sidebar_scope()` renders them and returns the Scope the
analytics functions take.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from analytics.models.params import Scope, period_of, scope_text
from ui.cache import call

PERIODS = ["Last 12 months", "Last 13 weeks", "Last 4 weeks", "Year to date", "Custom"]
ALL = "All"
ALL_SITES = "All sites"
# A select lists at most this many values; past it, any value can be typed. Every run sends
# the sidebar's options to the browser: 20,000 SKUs were a 189 kB message and 0.5 s of the
# first page at 10M delivery lines (bench/results.md, issue 15).
LIST_LIMIT = 1000


def sidebar_scope() -> Scope:
    """Render the shared filters in the sidebar; return what they select."""
    options = call("choices")
    latest = options["latest"] or date.today()
    with st.sidebar:
        st.subheader("Filters")
        choice = st.selectbox(
            "Period",
            PERIODS,
            key="period",
            bind="query-params",
            help="The period every figure covers, ending at the latest event in the "
            "data (a receipt, shipment, order, defect or stock count) unless you choose "
            "dates.",
        )
        if choice == "Custom":
            start, end = _custom_period(latest)
        else:
            start, end = period_of(choice, latest)
        as_of = st.date_input(
            "As of",
            value=None,
            key="asof",
            bind="query-params",
            format="YYYY-MM-DD",
            max_value=date(2100, 1, 1),
            help="Judge open lines as of this date. Empty: the latest event in the "
            f"data ({latest}); promised and requested dates are plans and never move it.",
        )
        supplier = _pick("Supplier", options["suppliers"], "supplier")
        category = _pick("Category", options["categories"], "category")
        sku = _pick("SKU", options["skus"], "sku")
        site = _site(options["sites"])
    return Scope(
        start=start,
        end=end,
        as_of=as_of,
        supplier=supplier,
        sku=sku,
        category=category,
        site=site,
    )


def _site(sites: list[str]) -> str | None:
    """The Site select, only where the data has more than one site (METRICS.md 1a): one
    site is the whole data, and a select with one choice only takes room."""
    if len(sites) < 2:
        return None
    picked = st.selectbox(
        "Site",
        [ALL_SITES, *sites],
        key="site",
        bind="query-params",
        format_func=lambda s: s or "(no site)",
        help="The plant or warehouse every figure covers; all sites by default.",
    )
    return None if picked == ALL_SITES else picked


def _custom_period(latest: date) -> tuple[date, date]:
    start = st.date_input(
        "From", value=date(latest.year, 1, 1), key="start", bind="query-params", format="YYYY-MM-DD"
    )
    end = st.date_input("To", value=latest, key="end", bind="query-params", format="YYYY-MM-DD")
    if start > end:
        st.error("The period starts after it ends; showing the last 12 months instead.")
        return period_of("Last 12 months", latest)
    return start, end


def _pick(label: str, values: list[str], key: str) -> str | None:
    """All, or one of `values`. A long list shows its first LIST_LIMIT values and takes any
    other typed in or given by a link (the options stay the same, so the choice is kept
    from run to run); a value not in the data is refused with a warning, and the figures
    cover all."""
    long = len(values) > LIST_LIMIT
    typed = {
        "accept_new_options": True,
        "help": f"{len(values):,} in the data: the list shows the first {LIST_LIMIT:,}; type "
        "any other and press Enter.",
    }
    picked = st.selectbox(
        label, [ALL, *values[:LIST_LIMIT]], key=key, bind="query-params", **(typed if long else {})
    )
    if picked in (None, ALL):
        return None
    if long and picked not in values:  # the select shows what was typed; not repeated here
        st.warning(
            f"No {label} of that name in the data: the figures cover all.",
            icon=":material/search_off:",
        )
        return None
    return picked


def scope_caption(scope: Scope) -> str:
    """One line saying what the figures cover, for the top of every page."""
    return scope_text(scope)


def current_scope() -> Scope:
    """The scope app.py rendered for this run (pages call this, not the widgets).

    A page run without app.py (Streamlit's AppTest after its first run; on a server, only
    until `ui.boot.ensure_app` reruns it through app.py) renders the filters itself, so it
    never works on an empty scope.
    """
    scope = st.session_state.get("takt_scope")
    if scope is None:
        scope = sidebar_scope()
        st.session_state["takt_scope"] = scope
    return scope
