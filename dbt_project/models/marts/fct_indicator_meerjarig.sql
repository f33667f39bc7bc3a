-- Meerjarige kijk op elke indicator: één rij per gemeente (huidige kaart), indicator en jaar, dus voor elke rij
-- van fct_indicator_jaar. Verandering in de sociale basis vraagt jaren; dit model geeft daarom een driejaars-
-- waarde en een trend over de hele reeks, nooit een jaarlijks rood/groen oordeel en geen rangorde.
--
-- Driejaarswaarde over het venster [jaar-2, jaar], berekend uit int_indicator_waarnemingen (vóór onderdrukking)
-- met de catalogus (seeds/indicatoren.csv):
--   * alleen als minstens 2 jaren in het venster gegevens hebben (een tweejaarlijkse enquête geeft 2 metingen
--     in een venster dat eindigt in een peiljaar); anders zijn n_3jaar, waarde, se, interval en
--     onderdrukt_3jaar leeg;
--   * poisson: gepoolde verhouding som(teller) / som(noemer); se = wortel(som(teller)) / som(noemer);
--     95%-interval van Byar op som(teller), gedeeld door som(noemer);
--   * wilson, normaal, gegeven: ongewogen gemiddelde van de jaarlijkse schattingen; se = wortel(som(se²)) / k
--     (k = jaren_in_venster, onafhankelijke jaren; leeg als een jaar geen se heeft);
--     wilson: Wilson-interval op de effectieve omvang n_eff = p(1-p) / se² (som(n) als se = 0 of leeg);
--     normaal en gegeven: gemiddelde ± 1,96 × se (leeg zonder se);
--   * n_3jaar = som(n) over het venster; onderdrukt_3jaar = een jaar in het venster is onderdrukt of beschrijft
--     maar een deel van het gebied (dekking < 1), of n_3jaar < minimum_n. Overlappende vensters met een onderdrukt
--     jaar zouden dat jaar uit hun verschil prijsgeven (n én waarde), en een venster op de rand van het bereik
--     (100 %, een Gini van 0) elk jaar erin; daarom rust een gepubliceerde driejaarswaarde alleen op
--     gepubliceerde jaren. Onderdrukt betekent: n_3jaar, waarde, se en interval leeg. Kleine gemeenten poolen
--     in vaste, niet-overlappende perioden: fct_indicator_periode;
--   * alles maal de schaal van de catalogus (eenheid van de indicator); de ondergrens wordt op 0 afgekapt.
--
-- Trend over de gepubliceerde (niet onderdrukte) jaarwaarden van fct_indicator_jaar met volledige dekking, van het
-- eerste jaar van de reeks tot en met jaar (groeiend venster: de rij van het laatste jaar draagt de trend over de
-- hele reeks):
--   * helling = kleinste-kwadratenhelling van waarde op jaar, in eenheden van de indicator per jaar;
--   * se(helling) = wortel(SSE / (k-2) / Sxx) uit de residuen; 95%-interval helling ± t(0,975; k-2) × se;
--   * trend: 'onvoldoende gegevens' bij minder dan 4 jaren (helling en interval leeg), 'stijgend' als het hele
--     interval boven 0 ligt, 'dalend' als het onder 0 ligt, anders 'stabiel';
--   * trend_gevoelig: het oordeel zou anders uitvallen als één jaar wordt weggelaten (elk jaar om de beurt; met
--     k-1 punten en dezelfde regel, zonder de ondergrens van 4 jaren). Dan zegt het rapport 'gevoelig voor één
--     jaar'. De sommen per weggelaten jaar volgen uit de totalen min dat ene punt (jaren geteld vanaf 2000).
with catalogus as (
    select code as indicator_code, schaal, intervalmethode, minimum_n
    from {{ ref('indicatoren') }}
),

jaren as (
    select gemeentecode, indicator_code, jaar, waarde, onderdrukt, len(dekking_ontbrekend) = 0 as volledig
    from {{ ref('fct_indicator_jaar') }}
),

-- ------------------------------------------------------------------ driejaarswaarde (vóór onderdrukking)
waarnemingen as (
    select indicator_code, gemeentecode, jaar, teller, noemer, n, schatting, se, len(dekking_ontbrekend) = 0 as volledig
    from {{ ref('int_indicator_waarnemingen') }}
    where schatting is not null
),

venster as (
    select
        j.gemeentecode,
        j.indicator_code,
        j.jaar,
        count(w.jaar) as jaren_in_venster,
        sum(w.n) as n_venster,
        sum(w.teller) as teller_som,
        sum(w.noemer) as noemer_som,
        avg(w.schatting) as gemiddelde,
        case when count(w.se) = count(w.jaar) then sqrt(sum(w.se * w.se)) / count(w.jaar) end as se_gemiddelde,
        sqrt(sum(power(w.se * w.noemer, 2))) as se_teller_som,
        count(w.se) as jaren_met_se,
        count(w.jaar) filter (where w.n < c.minimum_n) as jaren_onderdrukt,
        count(w.jaar) filter (where not w.volledig) as jaren_deels
    from jaren as j
    inner join catalogus as c on c.indicator_code = j.indicator_code
    left join waarnemingen as w
        on w.gemeentecode = j.gemeentecode
        and w.indicator_code = j.indicator_code
        and w.jaar between j.jaar - 2 and j.jaar
    group by j.gemeentecode, j.indicator_code, j.jaar
),

