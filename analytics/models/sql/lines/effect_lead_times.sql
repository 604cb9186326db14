-- Per-line lead times and lateness, for the Mann-Whitney test of an action (section 10).
-- grain: one row per PO line with a receipt whose last receipt is in the period.
-- definition: lead_time_days = last receipt - order date; lateness_days = last receipt -
--   promised date (the lines behind lead_time_mean_days). Filters: $supplier, $sku,
--   $category, $site.
-- inputs: po_lines
with final as (
    select lead_time_days, lateness_days
    from po_lines
    where has_receipt and last_receipt between $start and $end
)

select * from final
