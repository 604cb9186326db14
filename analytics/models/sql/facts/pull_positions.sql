-- Where every buffer stands at $as_of before sizing: stock, open supply, due demand, supplier.
-- stored: order_by=sku, site; depends=as_of,start,end; at_default_as_of
-- grain: one row per (sku, site) with measured buffer inputs (buffer_inputs), a snapshot on
--   or before $as_of, an open PO line or an open customer line.
-- definition: as replenishment (METRICS.md section 11), for every sku and site, unfiltered:
--   on_hand = the latest snapshot on or before $as_of, summed over the site's locations;
--   horizon_days = ceil(L) of buffer_inputs; open_supply = open_qty (ordered - delivered, 0
--   once closed) of incomplete PO lines promised on or before $as_of + horizon_days (null horizon: 0),
--   overdue_supply and overdue_lines those promised before $as_of, later_supply those
--   promised after the horizon; due_demand = open_qty (ordered - shipped, 0 once closed) of
--   customer lines requested on or before $as_of; supplier = the largest net received quantity of the sku
--   at the site in the 365 days to $as_of (ties: first by name). Spikes depend on the safety
--   stock (a setting and the forecast): replenishment adds them on request. Stored for the
--   default as-of and period after every write that reaches its inputs; other dates compute
--   it on request.
-- inputs: buffer_inputs, snapshot_facts, stg_inventory, po_line_facts, order_line_facts, receipt_facts
with latest as (
    select sku, site, max(date) as snapshot_date
    from snapshot_facts
    where date <= $as_of
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
    select sku, site, promised_date, open_qty
    from po_line_facts
    where open_qty > 0
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
    left join buffer_inputs as b on b.sku = p.sku and b.site = p.site
    group by p.sku, p.site
),

demand as (
    select
        sku,
        site,
        sum(case when requested_date <= $as_of then open_qty else 0 end) as due_demand
    from order_line_facts
    where open_qty > 0
    group by sku, site
),

keys as (
    select sku, site from buffer_inputs
    union select sku, site from on_hand
    union select sku, site from supply
    union select sku, site from demand
),

supplier_received as (
    select sku, site, supplier, sum(received_qty) as received_qty
    from receipt_facts
    where received_date between $year_start and $as_of
    group by sku, site, supplier
),

proposed as (
    select sku, site, supplier
    from supplier_received
    where received_qty > 0
    qualify row_number() over (partition by sku, site order by received_qty desc, supplier) = 1
),

final as (
    select
        k.sku, k.site, h.snapshot_date, h.on_hand,
        s.open_supply, s.overdue_supply, s.overdue_lines, s.later_supply,
        d.due_demand, p.supplier
    from keys as k
    left join on_hand as h on h.sku = k.sku and h.site = k.site
    left join supply as s on s.sku = k.sku and s.site = k.site
    left join demand as d on d.sku = k.sku and d.site = k.site
    left join proposed as p on p.sku = k.sku and p.site = k.site
)

select * from final
