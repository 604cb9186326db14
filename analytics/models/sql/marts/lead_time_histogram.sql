-- Lead times of the period counted by supplier and whole day (METRICS.md section 3).
-- grain: one row per supplier and lead_time_days over lines with a receipt whose last
--   receipt is in [$start, $end].
-- definition: lines = how many lines took that many days; lateness_days_sum = their summed
--   lateness. Lead times are whole days, so means, sample sds and linearly interpolated
--   percentiles computed from these counts equal those computed from the lines themselves,
--   with one small table instead of millions of rows.
-- inputs: po_lines
with final as (
    select
        supplier,
        lead_time_days,
        count(*) as lines,
        sum(lateness_days) as lateness_days_sum
    from po_lines
    where has_receipt and last_receipt between $start and $end
    group by supplier, lead_time_days
)

select * from final
