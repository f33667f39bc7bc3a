-- (Sommen en gemiddelden over gemeenten met ORDER BY: dan is de optelvolgorde en dus elke bit vast, ook bij
-- parallelle verwerking.)
-- Eerlijk vergelijken zonder ranglijst: elke gepubliceerde jaarwaarde naast de referentie van alle gemeenten met
-- een cijfer en die van de vergelijkingsgroep, met trechtergrenzen (funnel plot) van 95% en 99,8%. Eén rij per
-- gemeente, jaar, indicator en referentie ('landelijk' of 'vergelijkingsgroep').
--
--   * Alleen gemeenten met een gepubliceerde (niet onderdrukte) waarde, een noemer > 0 en volledige dekking (geen
--     voorganger die niet leverde) doen mee, zowel aan de referentiewaarde als aan de vergelijking.
--   * Referentiewaarde θ0 per jaar en indicator = som(noemer × waarde) / som(noemer) over de deelnemende
--     gemeenten (poisson: som(teller) / som(noemer); enquête: gewogen naar het aantal (gewogen) volwassen
--     inwoners met een geldig antwoord). 'landelijk' is een code: de referentie bevat de gemeenten met een
--     cijfer, niet vanzelf heel Nederland.
--   * Een naam zegt wat de referentie is (referentie_naam, referentie_naam_kort), afgemeten aan de huidige kaart
--     (dim_gemeente): de reeksen zijn naar die kaart omgerekend, dus een referentie dekt het land als elke
--     gemeente van de huidige kaart een cijfer heeft. Alleen dan heet ze 'Nederland'; anders 'gemeenten in de
--     monitor (14 van de 342 gemeenten, 23% van de inwoners)'. Inwoners: CBS 1 januari 2022 op de huidige
--     indeling (dim_gemeente.inwoners_2022), de enige bevolking die voor alle gemeenten in de referentie staat;
--     zo hangt het aandeel alleen af van welke gemeenten meedoen. Hetzelfde voor een vergelijkingsgroep,
--     afgemeten aan alle gemeenten van die klasse.
--   * Samenstelling: de referentie volgt elk jaar de gemeenten met een cijfer (geen vaste set, want een
--     tweejaarlijkse enquête zou die tot de jaarlijks meetende gemeenten beperken). Waar de set gemeenten anders is
--     dan in het vorige jaar met een referentie, zeggen samenstelling_gewijzigd en samenstelling_wijziging dat.
--   * Vergelijkingsgroep = dezelfde CBS-gemeentegrootteklasse én stedelijkheidsklasse (dim_gemeente, beide
--     gevuld); een groepsreferentie bestaat alleen als minstens 3 gemeenten van de groep dat jaar een waarde
--     hebben. Anders staat er toch een rij 'vergelijkingsgroep', zonder referentiewaarde en grenzen, met de reden
--     in reden_geen_referentie. De gemeente zelf telt mee in haar eigen referentie.
--   * Trechtergrenzen rond θ0 met z = 1,959963984540054 (95%) en 3,090232306167813 (99,8%), in de basiseenheid:
--     poisson: θ0 ± z × wortel(θ0 / noemer); quasipoisson: θ0 ± z × wortel(φ × θ0 / noemer) met de dispersie
--     φ = se² × noemer / schatting van de gemeente (minstens 1); wilson: θ0 ± z × wortel(θ0(1-θ0) / n_eff) met
--     de effectieve omvang van de gemeente n_eff = p(1-p) / se² (n als se = 0); normaal en gegeven: θ0 ± z × se
--     van de gemeente (leeg zonder se); geen (volledige telling of geen toevalsmodel): geen grenzen. Alles maal
--     de schaal (eenheid van de indicator); de ondergrens is op 0 afgekapt, bij aandelen de bovengrens op 100%.
--     Waarom een rij met referentie geen grenzen heeft, staat in reden_geen_grenzen.
--   * Overdispersie (Spiegelhalter 2005, 'Handling over-dispersion of performance indicators', additief model):
--     gemeenten verschillen meer dan toeval alleen verklaart. Per referentie: z = (waarde - θ0) / se_nul,
--     gewinsoriseerd op het 10e en 90e percentiel; φ = gemiddelde z²; τ² = max(0, (I·φ - (I-1)) / (Σw - Σw²/Σw))
--     met w = 1/se_nul² (DerSimonian-Laird). Grenzen θ0 ± z × wortel(se_nul² + τ²). τ wordt alleen geschat op
--     minstens 10 gemeenten (var overdispersie_minimum_gemeenten); een kleinere vergelijkingsgroep krijgt de
--     landelijke τ, en landelijk minder dan 10 gemeenten betekent geen correctie (τ = 0). Zonder grenzen (geen)
--     of zonder referentie zijn τ, φ en de bron leeg.
--   * positie: 'boven' als waarde > bovengrens, 'onder' als waarde < ondergrens, anders 'binnen' (95%);
--     positie_998 idem met de 99,8%-grenzen; leeg als de grenzen leeg zijn.
with catalogus as (
    select code as indicator_code, schaal, intervalmethode
    from {{ ref('indicatoren') }}
),

