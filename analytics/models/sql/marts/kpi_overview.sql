-- Every headline KPI of the period in one row, for the overview and `kpis --json`.
-- grain: one row.
-- definition: the one-row KPI models side by side.
-- inputs: kpi_delivery, kpi_quality, kpi_inventory, kpi_customer, kpi_stock, kpi_risk
with final as (
    select *
    from kpi_delivery
    cross join kpi_quality
    cross join kpi_inventory
    cross join kpi_customer
    cross join kpi_stock
    cross join kpi_risk
)

select * from final
