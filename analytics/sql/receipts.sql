-- Receipts in the period with their value (quantity base of PPM, spend of section 8).
-- grain: one row per receipt dated in [$start, $end] and on or before $as_of.
-- definition: value = received_qty x the row's unit cost, else the sku's unit cost (null
--   when neither is known); sku_unit_cost = the sku's one unit cost (section 1), which
--   values everything but spend. Filters: $supplier, $sku, $category.
-- inputs: stg_deliveries, dim_sku
with final as (
    select
        r.po_number, r.po_line, r.receipt_id, r.supplier, r.sku, dim.category,
        r.received_date, r.received_qty, r.promised_date,
        coalesce(r.unit_cost, dim.unit_cost) as unit_cost,
        dim.unit_cost as sku_unit_cost,
        r.received_qty * coalesce(r.unit_cost, dim.unit_cost) as value
    from stg_deliveries as r
    left join dim_sku as dim on dim.sku = r.sku
    where r.received_date between $start and $end
      and r.received_date <= $as_of
      and ($supplier is null or r.supplier = $supplier)
      and ($sku is null or r.sku = $sku)
      and ($category is null or dim.category = $category)
)

select * from final
