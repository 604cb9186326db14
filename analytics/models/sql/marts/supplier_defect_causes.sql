-- Defects attributed to suppliers by cause: the quality part of a supplier's detail.
-- grain: one row per cause of defects that name a supplier, dated in the period.
-- definition: events, qty (defective units, the PPM numerator) and cost (section 4; events
--   of unknown cost left out, counted in cost_unknown_events). Filters: $supplier, $sku,
--   $category, $site.
-- inputs: defect_events
with final as (
    select
        cause,
        count(*) as events,
        sum(qty) as qty,
        sum(cost) as cost,
        sum(case when cost is null then 1 else 0 end) as cost_unknown_events
    from defect_events
    where supplier is not null
    group by cause
)

select * from final
