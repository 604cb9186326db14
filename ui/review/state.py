"""How the Review page's state moves: the drill path, chart clicks and callback outcomes.

The path (`node`, `node_sku`) and the Pareto `cause` are widgets bound to the URL, and a
bound widget can only be changed through session state. So going up the path clears keys,
and a bar click sets the bound selectbox's state in the chart's selection callback. A write
runs in a callback before the page; it leaves its outcome here for that run to show once.
"""

from __future__ import annotations

import streamlit as st

PATH_KEYS = ("node", "node_sku")


def clear(*keys: str) -> None:
    """Forget the deeper levels of the path (a bound widget is changed through its state)."""
    for key in keys:
        st.session_state[key] = None


def pick_from_chart(chart_key: str, keys: list, target: str, deeper: tuple[str, ...] = ()):
    """A chart's selection callback: the clicked bar's group becomes the bound `target`."""

    def callback() -> None:
        points = st.session_state[chart_key].selection.points
        if not points:
            return
        index = points[0].get("point_index", points[0].get("point_number"))
        if index is not None and index < len(keys) and keys[index] is not None:
            st.session_state[target] = keys[index]
            clear(*deeper)

    return callback


def flash(name: str) -> None:
    """Show (once) the outcome a callback left for this run."""
    kind, message = st.session_state.pop(f"flash-{name}", (None, None))
    if kind == "success":
        st.success(message, icon=":material/check_circle:")
    elif kind == "error":
        st.error(message)
