-- The cancelled lines as stored: kept as imported, counted in no figure (METRICS.md 1a).
-- grain: one row per cancelled PO line (po_number, po_line) or customer order line
--   (order_number, order_line); a PO line is listed once whatever its receipt rows.
-- definition: rows whose lower(trim(status)) is in cancelled_statuses, of deliveries
--   (kind 'PO line', partner = the supplier, date = the order date) and of orders (kind
--   'customer order line', partner = the customer); status as the file had it. Filter: $site.
-- inputs: deliveries, orders, cancelled_statuses
with po as (
    select
        'PO line' as kind, d.po_number as document, d.po_line as line,
        min(d.supplier) as partner, min(d.sku) as sku, min(coalesce(d.site, '')) as site,
        min(d.order_date) as order_date, max(d.ordered_qty) as ordered_qty,
        min(d.status) as status
    from deliveries as d
    inner join cancelled_statuses as c on c.status = lower(trim(d.status))
    group by d.po_number, d.po_line
),

customer as (
    select
        'customer order line' as kind, o.order_number as document, o.order_line as line,
        o.customer as partner, o.sku, coalesce(o.site, '') as site, o.order_date,
        o.ordered_qty, o.status
    from orders as o
    inner join cancelled_statuses as c on c.status = lower(trim(o.status))
),

listed as (
    select * from po
    union all
    select * from customer
),

final as (
    select * from listed
    where $site is null or site = $site
    order by kind, order_date, document, line
)

select * from final
