{#
    Publiceerbare cijfers uit waarnemingen vóór onderdrukking (kolommen indicator_code, <sleutels>, jaar, teller,
    noemer, n, schatting, se, ci_onder_basis, ci_boven_basis, bron_leveringen): de catalogus bepaalt de schaal
    (100 voor een percentage, 1.000 voor per 1.000 inwoners, ...), de intervalmethode en het minimum n; onder dat
    minimum zijn teller, noemer, n, waarde, standaardfout en interval leeg (bij registers is n het aantal personen
    zelf, dus ook n zou het kleine aantal verraden). `dekking` (deel van de inwoners van het gebied dat leverde)
    en `dekking_ontbrekend` (de delen die niet leverden) gaan ongewijzigd mee; bij wijken zijn die leeg.
    Gedeeld door fct_indicator_jaar (gemeente) en fct_indicator_wijk_jaar (wijk).
#}
{% macro gepubliceerde_cijfers(relatie, sleutels) %}
with w as (
    select
        o.*,
        i.minimum_n,
        i.schaal,
        i.intervalmethode,
        -- effectieve steekproefomvang voor het Wilson-interval (gewogen: Kish via de standaardfout)
        case when o.se > 0 then o.schatting * (1 - o.schatting) / power(o.se, 2) else o.n end as n_effectief
    from {{ relatie }} as o
    inner join {{ ref('indicatoren') }} as i on i.code = o.indicator_code
),

interval as (
    select
        *,
        -- intervalmethoden: zie statistiek.sql; 'geen' (volledige telling, geen toevalsmodel) geeft geen interval
        case intervalmethode
            when 'wilson' then {{ wilson_onder('schatting', 'n_effectief') }}
            when 'poisson' then {{ poisson_onder('teller') }} / noemer
            when 'quasipoisson' then {{ quasipoisson_onder('schatting', 'se', 'teller', 'noemer') }}
            when 'normaal' then schatting - 1.959963984540054 * se
            when 'gegeven' then ci_onder_basis
        end as onder,
        case intervalmethode
            when 'wilson' then {{ wilson_boven('schatting', 'n_effectief') }}
            when 'poisson' then {{ poisson_boven('teller') }} / noemer
            when 'quasipoisson' then {{ quasipoisson_boven('schatting', 'se', 'teller', 'noemer') }}
            when 'normaal' then schatting + 1.959963984540054 * se
            when 'gegeven' then ci_boven_basis
        end as boven,
        n < minimum_n as onderdrukt
    from w
)

select
    {%- for k in sleutels %}
    cast({{ k }} as varchar) as {{ k }},
    {%- endfor %}
    cast(jaar as integer) as jaar,
    cast(indicator_code as varchar) as indicator_code,
    cast(case when not onderdrukt then teller end as double) as teller,
    cast(case when not onderdrukt then noemer end as double) as noemer,
    cast(case when not onderdrukt then n end as bigint) as n,
    cast(case when not onderdrukt then schatting * schaal end as double) as waarde,
    -- zonder intervalmethode ('geen': volledige telling) ook geen standaardfout
    cast(case when not onderdrukt and intervalmethode <> 'geen' then se * schaal end as double) as se,
    -- het interval omvat de schatting ook in de laatste bit (Wilson bij p = 1 geeft anders 0,99999999999999997)
    cast(
        case when not onderdrukt and onder is not null then least(greatest(onder, 0), schatting) * schaal end
        as double
    ) as ci_onder,
    cast(case when not onderdrukt and boven is not null then greatest(boven, schatting) * schaal end as double)
        as ci_boven,
    cast(onderdrukt as boolean) as onderdrukt,
    cast(dekking as double) as dekking,
    cast(dekking_ontbrekend as varchar[]) as dekking_ontbrekend,
    cast(list_sort(list_distinct(bron_leveringen)) as varchar[]) as bron_leveringen
from interval
{% endmacro %}
