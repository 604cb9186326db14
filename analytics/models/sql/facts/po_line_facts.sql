-- Delivery facts of every purchase-order line, before any period is chosen (section 3).
-- stored: order_by=date_trunc('quarter', promised_date), supplier, promised_date; depends=late_tol,early_tol,in_full_tol; bounded_by=deliveries; inline; by_line=deliveries
-- grain: one row per PO line (po_number, po_line) ordered on or before $as_of.
-- definition: receipts count when dated on or before $as_of. A reversal or return (a negative
--   received_qty) nets on its own date, then against the latest earlier receipt dates still
--   holding quantity (what is left of it, against the next ones): a date's kept quantity is
--   max(0, min(cumulative net from that date on) - max(cumulative net before it, 0)). Receipt
--   dates are the dates with kept quantity > 0; a line without one has no receipt. A line
--   without a negative receipt whose rows agree on the promised date keeps every date's net
--   quantity, so its receipts are summed as they are; only the other lines (a few) are netted.
--   delivered_qty = kept quantity (the net received, at least 0); on_time_qty = the part kept
--   on dates by P + late tolerance; complete = delivered >= Q x (1 - in-full tolerance); OT =
--   a receipt and last receipt <= P + late tolerance; OTIF = on_time_qty >= Q x (1 -
--   tolerance); early = first receipt < P - early tolerance; lead_time_days = last receipt -
--   order date; lateness_days = last receipt - P; returned_qty and returns = the units and
--   rows received negative. open_qty = ordered - delivered (at least 0) of an incomplete
--   line, the supply still to come; 0 for a line closed by $as_of (is_closed: a row's status
--   in closed_statuses and its latest receipt in the data, if any, on or before $as_of; a
--   closed line keeps its miss in OTIF and in full). Materialised after every import (mart_po_line_facts) and used
--   whenever $as_of is on or after the latest order and receipt date, with the tolerances it
--   was built with.
-- inputs: stg_deliveries, dim_sku
with receipt_rows as (
    select
        po_number, po_line, supplier, sku, site, order_date, ordered_qty, promised_date,
        case when received_date <= $as_of then received_date end as received_date,
        case when received_date <= $as_of then coalesce(received_qty, 0) else 0 end
            as received_qty,
        is_closed,
        received_date as booked_date  -- every receipt, later ones too: when a closed line closed
    from stg_deliveries
    where order_date <= $as_of
),

lines as (
    -- one row per line, with its receipts summed as they are: the netting's result for a
    -- line without a negative receipt whose rows agree on the promised date (each date then
    -- keeps its net quantity), so only the other lines go through the netting below
    select
        po_number,
        po_line,
        min(supplier) as supplier,
        min(sku) as sku,
        min(site) as site,
        min(order_date) as order_date,
        min(promised_date) as promised_date,
        max(ordered_qty) as ordered_qty,
        -- closed by the as-of date: its latest receipt in the data (none: always) not after it
        bool_or(is_closed) and coalesce(max(booked_date) <= $as_of, true) as is_closed,
        min(received_qty) < 0 or min(promised_date) <> max(promised_date)
            or count(promised_date) < count(*) as needs_netting,
        sum(received_qty) as delivered_qty,
        sum(case when date_diff('day', promised_date, received_date) <= $late_tol
                 then received_qty else 0 end) as on_time_qty,
        cast(sum(case when received_qty > 0 then 1 else 0 end) as bigint) as receipts,
        min(case when received_qty > 0 then received_date end) as first_receipt,
        max(case when received_qty > 0 then received_date end) as last_receipt
    from receipt_rows
    group by po_number, po_line
),

netting_rows as (
    -- the dated receipts of the lines that need netting, with their line's promised date
    select r.po_number, r.po_line, l.promised_date, r.received_date, r.received_qty
    from receipt_rows as r
    inner join lines as l
        on r.po_number is not distinct from l.po_number
        and r.po_line is not distinct from l.po_line
    where l.needs_netting and r.received_date is not null
),

