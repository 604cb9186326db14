-- Excess and dead stock value at each snapshot date, by week or month (METRICS.md section 5).
-- grain: one row per $grain bucket with snapshots; the bucket's last snapshot date counts.
-- definition: at snapshot date t, a sku's daily demand = ordered qty in the 90 days ending
--   at t / 90; excess = max(0, on hand at t - $target_cover x daily demand) x unit cost;
--   the bucket shows the excess at its last snapshot date. $site (via snapshots) also
--   narrows the demand to that site's orders.
-- inputs: snapshots, stg_orders
with on_hand as (
    select date, sku, max(unit_cost) as unit_cost, sum(on_hand_qty) as on_hand_qty
    from snapshots
    group by date, sku
),

last_dates as (
    select cast(date_trunc($grain, date) as date) as bucket, max(date) as date
    from on_hand
    group by cast(date_trunc($grain, date) as date)
),

demand as (
    select h.date, h.sku, sum(o.ordered_qty) / 90.0 as daily_demand
    from on_hand as h
    inner join last_dates as l on l.date = h.date
    inner join stg_orders as o
        on o.sku = h.sku and date_diff('day', o.order_date, h.date) between 0 and 89
        and ($site is null or o.site = $site)
    group by h.date, h.sku
),

final as (
    select
        l.bucket,
        l.date as snapshot_date,
        count(*) as skus,
        sum(greatest(h.on_hand_qty - $target_cover * coalesce(d.daily_demand, 0), 0)
            * h.unit_cost) as excess_value
    from last_dates as l
    inner join on_hand as h on h.date = l.date
    left join demand as d on d.date = h.date and d.sku = h.sku
    group by l.bucket, l.date
)

select * from final
