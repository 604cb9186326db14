"""The seven wastes: what the period's waste cost, valued in money where the data allows.

The money wastes build a waterfall to their total; the write-off exposure of dead stock
stands beside the total (a stock at the as-of date, never added to it); waiting is counted
in days beside them; the wastes these inputs cannot measure are named with what they would
need. The ledger is a downloadable table in an expander (`waste-ledger`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.charts.waste import waste_waterfall
from analytics.formatting import format_value
from analytics.metrics.waste import (
    day_rows,
    ledger_table,
    money_rows,
    money_total,
    stock_rows,
    unmeasurable_rows,
)
from analytics.models.params import Scope
from ui.cache import call, currency
from ui.waste.widgets import MONEY, table
from ui.widgets import load_view

WHY_NOT = {
    "Transport": "Needs moves between sites and stores (routes, distances, trips).",
    "Motion": "Needs observations of people at work stations.",
    "Over-processing": "Needs routings and process steps, set against what the customer pays for.",
}
LEDGER_COLUMNS = {
    "waste": st.column_config.TextColumn("Waste"),
    "cost": st.column_config.NumberColumn("Cost", format=MONEY),
    "days": st.column_config.NumberColumn("Days", format="%,d"),
    "measured": st.column_config.TextColumn("Measured"),
    "basis": st.column_config.TextColumn("Basis", width="large"),
}


def ledger_section(scope: Scope, settings: dict) -> None:
    st.subheader("The seven wastes")
    st.caption(
        "What the period's waste cost, valued in money where the data allows. Inventory is "
        f"stock above {settings['target_cover_days']:.0f} days of cover held at "
        f"{settings['holding_cost_rate']:.0%} a year (dead stock is all excess); defects "
        "are the cost of poor quality. Hover a bar for how it was counted."
    )
    if scope.supplier:
        st.caption(
            "With a supplier chosen, over-delivery, early arrival, late days and defects are "
            "that supplier's; inventory and stock-out days stay the plant's."
        )
    view = load_view(ledger_view, scope)
    ledger = view["ledger"]
    left, right = st.columns([3, 2], gap="large")
    with left:
        money_wastes(ledger, view["total"], view["waterfall"])
    with right:
        day_wastes(ledger)
        unmeasurable_wastes(ledger)
    with st.expander("The waste ledger as a table"):
        table(view["table"], LEDGER_COLUMNS, "waste-ledger", "waste-ledger")


def ledger_view(scope: Scope) -> dict:
    """The ledger, its total, waterfall and table (ui.widgets.load_view)."""
    ledger = call("waste", scope)
    total = money_total(ledger)
    waterfall = waste_waterfall(money_rows(ledger), total, currency=currency()) if total else None
    table = pd.DataFrame(ledger_table(ledger))
    return {"ledger": ledger, "total": total, "waterfall": waterfall, "table": table}


def money_wastes(ledger: list[dict], total, waterfall) -> None:
    left, right = st.columns(2)
    left.metric(
        "Total waste (money)",
        format_value(total, "money", currency()),
        help="Sum of the wastes valued in money. Waiting is counted in days, so not added.",
    )
    for row in stock_rows(ledger):
        right.metric(
            "Write-off exposure (dead stock)",
            format_value(row["value"], "money", currency()),
            help="Value on hand at the as-of date of the SKUs nobody has asked for: what a "
            "write-off would cost. A stock, not money spent in the period, so not added to "
            "the total; its holding cost is in Inventory.",
        )
        right.caption(row["basis"])
    if total:
        st.plotly_chart(waterfall, width="stretch", key="waste-waterfall")
    else:
        st.info("No waste valued in money in this period.", icon=":material/info:")


def day_wastes(ledger: list[dict]) -> None:
    for row in day_rows(ledger):
        with st.container(border=True):
            st.metric(
                f"{row['waste']} (days, not money)",
                format_value(row["value"], "days"),
                help="Late line-days of supplier deliveries plus days a sku in demand "
                "had no stock. Counted in days: it has no price in these inputs.",
            )
            st.caption(row["basis"])


def unmeasurable_wastes(ledger: list[dict]) -> None:
    st.markdown("**Not measurable from these inputs**")
    for row in unmeasurable_rows(ledger):
        with st.container(border=True):
            st.markdown(f":gray[**{row['waste']}** · not measurable from these inputs]")
            st.caption(WHY_NOT.get(row["waste"], "No input holds what it would need."))
