-- Staging: exchange rates into the base currency ($currency) as periods of validity.
-- grain: one row per currency and valid_from; the rate applies on [valid_from, valid_to).
-- definition: codes upper-cased and trimmed. A rate applies from its valid_from up to the next
--   valid_from of its currency; the undated rate (stored as valid from 1900-01-01) applies
--   before the first dated one; the latest applies to the end of time and to rows without a
--   date (the item master). A rate of the base currency itself is never read: it is 1.
-- inputs: rates
with typed as (
    select upper(trim(currency)) as currency, valid_from, rate
    from rates
    where rate > 0
),

final as (
    select
        currency,
        valid_from,
        coalesce(
            lead(valid_from) over (partition by currency order by valid_from),
            date '9999-12-31'
        ) as valid_to,
        rate
    from typed
)

select * from final