gemeenten as (
    -- de huidige kaart: elke gemeente met haar vergelijkingsgroep (ook als naam, zoals in de rapporten:
    -- '100.000–150.000 inwoners; sterk stedelijk') en haar inwoners (CBS, 1 januari 2022, huidige indeling)
    select
        gemeentecode,
        case
            when gemeentegrootte is not null and stedelijkheid is not null
                then gemeentegrootte || '; ' || stedelijkheid
        end as groep,
        case
            when gemeentegrootte is not null and stedelijkheid is not null then
                regexp_replace(
                    regexp_replace(gemeentegrootte, '(\d) (\d{3})', '\1.\2', 'g'), '^([\d.]+) tot ([\d.]+)', '\1–\2'
                )
                || '; ' || lower(left(stedelijkheid, 1)) || substr(stedelijkheid, 2)
        end as groepsnaam,
        coalesce(inwoners_2022, 0) as inwoners
    from {{ ref('dim_gemeente') }}
),

kaart as (
    -- wat een referentie omvat als elke gemeente een cijfer heeft: landelijk de hele kaart, een groep al haar
    -- gemeenten
    select
        'landelijk' as referentie,
        null::varchar as vergelijkingsgroep,
        count(*) as gemeenten_kaart,
        sum(inwoners) as inwoners_kaart
    from gemeenten
    union all
    select 'vergelijkingsgroep', groep, count(*), sum(inwoners)
    from gemeenten
    where groep is not null
    group by groep
),

deelnemers as (
    select
        f.gemeentecode,
        f.jaar,
        f.indicator_code,
        f.waarde,
        -- zonder toevalsmodel geen interval, ook niet als een oudere mart er een meegeeft
        case when c.intervalmethode <> 'geen' then f.ci_onder end as ci_onder,
        case when c.intervalmethode <> 'geen' then f.ci_boven end as ci_boven,
        f.se,
        f.n,
        f.noemer,
        c.schaal,
        c.intervalmethode,
        g.groep,
        g.groepsnaam,
        coalesce(g.inwoners, 0) as inwoners
    from {{ ref('fct_indicator_jaar') }} as f
    inner join catalogus as c using (indicator_code)
    left join gemeenten as g using (gemeentecode)
    -- een cel die maar een deel van de gemeente beschrijft (een voorganger leverde niet: dekking_ontbrekend),
    -- vergelijkt niet met hele gemeenten en telt ook niet mee in een referentie
    where not f.onderdrukt and f.waarde is not null and f.noemer > 0 and coalesce(len(f.dekking_ontbrekend), 0) = 0
),

