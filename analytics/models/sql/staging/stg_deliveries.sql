-- Staging: supplier receipts as imported, cancelled lines left out.
-- grain: one row per receipt (po_number, po_line, receipt_id); a line not yet received is one row.
-- definition: the canonical deliveries table without bookkeeping columns, without rows whose
--   status is in cancelled_statuses (kept in the table, counted in no figure); received_qty
--   may be negative (a reversal or return); site '' = the one site.
-- inputs: deliveries, cancelled_statuses
with final as (
    select
        d.po_number, d.po_line, d.receipt_id, d.supplier, d.sku, d.order_date, d.promised_date,
        d.ordered_qty, d.received_date, d.received_qty, d.unit_cost,
        coalesce(d.site, '') as site, d.status
    from deliveries as d
    left join cancelled_statuses as c on c.status = lower(trim(d.status))
    where c.status is null
)

select * from final
