-- Staging: the line statuses that mean "closed": nothing more will ship or arrive (the one list).
-- grain: one row per status, lower case: a line's status matches when lower(trim(status)) is one.
-- definition: ERPNext's sales and purchase order statuses `Closed` (closed by hand, the rest
--   never comes) and `Completed`, the words ERPs and spreadsheets use for a line closed short
--   or fully delivered. Odoo's `done` is not here: it is "Locked" on a sale or purchase order,
--   which can still deliver (Odoo 16.4 turned it into a `locked` flag). A closed line keeps
--   its shipments or receipts and its misses (fill rate, OTIF, in full); its rest is no open
--   demand and no open supply (METRICS.md section 11).
-- inputs: none
with final as (
    select status
    from (
        values
            ('closed'), ('completed'), ('complete'), ('closed short'), ('short closed'),
            ('short-closed'), ('closed-short'), ('fully delivered')
    ) as statuses (status)
)

select * from final
