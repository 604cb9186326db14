-- Lead time and lateness by week or month of the last receipt (METRICS.md section 3).
-- grain: one row per $grain bucket with received lines.
-- definition: mean, sample sd and p95 of lead_time_days, and mean lateness_days, over lines
--   with a receipt whose last receipt is in the period and in the bucket.
-- inputs: po_lines
with final as (
    select
        cast(date_trunc($grain, last_receipt) as date) as bucket,
        count(*) as lead_time_lines,
        avg(lead_time_days) as lead_time_mean_days,
        stddev_samp(lead_time_days) as lead_time_sd_days,
        percentile_cont(0.95) within group (order by lead_time_days) as lead_time_p95_days,
        avg(lateness_days) as lateness_mean_days
    from po_lines
    where has_receipt and last_receipt between $start and $end
    group by cast(date_trunc($grain, last_receipt) as date)
)

select * from final
