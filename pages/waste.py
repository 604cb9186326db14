"""The Refine page: what the seven wastes cost, where stock is tied up, and which skus to act on.

UI only: the figures come from `analytics.kpis` (through the cache) and the small helpers of
`analytics.waste`; charts from `analytics.charts.waste`. Text from the data (skus,
descriptions, categories) is only shown in tables and chart labels, never as markdown.
"""

import pandas as pd
import streamlit as st

from analytics.charts import trend
from analytics.charts.design import abc_xyz_heatmap
from analytics.charts.waste import cover_bands, waste_waterfall
from analytics.formatting import format_delta, format_value
from analytics.metrics.planning import abc_xyz_matrix
from analytics.metrics.waste import (
    count_excess,
    cover_distribution,
    day_rows,
    excess_and_dead,
    ledger_table,
    money_rows,
    money_total,
    stock_settings,
    unclassified_skus,
    unmeasurable_rows,
)
from analytics.models.params import Scope
from ui.auth import gate
from ui.cache import call, store
from ui.scope import current_scope, scope_caption
from ui.widgets import downloads, shown, user_text

MONEY = "€ %,.0f"
QTY = "%,.0f"
WHY_NOT = {
    "Transport": "Needs moves between sites and stores (routes, distances, trips).",
    "Motion": "Needs observations of people at work stations.",
    "Over-processing": "Needs routings and process steps, set against what the customer pays for.",
}
STOCK_COLUMNS = {
    "sku": st.column_config.TextColumn("SKU"),
    "description": st.column_config.TextColumn("Description", width="medium"),
    "excess_value": st.column_config.NumberColumn("Excess value", format=MONEY),
    "excess_qty": st.column_config.NumberColumn("Excess qty", format=QTY),
    "days_of_cover": st.column_config.NumberColumn("Days of cover", format=QTY),
    "is_dead": st.column_config.CheckboxColumn("Dead"),
    "on_hand_qty": st.column_config.NumberColumn("On hand", format=QTY),
    "daily_demand": st.column_config.NumberColumn("Daily demand", format="%,.1f"),
    "last_demand_date": st.column_config.DateColumn("Last demand", format="YYYY-MM-DD"),
    "on_hand_value": st.column_config.NumberColumn("On-hand value", format=MONEY),
    "unit_cost": st.column_config.NumberColumn("Unit cost", format="€ %,.2f"),
    "category": st.column_config.TextColumn("Category"),
    "snapshot_date": st.column_config.DateColumn("Stock counted", format="YYYY-MM-DD"),
}

ABC_XYZ_COLUMNS = {
    "abc_class": st.column_config.TextColumn("Value class"),
    "xyz_class": st.column_config.TextColumn("Variability class"),
    "skus": st.column_config.NumberColumn("SKUs", format="%,d"),
    "consumption_value": st.column_config.NumberColumn("Consumption value", format=MONEY),
    "policy": st.column_config.TextColumn("Suggested replenishment", width="medium"),
}


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")
    st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")


def load(name: str, *args):
    """A cached analytics call; a choice the figures cannot be computed for stops the page."""
    try:
        return call(name, *args)
    except ValueError as error:
        st.error("These figures cannot be computed for the chosen filters. Please change them.")
        user_text(str(error))
        st.stop()


def table(df: pd.DataFrame, columns: dict, name: str, key: str) -> None:
    """A table with labelled, formatted columns and its CSV and Excel downloads."""
    st.dataframe(shown(df), column_config=columns, hide_index=True, width="stretch")
    labelled = df.rename(columns={k: c["label"] for k, c in columns.items() if k in df})
    downloads(labelled, name, key)


def ledger_section(scope: Scope, settings: dict) -> None:
    st.subheader("The seven wastes")
    st.caption(
        "What the period's waste cost, valued in money where the data allows. Inventory is "
        f"stock above {settings['target_cover_days']:.0f} days of cover held at "
        f"{settings['holding_cost_rate']:.0%} a year, plus dead stock; defects are the cost "
        "of poor quality. Hover a bar for how it was counted."
    )
    if scope.supplier:
        st.caption(
            "With a supplier chosen, over-delivery, early arrival, late days and defects are "
            "that supplier's; inventory and stock-out days stay the plant's."
        )
    ledger = load("waste", scope)
    steps, total = money_rows(ledger), money_total(ledger)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.metric(
            "Total waste (money)",
            format_value(total, "money"),
            help="Sum of the wastes valued in money. Waiting is counted in days, so not added.",
        )
        if total:
            fig = waste_waterfall(steps, total)
            st.plotly_chart(fig, width="stretch", key="waste-waterfall")
        else:
            st.info("No waste valued in money in this period.", icon=":material/info:")
    with right:
        for row in day_rows(ledger):
            with st.container(border=True):
                st.metric(
                    f"{row['waste']} (days, not money)",
                    format_value(row["value"], "days"),
                    help="Late line-days of supplier deliveries plus days a sku in demand "
                    "had no stock. Counted in days: it has no price in these inputs.",
                )
                st.caption(row["basis"])
        st.markdown("**Not measurable from these inputs**")
        for row in unmeasurable_rows(ledger):
            with st.container(border=True):
                st.markdown(f":gray[**{row['waste']}** · not measurable from these inputs]")
                st.caption(WHY_NOT.get(row["waste"], "No input holds what it would need."))
    with st.expander("The waste ledger as a table"):
        table(
            pd.DataFrame(ledger_table(ledger)),
            {
                "waste": st.column_config.TextColumn("Waste"),
                "cost": st.column_config.NumberColumn("Cost", format=MONEY),
                "days": st.column_config.NumberColumn("Days", format="%,d"),
                "measured": st.column_config.TextColumn("Measured"),
                "basis": st.column_config.TextColumn("Basis", width="large"),
            },
            "waste-ledger",
            "waste-ledger",
        )


