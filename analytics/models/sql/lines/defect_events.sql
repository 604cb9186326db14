-- Defects in the period with their cost (METRICS.md section 4).
-- grain: one row per defect event dated in [$start, $end] and on or before $as_of.
-- definition: cost = the event's cost, else qty x the sku's unit cost, else null (unknown);
--   an event whose cost is in a currency without a rate has an unknown cost.
--   Filters: $supplier (defects attributed to it), $sku, $category, $site.
-- inputs: stg_defects, dim_sku
with final as (
    select
        d.defect_id, d.date, d.sku, dim.category, d.site, d.supplier, d.po_number, d.stage,
        d.cause, d.qty, d.disposition, d.cost as recorded_cost,
        case when not d.money_unconverted then coalesce(d.cost, d.qty * dim.unit_cost) end
            as cost
    from stg_defects as d
    left join dim_sku as dim on dim.sku = d.sku
    where d.date between $start and $end
      and d.date <= $as_of
      and ($supplier is null or d.supplier = $supplier)
      and ($sku is null or d.sku = $sku)
      and ($category is null or dim.category = $category)
      and ($site is null or d.site = $site)
)

select * from final
