-- Customer service figures per group: one level of the Review drill-down (section 5).
-- grain: one row per value of $by ('sku', 'category' or 'site') among customer lines due in
--   the period; the one empty site ('') is the key null.
-- definition: the counts of kpi_customer per group: due lines, OTIF lines, filled units
--   (shipped, capped at ordered) and ordered units. Filters: $sku, $category, $site.
-- inputs: order_lines
with final as (
    select
        case cast($by as varchar)
            when 'sku' then sku
            when 'category' then category
            when 'site' then nullif(site, '')
        end as key,
        count(*) as due_order_lines,
        sum(case when is_otif then 1 else 0 end) as otif_order_lines,
        sum(filled_qty) as filled_qty,
        sum(ordered_qty) as ordered_qty
    from order_lines
    where is_due
    group by 1
)

select * from final
