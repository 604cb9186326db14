"""The Overview page (Manage step): is supply getting better or worse against target?

Every headline KPI as a card: its value, target and status, the change against the previous
period of the same length, a weekly sparkline, the data it rests on, its definition and a
link to the rows behind it on the Review page. Below the cards, trends by week or month with
the target line. Every figure comes through `ui.cache.call`, so a rerun on unchanged data
and filters reads only the cache.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analytics.charts.overview import (
    KEY_FOUR,
    SECTION_INPUTS,
    SECTIONS,
    count_text,
    delta_of,
    is_flat,
    spark_tone,
    sparkline,
    sparkline_html,
)
from analytics.charts.vegalite import trend_spec
from analytics.formatting import format_value, money_prefix, status
from analytics.metrics.registry import KPIS
from analytics.models.params import previous_scope
from ui import widgets
from ui.auth import gate
from ui.cache import call, currency, store
from ui.pull.card import red_card
from ui.scope import current_scope, scope_caption
from ui.signals import since_last_review
from ui.widgets import definition_card, shared_view

BADGES = {
    "good": ("On target", "green", ":material/check_circle:"),
    "watch": ("Near target", "orange", ":material/warning:"),
    "bad": ("Off target", "red", ":material/error:"),
    "unknown": ("No target", "gray", ":material/remove:"),
    "no data": ("No data", "gray", ":material/remove:"),
}
PAGE_KEYS = ("grain", "trend", "since")  # this page's own URL parameters, not passed to Review
# Sections side by side in bands four cards wide: (title, cards per row).
BANDS = (
    (("Supplier delivery", 4),),
    (("Quality", 2), ("Customers", 2)),
    (("Inventory", 3), ("Supply risk", 1)),
)
KEY_VIEW = "key"


def empty_state() -> None:
    widgets.empty_state(
        "There is no data to measure yet. Import your ERP exports (deliveries, customer "
        "orders, defects, inventory snapshots) on the Data page; the demo plant is there to "
        "explore meanwhile (sidebar switch).",
        ("deliveries", "orders", "defects", "inventory"),
    )


def drill_params(kpi_name: str) -> dict:
    """Keep the sidebar filters (they live in the URL) and name the KPI to drill into."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in PAGE_KEYS}
    return {**params, "kpi": kpi_name}


def badge(kpi_name: str, value, target) -> None:
    kpi = KPIS[kpi_name]
    state = "no data" if value is None else status(value, target, kpi.higher_is_better)
    label, color, icon = BADGES[state]
    st.badge(label, color=color, icon=icon)


def card(name: str, view: dict, target, days: int) -> None:
    """One KPI: value, change, sparkline, status, target, count, definition and drill-down."""
    kpi, now, code = KPIS[name], view["now"], view["currency"]
    value = now[name]
    weekly = view["weekly"][kpi.series_model]
    delta, delta_text = delta_of(value, view["before"].get(name), kpi.unit, code)
    flat = is_flat(delta_text)
    color = "off" if flat else ("normal" if kpi.higher_is_better else "inverse")
    with st.container(border=True):
        st.metric(
            kpi.label,
            format_value(value, kpi.unit, code),
            delta_text,
            delta_color=color,
            delta_arrow="off" if flat else "auto",
            delta_description=f"vs previous {days} days" if delta_text else None,
        )
        line = sparkline_html(
            sparkline(weekly, name), spark_tone(delta, flat, kpi.higher_is_better), kpi.label
        )
        if line:  # numbers only, drawn as an image (see sparkline_html)
            st.markdown(line, unsafe_allow_html=True)
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            badge(name, value, target)
            aim = f"Target {format_value(target, kpi.unit, code)} · " if target is not None else ""
            st.caption(aim + count_text(name, now))
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            with st.popover("Definition", icon=":material/info:", type="tertiary"):
                definition_card(name)
            st.page_link(
                "pages/review.py",
                label="Drill down",
                icon=":material/manage_search:",
                query_params=drill_params(name),
            )