dates as (
    -- one row per line and receipt date: the date's net quantity
    select
        po_number, po_line, promised_date, received_date,
        sum(received_qty) as net_qty,
        sum(case when received_qty > 0 then 1 else 0 end) as receipt_rows,
        sum(case when received_qty < 0 then 1 else 0 end) as return_rows,
        sum(case when received_qty < 0 then -received_qty else 0 end) as returned_qty
    from netting_rows
    group by po_number, po_line, promised_date, received_date
),

cumulative as (
    select
        *,
        coalesce(sum(net_qty) over (partition by po_number, po_line order by received_date
                                    rows between unbounded preceding and 1 preceding), 0)
            as net_before,
        sum(net_qty) over (partition by po_number, po_line order by received_date
                           rows between unbounded preceding and current row) as net_to_date
    from dates
),

lowest as (
    select
        *,
        min(net_to_date) over (partition by po_number, po_line order by received_date
                               rows between current row and unbounded following) as net_low
    from cumulative
),

kept as (
    -- a reversal takes back the latest quantity received before it (last in, first out);
    -- a date nothing takes back from keeps its net quantity exactly
    select
        *,
        case
            when net_qty <= 0 then 0
            when net_low >= net_to_date and net_before >= 0 then net_qty
            else greatest(net_low - greatest(net_before, 0), 0)
        end as kept_qty
    from lowest
),

received as (
    select
        po_number,
        po_line,
        sum(kept_qty) as delivered_qty,
        sum(case when date_diff('day', promised_date, received_date) <= $late_tol
                 then kept_qty else 0 end) as on_time_qty,
        cast(sum(case when kept_qty > 0 then receipt_rows else 0 end) as bigint) as receipts,
        min(case when kept_qty > 0 then received_date end) as first_receipt,
        max(case when kept_qty > 0 then received_date end) as last_receipt,
        sum(returned_qty) as returned_qty,
        cast(sum(return_rows) as bigint) as returns
    from kept
    group by po_number, po_line
),

netted as (
    select
        po_number, po_line, supplier, sku, site, order_date, promised_date, ordered_qty,
        is_closed, delivered_qty, on_time_qty, receipts, first_receipt,
        last_receipt,
        cast(0 as double) as returned_qty,
        cast(0 as bigint) as returns
    from lines
    where not needs_netting
    union all
    select
        l.po_number, l.po_line, l.supplier, l.sku, l.site, l.order_date, l.promised_date,
        l.ordered_qty, l.is_closed,
        coalesce(r.delivered_qty, 0) as delivered_qty,
        coalesce(r.on_time_qty, 0) as on_time_qty,
        coalesce(r.receipts, 0) as receipts,
        r.first_receipt,
        r.last_receipt,
        coalesce(r.returned_qty, 0) as returned_qty,
        coalesce(r.returns, 0) as returns
    from lines as l
    left join received as r on r.po_number = l.po_number and r.po_line = l.po_line
    where l.needs_netting
),

outcomes as (
    select
        netted.*,
        dim.category,
        dim.unit_cost,
        last_receipt is not null as has_receipt,
        delivered_qty >= ordered_qty * (1 - $in_full_tol) as is_complete,
        last_receipt is not null
            and date_diff('day', promised_date, last_receipt) <= $late_tol as is_on_time,
        on_time_qty >= ordered_qty * (1 - $in_full_tol) as is_otif,
        last_receipt is not null
            and date_diff('day', first_receipt, promised_date) > $early_tol as is_early,
        date_diff('day', order_date, last_receipt) as lead_time_days,
        date_diff('day', promised_date, last_receipt) as lateness_days,
        case when delivered_qty > ordered_qty then delivered_qty - ordered_qty else 0 end
            as over_qty,
        case
            when delivered_qty >= ordered_qty * (1 - $in_full_tol) then 0
            when is_closed then 0
            else greatest(ordered_qty - delivered_qty, 0)
        end as open_qty
    from netted
    left join dim_sku as dim on dim.sku = netted.sku
)

select * from outcomes
