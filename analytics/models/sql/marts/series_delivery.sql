-- Supplier delivery rates by week or month of the promised date (METRICS.md section 3).
-- grain: one row per $grain bucket ('week' starts Monday, or 'month') with due lines.
-- definition: the rates of kpi_delivery over the due lines whose promised date falls in
--   the bucket, with the line counts behind each rate.
-- inputs: po_lines
with final as (
    select
        cast(date_trunc($grain, promised_date) as date) as bucket,
        count(*) as due_lines,
        sum(case when is_otif then 1 else 0 end) as otif_lines,
        sum(case when has_receipt then 1 else 0 end) as due_received_lines,
        1.0 * sum(case when is_otif then 1 else 0 end) / count(*) as otif_rate,
        1.0 * sum(case when is_on_time then 1 else 0 end) / count(*) as on_time_rate,
        1.0 * sum(case when is_in_full then 1 else 0 end) / count(*) as in_full_rate,
        1.0 * sum(case when is_early then 1 else 0 end)
            / nullif(sum(case when has_receipt then 1 else 0 end), 0) as early_rate
    from po_lines
    where is_due
    group by cast(date_trunc($grain, promised_date) as date)
)

select * from final
