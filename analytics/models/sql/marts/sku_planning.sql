-- Pull-system sizing per sku (METRICS.md section 7).
-- grain: one row per sku with demand or a measured lead time or stock at $as_of.
-- definition: d, sd_d = mean and sample sd of daily demand over the 90 days ending at $as_of
--   (days without orders count 0); L, sd_L = mean and sample sd of lead time of the sku's
--   lines with a receipt whose last receipt is in the period; safety_stock = $z x
--   sqrt(L sd_d^2 + d^2 sd_L^2); reorder_point = d L + safety_stock; kanban_cards =
--   ceil(d L (1 + $ksf) / container_qty); drift = L - planned lead time, flagged when
--   |drift| > 20% of plan; ABC by cumulative share of consumption value over the 365 days
--   ending at $as_of (<= $abc_a A, <= $abc_b B, else C; unknown cost: no class); XYZ by CV of
--   demand over 52 weeks of 7 days ending at $as_of (<= $xyz_x X, <= $xyz_y Y, else Z;
--   fewer than 4 weeks with demand: Z). Filters: $supplier (skus it delivered), $sku, $category;
--   $site (its demand, lead times and stock; ABC ranks the site's consumption).
-- inputs: stg_orders, po_lines, abc_classes, sku_stock, dim_sku
with daily as (
    select sku, order_date, sum(ordered_qty) as qty
    from stg_orders
    where order_date between $demand_start and $as_of
      and ($site is null or site = $site)
    group by sku, order_date
),

demand as (
    select
        sku,
        sum(qty) / 90.0 as daily_demand,
        sqrt(greatest((sum(qty * qty) - sum(qty) * sum(qty) / 90.0) / 89.0, 0)) as daily_demand_sd
    from daily
    group by sku
),

weekly as (
    select sku, floor(date_diff('day', order_date, $as_of) / 7) as week_no,
           sum(ordered_qty) as qty
    from stg_orders
    where order_date between $weeks_start and $as_of
      and ($site is null or site = $site)
    group by sku, floor(date_diff('day', order_date, $as_of) / 7)
),

variability as (
    select
        sku,
        count(*) as weeks_with_demand,
        sum(qty) / 52.0 as weekly_mean,
        sqrt(greatest((sum(qty * qty) - sum(qty) * sum(qty) / 52.0) / 51.0, 0)) as weekly_sd
    from weekly
    group by sku
),

lead_times as (
    select
        sku,
        count(*) as lead_time_lines,
        avg(lead_time_days) as lead_time_mean_days,
        stddev_samp(lead_time_days) as lead_time_sd_days
    from po_lines
    where has_receipt and last_receipt between $start and $end
    group by sku
),

skus as (
    select sku from demand
    union select sku from lead_times
    union select sku from sku_stock
),

joined as (
    select
        s.sku, dim.description, dim.category, dim.unit_cost, dim.container_qty,
        dim.planned_lead_time_days,
        coalesce(d.daily_demand, 0) as daily_demand,
        coalesce(d.daily_demand_sd, 0) as daily_demand_sd,
        l.lead_time_lines, l.lead_time_mean_days, l.lead_time_sd_days,
        v.weeks_with_demand, v.weekly_sd / nullif(v.weekly_mean, 0) as weekly_demand_cv,
        a.consumption_value, a.cumulative_share, a.abc_class,
        st.on_hand_qty, st.days_of_cover, st.excess_qty, st.excess_value, st.is_dead
    from skus as s
    left join dim_sku as dim on dim.sku = s.sku
    left join demand as d on d.sku = s.sku
    left join lead_times as l on l.sku = s.sku
    left join variability as v on v.sku = s.sku
    left join abc_classes as a on a.sku = s.sku
    left join sku_stock as st on st.sku = s.sku
),

sized as (
    select
        *,
        $z * sqrt(lead_time_mean_days * daily_demand_sd * daily_demand_sd
                  + daily_demand * daily_demand * lead_time_sd_days * lead_time_sd_days)
            as safety_stock,
        ceil(daily_demand * lead_time_mean_days * (1 + $ksf) / container_qty) as kanban_cards,
        lead_time_mean_days - planned_lead_time_days as lead_time_drift_days
    from joined
),

final as (
    select
        *,
        daily_demand * lead_time_mean_days + safety_stock as reorder_point,
        abs(lead_time_drift_days) > 0.2 * planned_lead_time_days as drift_flag,
        case
            when coalesce(weeks_with_demand, 0) < 4 then 'Z'
            when weekly_demand_cv <= $xyz_x then 'X'
            when weekly_demand_cv <= $xyz_y then 'Y'
            else 'Z'
        end as xyz_class
    from sized
    where ($sku is null or sku = $sku)
      and ($category is null or category = $category)
      and ($supplier is null or sku in (select sku from po_lines where $supplier is not null))
)

select * from final
