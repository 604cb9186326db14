"""The Design page: what the plant aims for, the rules the figures follow, the pull system's size.

UI only: targets through `analytics.targets`, settings and what-ifs through
`analytics.planning`, figures through `ui.cache.call`, charts from `analytics.charts.design`.
Text from the data (skus, descriptions, categories) is shown only in tables and chart labels.
Viewers and read-only serving see targets and settings without the means to change them;
the writes go through `ui.writes`, which checks the role again.
"""

from datetime import date

import pandas as pd
import streamlit as st

from analytics.charts.design import abc_xyz_heatmap, drift_map
from analytics.formatting import format_delta, format_value
from analytics.metrics.planning import (
    SETTING_FIELDS,
    abc_xyz_matrix,
    changed_targets,
    check_settings,
    current_settings,
    filter_sizing,
    setting_bounds,
    setting_from_display,
    setting_to_display,
    sizing_totals,
    target_from_display,
    target_table,
    what_if,
)
from analytics.metrics.registry import KPIS
from analytics.models.params import Scope
from analytics.store.schema import SETTINGS
from ui.auth import can_edit, gate, read_only_notice
from ui.cache import call, store
from ui.scope import current_scope, scope_caption
from ui.widgets import downloads, shown, user_text
from ui.writes import EditRefused, save_settings, set_baseline, set_target

ALL_KPIS = "All KPIs"
QTY, MONEY = "%,.1f", "€ %,.0f"


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")
    st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")


def flash(where: str, text: str) -> None:
    """A success message that survives the rerun showing the saved values, shown `where`."""
    st.session_state["design-flash"] = (where, text)
    st.rerun()


def show_flash(where: str) -> None:
    if st.session_state.get("design-flash", ("",))[0] == where:
        st.success(st.session_state.pop("design-flash")[1], icon=":material/check_circle:")


def table(df: pd.DataFrame, columns: dict, name: str, key: str) -> None:
    """A labelled, formatted table with its CSV and Excel downloads."""
    st.dataframe(shown(df), column_config=columns, column_order=list(columns), hide_index=True)
    labelled = df[list(columns)].rename(columns={k: c["label"] for k, c in columns.items()})
    downloads(labelled, name, key)


# -- targets and baselines ------------------------------------------------------------------
TARGET_COLUMNS = {
    "label": st.column_config.TextColumn("KPI", width="medium"),
    "current": st.column_config.TextColumn("Current", help="Over the period and filters chosen"),
    "status": st.column_config.TextColumn("Against target"),
    "target": st.column_config.NumberColumn(
        "Target ✎",
        help="Type rates as percentages: 95 means 95%. Empty: no target.",
        min_value=0.0,
        format="localized",
    ),
    "unit": st.column_config.TextColumn("Unit of target"),
    "better": st.column_config.TextColumn("Better"),
    "baseline": st.column_config.TextColumn("Baseline"),
    "baseline_period": st.column_config.TextColumn("Baseline period"),
}


def targets_tab(scope: Scope, has_data: bool, editable: bool) -> None:
    st.caption(
        "What the plant aims for, per KPI, shared by the whole team. "
        + (
            "Edit a target in the ✎ column and save: rates are typed as percentages (95 "
            "means 95%), days in days, money in euros. "
            if editable
            else ""
        )
        + "The current value covers the period and filters in the sidebar."
    )
    head = call("overview", scope) if has_data else {}
    rows = target_table(call("targets"), head)
    frame = pd.DataFrame(rows)
    height = 35 * (len(rows) + 1) + 3
    if editable:
        edited = st.data_editor(
            frame,
            key="targets-editor",
            column_config=TARGET_COLUMNS,
            column_order=list(TARGET_COLUMNS),
            disabled=[c for c in frame.columns if c != "target"],
            hide_index=True,
            width="stretch",
            height=height,
        )
        if st.button("Save targets", type="primary", icon=":material/save:"):
            save_targets(rows, edited)
        show_flash("targets")
    else:
        columns = {**TARGET_COLUMNS, "target": {**TARGET_COLUMNS["target"], "label": "Target"}}
        st.dataframe(
            frame,
            column_config=columns,
            column_order=list(TARGET_COLUMNS),
            hide_index=True,
            width="stretch",
            height=height,
        )
    labelled = frame[list(TARGET_COLUMNS)].rename(
        columns={k: c["label"] for k, c in TARGET_COLUMNS.items()}
    )
    downloads(labelled, "targets", "targets")
    if editable:
        baseline_form(head)


