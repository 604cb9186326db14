-- Staging: the line statuses that mean "cancelled" (METRICS.md section 1a), the one list of them.
-- grain: one row per status, lower case: a line's status matches when lower(trim(status)) is one.
-- definition: English and American spellings, Odoo's `cancel` state, ERPNext's docstatus 2,
--   SAP's German `storniert` / `Storno`, and the words ERPs use for a deleted or voided line.
--   A cancelled line is stored as imported but left out of staging, so no figure counts it.
-- inputs: none
with final as (
    select status
    from (
        values
            ('cancelled'), ('canceled'), ('cancel'), ('2'), ('storniert'), ('storno'),
            ('annulliert'), ('deleted'), ('void'), ('voided')
    ) as statuses (status)
)

select * from final
