-- The unit counts behind the fill rate, for Fisher's test of an action (section 10).
-- grain: one row.
-- definition: filled units (shipped, capped at ordered) and ordered units over customer
--   lines due in the period: fill_rate = filled_qty / ordered_qty. Filters: $sku, $category,
--   $site.
-- inputs: order_lines
with final as (
    select
        coalesce(sum(filled_qty), 0) as filled_qty,
        coalesce(sum(ordered_qty), 0) as ordered_qty
    from order_lines
    where is_due
)

select * from final
