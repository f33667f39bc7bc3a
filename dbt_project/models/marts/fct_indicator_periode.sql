-- Gepoolde perioden: vaste, niet-overlappende driejaarsperioden (2015–2017, 2018–2020, 2021–2023, ...; begin
-- var periode_startjaar) per gemeente (huidige kaart) en indicator. Zo blijft poolen mogelijk voor gemeenten
-- waar één jaar te klein is, zonder dat overlappende vensters een onderdrukt jaar uit hun verschil prijsgeven
-- (CBS/Eurostat: gepoolde, niet-overlappende perioden). Zie docs/methoden.md, "Onthullingscontrole".
--
-- Waarde: de periode als één gepoolde steekproef of telling, uit de jaarwaarnemingen vóór onderdrukking:
--   * poisson, quasipoisson en geen: som(teller) / som(noemer); poisson: se = wortel(som(teller)) / som(noemer),
--     Byar-interval; quasipoisson: se = wortel(som((noemer × se)²)) / som(noemer), Byar op de effectieve telling;
--   * registeraandelen (wilson, bron niet enquete): p = som(teller) / som(noemer), se = wortel(p(1-p) / som(noemer)),
--     Wilson-interval op som(noemer): de persoonsjaren van de periode als één steekproef;
--   * enquête (wilson, normaal): p = som(teller) / som(noemer) (gewogen), se = wortel(som((noemer_j × se_j)²)) /
--     som(noemer) (onafhankelijke jaren); wilson: Wilson-interval op n_eff = p(1-p) / se², normaal: p ± 1,96 × se;
--   * mediane inzetduur: de mediaan over alle persoonsjaren van de periode, met het interval op rangnummers;
--   * Gini: niet gepoold (poolen voegt geen wijken toe; het minimum gaat over het aantal wijken).
--
-- Berekend alleen voor een afgesloten periode (het laatste jaar van de periode is er voor deze indicator in het
-- warehouse), met minstens 2 jaren met gegevens en elk jaar met volledige dekking. Gepubliceerd als:
--   * n (som over de periode) >= minimum_n en de waarde strikt binnen het bereik (niet 0, niet 100 % of 10);
--   * het verborgen deel (de onderdrukte jaren van de periode; de periode min de gepubliceerde jaren) leeg is,
--     of minstens 2 jaren telt met samen minstens minimum_n, een n die niet op de rand ligt van wat onderdrukte
--     jaren kunnen hebben (k tot k × (minimum_n - 1)), en bij een verhouding een teller / noemer strikt binnen
--     het bereik.
with catalogus as (
    select
        code as indicator_code,
        schaal,
        intervalmethode,
        bron,
        minimum_n,
        {{ bereik_boven('eenheid') }} as bovengrens
    from {{ ref('indicatoren') }}
),

waarnemingen as (
    select
        w.*,
        cast({{ var('periode_startjaar', 2015) }} + 3 * floor((w.jaar - {{ var('periode_startjaar', 2015) }}) / 3) as integer)
            as periode_van
    from {{ ref('int_indicator_waarnemingen') }} as w
    where w.schatting is not null
),

laatste_jaar as (
    select indicator_code, max(jaar) as jaar from waarnemingen group by indicator_code
),

sommen as (
    select
        w.gemeentecode,
        w.indicator_code,
        w.periode_van,
        count(*) as jaren,
        count(*) filter (where len(w.dekking_ontbrekend) > 0) as jaren_deels,
        count(*) filter (where w.n < c.minimum_n) as k_verborgen,
        sum(w.n) as n,
        sum(w.teller) as teller,
        sum(w.noemer) as noemer,
        sqrt(sum(power(w.noemer * w.se, 2))) as se_som,
        count(w.se) as jaren_met_se,
        coalesce(sum(w.n) filter (where w.n < c.minimum_n), 0) as n_verborgen,
        sum(w.teller) filter (where w.n < c.minimum_n) as teller_verborgen,
        sum(w.noemer) filter (where w.n < c.minimum_n) as noemer_verborgen
    from waarnemingen as w
    inner join catalogus as c using (indicator_code)
    group by w.gemeentecode, w.indicator_code, w.periode_van
),

