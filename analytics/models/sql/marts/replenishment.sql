-- What to order now, per sku and site at $as_of (METRICS.md section 11).
-- grain: one row per (sku, site) with a buffer size, a snapshot on or before $as_of, an open
--   PO line or an open customer line.
-- definition: on_hand = the latest snapshot on or before $as_of of the sku at the site, summed
--   over its locations; horizon_days = ceil(L) (buffer_sizing); open_supply = ordered -
--   delivered over incomplete PO lines promised on or before $as_of + horizon (overdue_supply:
--   promised before $as_of; later_supply: promised after the horizon, not counted);
--   qualified_demand = ordered - shipped over open customer lines requested on or before
--   $as_of, plus spikes: open lines requested in ($as_of, $as_of + horizon] of at least
--   $spike_factor x safety_stock; net_flow = on_hand + open_supply - qualified_demand; status
--   red (net_flow <= safety_stock), yellow (<= reorder_point), green (<= top_of_green), over,
--   or 'not enough data' (no safety stock, no demand or no snapshot); planning_priority =
--   net_flow / top_of_green; suggested_qty = top_of_green - net_flow rounded up to whole
--   containers when net_flow <= reorder_point; supplier = the largest net received quantity
--   of the sku at the site in the 365 days to $as_of (ties: first by name), with its OTIF and
--   lead-time p95 over its PO lines of the period at $site; execution_status = on_hand below
--   0.5 x safety_stock red, below it yellow, else green. abc_class from abc_classes.
--   Filters: $sku, $category, $site; $supplier = the proposed supplier. What no request
--   changes (stock, supply, due demand, supplier, its figures) comes from pull_positions and
--   supplier_pull_figures, stored at refresh for the default as-of; spikes depend on the
--   safety stock (settings, forecast) and are added here.
-- inputs: pull_positions, buffer_sizing, order_line_facts, supplier_pull_figures, abc_classes, dim_sku
with positions as (
    select *
    from pull_positions
    where ($site is null or site = $site)
      and ($sku is null or sku = $sku)
),

spikes as (
    -- open lines requested after the as-of date only: the stored facts are sorted by requested date,
    -- so this reads the row groups of the future
    select
        o.sku,
        o.site,
        sum(o.open_qty) as spike_demand,
        count(*) as spike_lines
    from order_line_facts as o
    inner join buffer_sizing as b on b.sku = o.sku and b.site = o.site
    where o.requested_date > $as_of
      and o.open_qty > 0
      and o.requested_date <= $as_of + b.horizon_days
      and o.open_qty >= $spike_factor * b.safety_stock
    group by o.sku, o.site
),

terms as (
    select
        k.sku, k.site, dim.description, dim.category, pl.abc_class, dim.unit_cost,
        coalesce(dim.container_qty, 1) as container_qty,
        b.daily_demand, b.daily_demand_90, b.forecast_daily, b.demand_basis,
        b.lead_time_lines, b.lead_time_mean_days, b.horizon_days,
        coalesce(b.enough_data, false) and k.on_hand is not null as enough_data,
        case when b.enough_data and k.on_hand is not null then b.safety_stock end as safety_stock,
        case when b.enough_data and k.on_hand is not null then b.reorder_point end
            as reorder_point,
        case when b.enough_data and k.on_hand is not null then b.top_of_green end
            as top_of_green,
        k.snapshot_date, k.on_hand,
        case when b.horizon_days is not null then coalesce(k.open_supply, 0) end as open_supply,
        coalesce(k.overdue_supply, 0) as overdue_supply,
        coalesce(k.overdue_lines, 0) as overdue_lines,
        case when b.horizon_days is not null then coalesce(k.later_supply, 0) end as later_supply,
        case when b.horizon_days is not null then coalesce(k.due_demand, 0) end as due_demand,
        case when b.horizon_days is not null then coalesce(x.spike_demand, 0) end
            as spike_demand,
        coalesce(x.spike_lines, 0) as spike_lines,
        k.supplier, f.supplier_otif_rate, f.supplier_lead_time_p95_days
    from positions as k
    left join buffer_sizing as b on b.sku = k.sku and b.site = k.site
    left join spikes as x on x.sku = k.sku and x.site = k.site
    left join supplier_pull_figures as f on f.supplier = k.supplier
    left join abc_classes as pl on pl.sku = k.sku
    left join dim_sku as dim on dim.sku = k.sku
    where ($category is null or dim.category = $category)
      and ($supplier is null or k.supplier = $supplier)
),

flows as (
    select
        *,
        due_demand + spike_demand as qualified_demand,
        on_hand + open_supply - due_demand - spike_demand as net_flow
    from terms
),

final as (
    select
        *,
        case
            when not enough_data then 'not enough data'
            when net_flow <= safety_stock then 'red'
            when net_flow <= reorder_point then 'yellow'
            when net_flow <= top_of_green then 'green'
            else 'over'
        end as status,
        case when enough_data then net_flow / top_of_green end as planning_priority,
        case when enough_data and net_flow <= reorder_point
             then ceil(round((top_of_green - net_flow) / container_qty, 9)) * container_qty
        end as suggested_qty,
        case
            when not enough_data then null
            when on_hand < 0.5 * safety_stock then 'red'
            when on_hand < safety_stock then 'yellow'
            else 'green'
        end as execution_status
    from flows
)

select * from final
