-- Delivery facts of every purchase-order line, before any period is chosen (section 3).
-- stored: order_by=promised_date; depends=late_tol,early_tol,in_full_tol; bounded_by=deliveries; inline
-- grain: one row per PO line (po_number, po_line) ordered on or before $as_of.
-- definition: delivered_qty = received quantity of receipts dated on or before $as_of;
--   on_time_qty = the part received by P + late tolerance; complete = delivered >= Q x
--   (1 - in-full tolerance); OT = a receipt and last receipt <= P + late tolerance;
--   OTIF = on_time_qty >= Q x (1 - tolerance); early = first receipt < P - early
--   tolerance; lead_time_days = last receipt - order date; lateness_days = last receipt - P.
--   Materialised after every import (mart_po_line_facts) and used whenever $as_of is on or
--   after the latest order and receipt date, with the tolerances it was built with.
-- inputs: stg_deliveries, dim_sku
with receipt_rows as (
    select
        po_number, po_line, supplier, sku, order_date, ordered_qty,
        min(promised_date) over (partition by po_number, po_line) as promised_date,
        case when received_date <= $as_of then received_date end as received_date,
        case when received_date <= $as_of then received_qty else 0 end as received_qty
    from stg_deliveries
    where order_date <= $as_of
),

lines as (
    select
        po_number,
        po_line,
        min(supplier) as supplier,
        min(sku) as sku,
        min(order_date) as order_date,
        min(promised_date) as promised_date,
        max(ordered_qty) as ordered_qty,
        sum(received_qty) as delivered_qty,
        sum(case when date_diff('day', promised_date, received_date) <= $late_tol
                 then received_qty else 0 end) as on_time_qty,
        count(received_date) as receipts,
        min(received_date) as first_receipt,
        max(received_date) as last_receipt
    from receipt_rows
    group by po_number, po_line
),

outcomes as (
    select
        lines.*,
        dim.category,
        dim.unit_cost,
        receipts > 0 as has_receipt,
        delivered_qty >= ordered_qty * (1 - $in_full_tol) as is_complete,
        receipts > 0 and date_diff('day', promised_date, last_receipt) <= $late_tol as is_on_time,
        on_time_qty >= ordered_qty * (1 - $in_full_tol) as is_otif,
        receipts > 0 and date_diff('day', first_receipt, promised_date) > $early_tol as is_early,
        date_diff('day', order_date, last_receipt) as lead_time_days,
        date_diff('day', promised_date, last_receipt) as lateness_days,
        case when delivered_qty > ordered_qty then delivered_qty - ordered_qty else 0 end
            as over_qty
    from lines
    left join dim_sku as dim on dim.sku = lines.sku
)

select * from outcomes