venster_schatting as (
    select
        v.*,
        c.schaal,
        c.intervalmethode,
        c.minimum_n,
        v.jaren_in_venster >= 2 as berekend,
        case
            when c.intervalmethode in ('poisson', 'quasipoisson') then v.teller_som / v.noemer_som
            -- geen: een verhouding als er een teller is; de Gini heeft die niet (gemiddelde van de jaren)
            when c.intervalmethode = 'geen' then coalesce(v.teller_som / v.noemer_som, v.gemiddelde)
            else v.gemiddelde
        end as p,
        case
            when c.intervalmethode = 'poisson' then sqrt(v.teller_som) / v.noemer_som
            when c.intervalmethode = 'quasipoisson' and v.jaren_met_se = v.jaren_in_venster
                then v.se_teller_som / v.noemer_som
            when c.intervalmethode = 'geen' then null
            else v.se_gemiddelde
        end as se_p
    from venster as v
    inner join catalogus as c using (indicator_code)
),

venster_interval as (
    select
        *,
        case
            when intervalmethode = 'wilson' then
                case when se_p > 0 then p * (1 - p) / (se_p * se_p) else n_venster end
        end as n_effectief
    from venster_schatting
),

driejaars as (
    select
        *,
        -- alleen gepubliceerde jaren met volledige dekking: een onderdrukt jaar zou uit overlappende vensters
        -- (of uit een venster op de rand van het bereik) terug te rekenen zijn
        n_venster < minimum_n or jaren_onderdrukt > 0 or jaren_deels > 0 as onderdrukt,
        case intervalmethode
            when 'wilson' then {{ wilson_onder('p', 'n_effectief') }}
            when 'poisson' then {{ poisson_onder('teller_som') }} / noemer_som
            when 'quasipoisson' then {{ quasipoisson_onder('p', 'se_p', 'teller_som', 'noemer_som') }}
            when 'normaal' then p - 1.959963984540054 * se_p
            when 'gegeven' then p - 1.959963984540054 * se_p
        end as onder,
        case intervalmethode
            when 'wilson' then {{ wilson_boven('p', 'n_effectief') }}
            when 'poisson' then {{ poisson_boven('teller_som') }} / noemer_som
            when 'quasipoisson' then {{ quasipoisson_boven('p', 'se_p', 'teller_som', 'noemer_som') }}
            when 'normaal' then p + 1.959963984540054 * se_p
            when 'gegeven' then p + 1.959963984540054 * se_p
        end as boven
    from venster_interval
),

-- ------------------------------------------------------------------ trend (gepubliceerde jaarwaarden)
gepubliceerd as (
    select gemeentecode, indicator_code, jaar, waarde
    from jaren
    where waarde is not null and volledig
),

trend_paren as (
    -- elke rij met alle gepubliceerde jaren van dezelfde reeks tot en met dat jaar
    select j.gemeentecode, j.indicator_code, j.jaar, g.jaar as x, g.waarde as y
    from jaren as j
    left join gepubliceerd as g
        on g.gemeentecode = j.gemeentecode
        and g.indicator_code = j.indicator_code
        and g.jaar <= j.jaar
),

trend_gemiddelden as (
    select
        gemeentecode,
        indicator_code,
        jaar,
        count(x) as k,
        min(x) as jaar_van,
        max(x) as jaar_tot,
        avg(x) as x_gem,
        avg(y) as y_gem
    from trend_paren
    group by gemeentecode, indicator_code, jaar
),

trend_kwadraten as (
    select
        p.gemeentecode,
        p.indicator_code,
        p.jaar,
        sum((p.x - m.x_gem) * (p.x - m.x_gem)) as sxx,
        sum((p.x - m.x_gem) * (p.y - m.y_gem)) as sxy
    from trend_paren as p
    inner join trend_gemiddelden as m using (gemeentecode, indicator_code, jaar)
    where p.x is not null
    group by p.gemeentecode, p.indicator_code, p.jaar
),

trend_helling as (
    select
        m.*,
        q.sxx,
        case when q.sxx > 0 then q.sxy / q.sxx end as helling
    from trend_gemiddelden as m
    left join trend_kwadraten as q using (gemeentecode, indicator_code, jaar)
),

trend_residuen as (
    select
        p.gemeentecode,
        p.indicator_code,
        p.jaar,
        sum(power(p.y - (h.y_gem + h.helling * (p.x - h.x_gem)), 2)) as sse
    from trend_paren as p
    inner join trend_helling as h using (gemeentecode, indicator_code, jaar)
    where p.x is not null
    group by p.gemeentecode, p.indicator_code, p.jaar
),

