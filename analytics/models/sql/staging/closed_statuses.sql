-- Staging: the customer line statuses that mean "closed": nothing more will ship (the one list).
-- grain: one row per status, lower case: a line's status matches when lower(trim(status)) is one.
-- definition: ERPNext's sales order statuses `Closed` (closed by hand, the rest never ships) and
--   `Completed`, the words ERPs and spreadsheets use for a line closed short or fully delivered.
--   Odoo's `done` is not here: it is "Locked" on a sale order, which can still deliver (Odoo
--   16.4 turned it into state `sale` with `locked` set). A closed line keeps its shipments and
--   its misses (fill rate, OTIF); its unshipped rest is no open demand (METRICS.md section 11).
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
