-- Eén rij per gemeente (huidige kaart), jaar en indicator, met 95%-interval en onderdrukking.
with w as (
    select
        o.*,
        i.minimum_n,
        case when o.soort = 'aandeel' then 100.0 else 1000.0 end as schaal,
        -- effectieve steekproefomvang voor het Wilson-interval van een gewogen aandeel
        case when o.soort = 'aandeel' and o.se > 0 then o.schatting * (1 - o.schatting) / power(o.se, 2)
             else o.n end as n_effectief
    from {{ ref('int_indicator_waarnemingen') }} as o
    inner join {{ ref('indicatoren') }} as i on i.code = o.indicator_code
),

interval as (
    select
        *,
        case when soort = 'aandeel' then {{ wilson_onder('schatting', 'n_effectief') }}
             else {{ poisson_onder('teller') }} / noemer end as onder,
        case when soort = 'aandeel' then {{ wilson_boven('schatting', 'n_effectief') }}
             else {{ poisson_boven('teller') }} / noemer end as boven,
        n < minimum_n as onderdrukt
    from w
)

select
    cast(gemeentecode as varchar) as gemeentecode,
    cast(jaar as integer) as jaar,
    cast(indicator_code as varchar) as indicator_code,
    cast(case when not onderdrukt then teller end as double) as teller,
    cast(noemer as double) as noemer,
    cast(n as bigint) as n,
    cast(case when not onderdrukt then schatting * schaal end as double) as waarde,
    cast(case when not onderdrukt then se * schaal end as double) as se,
    cast(case when not onderdrukt then greatest(onder, 0) * schaal end as double) as ci_onder,
    cast(case when not onderdrukt then boven * schaal end as double) as ci_boven,
    cast(onderdrukt as boolean) as onderdrukt,
    cast(bron_leveringen as varchar[]) as bron_leveringen
from interval
