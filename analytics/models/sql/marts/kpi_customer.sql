-- Customer service KPIs of the period (METRICS.md section 5).
-- grain: one row.
-- definition: fill_rate = sum(min(shipped, ordered)) / sum(ordered) over due customer lines;
--   customer_otif_rate = OTIF lines / due lines.
-- inputs: order_lines
with final as (
    select
        sum(case when is_due then 1 else 0 end) as due_order_lines,
        sum(case when is_due and is_otif then 1 else 0 end) as otif_order_lines,
        sum(case when is_due then filled_qty else 0 end)
            / nullif(sum(case when is_due then ordered_qty else 0 end), 0) as fill_rate,
        1.0 * sum(case when is_due and is_otif then 1 else 0 end)
            / nullif(sum(case when is_due then 1 else 0 end), 0) as customer_otif_rate
    from order_lines
)

select * from final
