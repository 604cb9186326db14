-- The seven wastes of the period, valued (METRICS.md section 6), and beside them the write-off
--   exposure of dead stock.
-- grain: one row per line of METRICS.md section 6 (transport, motion and over-processing apart),
--   then one row for the write-off exposure.
-- definition: inventory = excess value x $holding_rate x days / 365 (dead stock is all
--   excess, so its value is not added again);
--   over-delivery = (delivered - ordered) x unit cost over lines whose last receipt is in
--   the period; early arrival = units received early x days early x unit cost x
--   $holding_rate / 365 over receipts in the period arriving before P - early tolerance;
--   waiting = late line-days (lateness of due lines received late) plus stock-out days
--   (sku-dates whose snapshots total 0 while the sku had demand in the 30 days up to that
--   date), in days; defects = COPQ; transport, motion and over-processing cannot be
--   measured from these inputs (value null, measurable false). Write-off exposure = the
--   value on hand of dead skus at $as_of: a stock, not the period's money, so its unit is
--   'stock' and no money total adds it.
-- inputs: kpi_stock, po_lines, receipts, snapshots, stg_orders, kpi_quality
with inventory as (
    select
        excess_value * $holding_rate * (date_diff('day', $start, $end) + 1) / 365.0 as value
    from kpi_stock
),

exposure as (
    select dead_stock_value as value, coalesce(dead_skus, 0) as n
    from kpi_stock
),

over_delivery as (
    select coalesce(sum(over_qty * unit_cost), 0) as value, sum(case when over_qty > 0 then 1 else 0 end) as n
    from po_lines
    where has_receipt and last_receipt between $start and $end
),

early as (
    select
        coalesce(sum(received_qty * date_diff('day', received_date, promised_date)
                     * sku_unit_cost), 0) * $holding_rate / 365.0 as value,
        count(*) as n
    from receipts
    where date_diff('day', received_date, promised_date) > $early_tol
),

late_lines as (
    select sum(lateness_days) as days, count(*) as n
    from po_lines
    where is_due and has_receipt and not is_on_time
),

sku_dates as (
    select sku, date, sum(on_hand_qty) as on_hand_qty
    from snapshots
    group by sku, date
),

stockouts as (
    select count(*) as days
    from sku_dates as s
    where s.on_hand_qty = 0
      and exists (
          select 1 from stg_orders as o
          where o.sku = s.sku
            and date_diff('day', o.order_date, s.date) between 0 and 29
            and ($site is null or o.site = $site)
      )
),

final as (
    select 1 as position, 'Inventory' as waste, value, 'money' as unit, true as measurable,
           'excess above target cover held for the period (dead stock is all excess)' as basis
    from inventory
    union all
    select 2, 'Overproduction / over-delivery', value, 'money', true,
           cast(n as varchar) || ' over-delivered lines'
    from over_delivery
    union all
    select 3, 'Early arrival', value, 'money', true,
           cast(n as varchar) || ' early receipts'
    from early
    union all
    select 4, 'Waiting', coalesce(l.days, 0) + s.days, 'days', true,
           cast(coalesce(l.days, 0) as varchar) || ' late line-days over '
           || cast(l.n as varchar) || ' late lines + ' || cast(s.days as varchar)
           || ' stock-out days'
    from late_lines as l cross join stockouts as s
    union all
    select 5, 'Defects', copq, 'money', true, 'cost of poor quality'
    from kpi_quality
    union all
    select 6, 'Transport', null, 'money', false, 'not measurable from these inputs'
    union all
    select 7, 'Motion', null, 'money', false, 'not measurable from these inputs'
    union all
    select 8, 'Over-processing', null, 'money', false, 'not measurable from these inputs'
    union all
    select 9, 'Dead stock (write-off exposure)', value, 'stock', true,
           cast(n as varchar) || ' dead SKUs on hand at the as-of date: '
           || 'a stock at risk, not added to the money of the period'
    from exposure
)

select * from final