referentiesets as (
    -- elke mogelijke referentie met wie erin zit; een groep ook met minder dan 3 gemeenten (voor de reden)
    select
        jaar,
        indicator_code,
        'landelijk' as referentie,
        null::varchar as vergelijkingsgroep,
        null::varchar as groepsnaam,
        sum(noemer * waarde order by gemeentecode) / sum(noemer order by gemeentecode) as referentie_waarde,
        count(*) as referentie_gemeenten,
        sum(inwoners) as inwoners,
        list(gemeentecode order by gemeentecode) as samenstelling
    from deelnemers
    group by jaar, indicator_code
    union all
    select
        jaar,
        indicator_code,
        'vergelijkingsgroep' as referentie,
        groep as vergelijkingsgroep,
        any_value(groepsnaam) as groepsnaam,
        sum(noemer * waarde order by gemeentecode) / sum(noemer order by gemeentecode) as referentie_waarde,
        count(*) as referentie_gemeenten,
        sum(inwoners) as inwoners,
        list(gemeentecode order by gemeentecode) as samenstelling
    from deelnemers
    where groep is not null
    group by jaar, indicator_code, groep
),

referenties as (
    select *
    from referentiesets
    where referentie = 'landelijk' or referentie_gemeenten >= 3
),

samenstelling as (
    -- de set gemeenten tegenover het vorige jaar met een referentie (zelfde indicator, referentie en groep)
    select
        *,
        lag(jaar) over reeks as vorig_jaar,
        lag(samenstelling) over reeks as vorige_samenstelling
    from referenties
    window reeks as (partition by indicator_code, referentie, vergelijkingsgroep order by jaar)
),

benoemd as (
    select
        s.*,
        k.gemeenten_kaart,
        case when k.inwoners_kaart > 0 then 100.0 * s.inwoners / k.inwoners_kaart end as inwoners_aandeel,
        s.referentie_gemeenten = k.gemeenten_kaart as volledig,
        len(s.samenstelling) - len(list_intersect(s.samenstelling, s.vorige_samenstelling)) as erbij,
        len(s.vorige_samenstelling) - len(list_intersect(s.samenstelling, s.vorige_samenstelling)) as eruit
    from samenstelling as s
    inner join kaart as k
        on k.referentie = s.referentie
        and k.vergelijkingsgroep is not distinct from s.vergelijkingsgroep
),

namen as (
    select
        *,
        -- het aandeel als woorden: nooit '100%' voor een onvolledige set, nooit '0%' voor een gemeente met inwoners
        case
            when inwoners_aandeel is null then 'onbekend deel'
            when inwoners_aandeel >= 99.5 then 'meer dan 99%'
            when inwoners_aandeel < 1 then 'minder dan 1%'
            else cast(round(inwoners_aandeel) as integer) || '%'
        end || ' van de inwoners' as aandeel_tekst
    from benoemd
),

referentie_rijen as (
    select
        *,
        case
            when referentie = 'landelijk' and volledig then 'Nederland (alle ' || gemeenten_kaart || ' gemeenten)'
            when referentie = 'landelijk' then
                'gemeenten in de monitor (' || referentie_gemeenten || ' van de ' || gemeenten_kaart
                || ' gemeenten, ' || aandeel_tekst || ')'
            when volledig then 'vergelijkingsgroep ' || groepsnaam || ' (alle ' || gemeenten_kaart || ' gemeenten)'
            else
                'vergelijkingsgroep in de monitor: ' || groepsnaam || ' (' || referentie_gemeenten || ' van de '
                || gemeenten_kaart || ' gemeenten, ' || aandeel_tekst || ')'
        end as referentie_naam,
        case
            when referentie = 'landelijk' and volledig then 'Nederland'
            when referentie = 'landelijk' then 'Gemeenten in de monitor'
            else 'Vergelijkingsgroep'
        end as referentie_naam_kort,
        case when vorig_jaar is not null then samenstelling <> vorige_samenstelling end as samenstelling_gewijzigd,
        case
            when vorig_jaar is not null and samenstelling <> vorige_samenstelling then
                'andere gemeenten dan in ' || vorig_jaar || ': '
                || case
                    when erbij > 0 and eruit > 0 then erbij || ' erbij en ' || eruit || ' eruit'
                    when erbij > 0 then erbij || (case when erbij = 1 then ' gemeente' else ' gemeenten' end) || ' erbij'
                    else eruit || (case when eruit = 1 then ' gemeente' else ' gemeenten' end) || ' eruit'
                end
        end as samenstelling_wijziging
    from namen
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
        end as n_effectief,
        -- dispersie van de gemeente (quasipoisson): se² = φ × schatting / noemer in de basiseenheid
        case
            when d.se > 0 and d.waarde > 0 then greatest(1.0, power(d.se / d.schaal, 2) * d.noemer / (d.waarde / d.schaal))
            else 1.0
        end as phi_gemeente
    from deelnemers as d
    inner join referenties as r
        on r.jaar = d.jaar
        and r.indicator_code = d.indicator_code
        and (r.referentie = 'landelijk' or r.vergelijkingsgroep = d.groep)
),

