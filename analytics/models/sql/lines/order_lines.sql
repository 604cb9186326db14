-- Service outcome of every customer order line in the chosen scope (METRICS.md section 5).
-- grain: one row per customer order line ordered on or before $as_of.
-- definition: order_line_facts (open_qty: still to ship, 0 once closed) plus is_due = requested date in [$start, $end] and
--   (complete or requested < $as_of). Filters: $sku, $category, $site.
-- inputs: order_line_facts
with final as (
    select
        order_number, order_line, customer, sku, category, site, order_date, requested_date,
        shipped_on as shipped_date, ordered_qty, shipped_units as shipped_qty, filled_qty,
        unit_price, unit_cost, is_complete, is_otif, open_qty,
        requested_date between $start and $end
            and (is_complete or requested_date < $as_of) as is_due
    from order_line_facts
    where ($sku is null or sku = $sku)
      and ($category is null or category = $category)
      and ($site is null or site = $site)
)

select * from final
