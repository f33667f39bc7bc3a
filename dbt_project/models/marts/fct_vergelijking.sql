-- Eerlijk vergelijken zonder ranglijst: elke gepubliceerde jaarwaarde naast de landelijke waarde en de waarde
-- van de vergelijkingsgroep, met trechtergrenzen (funnel plot) van 95% en 99,8%. Eén rij per gemeente, jaar,
-- indicator en referentie ('landelijk' of 'vergelijkingsgroep').
--
--   * Alleen gemeenten met een gepubliceerde (niet onderdrukte) waarde en een noemer > 0 doen mee, zowel aan de
--     referentiewaarde als aan de vergelijking.
--   * Referentiewaarde θ0 per jaar en indicator = som(noemer × waarde) / som(noemer) over de deelnemende
--     gemeenten (poisson: som(teller) / som(noemer); enquête: gewogen naar het aantal (gewogen) volwassen
--     inwoners met een geldig antwoord). 'landelijk' = alle gemeenten in het warehouse.
--   * Vergelijkingsgroep = dezelfde CBS-gemeentegrootteklasse én stedelijkheidsklasse (dim_gemeente, beide
--     gevuld); een groepsrij bestaat alleen als minstens 3 gemeenten van de groep dat jaar een waarde hebben.
--     De gemeente zelf telt mee in haar eigen referentie.
--   * Trechtergrenzen rond θ0 met z = 1,959963984540054 (95%) en 3,090232306167813 (99,8%), in de basiseenheid:
--     poisson: θ0 ± z × wortel(θ0 / noemer); wilson: θ0 ± z × wortel(θ0(1-θ0) / n_eff) met de effectieve
--     omvang van de gemeente n_eff = p(1-p) / se² (n als se = 0); normaal en gegeven: θ0 ± z × se van de
--     gemeente (leeg zonder se). Alles maal de schaal (eenheid van de indicator); de ondergrens is op 0
--     afgekapt.
--   * positie: 'boven' als waarde > bovengrens, 'onder' als waarde < ondergrens, anders 'binnen' (95%);
--     positie_998 idem met de 99,8%-grenzen; leeg als de grenzen leeg zijn.
with catalogus as (
    select code as indicator_code, schaal, intervalmethode
    from {{ ref('indicatoren') }}
),

deelnemers as (
    select
        f.gemeentecode,
        f.jaar,
        f.indicator_code,
        f.waarde,
        f.ci_onder,
        f.ci_boven,
        f.se,
        f.n,
        f.noemer,
        c.schaal,
        c.intervalmethode,
        case
            when g.gemeentegrootte is not null and g.stedelijkheid is not null
                then g.gemeentegrootte || '; ' || g.stedelijkheid
        end as groep
    from {{ ref('fct_indicator_jaar') }} as f
    inner join catalogus as c using (indicator_code)
    left join {{ ref('dim_gemeente') }} as g using (gemeentecode)
    where not f.onderdrukt and f.waarde is not null and f.noemer > 0
),

referenties as (
    select
        jaar,
        indicator_code,
        'landelijk' as referentie,
        null::varchar as vergelijkingsgroep,
        sum(noemer * waarde) / sum(noemer) as referentie_waarde,
        count(*) as referentie_gemeenten
    from deelnemers
    group by jaar, indicator_code
    union all
    select
        jaar,
        indicator_code,
        'vergelijkingsgroep' as referentie,
        groep as vergelijkingsgroep,
        sum(noemer * waarde) / sum(noemer) as referentie_waarde,
        count(*) as referentie_gemeenten
    from deelnemers
    where groep is not null
    group by jaar, indicator_code, groep
    having count(*) >= 3
),

vergeleken as (
    select
        d.*,
        r.referentie,
        r.vergelijkingsgroep,
        r.referentie_waarde,
        r.referentie_gemeenten,
        r.referentie_waarde / d.schaal as theta,
        -- effectieve steekproefomvang van de gemeente (wilson), zoals in fct_indicator_jaar
        case
            when d.se > 0 then (d.waarde / d.schaal) * (1 - d.waarde / d.schaal) / power(d.se / d.schaal, 2)
            else d.n
        end as n_effectief
    from deelnemers as d
    inner join referenties as r
        on r.jaar = d.jaar
        and r.indicator_code = d.indicator_code
        and (r.referentie = 'landelijk' or r.vergelijkingsgroep = d.groep)
),

spreiding as (
    -- standaardfout onder de nulhypothese 'de gemeente wijkt niet af van θ0', in de eenheid van de indicator
    select
        *,
        case intervalmethode
            when 'poisson' then sqrt(theta / noemer) * schaal
            when 'wilson' then case when n_effectief > 0 then sqrt(theta * (1 - theta) / n_effectief) * schaal end
            else se
        end as se_nul
    from vergeleken
),

grenzen as (
    select
        *,
        greatest(referentie_waarde - 1.959963984540054 * se_nul, 0) as g95_onder,
        referentie_waarde + 1.959963984540054 * se_nul as g95_boven,
        greatest(referentie_waarde - 3.090232306167813 * se_nul, 0) as g998_onder,
        referentie_waarde + 3.090232306167813 * se_nul as g998_boven
    from spreiding
)

select
    cast(gemeentecode as varchar) as gemeentecode,
    cast(jaar as integer) as jaar,
    cast(indicator_code as varchar) as indicator_code,
    cast(referentie as varchar) as referentie,
    cast(vergelijkingsgroep as varchar) as vergelijkingsgroep,
    cast(waarde as double) as waarde,
    cast(ci_onder as double) as ci_onder,
    cast(ci_boven as double) as ci_boven,
    cast(referentie_waarde as double) as referentie_waarde,
    cast(referentie_gemeenten as integer) as referentie_gemeenten,
    cast(case when se_nul is not null then g95_onder end as double) as grens_95_onder,
    cast(g95_boven as double) as grens_95_boven,
    cast(case when se_nul is not null then g998_onder end as double) as grens_998_onder,
    cast(g998_boven as double) as grens_998_boven,
    cast(
        case
            when se_nul is null then null
            when waarde > g95_boven then 'boven'
            when waarde < g95_onder then 'onder'
            else 'binnen'
        end as varchar
    ) as positie,
    cast(
        case
            when se_nul is null then null
            when waarde > g998_boven then 'boven'
            when waarde < g998_onder then 'onder'
            else 'binnen'
        end as varchar
    ) as positie_998
from grenzen
