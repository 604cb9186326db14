-- Quality KPIs of the period (METRICS.md section 4).
-- grain: one row.
-- definition: defect_ppm = defect qty of events naming a supplier / received qty in the
--   period x 1,000,000; copq = sum of defect cost (recorded, else qty x unit cost); events
--   whose cost is unknown are counted, not valued (no events: 0; none valued: unknown).
-- inputs: defect_events, receipts
with defects as (
    select
        count(*) as defect_events,
        coalesce(sum(case when supplier is not null then qty else 0 end), 0)
            as supplier_defect_qty,
        -- a sum over no events is 0; over events none of which can be valued, unknown
        case when count(*) > 0 and count(cost) = 0 then null
             else coalesce(sum(cost), 0) end as copq,
        sum(case when cost is null then 1 else 0 end) as defects_cost_unknown
    from defect_events
),

received as (
    select sum(received_qty) as received_qty from receipts
),

final as (
    select
        defects.*,
        received.received_qty,
        1000000.0 * supplier_defect_qty / nullif(received.received_qty, 0) as defect_ppm
    from defects cross join received
)

select * from final
