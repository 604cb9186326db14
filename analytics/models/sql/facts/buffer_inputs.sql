-- The measured inputs of every pull buffer at $as_of: demand and lead time (METRICS.md 7, 11).
-- stored: order_by=sku, site; depends=as_of,start,end; at_default_as_of
-- grain: one row per (sku, site) with demand in the 90 days to $as_of or a PO line whose last
--   receipt is in [$start, $end].
-- definition: daily_demand_90, daily_demand_sd = mean and sample sd of the site's daily
--   customer demand over the 90 days ending at $as_of (days without orders count 0);
--   lead_time_lines, lead_time_mean_days, lead_time_sd_days = count, mean and sample sd of the
--   lead time of the site's PO lines whose last receipt is in [$start, $end] (sd from
--   exact integer sums: the same whatever order the lines are read in). Every sku and
--   site, unfiltered: buffer_sizing filters and sizes them. Stored for the default as-of and
--   period after every write that reaches its inputs; other dates compute it on request.
-- inputs: stg_orders, po_line_facts
with daily as (
    select sku, site, order_date, sum(ordered_qty) as qty
    from stg_orders
    where order_date between $demand_start and $as_of
    group by sku, site, order_date
),

demand as (
    select
        sku,
        site,
        sum(qty) / 90.0 as daily_demand_90,
        sqrt(greatest((sum(qty * qty) - sum(qty) * sum(qty) / 90.0) / 89.0, 0)) as daily_demand_sd
    from daily
    group by sku, site
),

lead_times as (
    select
        sku,
        site,
        count(*) as lead_time_lines,
        avg(lead_time_days) as lead_time_mean_days,
        -- stddev_samp of whole days from exact integer sums: the same value whatever order
        -- the lines are read in (a fact rebuilt per line is not stored in a full one's order)
        sqrt((count(*) * sum(lead_time_days * lead_time_days)
              - sum(lead_time_days) * sum(lead_time_days))
             / nullif(count(*) * (count(*) - 1), 0)) as lead_time_sd_days
    from po_line_facts
    where has_receipt and last_receipt between $start and $end
    group by sku, site
),

keys as (
    select sku, site from demand
    union select sku, site from lead_times
),

final as (
    select
        k.sku,
        k.site,
        coalesce(d.daily_demand_90, 0) as daily_demand_90,
        coalesce(d.daily_demand_sd, 0) as daily_demand_sd,
        coalesce(l.lead_time_lines, 0) as lead_time_lines,
        l.lead_time_mean_days,
        l.lead_time_sd_days,
        cast(ceil(l.lead_time_mean_days) as integer) as horizon_days
    from keys as k
    left join demand as d on d.sku = k.sku and d.site = k.site
    left join lead_times as l on l.sku = k.sku and l.site = k.site
)

select * from final
