-- Supplier scorecard of the period (METRICS.md sections 3, 4 and 8).
-- grain: one row per supplier with a PO line, a receipt or a defect in scope.
-- definition: per supplier the rates of kpi_delivery, lead-time mean / sd / CV / p95, mean
--   lateness, defect PPM, spend and spend share; score = 100 x weighted mean of the parts
--   that are known: OTIF rate ($score_weight_otif), quality = max(0, 1 - PPM /
--   $score_ppm_ceiling) ($score_weight_quality), lead-time reliability = max(0, 1 - CV)
--   ($score_weight_lead_time); grade A >= 90, B >= 75, C >= 60, else D; rank 1 = best.
-- inputs: po_lines, defect_events, receipts, supplier_spend
with delivery as (
    select
        supplier,
        sum(case when is_due then 1 else 0 end) as due_lines,
        1.0 * sum(case when is_due and is_on_time then 1 else 0 end)
            / nullif(sum(case when is_due then 1 else 0 end), 0) as on_time_rate,
        1.0 * sum(case when is_due and is_in_full then 1 else 0 end)
            / nullif(sum(case when is_due then 1 else 0 end), 0) as in_full_rate,
        1.0 * sum(case when is_due and is_otif then 1 else 0 end)
            / nullif(sum(case when is_due then 1 else 0 end), 0) as otif_rate,
        1.0 * sum(case when is_due and is_early then 1 else 0 end)
            / nullif(sum(case when is_due and has_receipt then 1 else 0 end), 0) as early_rate,
        sum(case when is_due and not is_complete and promised_date < $as_of then 1 else 0 end)
            as late_open_lines
    from po_lines
    group by supplier
),

lead_times as (
    select
        supplier,
        count(*) as lead_time_lines,
        avg(lead_time_days) as lead_time_mean_days,
        stddev_samp(lead_time_days) as lead_time_sd_days,
        percentile_cont(0.95) within group (order by lead_time_days) as lead_time_p95_days,
        avg(lateness_days) as lateness_mean_days
    from po_lines
    where has_receipt and last_receipt between $start and $end
    group by supplier
),

quality as (
    select supplier, sum(qty) as defect_qty
    from defect_events
    where supplier is not null
    group by supplier
),

received as (
    select supplier, sum(received_qty) as received_qty from receipts group by supplier
),

suppliers as (
    select supplier from delivery
    union select supplier from quality
    union select supplier from received
),

joined as (
    select
        s.supplier,
        d.due_lines, d.on_time_rate, d.in_full_rate, d.otif_rate, d.early_rate,
        d.late_open_lines,
        l.lead_time_lines, l.lead_time_mean_days, l.lead_time_sd_days,
        l.lead_time_sd_days / nullif(l.lead_time_mean_days, 0) as lead_time_cv,
        l.lead_time_p95_days, l.lateness_mean_days,
        coalesce(q.defect_qty, 0) as defect_qty,
        r.received_qty,
        1000000.0 * coalesce(q.defect_qty, 0) / nullif(r.received_qty, 0) as defect_ppm,
        sp.spend, sp.spend_share
    from suppliers as s
    left join delivery as d on d.supplier = s.supplier
    left join lead_times as l on l.supplier = s.supplier
    left join quality as q on q.supplier = s.supplier
    left join received as r on r.supplier = s.supplier
    left join supplier_spend as sp on sp.supplier = s.supplier
),

parts as (
    select
        *,
        case when defect_ppm is not null
             then greatest(0, 1 - defect_ppm / $score_ppm_ceiling) end as quality_score,
        case when lead_time_cv is not null then greatest(0, 1 - lead_time_cv) end
            as lead_time_score
    from joined
),

scored as (
    select
        *,
        100.0 * (
            coalesce($score_weight_otif * otif_rate, 0)
            + coalesce($score_weight_quality * quality_score, 0)
            + coalesce($score_weight_lead_time * lead_time_score, 0)
        ) / nullif(
            case when otif_rate is not null then $score_weight_otif else 0 end
            + case when quality_score is not null then $score_weight_quality else 0 end
            + case when lead_time_score is not null then $score_weight_lead_time else 0 end,
            0) as score
    from parts
),

final as (
    select
        *,
        case
            when score is null then null
            when score >= 90 then 'A'
            when score >= 75 then 'B'
            when score >= 60 then 'C'
            else 'D'
        end as grade,
        case when score is not null
             then rank() over (order by case when score is null then 1 else 0 end, score desc)
        end as score_rank
    from scored
)

select * from final