def save_targets(rows: list[dict], edited: pd.DataFrame) -> None:
    """Store each changed target; a refused one is named and the others are kept."""
    before = {r["kpi"]: r["target"] for r in rows}
    changes = changed_targets(before, dict(zip(edited["kpi"], edited["target"], strict=True)))
    saved, errors = [], []
    for kpi, typed in changes.items():
        try:
            set_target(store(), kpi, target_from_display(kpi, typed))
            saved.append(KPIS[kpi].label)
        except (ValueError, EditRefused) as error:
            errors.append(str(error))
    for text in errors:
        st.error(text, icon=":material/error:")
    if saved and not errors:
        del st.session_state["targets-editor"]
        flash("targets", f"Saved {len(saved)} target(s): {', '.join(saved)}.")
    elif saved:
        st.success(
            f"Saved {len(saved)} target(s): {', '.join(saved)}.", icon=":material/check_circle:"
        )
    elif not errors:
        st.info("No target was changed.")


def baseline_form(head: dict) -> None:
    st.subheader("Compute a baseline")
    st.caption(
        "A baseline is where a KPI stood over a reference period, computed by the same query "
        "as the figure itself, plant-wide (the sidebar filters do not apply). Improvement is "
        "judged against it."
    )
    end = head.get("end") or date.today()
    with st.form("baseline-form", border=True):
        kpi = st.selectbox(
            "KPI",
            [ALL_KPIS, *KPIS],
            format_func=lambda k: k if k == ALL_KPIS else KPIS[k].label,
            key="baseline-kpi",
        )
        left, right = st.columns(2)
        start = left.date_input(
            "From", value=head.get("start") or end, key="baseline-start", format="YYYY-MM-DD"
        )
        end = right.date_input("To", value=end, key="baseline-end", format="YYYY-MM-DD")
        submitted = st.form_submit_button("Compute baseline", icon=":material/calculate:")
    show_flash("baseline")
    if submitted:
        store_baselines(list(KPIS) if kpi == ALL_KPIS else [kpi], start, end)


def store_baselines(names: list[str], start: date, end: date) -> None:
    if start > end:
        st.error("The baseline period starts after it ends: choose a From date before To.")
        return
    try:
        values = {k: set_baseline(store(), k, start, end) for k in names}
    except (ValueError, EditRefused) as error:
        st.error(f"The baseline could not be computed: {error}.")
        return
    shown = ", ".join(f"{KPIS[k].label} {format_value(v, KPIS[k].unit)}" for k, v in values.items())
    flash("baseline", f"Baseline {start:%d %b %Y} – {end:%d %b %Y} stored: {shown}.")


# -- settings -------------------------------------------------------------------------------
def settings_tab(editable: bool) -> None:
    st.caption(
        "The rules every figure follows. "
        + (
            "Changing one recomputes the stored delivery outcomes and every page for "
            "everybody; percentages are typed as 95 for 95%."
            if editable
            else "Shown as they are: changing them needs the editor role."
        )
    )
    stored = current_settings(store())
    if not editable:
        with st.container(border=True):
            setting_inputs(stored, disabled=True)
        return
    with st.form("settings-form", border=True):
        shown = setting_inputs(stored)
        submitted = st.form_submit_button("Save settings", type="primary", icon=":material/save:")
    show_flash("settings")
    if submitted:
        apply_settings({n: setting_from_display(n, v) for n, v in shown.items()})


def setting_inputs(stored: dict, disabled: bool = False) -> dict:
    shown = {}
    groups = dict.fromkeys(f.group for f in SETTING_FIELDS.values())
    for group in groups:
        st.markdown(f"**{group}**")
        names = [n for n, f in SETTING_FIELDS.items() if f.group == group]
        for column, name in zip(st.columns(4), names, strict=False):
            with column:
                shown[name] = setting_input(name, stored[name], disabled)
    return shown


