-- Stock figures per group: one level of the Review drill-down (section 5).
-- grain: one row per value of $by ('sku', 'category' or 'site'; the empty site '' is the key
--   null) with snapshots, shipments or stock.
-- definition: inventory_value = the group's snapshot value summed over the period's snapshot
--   dates / the number of distinct snapshot dates in scope (so the groups add up to
--   avg_inventory_value); cogs = shipped qty x unit cost of lines shipped in the period;
--   excess_value at $as_of (sku_stock: a position per sku, so none by site); skus = distinct
--   skus behind the group.
--   Filters: $sku, $category, $site.
-- inputs: snapshots, order_lines, sku_stock
with stock_groups as (
    select
        case cast($by as varchar)
            when 'sku' then sku
            when 'category' then category
            when 'site' then nullif(site, '')
        end as key,
        sku,
        sum(value) / (select count(distinct date) from snapshots) as inventory_value,
        cast(null as double) as cogs,
        cast(null as double) as excess_value
    from snapshots
    group by 1, 2
),

shipped_groups as (
    select
        case cast($by as varchar)
            when 'sku' then sku
            when 'category' then category
            when 'site' then nullif(site, '')
        end as key,
        sku,
        cast(null as double) as inventory_value,
        sum(shipped_qty * unit_cost) as cogs,
        cast(null as double) as excess_value
    from order_lines
    where shipped_date between $start and $end
    group by 1, 2
),

excess_groups as (
    select
        case cast($by as varchar) when 'sku' then sku when 'category' then category end as key,
        sku,
        cast(null as double) as inventory_value,
        cast(null as double) as cogs,
        sum(excess_value) as excess_value
    from sku_stock
    where cast($by as varchar) <> 'site'
    group by 1, 2
),

final as (
    select
        key,
        count(distinct sku) as skus,
        sum(inventory_value) as inventory_value,
        sum(cogs) as cogs,
        sum(excess_value) as excess_value
    from (
        select * from stock_groups
        union all select * from shipped_groups
        union all select * from excess_groups
    ) as parts
    group by key
)

select * from final
