"""The KPI registry: what each headline figure is, how it is shown, and where it comes from.

Pages render a KPI's label, unit and definition card from here; the Review drill-down uses
`rows_model` and `rows_filter` to list the rows a figure was computed from; trend charts
use `series_model`. A test fails when a KPI or SQL model is missing here or in docs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kpi:
    name: str
    label: str
    unit: str  # "rate" (0..1), "days", "ppm", "money", "ratio" or "index"
    higher_is_better: bool
    grain: str
    definition: str
    model: str  # the one-row model that computes it
    count_column: str  # the count behind the figure (how much data it rests on)
    series_model: str
    rows_model: str  # the model listing the rows behind it
    rows_filter: str = ""  # boolean column of rows_model that selects them ("" = all)


_DUE = "PO lines promised in the period that are complete or past their promised date"


def _k(*args, **kwargs) -> Kpi:
    return Kpi(*args, **kwargs)


KPIS: dict[str, Kpi] = {
    k.name: k
    for k in (
        _k(
            "otif_rate",
            "Supplier OTIF",
            "rate",
            True,
            "PO line",
            "Share of due PO lines whose quantity received by the promised date (plus the late "
            "tolerance) reaches the ordered quantity (less the in-full tolerance). Due: "
            + _DUE
            + ". Split receipts count together; over-delivery is in full.",
            "kpi_delivery",
            "due_lines",
            "series_delivery",
            "po_lines",
            "is_due",
        ),
        _k(
            "on_time_rate",
            "On time",
            "rate",
            True,
            "PO line",
            "Share of due PO lines whose last receipt came by the promised date plus the late "
            "tolerance. A due line with no receipt is late.",
            "kpi_delivery",
            "due_lines",
            "series_delivery",
            "po_lines",
            "is_due",
        ),
        _k(
            "in_full_rate",
            "In full",
            "rate",
            True,
            "PO line",
            "Share of due PO lines whose received quantity reaches the ordered quantity less the "
            "in-full tolerance, whenever it arrived. Over-delivery is in full.",
            "kpi_delivery",
            "due_lines",
            "series_delivery",
            "po_lines",
            "is_due",
        ),
        _k(
            "early_rate",
            "Early arrivals",
            "rate",
            False,
            "PO line",
            "Share of due PO lines with a receipt whose first receipt came more than the early "
            "tolerance before the promised date. Early lines are on time but waste stock.",
            "kpi_delivery",
            "due_received_lines",
            "series_delivery",
            "po_lines",
            "is_due",
        ),
        _k(
            "lead_time_mean_days",
            "Lead time (mean)",
            "days",
            False,
            "PO line",
            "Mean days from order date to last receipt over PO lines whose last receipt is in "
            "the period.",
            "kpi_delivery",
            "lead_time_lines",
            "series_lead_time",
            "po_lines",
            "has_receipt",
        ),
        _k(
            "lead_time_sd_days",
            "Lead time spread (sd)",
            "days",
            False,
            "PO line",
            "Sample standard deviation (n-1) of lead time over the same lines: the spread safety "
            "stock has to cover.",
            "kpi_delivery",
            "lead_time_lines",
            "series_lead_time",
            "po_lines",
            "has_receipt",
        ),
        _k(
            "lead_time_p95_days",
            "Lead time (p95)",
            "days",
            False,
            "PO line",
            "95th percentile of lead time by linear interpolation over the same lines.",
            "kpi_delivery",
            "lead_time_lines",
            "series_lead_time",
            "po_lines",
            "has_receipt",
        ),
        _k(
            "defect_ppm",
            "Supplier defects (PPM)",
            "ppm",
            False,
            "defect event / receipt",
            "Defective units attributed to suppliers, dated in the period, per million units "
            "received in the period.",
            "kpi_quality",
            "received_qty",
            "series_quality",
            "defect_events",
        ),
        _k(
            "copq",
            "Cost of poor quality",
            "money",
            False,
            "defect event",
            "Sum of defect costs in the period, all stages; a defect without a recorded cost is "
            "valued at its quantity times the sku's unit cost.",
            "kpi_quality",
            "defect_events",
            "series_quality",
            "defect_events",
        ),
        _k(
            "avg_inventory_value",
            "Average inventory",
            "money",
            False,
            "snapshot date",
            "Mean, over the snapshot dates in the period, of on-hand quantity times unit cost "
            "summed over skus and locations.",
            "kpi_inventory",
            "snapshot_dates",
            "series_inventory",
            "snapshots",
        ),
        _k(
            "cogs",
            "Cost of goods sold",
            "money",
            True,
            "customer order line",
            "Shipped quantity times unit cost over customer lines shipped in the period.",
            "kpi_inventory",
            "shipped_lines",
            "series_inventory",
            "order_lines",
        ),
        _k(
            "inventory_turnover",
            "Inventory turns",
            "ratio",
            True,
            "period",
            "COGS / average inventory value, annualised (x 365 / days in the period).",
            "kpi_inventory",
            "snapshot_dates",
            "series_inventory",
            "snapshots",
        ),
        _k(
            "dio_days",
            "Days inventory outstanding",
            "days",
            False,
            "period",
            "365 / inventory turns: how many days of sales the stock would last.",
            "kpi_inventory",
            "snapshot_dates",
            "series_inventory",
            "snapshots",
        ),
        _k(
            "fill_rate",
            "Fill rate",
            "rate",
            True,
            "customer order line",
            "Units shipped (capped at the ordered quantity) / units ordered over customer lines "
            "due in the period.",
            "kpi_customer",
            "due_order_lines",
            "series_customer",
            "order_lines",
            "is_due",
        ),
        _k(
            "customer_otif_rate",
            "Customer OTIF",
            "rate",
            True,
            "customer order line",
            "Share of due customer lines shipped complete by the requested date plus the late "
            "tolerance.",
            "kpi_customer",
            "due_order_lines",
            "series_customer",
            "order_lines",
            "is_due",
        ),
        _k(
            "excess_value",
            "Excess stock",
            "money",
            False,
            "sku",
            "Value of stock above target cover days of average daily demand (last 90 days), at "
            "the as-of date.",
            "kpi_stock",
            "stocked_skus",
            "series_stock",
            "sku_stock",
        ),
        _k(
            "hhi",
            "Supplier concentration (HHI)",
            "index",
            False,
            "supplier",
            "Sum of squared spend shares of suppliers in the period: near 0 = spread, 1 = one "
            "supplier. Above 0.25 is highly concentrated.",
            "kpi_risk",
            "suppliers_with_spend",
            "series_spend",
            "supplier_spend",
        ),
    )
}

# Every SQL model with the one line a reader needs; documented in docs/metrics.md too.
MODEL_ROLES = {
    "stg_deliveries": "staging",
    "stg_orders": "staging",
    "stg_defects": "staging",
    "stg_inventory": "staging",
    "stg_items": "staging",
    "cancelled_statuses": "staging (the statuses that mean cancelled)",
    "closed_statuses": "staging (the customer line statuses that mean closed: no open rest)",
    "stg_rates": "staging (exchange rates as periods of validity)",
    "money_unconverted": "mart (amounts in a currency without a rate, counted)",
    "dim_sku": "dimension",
    "po_line_facts": "outcome (materialised)",
    "po_lines": "outcome",
    "order_line_facts": "outcome (materialised)",
    "order_lines": "outcome",
    "cancelled_lines": "listing (the cancelled lines as stored, in no figure)",
    "receipt_facts": "fact (materialised)",
    "receipts": "fact",
    "defect_events": "fact",
    "snapshot_facts": "fact (materialised)",
    "snapshots": "fact",
    "sku_stock": "outcome",
    "supplier_spend": "mart",
    "lead_time_histogram": "mart",
    "supplier_scorecard": "mart",
    "single_sourced": "mart",
    "sku_planning": "mart",
    "abc_classes": "mart (materialised at the default as-of)",
    "buffer_inputs": "outcome (materialised at the default as-of: demand and lead time)",
    "pull_positions": "outcome (materialised at the default as-of: stock, supply, demand)",
    "supplier_pull_figures": "mart (materialised at the default as-of)",
    "buffer_sizing": "mart",
    "replenishment": "mart",
    "demand_weekly": "series (the weekly demand a forecast is fitted to)",
    "buffer_zones_daily": "series",
    "buffer_history": "series",
    "onhand_performance": "mart",
    "filter_values": "listing (the suppliers, skus and sites the sidebar offers)",
    "waste_ledger": "mart",
    "kpi_delivery": "kpi",
    "kpi_quality": "kpi",
    "kpi_inventory": "kpi",
    "kpi_customer": "kpi",
    "kpi_stock": "kpi",
    "kpi_risk": "kpi",
    "kpi_overview": "kpi",
    "series_delivery": "series",
    "series_lead_time": "series",
    "series_quality": "series",
    "series_inventory": "series",
    "series_customer": "series",
    "series_spend": "series",
    "series_stock": "series",
    "supplier_series": "series",
    "supplier_lead_times": "mart",
    "supplier_late_lines": "outcome",
    "supplier_defect_causes": "mart",
    "drill_delivery": "drill",
    "drill_quality": "drill",
    "drill_customer": "drill",
    "drill_customer_supplier": "drill",
    "customer_miss_lines": "outcome",
    "supplier_customer_hits": "mart",
    "drill_inventory": "drill",
    "effect_fill_units": "effect",
    "effect_lead_times": "effect",
}


def hhi_band(hhi: float | None) -> str | None:
    """The usual antitrust bands, read for a supply base."""
    if hhi is None:
        return None
    if hhi < 0.15:
        return "unconcentrated"
    return "moderately concentrated" if hhi <= 0.25 else "highly concentrated"
