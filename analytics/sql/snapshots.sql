-- Inventory snapshots in the period, valued (METRICS.md section 5).
-- grain: one row per snapshot (date, sku, location) dated in [$start, $end], on or before $as_of.
-- definition: value = on_hand_qty x the sku's unit cost (null when the cost is unknown).
--   Filters: $sku, $category.
-- inputs: stg_inventory, dim_sku
with final as (
    select
        i.date, i.sku, dim.category, i.location, i.on_hand_qty, dim.unit_cost,
        i.on_hand_qty * dim.unit_cost as value
    from stg_inventory as i
    left join dim_sku as dim on dim.sku = i.sku
    where i.date between $start and $end
      and i.date <= $as_of
      and ($sku is null or i.sku = $sku)
      and ($category is null or dim.category = $category)
)

select * from final