spreiding as (
    -- standaardfout onder de nulhypothese 'de gemeente wijkt niet af van θ0', in de eenheid van de indicator;
    -- leeg zonder toevalsmodel (geen)
    select
        *,
        case intervalmethode
            when 'poisson' then sqrt(theta / noemer) * schaal
            when 'quasipoisson' then sqrt(phi_gemeente * theta / noemer) * schaal
            when 'wilson' then case when n_effectief > 0 then sqrt(theta * (1 - theta) / n_effectief) * schaal end
            when 'normaal' then se
            when 'gegeven' then se
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
    -- is er geen correctie; zonder toevalsmodel (geen) is er niets te corrigeren
    select
        r.jaar,
        r.indicator_code,
        r.referentie,
        r.vergelijkingsgroep,
        case when c.intervalmethode <> 'geen' then coalesce(e.phi, l.phi) end as phi,
        case when c.intervalmethode <> 'geen' then coalesce(e.tau2, l.tau2, 0) end as tau2,
        case
            when c.intervalmethode = 'geen' then null
            when e.jaar is not null then 'eigen referentie'
            when l.jaar is not null then 'landelijk'
            else 'te weinig gemeenten'
        end as overdispersie_bron
    from referenties as r
    inner join catalogus as c using (indicator_code)
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
        g.*,
        greatest(g.referentie_waarde - 1.959963984540054 * g.se_trechter, 0) as g95_onder,
        -- een aandeel kan niet boven 100% (de hele schaal) uitkomen
        case
            when g.intervalmethode = 'wilson'
                then least(g.referentie_waarde + 1.959963984540054 * g.se_trechter, g.schaal)
            else g.referentie_waarde + 1.959963984540054 * g.se_trechter
        end as g95_boven,
        greatest(g.referentie_waarde - 3.090232306167813 * g.se_trechter, 0) as g998_onder,
        case
            when g.intervalmethode = 'wilson'
                then least(g.referentie_waarde + 3.090232306167813 * g.se_trechter, g.schaal)
            else g.referentie_waarde + 3.090232306167813 * g.se_trechter
        end as g998_boven,
        case
            when g.intervalmethode = 'geen'
                then 'geen toevalsmodel voor deze indicator (volledige telling, of herhaalde gebeurtenissen zonder '
                || 'personen): geen trechtergrenzen'
            when g.se_trechter is null then 'geen standaardfout voor deze gemeente: geen trechtergrenzen'
        end as reden_geen_grenzen,
        r.referentie_naam,
        r.referentie_naam_kort,
        r.gemeenten_kaart,
        r.inwoners_aandeel,
        r.volledig,
        r.samenstelling_gewijzigd,
        r.samenstelling_wijziging,
        null::varchar as reden_geen_referentie
    from gecorrigeerd as g
    inner join referentie_rijen as r
        on r.jaar = g.jaar
        and r.indicator_code = g.indicator_code
        and r.referentie = g.referentie
        and r.vergelijkingsgroep is not distinct from g.vergelijkingsgroep
),

