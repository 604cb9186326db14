-- Distribution of lead time in whole days: the histogram of one supplier (section 3).
-- grain: one row per lead_time_days value among PO lines with a receipt whose last receipt
--   is in [$start, $end].
-- definition: lines = how many such lines took that many days from order date to last
--   receipt; the lines behind lead_time_mean_days. Filters: $supplier, $sku,
--   $category, $site.
-- inputs: po_lines
with final as (
    select lead_time_days, count(*) as lines
    from po_lines
    where has_receipt and last_receipt between $start and $end
    group by lead_time_days
)

select * from final
