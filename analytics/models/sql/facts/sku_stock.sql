-- Stock position of every sku at $as_of: cover, excess and dead stock (METRICS.md section 5).
-- stored: order_by=sku; depends=as_of,demand_start,dead_start,target_cover,sku,category,site; at_default_as_of
-- grain: one row per sku with a snapshot on or before $as_of.
-- definition: on_hand_qty = the latest snapshot on or before $as_of of each of the sku's
--   sites, summed over the sites and their locations (with $site, that site's only);
--   snapshot_date = the latest of those dates; daily_demand = customer ordered quantity
--   (of $site, when chosen) with an order date in [$demand_start, $as_of] (90 days) / 90; days_of_cover = on_hand / daily_demand;
--   excess_qty = max(0, on_hand - $target_cover x daily_demand), valued at the unit cost;
--   dead = on_hand > 0 and no demand in [$dead_start, $as_of]. Filters: $sku, $category, $site.
-- inputs: stg_inventory, stg_orders, dim_sku
with latest as (
    select sku, site, max(date) as snapshot_date
    from stg_inventory
    where date <= $as_of
      and ($site is null or site = $site)
    group by sku, site
),

on_hand as (
    select i.sku, max(l.snapshot_date) as snapshot_date, sum(i.on_hand_qty) as on_hand_qty
    from stg_inventory as i
    inner join latest as l
        on l.sku = i.sku and l.site = i.site and l.snapshot_date = i.date
    group by i.sku
),

demand as (
    select
        sku,
        sum(case when order_date >= $demand_start then ordered_qty else 0 end) as demand_90d,
        max(order_date) as last_demand_date
    from stg_orders
    where order_date <= $as_of
      and ($site is null or site = $site)
    group by sku
),

positions as (
    select
        h.sku, dim.category, dim.description, dim.unit_cost, h.snapshot_date, h.on_hand_qty,
        coalesce(d.demand_90d, 0) / 90.0 as daily_demand,
        d.last_demand_date
    from on_hand as h
    left join demand as d on d.sku = h.sku
    left join dim_sku as dim on dim.sku = h.sku
),

final as (
    select
        *,
        on_hand_qty * unit_cost as on_hand_value,
        on_hand_qty / nullif(daily_demand, 0) as days_of_cover,
        greatest(on_hand_qty - $target_cover * daily_demand, 0) as excess_qty,
        case when on_hand_qty <= $target_cover * daily_demand then 0
             else (on_hand_qty - $target_cover * daily_demand) * unit_cost end as excess_value,
        on_hand_qty > 0 and (last_demand_date is null or last_demand_date < $dead_start)
            as is_dead
    from positions
    where ($sku is null or sku = $sku)
      and ($category is null or category = $category)
)

select * from final
