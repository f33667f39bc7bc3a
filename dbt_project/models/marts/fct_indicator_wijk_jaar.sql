-- Wijkniveau, waar de gegevens het toelaten: de tien enquête-indicatoren per wijk (CBS-wijkindeling 2022) en jaar,
-- met dezelfde gewogen schatter, standaardfout, intervallen en onderdrukking als per gemeente. Per inwoner kan
-- nog niet: er is geen bevolking per wijk geleverd. De wijk hoort bij de gemeente op de huidige kaart uit
-- dim_wijk; respondenten met een wijkcode die niet in de CBS-indeling 2022 voorkomt, vallen erbuiten.
--
-- Secundaire onderdrukking (docs/methoden.md, "Onthullingscontrole"): de gemeente min haar gepubliceerde wijken
-- laat het verborgen deel over (de onderdrukte wijken, plus respondenten zonder wijk; dat laatste kan een
-- aanvaller niet weten, dus telt het niet als bescherming). Dat deel moet zelf publiceerbaar zijn: leeg, of
-- minstens twee wijken met samen minstens minimum_n respondenten, een n die niet op de rand ligt van wat de
-- onderdrukte wijken kunnen hebben (k tot k × (minimum_n - 1)), en een waarde die niet op de rand van het bereik
-- ligt (0 of 100 %, 0 of 10). Lukt dat niet, dan wordt ook de kleinste gepubliceerde wijk onderdrukt, enzovoort
-- (de kleinste aanvulling die volstaat; zo nodig alle wijken). Is de gemeente zelf onderdrukt, dan zijn al haar
-- wijken dat ook (een wijk heeft nooit meer respondenten dan haar gemeente).
with waarnemingen as (
    select
        s.indicator_code,
        s.wijkcode,
        s.gemeentecode,
        s.jaar,
        s.teller,
        s.noemer,
        s.n,
        s.schatting,
        s.se,
        null::double as ci_onder_basis,
        null::double as ci_boven_basis,
        null::double as dekking,
        null::varchar[] as dekking_ontbrekend,
        s.bron_leveringen
    from {{ ref('int_enquete_schattingen_wijk') }} as s
    inner join {{ ref('dim_wijk') }} as w
        on w.wijkcode = s.wijkcode
        and w.gemeentecode = s.gemeentecode
),

primair as (
    select * from ({{ gepubliceerde_cijfers('waarnemingen', ['wijkcode', 'gemeentecode']) }})
),

wijken as (
    select
        p.wijkcode,
        p.gemeentecode,
        p.jaar,
        p.indicator_code,
        p.onderdrukt as primair_onderdrukt,
        w.n as n_ruw,
        w.teller as teller_ruw,
        w.noemer as noemer_ruw,
        c.minimum_n,
        {{ bereik_boven('c.eenheid') }} as bovengrens
    from primair as p
    inner join waarnemingen as w using (wijkcode, gemeentecode, jaar, indicator_code)
    inner join {{ ref('indicatoren') }} as c on c.code = p.indicator_code
),

gemeente as (
    -- de gepubliceerde gemeentecel (vóór onderdrukking is die gelijk; onderdrukt betekent: alle wijken ook)
    select gemeentecode, jaar, indicator_code, n, teller, noemer, onderdrukt
    from {{ ref('fct_indicator_jaar') }}
),

kandidaten as (
    -- gepubliceerde wijken op volgorde van n (klein eerst): de kandidaten voor secundaire onderdrukking
    select
        *,
        row_number() over reeks as volgorde,
        sum(n_ruw) over reeks as cum_n,
        sum(teller_ruw) over reeks as cum_teller,
        sum(noemer_ruw) over reeks as cum_noemer
    from wijken
    where not primair_onderdrukt
    window reeks as (
        partition by gemeentecode, jaar, indicator_code order by n_ruw, wijkcode
        rows between unbounded preceding and current row
    )
),

groep as (
    select
        w.gemeentecode,
        w.jaar,
        w.indicator_code,
        any_value(w.minimum_n) as minimum_n,
        any_value(w.bovengrens) as bovengrens,
        count(*) filter (where w.primair_onderdrukt) as k_primair,
        coalesce(sum(w.n_ruw) filter (where not w.primair_onderdrukt), 0) as n_gepubliceerd,
        coalesce(sum(w.teller_ruw) filter (where not w.primair_onderdrukt), 0) as teller_gepubliceerd,
        coalesce(sum(w.noemer_ruw) filter (where not w.primair_onderdrukt), 0) as noemer_gepubliceerd
    from wijken as w
    group by w.gemeentecode, w.jaar, w.indicator_code
),

stappen as (
    -- stap m: de primair onderdrukte wijken plus de m kleinste gepubliceerde; het verborgen deel is de gemeente
    -- min wat dan nog gepubliceerd is
    select g.*, 0 as m, 0 as cum_n, 0.0 as cum_teller, 0.0 as cum_noemer
    from groep as g
    union all
    select g.*, k.volgorde, k.cum_n, k.cum_teller, k.cum_noemer
    from groep as g
    inner join kandidaten as k using (gemeentecode, jaar, indicator_code)
),

toets as (
    select
        s.gemeentecode,
        s.jaar,
        s.indicator_code,
        s.m,
        s.k_primair + s.m as k,
        ge.onderdrukt as gemeente_onderdrukt,
        ge.n - (s.n_gepubliceerd - s.cum_n) as n_verborgen,
        (ge.teller - (s.teller_gepubliceerd - s.cum_teller))
        / nullif(ge.noemer - (s.noemer_gepubliceerd - s.cum_noemer), 0) as waarde_verborgen,
        s.minimum_n,
        s.bovengrens
    from stappen as s
    left join gemeente as ge using (gemeentecode, jaar, indicator_code)
),

keuze as (
    -- de kleinste m waarbij het verborgen deel veilig is; anders alle wijken
    select
        gemeentecode,
        jaar,
        indicator_code,
        coalesce(
            min(m) filter (
                where not coalesce(gemeente_onderdrukt, true)
                and {{ verborgen_deel_veilig('k', 'n_verborgen', 'minimum_n', 'coalesce(waarde_verborgen, -1)', 'bovengrens') }}
            ),
            max(m)
        ) as m_nodig
    from toets
    group by gemeentecode, jaar, indicator_code
),

onderdrukking as (
    select
        w.wijkcode,
        w.gemeentecode,
        w.jaar,
        w.indicator_code,
        w.primair_onderdrukt
        or coalesce(k.volgorde <= c.m_nodig, false)
        or coalesce(ge.onderdrukt, true) as onderdrukt
    from wijken as w
    inner join keuze as c using (gemeentecode, jaar, indicator_code)
    left join kandidaten as k using (wijkcode, gemeentecode, jaar, indicator_code)
    left join gemeente as ge using (gemeentecode, jaar, indicator_code)
)

select
    p.wijkcode,
    p.gemeentecode,
    p.jaar,
    p.indicator_code,
    case when not o.onderdrukt then p.teller end as teller,
    case when not o.onderdrukt then p.noemer end as noemer,
    case when not o.onderdrukt then p.n end as n,
    case when not o.onderdrukt then p.waarde end as waarde,
    case when not o.onderdrukt then p.se end as se,
    case when not o.onderdrukt then p.ci_onder end as ci_onder,
    case when not o.onderdrukt then p.ci_boven end as ci_boven,
    o.onderdrukt,
    p.dekking,
    p.dekking_ontbrekend,
    p.bron_leveringen
from primair as p
inner join onderdrukking as o using (wijkcode, gemeentecode, jaar, indicator_code)
