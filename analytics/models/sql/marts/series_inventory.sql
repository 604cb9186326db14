-- Inventory value, COGS, turnover and DIO by week or month (METRICS.md section 5).
-- grain: one row per $grain bucket with snapshots or shipments.
-- definition: within each bucket, the mean value over its snapshot dates, the COGS of lines
--   shipped in it, turnover = cogs / mean value x 365 / days of the bucket inside the
--   period, dio = 365 / turnover.
-- inputs: snapshots, order_lines
with values_by_date as (
    select date, sum(value) as value from snapshots group by date
),

stock as (
    select cast(date_trunc($grain, date) as date) as bucket,
           count(*) as snapshot_dates, avg(value) as avg_inventory_value
    from values_by_date
    group by cast(date_trunc($grain, date) as date)
),

shipped as (
    select cast(date_trunc($grain, shipped_date) as date) as bucket,
           count(*) as shipped_lines, sum(shipped_qty * unit_cost) as cogs
    from order_lines
    where shipped_date between $start and $end
    group by cast(date_trunc($grain, shipped_date) as date)
),

joined as (
    select
        coalesce(s.bucket, c.bucket) as bucket,
        coalesce(s.snapshot_dates, 0) as snapshot_dates,
        s.avg_inventory_value,
        coalesce(c.shipped_lines, 0) as shipped_lines,
        c.cogs
    from stock as s
    full outer join shipped as c on c.bucket = s.bucket
),

bounded as (
    select
        *,
        date_diff('day', greatest(bucket, $start), least(
            case when $grain = 'week' then bucket + 6 else last_day(bucket) end, $end)) + 1
            as days_in_period
    from joined
),

final as (
    select
        *,
        cogs / nullif(avg_inventory_value, 0) * 365.0 / days_in_period as inventory_turnover
    from bounded
)

select *, 365.0 / nullif(inventory_turnover, 0) as dio_days from final
