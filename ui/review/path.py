"""The drill path: dimension, group and sku of the focus, bound to the URL.

`by`, `node` and `node_sku` are widgets bound to the query parameters, so the link a
meeting shares opens the same node. They are changed here, by a bar click (see `state`) or
by the breadcrumbs; a change at one level clears the levels below it. The focus reached
here applies to every tab.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analytics.review.drill import GROUPINGS
from analytics.review.view import DIMENSIONS, PLURALS, ReviewView
from ui.cache import call
from ui.review.state import PATH_KEYS, clear


def path_bar(kpi_name: str, scope) -> ReviewView:
    """Dimension, group and sku of the focus: bound to the URL, changed by clicks or here."""
    view = ReviewView(kpi_name, scope)
    groupings = shown_groupings(kpi_name)
    if not groupings:
        return view
    left, middle, right = st.columns([2, 2, 2])
    with left:
        by = st.radio(
            "Break down by",
            groupings,
            key="by",
            bind="query-params",
            horizontal=True,
            format_func=DIMENSIONS.get,
            on_change=clear,
            args=PATH_KEYS,
        )
    view = replace(view, by=by)
    groups = call("breakdown", kpi_name, by, scope)
    with middle:
        node = st.selectbox(
            DIMENSIONS[by],
            [g["key"] for g in groups if g["key"] is not None],
            index=None,
            key="node",
            bind="query-params",
            placeholder=f"All {PLURALS[by]}: click a bar or choose",
            on_change=clear,
            args=("node_sku",),
        )
    view = replace(view, node=node)
    if node is None or view.next_by != "sku":
        return view
    return replace(view, node_sku=sku_picker(view, right))


def shown_groupings(kpi_name: str) -> list[str]:
    """The KPI's groupings; by site only where the data has more than one (as the sidebar)."""
    several = len(call("choices")["sites"]) > 1
    return [by for by in GROUPINGS[kpi_name] if by != "site" or several]


def sku_picker(view: ReviewView, column) -> str | None:
    """The sku within the chosen group (in `column`), from that group's own breakdown."""
    focus, cause = view.focus()
    skus = call("breakdown", view.kpi, "sku", focus, cause=cause)
    with column:
        return st.selectbox(
            "SKU",
            [g["key"] for g in skus if g["key"] is not None],
            index=None,
            key="node_sku",
            bind="query-params",
            placeholder="All its SKUs: click a bar or choose",
        )


def breadcrumbs(view: ReviewView) -> None:
    """Buttons back up the path, and the path itself in words (names shown as plain text)."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.button(
            f"All {PLURALS[view.by]}",
            icon=":material/arrow_upward:",
            on_click=clear,
            args=PATH_KEYS,
            disabled=view.node is None,
            type="tertiary",
        )
        if view.by != "sku" and view.node is not None:
            st.button(
                f"All SKUs of this {DIMENSIONS[view.by].lower()}",
                icon=":material/arrow_upward:",
                on_click=clear,
                args=("node_sku",),
                disabled=view.node_sku is None,
                type="tertiary",
            )
    st.text(" › ".join(view.trail()))
