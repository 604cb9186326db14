-- Staging: customer order lines (demand) as imported.
-- grain: one row per order line (order_number, order_line).
-- definition: the canonical orders table without bookkeeping columns.
-- inputs: orders
select
    order_number, order_line, customer, sku, order_date, requested_date, shipped_date,
    ordered_qty, shipped_qty, unit_price
from orders
