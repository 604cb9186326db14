-- Inventory KPIs of the period (METRICS.md section 5).
-- grain: one row.
-- definition: avg_inventory_value = mean over the distinct snapshot dates in the period of
--   the value at that date; cogs = shipped_qty x unit cost over lines shipped in the period;
--   inventory_turnover = cogs / avg_inventory_value x 365 / days; dio_days = 365 / turnover.
-- inputs: snapshots, order_lines
with by_date as (
    select date, sum(value) as value
    from snapshots
    group by date
),

stock as (
    select count(*) as snapshot_dates, avg(value) as avg_inventory_value from by_date
),

shipped as (
    select
        count(*) as shipped_lines,
        case when count(case when shipped_qty <> 0 then 1 end) > 0
                  and count(case when shipped_qty <> 0 then unit_cost end) = 0 then null
             else coalesce(sum(shipped_qty * unit_cost), 0) end as cogs
    from order_lines
    where shipped_date between $start and $end
),

turnover as (
    select
        stock.*,
        shipped.*,
        cogs / nullif(avg_inventory_value, 0) * 365.0
            / (date_diff('day', $start, $end) + 1) as inventory_turnover
    from stock cross join shipped
),

final as (
    select *, 365.0 / nullif(inventory_turnover, 0) as dio_days
    from turnover
)

select * from final
