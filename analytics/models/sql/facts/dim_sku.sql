-- Every sku with its master data and its one unit cost for the whole analysis.
-- stored: order_by=sku; key=sku
-- grain: one row per sku that appears in any table.
-- definition: unit_cost = the item master's cost; else the mean cost of the sku's latest
--   snapshot date that has one; else the received-quantity-weighted mean delivery cost
--   (reversals weigh negative; a net received quantity of 0 or less gives none); else null
--   (unknown, never 0). container_qty defaults to 1.
-- inputs: stg_items, stg_inventory, stg_deliveries, stg_orders, stg_defects
with skus as (
    select sku from stg_items
    union select sku from stg_inventory
    union select sku from stg_deliveries
    union select sku from stg_orders
    union select sku from stg_defects
),

costed_snapshots as (
    select sku, date, unit_cost, max(date) over (partition by sku) as latest_date
    from stg_inventory
    where unit_cost is not null
),

snapshot_cost as (
    select sku, avg(unit_cost) as unit_cost
    from costed_snapshots
    where date = latest_date
    group by sku
),

delivery_cost as (
    select
        sku,
        case when sum(received_qty) > 0
             then sum(received_qty * unit_cost) / sum(received_qty) end as unit_cost
    from stg_deliveries
    where received_date is not null and unit_cost is not null
    group by sku
),

final as (
    select
        skus.sku,
        i.description,
        i.category,
        coalesce(i.container_qty, 1) as container_qty,
        i.planned_lead_time_days,
        coalesce(i.unit_cost, s.unit_cost, d.unit_cost) as unit_cost,
        case
            when i.unit_cost is not null then 'item master'
            when s.unit_cost is not null then 'inventory snapshot'
            when d.unit_cost is not null then 'deliveries'
        end as cost_source
    from skus
    left join stg_items as i on i.sku = skus.sku
    left join snapshot_cost as s on s.sku = skus.sku
    left join delivery_cost as d on d.sku = skus.sku
)

select * from final
