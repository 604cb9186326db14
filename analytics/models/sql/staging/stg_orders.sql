-- Staging: customer order lines (demand) as imported, cancelled lines left out.
-- grain: one row per order line (order_number, order_line).
-- definition: the canonical orders table without bookkeeping columns, without lines whose
--   status is in cancelled_statuses (kept in the table, counted in no figure: no demand, no
--   fill rate, no COGS); site '' = the one site.
-- inputs: orders, cancelled_statuses
with final as (
    select
        o.order_number, o.order_line, o.customer, o.sku, o.order_date, o.requested_date,
        o.shipped_date, o.ordered_qty, o.shipped_qty, o.unit_price,
        coalesce(o.site, '') as site, o.status
    from orders as o
    left join cancelled_statuses as c on c.status = lower(trim(o.status))
    where c.status is null
)

select * from final