def section(title: str, width: int, view: dict) -> None:
    """One section's cards, `width` to a row."""
    names, now = SECTIONS[title], view["now"]
    st.subheader(title)
    if all(now[name] is None for name in names):
        st.caption(
            f"No {SECTION_INPUTS[title]} in this period and filters: import them on the Data "
            "page to see these figures."
        )
        return
    days = (now["end"] - now["start"]).days + 1
    columns = st.columns(width)
    for i, name in enumerate(names):
        with columns[i % width]:
            card(name, view, view["targets"][name]["target"], days)


def scorecard_view(scope) -> dict:
    """What the cards show, read once per data version and scope (ui.widgets.load_view):
    a rerun reads no cached frame again."""
    now = call("overview", scope)
    models = {kpi.series_model for kpi in KPIS.values()}
    return {
        "now": now,
        "before": call("overview", previous_scope(scope, now["start"], now["end"])),
        "targets": call("targets"),
        "weekly": {m: call("series", m, "week", scope) for m in models},
        "currency": currency(),
    }


def scorecard(view: dict, scope) -> None:
    """The sections in bands of four card widths, so short sections share a row."""
    for band in BANDS:
        columns = st.columns([width for _, width in band], gap="large")
        for column, (title, width) in zip(columns, band, strict=True):
            with column:
                section(title, width, view)
                if title == "Supply risk":
                    red_card(scope)


def trends(scope, targets: dict, days: int) -> None:
    """The chosen KPI (or the key four) by week or month, each with its target line.

    Months by default over long periods (a year of weeks is noise in a meeting), weeks over
    short ones (a quarter has only three months).
    """
    st.subheader("Trends")
    default = "month" if days > 180 else "week"
    left, right = st.columns([1, 2])
    with left:
        grain = st.segmented_control(
            "Trend by",
            ["week", "month"],
            default=default,
            required=True,
            key="grain",
            bind="query-params",
            format_func=str.title,
        )
    grain = grain or default
    with right:
        shown = st.selectbox(
            "Show",
            [KEY_VIEW, *KPIS],
            key="trend",
            bind="query-params",
            format_func=lambda n: (
                "Key four: OTIF, lead time, defects, inventory" if n == KEY_VIEW else KPIS[n].label
            ),
        )
    names = KEY_FOUR if shown == KEY_VIEW else (shown,)
    height = 320 if len(names) > 1 else 440
    columns = st.columns(2 if len(names) > 1 else 1)
    for i, name in enumerate(names):
        rows = call("series", KPIS[name].series_model, grain, scope)
        target = targets[name]["target"]
        spec = trend_spec(
            rows, name, target, grain, height=height, money_prefix=money_prefix(currency())
        )
        with columns[i % len(columns)]:  # Vega-Lite: plotly's 4.7 MB held the first paint back
            st.vega_lite_chart(spec=spec, width="stretch", key=f"trend-{name}")
    st.caption(
        "Weeks start on Monday; the first and last bucket of the period may be partial. The "
        "dashed green line is the target. Hover a point to see how much data it rests on."
    )


def main() -> None:
    st.title("Overview")
    scope = current_scope()
    if call("choices")["latest"] is None:
        empty_state()
        return
    try:
        view = shared_view(scorecard_view, scope)
    except ValueError as error:
        st.error(f"These filters cannot be measured: {error}. Change the period in the sidebar.")
        return
    now, targets = view["now"], view["targets"]
    # The caption names the supplier, sku or category chosen: user text, so rendered inert.
    st.text(scope_caption(replace(scope, start=now["start"], end=now["end"])))
    if all(now[name] is None for name in KPIS):
        st.info(
            "Nothing to measure in this period with these filters. Widen the period or clear "
            "a filter in the sidebar, or import more data.",
            icon=":material/filter_alt_off:",
        )
        st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")
        return
    st.caption(
        "Each card shows the period's figure, its change against the previous period of the "
        "same length (green = better, red = worse) and its weekly trend. The badge compares it "
        "with the target set on the Design page: green at or beyond it, orange within 5%, red "
        "further off."
    )
    panel = st.container()  # drawn last: the cards first, while ui.warm counts the signals
    scorecard(view, scope)
    trends(scope, targets, (now["end"] - now["start"]).days + 1)
    with panel:
        since_last_review()


# One lease of the database for the whole run: each cached call checks the data version,
# which costs an open of the file without a lease and a fraction of a millisecond with one.
gate()
with store().connect():
    main()
