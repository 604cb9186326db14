-- Late open PO lines: what to chase with a supplier today (sections 3 and 8).
-- grain: one row per PO line that is not complete, not closed by $as_of and was promised
--   before $as_of, however long ago (a line promised before the period and still open is the
--   first to chase; a line closed short is a miss, not something to chase).
-- definition: the lines the scorecard counts as late_open_lines; open_qty = ordered_qty -
--   delivered_qty (at least 0), days_late = $as_of - promised date, open_value = open_qty x
--   the sku's unit cost (null when unknown). Filters: $supplier, $sku, $category,
--   $site.
-- inputs: po_lines
with late as (
    select *
    from po_lines
    where open_qty > 0 and promised_date < $as_of
),

final as (
    select
        po_number, po_line, supplier, sku, order_date, promised_date, ordered_qty,
        delivered_qty,
        open_qty,
        date_diff('day', promised_date, $as_of) as days_late,
        last_receipt,
        open_qty * unit_cost as open_value
    from late
)

select * from final
