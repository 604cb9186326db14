"""The Pareto tab: defect causes of the focus, largest first, and who is behind a cause.

The measure (`measure`) and the chosen cause (`cause`) are bound to the URL; a bar click
sets the cause through the chart's selection callback (see `state`), and changing the
measure clears it. A chosen cause shows its suppliers and its defect events.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics.charts.review import pareto
from analytics.review.view import MEASURES, ReviewView, column_label
from ui.cache import call, currency
from ui.review.state import clear, pick_from_chart
from ui.widgets import MONEY, downloads, priced


def pareto_tab(view: ReviewView) -> ReviewView:
    """Defect causes of the focus, largest first; a click shows a cause's suppliers and events."""
    view = replace(view, measure=measure_picker() or "qty")
    focus, _ = view.focus()
    rows = call("pareto", focus, measure=view.measure)
    if not rows:
        st.info(
            "No defects in this period and focus. Import defect records on the Data page to "
            "see their causes.",
            icon=":material/info:",
        )
        return view
    pareto_chart(view, rows)
    cause = st.selectbox(
        "Cause",
        [r["cause"] for r in rows],
        index=None,
        key="cause",
        bind="query-params",
        placeholder="Click a bar or choose a cause",
    )
    if cause is not None:
        cause_detail(view, focus, cause)
    return replace(view, cause=cause)


def measure_picker() -> str | None:
    """Units or cost, bound to the URL; a new measure ranks causes anew, so it clears one."""
    return st.segmented_control(
        "Measure defects by",
        list(MEASURES),
        default="qty",
        required=True,
        key="measure",
        bind="query-params",
        format_func=MEASURES.get,
        on_change=clear,
        args=("cause",),
    )


def pareto_chart(view: ReviewView, rows: list[dict]) -> None:
    """Bars and the running share; a click on a bar chooses its cause."""
    key = f"pareto-{view.measure}"
    st.plotly_chart(
        pareto(rows, view.measure, currency=currency()),
        key=key,
        width="stretch",
        on_select=pick_from_chart(key, [r["cause"] for r in rows], "cause"),
        selection_mode="points",
        config={"displayModeBar": False},
    )
    vital = sum(1 for r in rows if r["vital_few"])
    st.caption(
        f"The red bars are the vital few: the {vital} of {len(rows)} causes that together "
        "reach 80% of the total. Fixing them moves the figure; the grey ones are the useful "
        "many. The line is the running share. Click a bar to see who and what is behind it."
    )


def cause_detail(view: ReviewView, focus, cause: str) -> None:
    """The suppliers and the defect events of one cause, with their downloads."""
    suppliers = pd.DataFrame(call("pareto_suppliers", cause, focus, measure=view.measure))
    st.dataframe(
        suppliers,
        hide_index=True,
        column_config=priced({
            "supplier": "Supplier",
            "events": st.column_config.NumberColumn("Events", format="localized"),
            "qty": st.column_config.NumberColumn("Defective units", format="localized"),
            "cost": st.column_config.NumberColumn("Cost", format=MONEY),
            "value": None,
            "share": st.column_config.NumberColumn("Share of the cause", format="percent"),
        }),
    )  # fmt: skip
    downloads(suppliers, "cause-suppliers", key="dl-cause-suppliers")
    events = pd.DataFrame(call("cause_events", cause, focus))
    st.caption(f"The {len(events):,} defect events of this cause in the period and focus.")
    st.dataframe(
        events, hide_index=True, column_config={c: column_label(c) for c in events.columns}
    )
    downloads(events, "cause-events", key="dl-cause-events")
