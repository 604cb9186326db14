-- Supplier delivery KPIs of the period (METRICS.md section 3).
-- grain: one row.
-- definition: otif_rate, on_time_rate, in_full_rate = lines / due lines; early_rate = early
--   lines / due lines with a receipt; lead-time mean, sample sd, p50, p95 (linear) and mean
--   lateness over lines with a receipt whose last receipt is in [$start, $end], computed
--   from counts per whole day of lead time (exact: lead times are whole days).
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

days as (
    -- lead times are whole days: counts per day give exact means, sds and percentiles
    select
        cast(lead_time_days as double) as lead_time_days,
        cast(count(*) as double) as lines,
        cast(sum(lateness_days) as double) as lateness_days_sum
    from po_lines
    where has_receipt and last_receipt between $start and $end
    group by lead_time_days
),

cumulative as (
    select
        *,
        sum(lines) over (order by lead_time_days rows between unbounded preceding
                         and current row) - lines as lines_below,
        sum(lines) over () as n
    from days
),

percentiles as (
    -- percentile_cont(p) = the value at 0-based rank h = (n - 1) p, interpolated between
    -- the values at floor(h) and ceil(h): found here by each day's range of ranks
    select
        p,
        max(case when lines_below <= floor((n - 1) * p) and floor((n - 1) * p) < lines_below + lines
                 then lead_time_days end)
        + max((n - 1) * p - floor((n - 1) * p))
        * (max(case when lines_below <= ceil((n - 1) * p) and ceil((n - 1) * p) < lines_below + lines
                    then lead_time_days end)
           - max(case when lines_below <= floor((n - 1) * p)
                           and floor((n - 1) * p) < lines_below + lines
                      then lead_time_days end)) as value
    from cumulative cross join (select 0.5 as p union all select 0.95 as p) as wanted
    group by p
),

lead_times as (
    select
        cast(sum(lines) as bigint) as lead_time_lines,
        1.0 * sum(lines * lead_time_days) / nullif(sum(lines), 0) as lead_time_mean_days,
        sqrt((sum(lines * lead_time_days * lead_time_days)
              - 1.0 * sum(lines * lead_time_days) * sum(lines * lead_time_days) / sum(lines))
             / nullif(sum(lines) - 1, 0)) as lead_time_sd_days,
        (select value from percentiles where p = 0.5) as lead_time_p50_days,
        (select value from percentiles where p = 0.95) as lead_time_p95_days,
        1.0 * sum(lateness_days_sum) / nullif(sum(lines), 0) as lateness_mean_days
    from days
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
