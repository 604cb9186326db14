-- Each supplier's OTIF by week or month of the promised date: the scorecard's sparklines.
-- grain: one row per supplier and $grain bucket ('week' starts Monday, or 'month') of the
--   promised date with due lines.
-- definition: due_lines, otif_lines and otif_rate = otif_lines / due_lines over the
--   supplier's due PO lines (section 3) promised in the bucket; series_delivery per supplier.
-- inputs: po_lines
with final as (
    select
        supplier,
        cast(date_trunc($grain, promised_date) as date) as bucket,
        count(*) as due_lines,
        sum(case when is_otif then 1 else 0 end) as otif_lines,
        1.0 * sum(case when is_otif then 1 else 0 end) / count(*) as otif_rate
    from po_lines
    where is_due
    group by supplier, cast(date_trunc($grain, promised_date) as date)
)

select * from final
