-- Delivery outcome of every purchase-order line in the chosen scope (METRICS.md section 3).
-- grain: one row per PO line (po_number, po_line) ordered on or before $as_of.
-- definition: po_line_facts plus is_in_full (= complete) and is_due = P in [$start, $end]
--   and (complete or P < $as_of). Filters: $supplier, $sku, $category, $site
--   (null = all).
-- inputs: po_line_facts
with final as (
    select
        *,
        is_complete as is_in_full,
        promised_date between $start and $end
            and (is_complete or promised_date < $as_of) as is_due
    from po_line_facts
    where ($supplier is null or supplier = $supplier)
      and ($sku is null or sku = $sku)
      and ($category is null or category = $category)
      and ($site is null or site = $site)
)

select * from final