zonder_groep as (
    -- een gemeente met een cijfer maar zonder groepsreferentie: toch een rij, met de reden
    select
        d.gemeentecode,
        d.jaar,
        d.indicator_code,
        'vergelijkingsgroep' as referentie,
        d.groep as vergelijkingsgroep,
        d.waarde,
        d.ci_onder,
        d.ci_boven,
        s.referentie_gemeenten,
        coalesce('vergelijkingsgroep ' || d.groepsnaam, 'vergelijkingsgroep onbekend') as referentie_naam,
        case
            when d.groep is null then 'de gemeentegrootte of stedelijkheid van de gemeente is onbekend'
            else
                'minder dan 3 gemeenten uit dezelfde vergelijkingsgroep (' || d.groepsnaam || ') hebben een cijfer'
                || ' voor ' || d.jaar
                || case
                    when s.referentie_gemeenten = 1 then ' (alleen deze gemeente)'
                    else ' (' || s.referentie_gemeenten || ' gemeenten)'
                end
        end as reden_geen_referentie
    from deelnemers as d
    left join referentiesets as s
        on s.referentie = 'vergelijkingsgroep'
        and s.jaar = d.jaar
        and s.indicator_code = d.indicator_code
        and s.vergelijkingsgroep = d.groep
    where d.groep is null or s.referentie_gemeenten < 3
),

alle_rijen as (
    select
        gemeentecode, jaar, indicator_code, referentie, vergelijkingsgroep, waarde, ci_onder, ci_boven,
        referentie_waarde, referentie_gemeenten,
        case when se_trechter is not null then g95_onder end as grens_95_onder,
        g95_boven as grens_95_boven,
        case when se_trechter is not null then g998_onder end as grens_998_onder,
        g998_boven as grens_998_boven,
        se_nul as se_referentie,
        sqrt(tau2) as overdispersie_tau,
        phi as overdispersie_phi,
        overdispersie_bron,
        case
            when se_trechter is null then null
            when waarde > g95_boven then 'boven'
            when waarde < g95_onder then 'onder'
            else 'binnen'
        end as positie,
        case
            when se_trechter is null then null
            when waarde > g998_boven then 'boven'
            when waarde < g998_onder then 'onder'
            else 'binnen'
        end as positie_998,
        referentie_naam,
        referentie_naam_kort,
        gemeenten_kaart as referentie_gemeenten_kaart,
        inwoners_aandeel as referentie_inwoners_aandeel,
        volledig as referentie_volledig,
        samenstelling_gewijzigd,
        samenstelling_wijziging,
        reden_geen_referentie,
        reden_geen_grenzen
    from grenzen
    union all by name
    select
        gemeentecode, jaar, indicator_code, referentie, vergelijkingsgroep, waarde, ci_onder, ci_boven,
        referentie_gemeenten, referentie_naam, 'Vergelijkingsgroep' as referentie_naam_kort,
        reden_geen_referentie
    from zonder_groep
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
    cast(grens_95_onder as double) as grens_95_onder,
    cast(grens_95_boven as double) as grens_95_boven,
    cast(grens_998_onder as double) as grens_998_onder,
    cast(grens_998_boven as double) as grens_998_boven,
    cast(se_referentie as double) as se_referentie,
    cast(overdispersie_tau as double) as overdispersie_tau,
    cast(overdispersie_phi as double) as overdispersie_phi,
    cast(overdispersie_bron as varchar) as overdispersie_bron,
    cast(positie as varchar) as positie,
    cast(positie_998 as varchar) as positie_998,
    cast(referentie_naam as varchar) as referentie_naam,
    cast(referentie_naam_kort as varchar) as referentie_naam_kort,
    cast(referentie_gemeenten_kaart as integer) as referentie_gemeenten_kaart,
    cast(referentie_inwoners_aandeel as double) as referentie_inwoners_aandeel,
    cast(referentie_volledig as boolean) as referentie_volledig,
    cast(samenstelling_gewijzigd as boolean) as samenstelling_gewijzigd,
    cast(samenstelling_wijziging as varchar) as samenstelling_wijziging,
    cast(reden_geen_referentie as varchar) as reden_geen_referentie,
    cast(reden_geen_grenzen as varchar) as reden_geen_grenzen
from alle_rijen
