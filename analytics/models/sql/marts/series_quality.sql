-- Defect PPM and COPQ by week or month (METRICS.md section 4).
-- grain: one row per $grain bucket with receipts or defects.
-- definition: defect qty naming a supplier / received qty x 1,000,000 within the bucket;
--   copq = defect cost within the bucket.
-- inputs: defect_events, receipts
with defects as (
    select
        cast(date_trunc($grain, date) as date) as bucket,
        count(*) as defect_events,
        sum(case when supplier is not null then qty else 0 end) as supplier_defect_qty,
        sum(cost) as copq
    from defect_events
    group by cast(date_trunc($grain, date) as date)
),

received as (
    select cast(date_trunc($grain, received_date) as date) as bucket,
           sum(received_qty) as received_qty, count(*) as receipts
    from receipts
    group by cast(date_trunc($grain, received_date) as date)
),

final as (
    select
        coalesce(d.bucket, r.bucket) as bucket,
        coalesce(d.defect_events, 0) as defect_events,
        coalesce(d.supplier_defect_qty, 0) as supplier_defect_qty,
        r.received_qty,
        coalesce(r.receipts, 0) as receipts,
        1000000.0 * coalesce(d.supplier_defect_qty, 0) / nullif(r.received_qty, 0) as defect_ppm,
        d.copq
    from defects as d
    full outer join received as r on r.bucket = d.bucket
)

select * from final
