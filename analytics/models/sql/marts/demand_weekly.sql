-- Weekly customer demand per sku and site, the series a forecast is fitted to (METRICS.md
--   section 14).
-- grain: one row per (sku, site, week_no) with ordered quantity in the 156 weeks ending at
--   $as_of; weeks without orders have no row (the forecast fills them with zeros).
-- definition: week_no = floor((as_of - order_date) / 7): 0 is the 7 days ending at $as_of,
--   1 the 7 days before, ... up to 155 (as the weeks of XYZ); qty = sum of ordered_qty of
--   the customer order lines (cancelled lines left out) ordered in that week.
--   Filters: $sku, $site.
-- inputs: stg_orders
with recent as (
    select sku, site, order_date, ordered_qty
    from stg_orders
    where order_date between $as_of - 1091 and $as_of
      and ($site is null or site = $site)
      and ($sku is null or sku = $sku)
),

final as (
    select
        sku,
        site,
        cast(floor(date_diff('day', order_date, $as_of) / 7) as integer) as week_no,
        sum(ordered_qty) as qty
    from recent
    group by all
)

select * from final