mediaan as (
    {{ inzetduur_mediaan(
        "(select *, cast(" ~ var('periode_startjaar', 2015) ~ " + 3 * floor((jaar - " ~ var('periode_startjaar', 2015)
        ~ ") / 3) as integer) as periode_van from " ~ ref('int_vrijwilligers_jaar') ~ ") as v",
        'periode_van'
    ) }}
),

schatting as (
    select
        s.*,
        c.schaal,
        c.intervalmethode,
        c.bron,
        c.minimum_n,
        c.bovengrens,
        s.periode_van + 2 <= l.jaar as afgesloten,
        case
            when s.indicator_code = 'g_inzetduur_mediaan' then m.mediaan
            when c.intervalmethode = 'gegeven' then null
            else s.teller / s.noemer
        end as p,
        m.onder as mediaan_onder,
        m.boven as mediaan_boven
    from sommen as s
    inner join catalogus as c using (indicator_code)
    inner join laatste_jaar as l using (indicator_code)
    left join mediaan as m
        on s.indicator_code = 'g_inzetduur_mediaan'
        and m.gemeentecode = s.gemeentecode
        and m.periode_van = s.periode_van
),

spreiding as (
    select
        *,
        case
            when intervalmethode = 'poisson' then sqrt(teller) / noemer
            when intervalmethode = 'quasipoisson' and jaren_met_se = jaren then se_som / noemer
            when intervalmethode = 'wilson' and bron <> 'enquete' then sqrt(p * (1 - p) / noemer)
            when intervalmethode in ('wilson', 'normaal') and jaren_met_se = jaren then se_som / noemer
            when indicator_code = 'g_inzetduur_mediaan' then (mediaan_boven - mediaan_onder) / (2 * 1.959963984540054)
        end as se
    from schatting
),

interval as (
    select
        *,
        case
            when intervalmethode = 'wilson' and bron <> 'enquete' then noemer
            when intervalmethode = 'wilson' then case when se > 0 then p * (1 - p) / (se * se) else n end
        end as n_effectief
    from spreiding
),

getoetst as (
    select
        *,
        afgesloten and jaren >= 2 and jaren_deels = 0 and p is not null as berekend,
        n >= minimum_n
        and {{ binnen_bereik('p', 'bovengrens') }}
        and {{ verborgen_deel_veilig(
            'k_verborgen', 'n_verborgen', 'minimum_n',
            'teller_verborgen / coalesce(nullif(noemer_verborgen, 0), -1)', 'bovengrens'
        ) }} as veilig,
        case intervalmethode
            when 'poisson' then {{ poisson_onder('teller') }} / noemer
            when 'quasipoisson' then {{ quasipoisson_onder('p', 'se', 'teller', 'noemer') }}
            when 'wilson' then {{ wilson_onder('p', 'n_effectief') }}
            when 'normaal' then p - 1.959963984540054 * se
            when 'gegeven' then mediaan_onder
        end as onder,
        case intervalmethode
            when 'poisson' then {{ poisson_boven('teller') }} / noemer
            when 'quasipoisson' then {{ quasipoisson_boven('p', 'se', 'teller', 'noemer') }}
            when 'wilson' then {{ wilson_boven('p', 'n_effectief') }}
            when 'normaal' then p + 1.959963984540054 * se
            when 'gegeven' then mediaan_boven
        end as boven
    from interval
)

select
    cast(gemeentecode as varchar) as gemeentecode,
    cast(indicator_code as varchar) as indicator_code,
    cast(periode_van || '–' || (periode_van + 2) as varchar) as periode,
    cast(periode_van as integer) as periode_van,
    cast(periode_van + 2 as integer) as periode_tot,
    cast(jaren as integer) as jaren_met_gegevens,
    cast(k_verborgen as integer) as jaren_onderdrukt,
    cast(case when veilig then n end as bigint) as n,
    cast(case when veilig then p * schaal end as double) as waarde,
    cast(case when veilig then se * schaal end as double) as se,
    cast(case when veilig and onder is not null then least(greatest(onder, 0), p) * schaal end as double) as ci_onder,
    cast(case when veilig and boven is not null then greatest(boven, p) * schaal end as double) as ci_boven,
    cast(not veilig as boolean) as onderdrukt
from getoetst
where berekend
