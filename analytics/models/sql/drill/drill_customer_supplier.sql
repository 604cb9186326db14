-- Customer OTIF by the supplier its misses are traced to: the supplier level of the Review
--   drill-down (METRICS.md section 12).
-- grain: one row per supplier its traced misses owe to, and one (key null) for the rest:
--   OTIF lines and misses not traced to a PO line.
-- definition: each due customer line counts 1, split over the suppliers of its traced
--   misses in proportion to what each owed (customer_miss_lines' share); due_order_lines
--   and otif_order_lines are these parts summed, so the groups add up to the KPI's
--   counts (a traced line is never OTIF). Filters: $sku, $category, $site; $supplier.
-- inputs: order_lines, customer_miss_lines
with due as (
    select * from order_lines where is_due
),

shares as (
    select order_number, order_line, supplier, sum(share) as share
    from customer_miss_lines
    group by order_number, order_line, supplier
),

parts as (
    select d.is_otif, d.filled_qty, d.ordered_qty, s.supplier, coalesce(s.share, 1.0) as part
    from due as d
    left join shares as s on s.order_number = d.order_number and s.order_line = d.order_line
),

final as (
    select
        supplier as key,
        sum(part) as due_order_lines,
        sum(case when is_otif then part else 0 end) as otif_order_lines,
        sum(filled_qty * part) as filled_qty,
        sum(ordered_qty * part) as ordered_qty
    from parts
    group by 1
)

select * from final
