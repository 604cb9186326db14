-- Every inventory snapshot valued, before any period is chosen (METRICS.md section 5).
-- stored: order_by=date
-- grain: one row per snapshot (date, sku, site, location).
-- definition: value = on_hand_qty x the sku's unit cost (null when the cost is unknown).
--   Materialised, sorted by date.
-- inputs: stg_inventory, dim_sku
with final as (
    select
        i.date, i.sku, dim.category, i.site, i.location, i.on_hand_qty, dim.unit_cost,
        i.on_hand_qty * dim.unit_cost as value
    from stg_inventory as i
    left join dim_sku as dim on dim.sku = i.sku
)

select * from final
