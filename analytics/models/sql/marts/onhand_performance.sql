-- On-hand performance of the pull system's sizing over the period (METRICS.md section 11).
-- grain: one row per (sku, site) with a snapshot day in the period that has zones.
-- definition: over the snapshot days of buffer_zones_daily with a zone (safety stock and
--   demand known as of the day): days, and the share of them on hand was in red (at or
--   below safety stock), in the zones (yellow or green: above safety stock, at or below top
--   of green) and over (above top of green); red_share + in_zones_share + over_share = 1.
--   Filters: $sku, $category, $site.
-- inputs: buffer_zones_daily
with counted as (
    select
        sku,
        site,
        count(*) as days,
        count(case when zone = 'red' then 1 end) as red_days,
        count(case when zone in ('yellow', 'green') then 1 end) as in_zones_days,
        count(case when zone = 'over' then 1 end) as over_days
    from buffer_zones_daily
    where zone is not null
    group by sku, site
),

final as (
    select
        *,
        1.0 * red_days / days as red_share,
        1.0 * in_zones_days / days as in_zones_share,
        1.0 * over_days / days as over_share
    from counted
)

select * from final
