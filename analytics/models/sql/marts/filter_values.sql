-- What the sidebar's filters offer: every supplier, sku and site the data names.
-- grain: one row per (kind, value); kind 'supplier', 'sku' or 'site'.
-- definition: suppliers of deliveries and defects (not null); skus of deliveries, orders,
--   inventory and items; sites of deliveries, orders, defects and inventory, '' for rows
--   without one (METRICS.md 1a). Read from the canonical tables as stored, cancelled rows
--   included: a filter offers what the data names. Stored at refresh (a figure of
--   models.stored_figures): at 10M delivery lines the distinct values of 16.5M rows.
-- inputs: deliveries, defects, orders, inventory, items
with suppliers as (
    select supplier as value from deliveries where supplier is not null
    union
    select supplier from defects where supplier is not null
),

skus as (
    select sku as value from deliveries
    union select sku from orders
    union select sku from inventory
    union select sku from items
),

sites as (
    select coalesce(site, '') as value from deliveries
    union select coalesce(site, '') from orders
    union select coalesce(site, '') from defects
    union select coalesce(site, '') from inventory
),

final as (
    select 'supplier' as kind, value from suppliers
    union all
    select 'sku' as kind, value from skus
    union all
    select 'site' as kind, value from sites
)

select * from final