def setting_input(name: str, value: float, disabled: bool = False):
    """Not keyed, so a value saved elsewhere replaces a stale one instead of being undone."""
    field = SETTING_FIELDS[name]
    low, high = setting_bounds(name)
    decimals = 0 if field.whole else (2 if field.step < 1 else 1)
    return st.number_input(
        field.label,
        min_value=low,
        max_value=high,
        value=setting_to_display(name, value),
        step=int(field.step) if field.whole else float(field.step),
        format="%d" if field.whole else f"%.{decimals}f",
        help=f"{SETTINGS[name][1]}. Allowed: {low:g} to {high:g}.",
        disabled=disabled,
    )


def apply_settings(values: dict[str, float]) -> None:
    errors = check_settings(values)
    for text in errors:
        st.error(text, icon=":material/error:")
    if errors:
        return
    try:
        with st.spinner("Saving and recomputing the stored outcomes…"):
            changed = save_settings(store(), values)
    except (ValueError, EditRefused) as error:
        st.error(f"The settings were not saved: {error}")
        return
    if not changed:
        st.info("No setting was changed.")
        return
    labels = ", ".join(SETTING_FIELDS[n].label for n in changed)
    flash("settings", f"Saved: {labels}. Every figure now uses the new settings.")


# -- pull-system sizing ---------------------------------------------------------------------
SIZING_COLUMNS = {
    "sku": st.column_config.TextColumn("SKU"),
    "description": st.column_config.TextColumn("Description"),
    "drift_icon": st.column_config.TextColumn(
        "Drift", help="⚠: measured lead time is more than 20% away from the planned one"
    ),
    "abc_class": st.column_config.TextColumn("ABC"),
    "xyz_class": st.column_config.TextColumn("XYZ"),
    "daily_demand": st.column_config.NumberColumn("Demand / day", format=QTY),
    "daily_demand_sd": st.column_config.NumberColumn("Demand sd", format=QTY),
    "lead_time_mean_days": st.column_config.NumberColumn("Lead time (d)", format=QTY),
    "lead_time_sd_days": st.column_config.NumberColumn("Lead time sd (d)", format=QTY),
    "planned_lead_time_days": st.column_config.NumberColumn("Planned (d)", format=QTY),
    "lead_time_drift_days": st.column_config.NumberColumn("Drift (d)", format="%+.1f"),
    "safety_stock": st.column_config.NumberColumn("Safety stock", format="%,.0f"),
    "reorder_point": st.column_config.NumberColumn("Reorder point", format="%,.0f"),
    "kanban_cards": st.column_config.NumberColumn("Kanban cards", format="%,.0f"),
    "container_qty": st.column_config.NumberColumn("Per container", format="%,.0f"),
    "on_hand_qty": st.column_config.NumberColumn("On hand", format="%,.0f"),
    "days_of_cover": st.column_config.NumberColumn("Days of cover", format="%,.0f"),
    "excess_value": st.column_config.NumberColumn("Excess value", format=MONEY),
    "is_dead": st.column_config.CheckboxColumn("Dead"),
    "unit_cost": st.column_config.NumberColumn("Unit cost", format="€ %,.2f"),
}
CELL_COLUMNS = {
    "abc_class": st.column_config.TextColumn("Value class"),
    "xyz_class": st.column_config.TextColumn("Variability class"),
    "skus": st.column_config.NumberColumn("SKUs", format="%,d"),
    "consumption_value": st.column_config.NumberColumn("Value a year", format=MONEY),
    "safety_stock_value": st.column_config.NumberColumn("Safety stock value", format=MONEY),
    "policy": st.column_config.TextColumn("Suggested replenishment", width="medium"),
}


def sizing_tab(scope: Scope, has_data: bool) -> None:
    rows = call("sku_sizing", scope) if has_data else []
    if not rows:
        empty_state("No demand, lead times or stock to size yet: import orders and deliveries.")
        return
    st.caption(
        "Per SKU: demand over the last 90 days, supplier lead time measured over the period, "
        "and the safety stock, reorder point and kanban cards they call for. Try another "
        "service level or safety factor: nothing is saved, the stored settings stay."
    )
    service, factor = what_if_sliders(current_settings(store()))
    resized = what_if(rows, service, factor)
    sizing_metrics(sizing_totals(rows), sizing_totals(resized))
    sizing_table(resized)
    charts(resized)


