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

-- The 90-day demand at each counted snapshot date as a running sum over day numbers: one
-- sort of the orders by sku, not a join of every order with every snapshot date.
events as (
    select sku, date_diff('day', date '2000-01-01', order_date) as day_no,
        sum(ordered_qty) as qty, 0 as counted
    from stg_orders
    where ($site is null or site = $site)
        -- only the orders some counted date's 90 days reach (the counted dates are snapshots
        -- of the period): at 10M lines most orders are older, and the window sorts them all
        and order_date between $start - 89 and least($end, $as_of)
    group by sku, order_date
    union all
    select h.sku, date_diff('day', date '2000-01-01', h.date) as day_no, 0 as qty, 1 as counted
    from on_hand as h
    inner join last_dates as l on l.date = h.date
),

demand as (
    select sku, day_no, max(ordered_90) / 90.0 as daily_demand
    from (
        select sku, day_no, counted,
            sum(qty) over (
                partition by sku order by day_no range between 89 preceding and current row
            ) as ordered_90
        from events
    )
    where counted = 1
    group by sku, day_no
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
    left join demand as d
        on d.day_no = date_diff('day', date '2000-01-01', h.date) and d.sku = h.sku
    group by l.bucket, l.date
)

select * from final