trend_interval as (
    select
        h.gemeentecode,
        h.indicator_code,
        h.jaar,
        h.k,
        h.jaar_van,
        h.jaar_tot,
        h.k >= 4 as voldoende,
        h.helling,
        case when h.k >= 4 then {{ t_kwantiel_975('h.k - 2') }} * sqrt(r.sse / (h.k - 2) / h.sxx) end as marge
    from trend_helling as h
    left join trend_residuen as r using (gemeentecode, indicator_code, jaar)
),

trend as (
    select
        *,
        case when voldoende then helling end as helling_publ,
        case when voldoende then helling - marge end as helling_onder,
        case when voldoende then helling + marge end as helling_boven,
        case
            when not voldoende then 'onvoldoende gegevens'
            when helling - marge > 0 then 'stijgend'
            when helling + marge < 0 then 'dalend'
            else 'stabiel'
        end as trend
    from trend_interval
),

-- ------------------------------------------------------------------ gevoeligheid voor één jaar
trend_sommen as (
    select
        gemeentecode,
        indicator_code,
        jaar,
        count(x) as k,
        sum(x - 2000) as sx,
        sum(y) as sy,
        sum((x - 2000) * (x - 2000)) as sxx_r,
        sum((x - 2000) * y) as sxy_r,
        sum(y * y) as syy_r
    from trend_paren
    where x is not null
    group by gemeentecode, indicator_code, jaar
),

zonder_een as (
    -- de trend zonder het punt (x, y): sommen min dat punt, dan gecentreerd
    select
        p.gemeentecode,
        p.indicator_code,
        p.jaar,
        s.k - 1 as k1,
        (s.sxx_r - power(p.x - 2000, 2)) - power(s.sx - (p.x - 2000), 2) / (s.k - 1) as sxx1,
        (s.sxy_r - (p.x - 2000) * p.y) - (s.sx - (p.x - 2000)) * (s.sy - p.y) / (s.k - 1) as sxy1,
        (s.syy_r - p.y * p.y) - power(s.sy - p.y, 2) / (s.k - 1) as syy1
    from trend_paren as p
    inner join trend_sommen as s using (gemeentecode, indicator_code, jaar)
    where p.x is not null and s.k >= 4
),

zonder_een_oordeel as (
    select
        gemeentecode,
        indicator_code,
        jaar,
        sxy1 / sxx1 as helling1,
        {{ t_kwantiel_975('k1 - 2') }}
        * sqrt(greatest(syy1 - sxy1 * sxy1 / sxx1, 0) / (k1 - 2) / sxx1) as marge1
    from zonder_een
    where sxx1 > 0 and k1 >= 3
),

gevoeligheid as (
    select
        t.gemeentecode,
        t.indicator_code,
        t.jaar,
        bool_or(
            case
                when z.helling1 - z.marge1 > 0 then 'stijgend'
                when z.helling1 + z.marge1 < 0 then 'dalend'
                else 'stabiel'
            end <> t.trend
        ) as gevoelig
    from trend as t
    inner join zonder_een_oordeel as z using (gemeentecode, indicator_code, jaar)
    where t.voldoende
    group by t.gemeentecode, t.indicator_code, t.jaar
)

select
    cast(d.gemeentecode as varchar) as gemeentecode,
    cast(d.indicator_code as varchar) as indicator_code,
    cast(d.jaar as integer) as jaar,
    cast(d.jaren_in_venster as integer) as jaren_in_venster,
    cast(case when d.berekend and not d.onderdrukt then d.n_venster end as bigint) as n_3jaar,
    cast(case when d.berekend and not d.onderdrukt then d.p * d.schaal end as double) as waarde_3jaar,
    cast(case when d.berekend and not d.onderdrukt then d.se_p * d.schaal end as double) as se_3jaar,
    cast(
        case when d.berekend and not d.onderdrukt and d.onder is not null then greatest(d.onder, 0) * d.schaal end
        as double
    ) as ci_onder_3jaar,
    cast(
        case when d.berekend and not d.onderdrukt and d.boven is not null then d.boven * d.schaal end as double
    ) as ci_boven_3jaar,
    cast(case when d.berekend then d.onderdrukt end as boolean) as onderdrukt_3jaar,
    cast(t.jaar_van as integer) as trend_jaar_van,
    cast(t.jaar_tot as integer) as trend_jaar_tot,
    cast(t.k as integer) as trend_jaren,
    cast(t.helling_publ as double) as helling,
    cast(t.helling_onder as double) as helling_ci_onder,
    cast(t.helling_boven as double) as helling_ci_boven,
    cast(t.trend as varchar) as trend,
    cast(case when t.voldoende then coalesce(v.gevoelig, false) end as boolean) as trend_gevoelig
from driejaars as d
inner join trend as t using (gemeentecode, indicator_code, jaar)
left join gevoeligheid as v using (gemeentecode, indicator_code, jaar)
