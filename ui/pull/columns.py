"""How the Pull page's tables label and format their columns (shared by its tabs)."""

from __future__ import annotations

import streamlit as st

from ui.widgets import MONEY, MONEY_CENTS  # filled in with the currency by widgets.priced

QTY = "%,.0f"
PCT = "%.0f%%"
DAYS = "%.1f d"


def _n(label: str, help: str = "", fmt: str = QTY):
    return st.column_config.NumberColumn(label, format=fmt, help=help or None)


LIST_COLUMNS = {
    "sku": st.column_config.TextColumn("SKU", pinned=True),
    "site": st.column_config.TextColumn("Site"),
    "description": st.column_config.TextColumn("Description"),
    "abc_class": st.column_config.TextColumn("ABC"),
    "status": st.column_config.TextColumn("Status", help="Net flow against the zones"),
    "suggested_qty": _n("Order now", "Top of green - net flow, in whole containers"),
    "on_hand": _n("On hand", "Latest snapshot on or before the as-of date"),
    "open_supply": _n("+ Open supply", "Open PO quantity promised within the lead time"),
    "qualified_demand": _n("- Demand", "Open customer quantity due now, plus spikes"),
    "net_flow": _n("= Net flow"),
    "supplier": st.column_config.TextColumn("Supplier", help="Most received in a year"),
    "safety_stock": _n("Red to", "Safety stock"),
    "reorder_point": _n("Yellow to", "Reorder point"),
    "top_of_green": _n("Green to", "Top of green"),
    "planning_priority": _n("Priority", "Net flow / top of green: lowest first", PCT),
    "container_qty": _n("Container"),
    "overdue_supply": _n("Overdue supply", "Counted, but promised before the as-of date"),
    "later_supply": _n("Later supply", "Promised after the lead time: not counted"),
    "spike_demand": _n("Spikes", "Large customer lines due within the lead time"),
    "horizon_days": _n("Lead time (d)", "ceil(measured lead time)", "%d"),
    "supplier_otif_rate": _n("Supplier OTIF", fmt=PCT),
    "supplier_lead_time_p95_days": _n("Supplier p95", "Lead time p95", DAYS),
    "execution_status": st.column_config.TextColumn("On hand vs red", help="Execution"),
}

ORDER_COLUMNS = {
    "supplier": st.column_config.TextColumn("Supplier"),
    "sku": st.column_config.TextColumn("SKU"),
    "description": st.column_config.TextColumn("Description"),
    "site": st.column_config.TextColumn("Site"),
    "suggested_qty": _n("Quantity"),
    "container_qty": _n("Container"),
    "containers": _n("Containers"),
    "status": st.column_config.TextColumn("Status"),
    "unit_cost": _n("Unit cost", fmt=MONEY_CENTS),
    "value": _n("Value", fmt=MONEY),
}

PERFORMANCE_COLUMNS = {
    "sku": st.column_config.TextColumn("SKU"),
    "site": st.column_config.TextColumn("Site"),
    "days": _n("Snapshot days"),
    "red_share": st.column_config.ProgressColumn("In red", format="percent", min_value=0.0),
    "in_zones_share": st.column_config.ProgressColumn(
        "In the zones", format="percent", min_value=0.0
    ),
    "over_share": st.column_config.ProgressColumn("Over", format="percent", min_value=0.0),
}
