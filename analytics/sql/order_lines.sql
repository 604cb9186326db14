-- Service outcome of every customer order line (METRICS.md section 5, with section 3's rules).
-- grain: one row per customer order line (order_number, order_line) ordered on or before $as_of.
-- definition: a shipment dated after $as_of has not happened; shipped_qty without a ship
--   date, or missing, counts 0. complete = shipped_qty >= ordered_qty x (1 - in-full
--   tolerance); due = requested date in [$start, $end] and (complete or requested < $as_of);
--   OTIF = shipped by requested + late tolerance and complete. Filters: $sku, $category.
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
        case when shipped_units < ordered_qty then shipped_units else ordered_qty end
            as filled_qty
    from shipped
),

final as (
    select
        order_number, order_line, customer, sku, category, order_date, requested_date,
        shipped_on as shipped_date, ordered_qty, shipped_units as shipped_qty, filled_qty,
        unit_price, unit_cost, is_complete,
        requested_date between $start and $end
            and (is_complete or requested_date < $as_of) as is_due,
        shipped_on is not null
            and date_diff('day', requested_date, shipped_on) <= $late_tol
            and is_complete as is_otif
    from outcomes
    where ($sku is null or sku = $sku)
      and ($category is null or category = $category)
)

select * from final
