-- (Sommen en gemiddelden over gemeenten met ORDER BY: dan is de optelvolgorde en dus elke bit vast, ook bij
-- parallelle verwerking.)
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
--     afgekapt, bij aandelen de bovengrens op 100%.
--   * Overdispersie (Spiegelhalter 2005, 'Handling over-dispersion of performance indicators', additief model):
--     gemeenten verschillen meer dan toeval alleen verklaart. Per referentie: z = (waarde - θ0) / se_nul,
--     gewinsoriseerd op het 10e en 90e percentiel; φ = gemiddelde z²; τ² = max(0, (I·φ - (I-1)) / (Σw - Σw²/Σw))
--     met w = 1/se_nul² (DerSimonian-Laird). Grenzen θ0 ± z × wortel(se_nul² + τ²). τ wordt alleen geschat op
--     minstens 10 gemeenten (var overdispersie_minimum_gemeenten); een kleinere vergelijkingsgroep krijgt de
--     landelijke τ, en landelijk minder dan 10 gemeenten betekent geen correctie (τ = 0).
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
        sum(noemer * waarde order by gemeentecode) / sum(noemer order by gemeentecode) as referentie_waarde,
        count(*) as referentie_gemeenten
    from deelnemers
    group by jaar, indicator_code
    union all
    select
        jaar,
        indicator_code,
        'vergelijkingsgroep' as referentie,
        groep as vergelijkingsgroep,
        sum(noemer * waarde order by gemeentecode) / sum(noemer order by gemeentecode) as referentie_waarde,
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

z_scores as (
    -- Spiegelhalter (2005): z-score van elke gemeente onder de nulhypothese, gewinsoriseerd op het 10e en 90e
    -- percentiel binnen de referentie (jaar x indicator x referentie x groep)
    select
        *,
        (waarde - referentie_waarde) / se_nul as z,
        quantile_cont((waarde - referentie_waarde) / se_nul, 0.1) over referentieset as z_p10,
        quantile_cont((waarde - referentie_waarde) / se_nul, 0.9) over referentieset as z_p90
    from spreiding
    where se_nul > 0
    window referentieset as (partition by jaar, indicator_code, referentie, vergelijkingsgroep)
),

overdispersie_eigen as (
    -- DerSimonian-Laird-schatting van de tussen-gemeentevariantie τ² uit de gewinsoriseerde z-scores:
    -- τ² = max(0, (I·φ - (I - 1)) / (Σw - Σw² / Σw)) met φ = gemiddelde z², w = 1 / se_nul²
    select
        jaar,
        indicator_code,
        referentie,
        vergelijkingsgroep,
        count(*) as i_gemeenten,
        avg(power(least(greatest(z, z_p10), z_p90), 2) order by gemeentecode) as phi,
        greatest(
            0,
            (count(*) * avg(power(least(greatest(z, z_p10), z_p90), 2) order by gemeentecode) - (count(*) - 1))
            / (
                sum(1 / power(se_nul, 2) order by gemeentecode)
                - sum(1 / power(se_nul, 4) order by gemeentecode) / sum(1 / power(se_nul, 2) order by gemeentecode)
            )
        ) as tau2
    from z_scores
    group by jaar, indicator_code, referentie, vergelijkingsgroep
),

geschat as (
    -- τ² alleen geschat op minstens {{ var('overdispersie_minimum_gemeenten', 10) }} gemeenten
    select * from overdispersie_eigen
    where i_gemeenten >= {{ var('overdispersie_minimum_gemeenten', 10) }}
),

overdispersie as (
    -- de eigen τ² van de referentie als die geschat is; anders krijgt een kleinere vergelijkingsgroep de
    -- landelijke τ² van dat jaar en die indicator (een ruimere trechter), en zonder genoeg gemeenten landelijk
    -- is er geen correctie
    select
        r.jaar,
        r.indicator_code,
        r.referentie,
        r.vergelijkingsgroep,
        coalesce(e.phi, l.phi) as phi,
        coalesce(e.tau2, l.tau2, 0) as tau2,
        case
            when e.jaar is not null then 'eigen referentie'
            when l.jaar is not null then 'landelijk'
            else 'te weinig gemeenten'
        end as overdispersie_bron
    from referenties as r
    left join geschat as e
        on e.jaar = r.jaar
        and e.indicator_code = r.indicator_code
        and e.referentie = r.referentie
        and e.vergelijkingsgroep is not distinct from r.vergelijkingsgroep
    left join geschat as l
        on l.jaar = r.jaar
        and l.indicator_code = r.indicator_code
        and l.referentie = 'landelijk'
),

gecorrigeerd as (
    select
        s.*,
        o.phi,
        o.tau2,
        o.overdispersie_bron,
        case when s.se_nul is not null then sqrt(power(s.se_nul, 2) + o.tau2) end as se_trechter
    from spreiding as s
    inner join overdispersie as o
        on o.jaar = s.jaar
        and o.indicator_code = s.indicator_code
        and o.referentie = s.referentie
        and o.vergelijkingsgroep is not distinct from s.vergelijkingsgroep
),

grenzen as (
    select
        *,
        greatest(referentie_waarde - 1.959963984540054 * se_trechter, 0) as g95_onder,
        -- een aandeel kan niet boven 100% (de hele schaal) uitkomen
        case
            when intervalmethode = 'wilson' then least(referentie_waarde + 1.959963984540054 * se_trechter, schaal)
            else referentie_waarde + 1.959963984540054 * se_trechter
        end as g95_boven,
        greatest(referentie_waarde - 3.090232306167813 * se_trechter, 0) as g998_onder,
        case
            when intervalmethode = 'wilson' then least(referentie_waarde + 3.090232306167813 * se_trechter, schaal)
            else referentie_waarde + 3.090232306167813 * se_trechter
        end as g998_boven
    from gecorrigeerd
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
    cast(case when se_trechter is not null then g95_onder end as double) as grens_95_onder,
    cast(g95_boven as double) as grens_95_boven,
    cast(case when se_trechter is not null then g998_onder end as double) as grens_998_onder,
    cast(g998_boven as double) as grens_998_boven,
    cast(se_nul as double) as se_referentie,
    cast(sqrt(tau2) as double) as overdispersie_tau,
    cast(phi as double) as overdispersie_phi,
    cast(overdispersie_bron as varchar) as overdispersie_bron,
    cast(
        case
            when se_trechter is null then null
            when waarde > g95_boven then 'boven'
            when waarde < g95_onder then 'onder'
            else 'binnen'
        end as varchar
    ) as positie,
    cast(
        case
            when se_trechter is null then null
            when waarde > g998_boven then 'boven'
            when waarde < g998_onder then 'onder'
            else 'binnen'
        end as varchar
    ) as positie_998
from grenzen
