-- Stock KPIs at $as_of (METRICS.md section 5): excess and dead stock in money.
-- grain: one row.
-- definition: excess_value = sum over skus of excess_qty x unit cost; dead_stock_value =
--   value on hand of dead skus (the write-off exposure of METRICS.md section 6); skus whose
--   cost is unknown are counted, not valued: a sum of which no part is known is null.
-- inputs: sku_stock
with final as (
    select
        count(*) as stocked_skus,
        case when count(case when excess_qty <> 0 then 1 end) > 0
                  and count(case when excess_qty <> 0 then unit_cost end) = 0 then null
             else coalesce(sum(excess_value), 0) end as excess_value,
        case when count(case when is_dead then 1 end) > 0
                  and count(case when is_dead then unit_cost end) = 0 then null
             else coalesce(sum(case when is_dead then on_hand_value end), 0) end
            as dead_stock_value,
        sum(case when is_dead then 1 else 0 end) as dead_skus,
        sum(case when unit_cost is null then 1 else 0 end) as skus_cost_unknown
    from sku_stock
)

select * from final
