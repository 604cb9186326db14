-- Supplier delivery KPIs of the period (METRICS.md section 3).
-- grain: one row.
-- definition: otif_rate, on_time_rate, in_full_rate = lines / due lines; early_rate = early
--   lines / due lines with a receipt; lead-time mean, sample sd, p50, p95 (linear) and mean
--   lateness over lines with a receipt whose last receipt is in [$start, $end].
-- inputs: po_lines
with counts as (
    select
        count(*) as due_lines,
        sum(case when is_otif then 1 else 0 end) as otif_lines,
        sum(case when is_on_time then 1 else 0 end) as on_time_lines,
        sum(case when is_in_full then 1 else 0 end) as in_full_lines,
        sum(case when has_receipt then 1 else 0 end) as due_received_lines,
        sum(case when is_early then 1 else 0 end) as early_lines
    from po_lines
    where is_due
),

lead_times as (
    select
        count(*) as lead_time_lines,
        avg(lead_time_days) as lead_time_mean_days,
        stddev_samp(lead_time_days) as lead_time_sd_days,
        percentile_cont(0.5) within group (order by lead_time_days) as lead_time_p50_days,
        percentile_cont(0.95) within group (order by lead_time_days) as lead_time_p95_days,
        avg(lateness_days) as lateness_mean_days
    from po_lines
    where has_receipt and last_receipt between $start and $end
),

final as (
    select
        counts.*,
        1.0 * otif_lines / nullif(due_lines, 0) as otif_rate,
        1.0 * on_time_lines / nullif(due_lines, 0) as on_time_rate,
        1.0 * in_full_lines / nullif(due_lines, 0) as in_full_rate,
        1.0 * early_lines / nullif(due_received_lines, 0) as early_rate,
        lead_times.*,
        lead_time_sd_days / nullif(lead_time_mean_days, 0) as lead_time_cv
    from counts cross join lead_times
)

select * from final
