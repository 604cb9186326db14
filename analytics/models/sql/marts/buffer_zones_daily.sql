-- On hand against buffer zones recomputed as of each snapshot day (METRICS.md section 11).
-- grain: one row per (sku, site, snapshot date) in [$start, $end] and on or before $as_of.
-- definition: on_hand = the sum of the day's snapshots of the site (all locations); as of that
--   day t: d, sd_d over the 90 daily demand buckets to t; L, sd_L over the lead times of the
--   site's PO lines whose last receipt is in the 365 days to t (receipts as of $as_of);
--   horizon_days = ceil(L); safety_stock, reorder_point and top_of_green as buffer_sizing
--   ($z, $order_cycle). zone = red (on_hand <= safety_stock), yellow (<= reorder_point),
--   green (<= top_of_green), over, or null when the day has no safety stock or no demand.
--   Filters: $sku, $category, $site.
-- inputs: stg_inventory, stg_orders, po_line_facts, dim_sku
with snap_days as (
    select sku, site, date, sum(on_hand_qty) as on_hand
    from stg_inventory
    where date between $start and $end
      and date <= $as_of
      and ($site is null or site = $site)
      and ($sku is null or sku = $sku)
    group by sku, site, date
),

demand_days as (
    select sku, site, order_date as day, sum(ordered_qty) as qty
    from stg_orders
    where order_date between $start - 89 and least($end, $as_of)
      and ($site is null or site = $site)
      and ($sku is null or sku = $sku)
    group by sku, site, order_date
),

demand_events as (
    select sku, site, day, qty, false as is_snapshot from demand_days
    union all
    select sku, site, date, 0, true from snap_days
),

rolling_demand as (
    select
        sku, site, day,
        sum(qty) over w as qty_90,
        sum(qty * qty) over w as qty_sq_90,
        is_snapshot
    from demand_events
    window w as (partition by sku, site order by day
                 range between interval 89 days preceding and current row)
),

lead_events as (
    select sku, site, last_receipt as day, cast(lead_time_days as double) as lead, 1 as n,
           false as is_snapshot
    from po_line_facts
    where has_receipt
      and last_receipt between $start - 364 and least($end, $as_of)
      and ($site is null or site = $site)
      and ($sku is null or sku = $sku)
    union all
    select sku, site, date, 0, 0, true from snap_days
),

rolling_leads as (
    select
        sku, site, day,
        sum(n) over w as lines,
        sum(lead) over w as lead_sum,
        sum(lead * lead) over w as lead_sq_sum,
        is_snapshot
    from lead_events
    window w as (partition by sku, site order by day
                 range between interval 364 days preceding and current row)
),

measured as (
    select
        s.sku, s.site, s.date, s.on_hand, dim.category,
        coalesce(dim.container_qty, 1) as container_qty,
        max(rd.qty_90) / 90.0 as daily_demand,
        sqrt(greatest((max(rd.qty_sq_90) - max(rd.qty_90) * max(rd.qty_90) / 90.0) / 89.0, 0))
            as daily_demand_sd,
        max(rl.lines) as lead_time_lines,
        max(rl.lead_sum) / nullif(max(rl.lines), 0) as lead_time_mean_days,
        sqrt(greatest(max(rl.lead_sq_sum) - max(rl.lead_sum) * max(rl.lead_sum)
                      / nullif(max(rl.lines), 0), 0) / nullif(max(rl.lines) - 1, 0))
            as lead_time_sd_days
    from snap_days as s
    left join rolling_demand as rd
        on rd.sku = s.sku and rd.site = s.site and rd.day = s.date and rd.is_snapshot
    left join rolling_leads as rl
        on rl.sku = s.sku and rl.site = s.site and rl.day = s.date and rl.is_snapshot
    left join dim_sku as dim on dim.sku = s.sku
    where ($category is null or dim.category = $category)
    group by s.sku, s.site, s.date, s.on_hand, dim.category, dim.container_qty
),

sized as (
    select
        *,
        cast(ceil(lead_time_mean_days) as integer) as horizon_days,
        case when daily_demand > 0 then
            $z * sqrt(lead_time_mean_days * daily_demand_sd * daily_demand_sd
                      + daily_demand * daily_demand * lead_time_sd_days * lead_time_sd_days)
        end as safety_stock
    from measured
),

zoned as (
    select
        *,
        daily_demand * lead_time_mean_days + safety_stock as reorder_point,
        daily_demand * lead_time_mean_days + safety_stock
            + greatest(container_qty, daily_demand * $order_cycle) as top_of_green
    from sized
),

final as (
    select
        *,
        case
            when safety_stock is null then null
            when on_hand <= safety_stock then 'red'
            when on_hand <= reorder_point then 'yellow'
            when on_hand <= top_of_green then 'green'
            else 'over'
        end as zone
    from zoned
)

select * from final
