-- Service facts of every customer order line, before any period is chosen (section 5).
-- stored: order_by=requested_date; depends=late_tol,in_full_tol; bounded_by=orders; inline; by_line=orders
-- grain: one row per customer order line (order_number, order_line) ordered on or before $as_of.
-- definition: a shipment dated after $as_of has not happened; shipped_qty without a ship
--   date, or missing, counts 0. complete = shipped_qty >= ordered_qty x (1 - in-full
--   tolerance); filled_qty = min(shipped, ordered); OTIF = shipped by requested + late
--   tolerance and complete. open_qty = ordered - shipped (at least 0), the customer quantity
--   still to ship; 0 for a closed line (stg_orders.is_closed) once closed: from its ship date
--   on or before $as_of, or always when it has none (a closed line keeps its miss in fill
--   rate and OTIF; its rest will never ship). Materialised like po_line_facts.
-- inputs: stg_orders, dim_sku
with shipped as (
    select
        o.*,
        dim.category,
        dim.unit_cost,
        case when o.shipped_date <= $as_of then o.shipped_date end as shipped_on,
        case when o.shipped_date <= $as_of then coalesce(o.shipped_qty, 0) else 0 end
            as shipped_units
    from stg_orders as o
    left join dim_sku as dim on dim.sku = o.sku
    where o.order_date <= $as_of
),

outcomes as (
    select
        *,
        shipped_units >= ordered_qty * (1 - $in_full_tol) as is_complete,
        shipped_on is not null
            and date_diff('day', requested_date, shipped_on) <= $late_tol
            and shipped_units >= ordered_qty * (1 - $in_full_tol) as is_otif,
        case when shipped_units < ordered_qty then shipped_units else ordered_qty end
            as filled_qty,
        case when is_closed and (shipped_date is null or shipped_date <= $as_of) then 0
             else greatest(ordered_qty - shipped_units, 0) end as open_qty
    from shipped
)

select * from outcomes
