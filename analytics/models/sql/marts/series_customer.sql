-- Fill rate and customer OTIF by week or month of the requested date (METRICS.md section 5).
-- grain: one row per $grain bucket with due customer lines.
-- definition: the rates of kpi_customer over the due lines requested in the bucket.
-- inputs: order_lines
with final as (
    select
        cast(date_trunc($grain, requested_date) as date) as bucket,
        count(*) as due_order_lines,
        sum(case when is_otif then 1 else 0 end) as otif_order_lines,
        sum(filled_qty) / nullif(sum(ordered_qty), 0) as fill_rate,
        1.0 * sum(case when is_otif then 1 else 0 end) / count(*) as customer_otif_rate
    from order_lines
    where is_due
    group by cast(date_trunc($grain, requested_date) as date)
)

select * from final
