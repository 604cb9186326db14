-- Buffer zones of the pull system per sku and site at $as_of (METRICS.md sections 7 and 11).
-- grain: one row per (sku, site) with demand in the 90 days to $as_of or a PO line with a
--   receipt in the period.
-- definition: d, sd_d = mean and sample sd of the site's daily customer demand over the 90
--   days ending at $as_of (days without orders count 0); L, sd_L = mean and sample sd of the
--   lead time of the site's PO lines whose last receipt is in [$start, $end] (as sku_planning
--   with that site chosen); horizon_days = ceil(L); safety_stock = $z x sqrt(L sd_d^2 + d^2
--   sd_L^2) (null with fewer than 2 measured lines); reorder_point = d L + safety_stock;
--   top_of_green = reorder_point + max(container_qty, d x $order_cycle). enough_data = a
--   safety stock and d > 0. With $forecast_weight w > 0 and a stored forecast made at
--   $as_of (section 14), d is d_blend = w x forecast_daily + (1 - w) x d90, forecast_daily =
--   the forecast over the next horizon_days (whole weeks, then the share of the next week;
--   capped at the 13 weeks stored) / those days; demand_basis says which d was used.
--   Filters: $sku, $category, $site.
-- inputs: buffer_inputs, dim_sku, forecasts
with inputs as (
    select *
    from buffer_inputs
    where ($site is null or site = $site)
      and ($sku is null or sku = $sku)
),

forecast_daily as (
    select
        f.sku,
        f.site,
        -- week k counts whole while the horizon covers it, in part for the week it ends
        -- in (days % 7 of 7), not at all beyond; written out for the 13 weeks stored, so
        -- every engine reads it (no list functions)
        (coalesce(f.forecast[1], 0) * least(greatest(h.days - 0, 0), 7)
         + coalesce(f.forecast[2], 0) * least(greatest(h.days - 7, 0), 7)
         + coalesce(f.forecast[3], 0) * least(greatest(h.days - 14, 0), 7)
         + coalesce(f.forecast[4], 0) * least(greatest(h.days - 21, 0), 7)
         + coalesce(f.forecast[5], 0) * least(greatest(h.days - 28, 0), 7)
         + coalesce(f.forecast[6], 0) * least(greatest(h.days - 35, 0), 7)
         + coalesce(f.forecast[7], 0) * least(greatest(h.days - 42, 0), 7)
         + coalesce(f.forecast[8], 0) * least(greatest(h.days - 49, 0), 7)
         + coalesce(f.forecast[9], 0) * least(greatest(h.days - 56, 0), 7)
         + coalesce(f.forecast[10], 0) * least(greatest(h.days - 63, 0), 7)
         + coalesce(f.forecast[11], 0) * least(greatest(h.days - 70, 0), 7)
         + coalesce(f.forecast[12], 0) * least(greatest(h.days - 77, 0), 7)
         + coalesce(f.forecast[13], 0) * least(greatest(h.days - 84, 0), 7)) / 7.0 / h.days
            as forecast_daily
    from forecasts as f
    inner join (
        select sku, site, least(horizon_days, 91) as days
        from inputs
    ) as h on h.sku = f.sku and h.site = f.site
    where f.as_of = $as_of and h.days > 0 and $forecast_weight > 0
),

joined as (
    select
        i.sku, i.site, dim.category, dim.description, dim.unit_cost, dim.container_qty,
        i.daily_demand_90,
        fd.forecast_daily,
        case when fd.forecast_daily is null then 'last 90 days'
             else 'blend: ' || cast(round(100 * $forecast_weight) as integer) || '% forecast'
        end as demand_basis,
        case when fd.forecast_daily is null then i.daily_demand_90
             else $forecast_weight * fd.forecast_daily + (1 - $forecast_weight) * i.daily_demand_90
        end as daily_demand,
        i.daily_demand_sd,
        i.lead_time_lines,
        i.lead_time_mean_days, i.lead_time_sd_days,
        i.horizon_days
    from inputs as i
    left join forecast_daily as fd on fd.sku = i.sku and fd.site = i.site
    left join dim_sku as dim on dim.sku = i.sku
    where ($category is null or dim.category = $category)
),

sized as (
    select
        *,
        $z * sqrt(lead_time_mean_days * daily_demand_sd * daily_demand_sd
                  + daily_demand * daily_demand * lead_time_sd_days * lead_time_sd_days)
            as safety_stock
    from joined
),

final as (
    select
        *,
        daily_demand * lead_time_mean_days + safety_stock as reorder_point,
        daily_demand * lead_time_mean_days + safety_stock
            + greatest(container_qty, daily_demand * $order_cycle) as top_of_green,
        safety_stock is not null and daily_demand > 0 as enough_data
    from sized
)

select * from final
