-- Receipts in the period with their value (quantity base of PPM, spend of section 8).
-- grain: one row per receipt dated in [$start, $end] and on or before $as_of.
-- definition: receipt_facts in the period and scope. Filters: $supplier, $sku, $category,
--   $site.
-- inputs: receipt_facts
with final as (
    select *
    from receipt_facts
    where received_date between $start and $end
      and received_date <= $as_of
      and ($supplier is null or supplier = $supplier)
      and ($sku is null or sku = $sku)
      and ($category is null or category = $category)
      and ($site is null or site = $site)
)

select * from final
