"""The Settings tab: the rules every figure follows, shown to all, changed by editors.

It owns the form `settings-form`. Its number inputs are not keyed, so a value saved
elsewhere replaces a stale one instead of being undone; a save recomputes the stored
delivery outcomes and is announced after the rerun that shows the new values.
"""

from __future__ import annotations

import streamlit as st

from analytics.formatting import currency_code
from analytics.metrics.planning import (
    SETTING_FIELDS,
    check_settings,
    current_settings,
    setting_bounds,
    setting_from_display,
    setting_to_display,
)
from analytics.store.schema import SETTINGS, TEXT_SETTINGS
from ui.cache import currency, store
from ui.design.widgets import flash, show_flash
from ui.writes import EditRefused, save_currency, save_settings


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
            currency_input(disabled=True)
        return
    with st.form("settings-form", border=True):
        shown = setting_inputs(stored)
        code = currency_input()
        submitted = st.form_submit_button("Save settings", type="primary", icon=":material/save:")
    show_flash("settings")
    if submitted:
        apply_settings({n: setting_from_display(n, v) for n, v in shown.items()}, code)


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


def currency_input(disabled: bool = False) -> str:
    """The money unit, an ISO 4217 code; not keyed, like the number inputs."""
    st.markdown("**Money**")
    column = st.columns(4)[0]
    return column.text_input(
        "Currency",
        value=currency(),
        max_chars=3,
        help=f"{TEXT_SETTINGS['currency'][1]}. An ISO 4217 code such as EUR, USD, GBP, CHF. "
        "Amounts in another currency are converted with the imported rates file; those "
        "without a rate are left out of money figures and counted.",
        disabled=disabled,
    )


def apply_settings(values: dict[str, float], code: str | None = None) -> None:
    errors = check_settings(values)
    try:
        code = None if code is None else currency_code(code)
    except ValueError as error:  # checked first, so nothing is saved half
        errors.append(f"The {error}.")
    for text in errors:
        st.error(text, icon=":material/error:")
    if errors:
        return
    try:
        with st.spinner("Saving and recomputing the stored outcomes…"):
            changed = save_settings(store(), values)
            if code is not None and save_currency(store(), code):
                changed = {**changed, "currency": code}
    except (ValueError, EditRefused) as error:
        st.error(f"The settings were not saved: {error}")
        return
    if not changed:
        st.info("No setting was changed.")
        return
    labels = ", ".join("Currency" if n == "currency" else SETTING_FIELDS[n].label for n in changed)
    flash("settings", f"Saved: {labels}. Every figure now uses the new settings.")