def stock_section(scope: Scope, settings: dict) -> None:
    st.subheader("Excess and dead stock")
    stock = load("table_rows", "sku_stock", scope)
    if not stock:
        empty_state("No inventory snapshots yet: import an on-hand stock file to see cover.")
        return
    head = load("overview", scope)
    cover, dead = settings["target_cover_days"], settings["dead_stock_days"]
    st.caption(
        f"Stock at the as-of date. Excess is what lies above {cover:.0f} days of average "
        f"daily demand (last 90 days); dead stock has had no customer demand for {dead:.0f} "
        "days."
        + (" The supplier filter does not apply: stock is the plant's." if scope.supplier else "")
    )
    cols = st.columns(4)
    cols[0].metric("Excess stock", format_value(head["excess_value"], "money"))
    cols[1].metric("Dead stock", format_value(head["dead_stock_value"], "money"))
    cols[2].metric("SKUs above target cover", f"{count_excess(stock):,} of {len(stock):,}")
    cols[3].metric("Dead SKUs", f"{head['dead_skus'] or 0:,}")
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown("**SKUs by days of cover**")
        st.plotly_chart(cover_bands(cover_distribution(stock)), width="stretch", key="cover")
    with right:
        st.markdown("**Reading the bands**")
        st.caption(
            "Each bar counts SKUs by how many days their stock on hand would last at the "
            "average daily demand of the last 90 days; its label is the money on hand in "
            "the band."
        )
        st.caption(
            ":orange[Under 5 days]: little buffer, a late delivery means a stock-out. "
            ":green[5–10 days]: lean cover. 10–30 days: some buffer. "
            ":orange[30–90 days] and :red[90+ days]: stock tied up for months. "
            ":red[No demand]: nothing ordered in 90 days."
        )
    listed = excess_and_dead(stock)
    st.markdown(f"**{len(listed):,} SKUs with excess or dead stock**, most money first")
    frame = pd.DataFrame(listed, columns=list(STOCK_COLUMNS))
    table(frame, STOCK_COLUMNS, "excess-stock", "excess")


def abc_xyz_section(scope: Scope, settings: dict) -> None:
    st.subheader("ABC-XYZ: where the value sits and how steady its demand is")
    sizing = load("sku_sizing", scope)
    cells = abc_xyz_matrix(sizing)
    if not any(c["skus"] for c in cells):
        empty_state("No customer demand with a known cost yet: import orders to classify skus.")
        return
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.plotly_chart(abc_xyz_heatmap(cells), width="stretch", key="abc-xyz")
    with right:
        a, b = settings["abc_cutoff_a"], settings["abc_cutoff_b"]
        x, y = settings["xyz_cutoff_x"], settings["xyz_cutoff_y"]
        st.caption(
            "ABC ranks SKUs by consumption value over the last 365 days: A makes the first "
            f"{a:.0%} of the value, B the next {b - a:.0%}, C the rest. XYZ grades how much "
            f"weekly demand swings (coefficient of variation): X up to {x:.2g}, Y up to "
            f"{y:.2g}, Z above, or fewer than 4 weeks with demand. The table below suggests "
            "a replenishment rule for each cell."
        )
        missing = unclassified_skus(sizing)
        if missing:
            st.caption(
                f"{missing:,} SKU{'s' if missing > 1 else ''} without a class: "
                "no consumption value with a known cost in the last 365 days."
            )
    frame = pd.DataFrame(cells, columns=list(ABC_XYZ_COLUMNS))
    table(frame, ABC_XYZ_COLUMNS, "abc-xyz", "abc-xyz")


def trend_section(scope: Scope) -> None:
    st.subheader("Inventory value and turns")
    grain = st.segmented_control(
        "Trend by", ["month", "week"], default="month", key="waste-grain", format_func=str.title
    )
    rows = load("series", "series_inventory", grain or "month", scope)
    if not rows:
        empty_state("No inventory snapshots or shipments in this period.")
        return
    head = load("overview", scope)
    target = load("targets")["inventory_turnover"]["target"]
    st.caption(
        "Average value on hand per snapshot date, and turns = cost of goods shipped / "
        "average inventory, annualised. The dashed line is the turns target."
    )
    left, right = st.columns(2, gap="large")
    buckets = [r["bucket"] for r in rows]
    with left:
        st.metric("Average inventory", format_value(head["avg_inventory_value"], "money"))
        values = [r["avg_inventory_value"] for r in rows]
        counts = [r["snapshot_dates"] for r in rows]
        fig = trend(buckets, values, "money", "Average inventory", counts=counts)
        st.plotly_chart(fig, width="stretch", key="inventory-value")
    with right:
        turns = head["inventory_turnover"]
        gap = None if turns is None or target is None else turns - target
        st.metric(
            "Inventory turns",
            format_value(turns, "ratio"),
            delta=None if gap is None else f"{format_delta(gap, 'ratio')} vs target",
            help="Higher is better: stock turns into sales faster.",
        )
        values = [r["inventory_turnover"] for r in rows]
        counts = [r["shipped_lines"] for r in rows]
        fig = trend(buckets, values, "ratio", "Inventory turns", target=target, counts=counts)
        st.plotly_chart(fig, width="stretch", key="inventory-turns")


gate()
st.title("Waste and stock")
scope = current_scope()
if call("choices")["latest"] is None:
    empty_state("There is no data yet. Import deliveries, orders, defects and stock on Data.")
    st.stop()
if scope.start:  # app.py sets the scope; a page run on its own has none
    user_text(scope_caption(scope))
settings = stock_settings(store())
ledger_section(scope, settings)
stock_section(scope, settings)
abc_xyz_section(scope, settings)
trend_section(scope)
