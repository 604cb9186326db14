-- Customer misses traced to suppliers, per supplier (METRICS.md section 12).
-- grain: one row per supplier with at least one PO line missing for a missed customer line
--   due in the period.
-- definition: customer_lines_hit = distinct customer lines its PO lines were owed to;
--   value_hit = the sum of its shares of their value (customer_miss_lines); owed_qty = the
--   units it still owed on those lines' requested dates. Filters as customer_miss_lines.
-- inputs: customer_miss_lines
with final as (
    select
        supplier,
        count(distinct (order_number, order_line)) as customer_lines_hit,
        sum(value_hit) as value_hit,
        sum(owed_qty) as owed_qty
    from customer_miss_lines
    group by supplier
)

select * from final
