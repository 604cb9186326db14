-- Defects and receipts per group: one level of the Review drill-down and the Pareto (section 4).
-- grain: one row per value of $by ('supplier', 'cause', 'sku', 'category' or 'site';
--   the empty site '' is the key null) among defects
--   dated in the period and receipts in the period (receipts have no cause).
-- definition: events, defective units (all, and attributed to a supplier: the PPM
--   numerator), cost (recorded, else qty x unit cost; unknown costs left out and counted)
--   and received units (the PPM denominator; null per cause); total_received_qty is the
--   received quantity of the whole scope. $cause (null = all) keeps one cause's defects.
--   Filters: $supplier, $sku, $category, $site.
-- inputs: defect_events, receipts
with defect_groups as (
    select
        case cast($by as varchar)
            when 'supplier' then supplier
            when 'cause' then cause
            when 'sku' then sku
            when 'category' then category
            when 'site' then nullif(site, '')
        end as key,
        count(*) as events,
        sum(qty) as defect_qty,
        sum(case when supplier is not null then qty else 0 end) as supplier_defect_qty,
        sum(cost) as cost,
        sum(case when cost is null then 1 else 0 end) as cost_unknown_events,
        cast(null as double) as received_qty
    from defect_events
    where $cause is null or cause = $cause
    group by 1
),

receipt_groups as (
    select
        case cast($by as varchar)
            when 'supplier' then supplier
            when 'sku' then sku
            when 'category' then category
            when 'site' then nullif(site, '')
        end as key,
        0 as events,
        0 as defect_qty,
        0 as supplier_defect_qty,
        cast(null as double) as cost,
        0 as cost_unknown_events,
        sum(received_qty) as received_qty
    from receipts
    where cast($by as varchar) <> 'cause'
    group by 1
),

final as (
    select
        key,
        sum(events) as events,
        sum(defect_qty) as defect_qty,
        sum(supplier_defect_qty) as supplier_defect_qty,
        sum(cost) as cost,
        sum(cost_unknown_events) as cost_unknown_events,
        sum(received_qty) as received_qty,
        (select sum(received_qty) from receipts) as total_received_qty
    from (select * from defect_groups union all select * from receipt_groups) as parts
    group by key
)

select * from final