def what_if_sliders(stored: dict) -> tuple[float, float]:
    """Service level and kanban safety factor to try, starting from the stored ones.

    Not keyed: when the stored settings change, the sliders start again from them."""
    left, right = st.columns(2, gap="large")
    service = left.slider(
        "Service level (what-if)",
        80.0,
        99.9,
        value=min(max(round(stored["service_level"] * 100, 1), 80.0), 99.9),
        step=0.1,
        format="%.1f%%",
        help=f"Chance of not running out during a lead time. Stored: {stored['service_level']:.1%}",
    )
    factor = right.slider(
        "Kanban safety factor (what-if)",
        0,
        100,
        value=min(int(round(stored["kanban_safety_factor"] * 100)), 100),
        step=5,
        format="%d%%",
        help=f"Extra loop demand. Stored: {stored['kanban_safety_factor']:.0%}",
    )
    return service / 100, factor / 100


def sizing_metrics(stored: dict, tried: dict) -> None:
    """Totals with the what-if sliders; the change from the stored settings as the delta."""
    cols = st.columns(4)
    for column, key, label in (
        (cols[0], "safety_stock_value", "Safety stock value"),
        (cols[1], "loop_value", "Stock in kanban loops"),
    ):
        column.metric(
            label,
            format_value(tried[key], "money"),
            delta=format_delta(tried[key] - stored[key], "money")
            if tried[key] != stored[key]
            else None,
            delta_color="off",
            help="At unit cost, with the what-if sliders. With the stored settings: "
            + format_value(stored[key], "money"),
        )
    cols[2].metric(
        "Kanban cards",
        f"{tried['kanban_cards']:,.0f}",
        delta=f"{tried['kanban_cards'] - stored['kanban_cards']:+,.0f}"
        if tried["kanban_cards"] != stored["kanban_cards"]
        else None,
        delta_color="off",
    )
    cols[3].metric(
        "SKUs with lead-time drift",
        f"{stored['drift_skus']:,}",
        help="Measured lead time more than 20% away from the planned one.",
    )
    if stored["uncosted"]:
        st.caption(f"{stored['uncosted']:,} sized SKUs have no known unit cost and are not valued.")


def sizing_table(rows: list[dict]) -> None:
    left, right = st.columns([2, 1])
    classes = left.multiselect(
        "ABC class", ["A", "B", "C", "none"], default=["A", "B", "C", "none"], key="sizing-abc"
    )
    drift_only = right.toggle("Only SKUs with drift", key="sizing-drift")
    shown = filter_sizing(rows, classes, drift_only)
    st.markdown(f"**{len(shown):,} of {len(rows):,} SKUs**, highest yearly value first")
    frame = pd.DataFrame(shown, columns=[*rows[0].keys(), "drift_icon"])
    frame["drift_icon"] = ["⚠ drift" if r["drift_flag"] else "" for r in shown]
    table(frame, SIZING_COLUMNS, "pull-sizing", "sizing")


def charts(rows: list[dict]) -> None:
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("ABC-XYZ planning matrix")
        st.caption(
            "ABC ranks SKUs by consumption value over 365 days; XYZ grades how much weekly "
            "demand swings. Steady high-value SKUs suit a kanban loop; erratic low-value ones "
            "are better ordered on demand. Hover a cell for the suggested replenishment."
        )
        cells = abc_xyz_matrix(rows)
        st.plotly_chart(abc_xyz_heatmap(cells), width="stretch", key="abc-xyz")
    with right:
        st.subheader("Lead-time drift")
        st.caption(
            "Each point is a SKU with a planned lead time in the item master. In the green band "
            "the measured lead time is within 20% of the plan; red points are SKUs sized with "
            "a planned lead time that no longer holds."
        )
        st.plotly_chart(drift_map(rows), width="stretch", key="drift-map")
    table(pd.DataFrame(cells), CELL_COLUMNS, "abc-xyz-matrix", "matrix")


gate()
st.title("Design")
st.caption("Set what the plant aims for, the rules the figures follow, and size the pull system.")
editable = can_edit()
if not editable:
    read_only_notice()
scope = current_scope()
has_data = call("choices")["latest"] is not None
if has_data:
    user_text(scope_caption(scope))
else:
    empty_state("There is no data yet. Targets and settings can be set now; import data to size.")
targets, settings, sizing = st.tabs(["Targets and baselines", "Settings", "Pull-system sizing"])
with targets:
    targets_tab(scope, has_data, editable)
with settings:
    settings_tab(editable)
with sizing:
    sizing_tab(scope, has_data)
