-- One sku's buffer over the period: on hand and net flow against its zones (section 11).
-- grain: one row per (site, snapshot date) of $sku in [$start, $end], on or before $as_of;
--   no rows without $sku.
-- definition: buffer_zones_daily of the day t, plus the net flow as of t: open_supply =
--   ordered - received by t (net, at least 0) over PO lines ordered by t, not complete by t,
--   not closed by t (status in closed_statuses and its latest receipt, if any, on or before
--   t) and promised by t + horizon; qualified_demand = ordered - shipped by t over customer
--   lines ordered by t and requested by t (0 for a line closed by t: its status is in
--   closed_statuses and its ship date, if any, is on or before t), plus spikes (requested in (t, t + horizon], at
--   least $spike_factor x the day's safety stock); net_flow = on_hand + open_supply -
--   qualified_demand (null without a horizon). Filters: $sku (required), $site.
-- inputs: buffer_zones_daily, stg_deliveries, stg_orders
with days as (
    select * from buffer_zones_daily where $sku is not null
),

po as (
    select po_number, po_line, min(site) as site, min(order_date) as order_date,
           min(promised_date) as promised_date, max(ordered_qty) as ordered_qty,
           bool_or(is_closed) as is_closed, max(received_date) as closed_from
    from stg_deliveries
    where sku = $sku
    group by po_number, po_line
),

received as (
    select
        d.site, d.date, p.po_number, p.po_line, p.ordered_qty,
        p.is_closed and (p.closed_from is null or p.closed_from <= d.date) as is_closed,
        greatest(coalesce(sum(r.received_qty), 0), 0) as delivered
    from days as d
    inner join po as p
        on p.site = d.site and p.order_date <= d.date
       and p.promised_date <= d.date + d.horizon_days
    left join stg_deliveries as r
        on r.po_number = p.po_number and r.po_line = p.po_line and r.received_date <= d.date
    group by d.site, d.date, p.po_number, p.po_line, p.ordered_qty, p.is_closed, p.closed_from
),

supply as (
    select site, date, sum(greatest(ordered_qty - delivered, 0)) as open_supply
    from received
    where delivered < ordered_qty * (1 - $in_full_tol) and not is_closed
    group by site, date
),

open_so as (
    select
        d.site, d.date, d.horizon_days, d.safety_stock, o.requested_date,
        case when o.is_closed and (o.shipped_date is null or o.shipped_date <= d.date) then 0
             else o.ordered_qty - case when o.shipped_date <= d.date
                                       then coalesce(o.shipped_qty, 0) else 0 end
        end as open_qty
    from days as d
    inner join stg_orders as o
        on o.sku = $sku and o.site = d.site and o.order_date <= d.date
),

demand as (
    select site, date, sum(open_qty) as qualified_demand
    from open_so
    where open_qty > 0
      and (requested_date <= date
           or (requested_date <= date + horizon_days
               and open_qty >= $spike_factor * safety_stock))
    group by site, date
),

final as (
    select
        d.sku, d.site, d.date, d.on_hand, d.safety_stock, d.reorder_point, d.top_of_green,
        d.zone, d.horizon_days,
        case when d.horizon_days is not null then coalesce(s.open_supply, 0) end as open_supply,
        case when d.horizon_days is not null then coalesce(q.qualified_demand, 0) end
            as qualified_demand,
        d.on_hand + coalesce(s.open_supply, 0) - coalesce(q.qualified_demand, 0)
            + case when d.horizon_days is null then null else 0 end as net_flow
    from days as d
    left join supply as s on s.site = d.site and s.date = d.date
    left join demand as q on q.site = d.site and q.date = d.date
)

select * from final
