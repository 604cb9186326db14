"""The drill-down tab: the current level's groups ranked by their part of the gap.

Each level is a bar chart of the groups that explain most of the gap against target, with
its table and downloads; a bar click opens the group (through the URL-bound path, see
`state`). Below the last level are the rows behind the figure. The notes of the node
reached close the tab.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.charts.review import drill_bars
from analytics.charts.review_tables import gap_rows
from analytics.metrics.registry import KPIS
from analytics.review.drill import GROUPINGS
from analytics.review.view import (
    DIMENSIONS,
    PLURALS,
    ReviewView,
    column_label,
    comparable,
    count_noun,
)
from ui.cache import call, currency
from ui.review.notes import notes
from ui.review.path import breadcrumbs
from ui.review.state import pick_from_chart
from ui.widgets import MONEY, downloads, priced

FORMATS = {"rate": "percent", "days": "%.1f d", "ppm": "%.0f ppm", "money": MONEY}


def drill_tab(view: ReviewView, target) -> None:
    kpi = KPIS[view.kpi]
    if not GROUPINGS[view.kpi]:
        st.info(f"{kpi.label} is a figure of the whole business: it has no breakdown.")
        return
    breadcrumbs(view)
    focus, cause = view.focus()
    if view.next_by is None:
        rows_behind(view, focus, cause)
    else:
        level_chart(view, focus, cause, target)
    notes(view)


def level_chart(view: ReviewView, focus, cause, target) -> None:
    """The current level's groups as bars; a click opens the group."""
    kpi = KPIS[view.kpi]
    rows = call("breakdown", view.kpi, view.next_by, focus, cause=cause)
    if not rows:
        st.info("No data for this figure in this period and focus.", icon=":material/info:")
        return
    judged = comparable(view.kpi, view.next_by)
    fig = drill_bars(
        rows,
        kpi.unit,
        target=target,
        higher_is_better=kpi.higher_is_better,
        noun=count_noun(view.kpi, view.next_by),
        judged=judged,
        currency=currency(),
    )
    deeper = view.next_by == view.by
    key = f"bars-{view.kpi}-{view.next_by}-{len(view.levels)}"
    st.plotly_chart(
        fig,
        key=key,
        width="stretch",
        on_select=pick_from_chart(
            key,
            [r["key"] for r in rows],
            "node" if deeper else "node_sku",
            ("node_sku",) if deeper else (),
        ),
        selection_mode="points",
        config={"displayModeBar": False},
    )
    level_caption(view, rows, judged)
    level_table(view, rows, key)


def level_caption(view: ReviewView, rows: list[dict], judged: bool) -> None:
    """How to read the bars: which groups are shown, what length and colour mean."""
    shown = min(len(rows), 15)
    colour = (
        "colour is its own figure against target (red off, orange near, green on)"
        if judged
        else "each one's figure is a part of the total, so it is not judged against the target"
    )
    st.caption(
        f"The {shown} of {len(rows)} {PLURALS[view.next_by]} that explain most of the gap "
        f"against target, largest on top. Bar length is each one's part of the gap; {colour}. "
        "Click a bar to open it."
    )


def level_table(view: ReviewView, rows: list[dict], key: str) -> None:
    """Every group of the level with its figure and its part of the gap, and downloads."""
    kpi = KPIS[view.kpi]
    table = pd.DataFrame(gap_rows(rows, kpi.unit))
    st.dataframe(
        table,
        hide_index=True,
        column_config=_breakdown_columns(view, kpi),
        height=260,
    )
    downloads(table, f"{view.kpi}-by-{view.next_by}", key=f"dl-{key}")


def _breakdown_columns(view: ReviewView, kpi) -> dict:
    number = FORMATS.get(kpi.unit, "%.2f")
    noun = count_noun(view.kpi, view.next_by)
    return priced({
        "key": st.column_config.TextColumn(DIMENSIONS[view.next_by]),
        "value": st.column_config.NumberColumn(kpi.label, format=number),
        "n": st.column_config.NumberColumn(noun[:1].upper() + noun[1:], format="localized")
        if noun
        else None,
        "contribution": st.column_config.NumberColumn(
            "Part of the gap", format="%.2f pts" if kpi.unit == "rate" else number
        ),
        "share_of_gap": st.column_config.NumberColumn("Share of the gap", format="percent"),
    })  # fmt: skip


def rows_behind(view: ReviewView, focus, cause) -> None:
    """The deepest level: the rows the figure is computed from (the first 5,000)."""
    rows = call("drill_rows", view.kpi, focus, cause=cause)
    if not rows:
        st.info("No rows behind this figure in this period.", icon=":material/info:")
        return
    table = pd.DataFrame(rows)
    st.caption(
        f"The {len(table):,} rows behind the figure at this node"
        + (" (the first 5,000)." if len(table) >= 5000 else ".")
    )
    st.dataframe(table, hide_index=True, column_config={c: column_label(c) for c in table.columns})
    downloads(table, f"{view.kpi}-rows", key="dl-rows")
