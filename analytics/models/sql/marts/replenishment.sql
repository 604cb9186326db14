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
--   Filters: $sku, $category, $site; $supplier = the proposed supplier.
-- inputs: buffer_sizing, snapshot_facts, stg_inventory, po_line_facts, order_line_facts, receipt_facts, abc_classes, dim_sku
with latest as (
    select sku, site, max(date) as snapshot_date
    from snapshot_facts
    where date <= $as_of
      and ($site is null or site = $site)
      and ($sku is null or sku = $sku)
    group by sku, site
),

on_hand as (
    select i.sku, i.site, l.snapshot_date, sum(i.on_hand_qty) as on_hand
    from stg_inventory as i
    inner join latest as l
        on l.sku = i.sku and l.site = i.site and l.snapshot_date = i.date
    group by i.sku, i.site, l.snapshot_date
),

open_po as (
    select sku, site, promised_date, greatest(ordered_qty - delivered_qty, 0) as open_qty
    from po_line_facts
    where not is_complete
      and ($site is null or site = $site)
      and ($sku is null or sku = $sku)
),

open_so as (
    select sku, site, requested_date, greatest(ordered_qty - shipped_units, 0) as open_qty
    from order_line_facts
    where shipped_units < ordered_qty
      and ($site is null or site = $site)
      and ($sku is null or sku = $sku)
),

supply as (
    select
        p.sku,
        p.site,
        sum(case when p.promised_date <= $as_of + b.horizon_days then p.open_qty else 0 end)
            as open_supply,
        sum(case when p.promised_date < $as_of then p.open_qty else 0 end) as overdue_supply,
        count(case when p.promised_date < $as_of then 1 end) as overdue_lines,
        sum(case when p.promised_date > $as_of + b.horizon_days then p.open_qty else 0 end)
            as later_supply
    from open_po as p
    left join buffer_sizing as b on b.sku = p.sku and b.site = p.site
    group by p.sku, p.site
),

demand as (
    select
        o.sku,
        o.site,
        sum(case when o.requested_date <= $as_of then o.open_qty else 0 end) as due_demand,
        sum(case when o.requested_date > $as_of
                      and o.requested_date <= $as_of + b.horizon_days
                      and o.open_qty >= $spike_factor * b.safety_stock
                 then o.open_qty else 0 end) as spike_demand,
        count(case when o.requested_date > $as_of
                        and o.requested_date <= $as_of + b.horizon_days
                        and o.open_qty >= $spike_factor * b.safety_stock then 1 end)
            as spike_lines
    from open_so as o
    left join buffer_sizing as b on b.sku = o.sku and b.site = o.site
    group by o.sku, o.site
),

keys as (
    select sku, site from buffer_sizing
    union select sku, site from on_hand
    union select sku, site from supply
    union select sku, site from demand
),

supplier_received as (
    select sku, site, supplier, sum(received_qty) as received_qty
    from receipt_facts
    where received_date between $year_start and $as_of
      and ($site is null or site = $site)
      and ($sku is null or sku = $sku)
    group by sku, site, supplier
),

proposed as (
    select sku, site, supplier
    from supplier_received
    where received_qty > 0
    qualify row_number() over (partition by sku, site order by received_qty desc, supplier) = 1
),

supplier_figures as (
    select
        supplier,
        1.0 * count(case when promised_date between $start and $end
                              and (is_complete or promised_date < $as_of) and is_otif then 1 end)
            / nullif(count(case when promised_date between $start and $end
                                     and (is_complete or promised_date < $as_of) then 1 end), 0)
            as supplier_otif_rate,
        percentile_cont(0.95) within group (order by lead_time_days)
            filter (where has_receipt and last_receipt between $start and $end)
            as supplier_lead_time_p95_days
    from po_line_facts
    where ($site is null or site = $site)
    group by supplier
),

terms as (
    select
        k.sku, k.site, dim.description, dim.category, pl.abc_class, dim.unit_cost,
        coalesce(dim.container_qty, 1) as container_qty,
        b.daily_demand, b.daily_demand_90, b.forecast_daily, b.demand_basis,
        b.lead_time_lines, b.lead_time_mean_days, b.horizon_days,
        coalesce(b.enough_data, false) and h.on_hand is not null as enough_data,
        case when b.enough_data and h.on_hand is not null then b.safety_stock end as safety_stock,
        case when b.enough_data and h.on_hand is not null then b.reorder_point end
            as reorder_point,
        case when b.enough_data and h.on_hand is not null then b.top_of_green end
            as top_of_green,
        h.snapshot_date, h.on_hand,
        case when b.horizon_days is not null then coalesce(s.open_supply, 0) end as open_supply,
        coalesce(s.overdue_supply, 0) as overdue_supply,
        coalesce(s.overdue_lines, 0) as overdue_lines,
        case when b.horizon_days is not null then coalesce(s.later_supply, 0) end as later_supply,
        case when b.horizon_days is not null then coalesce(d.due_demand, 0) end as due_demand,
        case when b.horizon_days is not null then coalesce(d.spike_demand, 0) end as spike_demand,
        coalesce(d.spike_lines, 0) as spike_lines,
        p.supplier, f.supplier_otif_rate, f.supplier_lead_time_p95_days
    from keys as k
    left join buffer_sizing as b on b.sku = k.sku and b.site = k.site
    left join on_hand as h on h.sku = k.sku and h.site = k.site
    left join supply as s on s.sku = k.sku and s.site = k.site
    left join demand as d on d.sku = k.sku and d.site = k.site
    left join proposed as p on p.sku = k.sku and p.site = k.site
    left join supplier_figures as f on f.supplier = p.supplier
    left join abc_classes as pl on pl.sku = k.sku
    left join dim_sku as dim on dim.sku = k.sku
    where ($category is null or dim.category = $category)
      and ($supplier is null or p.supplier = $supplier)
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
