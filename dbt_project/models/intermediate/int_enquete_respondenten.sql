-- Respondenten op de huidige kaart, met per enquête-indicator hun waarde y (0/1 voor een aandeel, 0-10 voor
-- een schaalscore; leeg als de respondent niet meetelt). Binnen elke aanleverende gemeente en jaar worden de
-- gewichten geschaald naar het aantal volwassen inwoners, zodat voorgangers naar hun omvang meetellen als hun
-- enquêtes worden samengevoegd. Voor een gemeente zonder voorgangers verandert dit geen schatting.
-- De som van de gewichten per aanleverende gemeente en jaar komt uit een groepering en een join, niet uit een
-- vensterfunctie: een venster over `r.*` houdt alle ca. 180 kolommen van 1,7 mln respondenten vast.
with sommen as (
    select gemeentecode, jaar, sum(weging) as som_weging
    from {{ ref('stg_enquete__respondenten') }}
    group by all
),

gewogen as (
    select r.*, s.som_weging
    from {{ ref('stg_enquete__respondenten') }} as r
    inner join sommen as s on s.gemeentecode = r.gemeentecode and s.jaar = r.jaar
)

select
    g.levering_id,
    g.respondent_pseudoniem,
    a.actuele_gemeentecode as gemeentecode,
    g.gemeentecode as aanleverende_gemeentecode,
    g.wijkcode,
    g.jaar,
    g.weging * coalesce(b.inwoners_18plus, b.inwoners, g.som_weging) / g.som_weging * a.aandeel as weging,
    -- aandelen: 1 als het gunstige/gevraagde antwoord is gegeven, 0 bij een ander geldig antwoord
    case when g.zw06_0 is not null then (g.zw06_0 in (1, 2))::double end as p_mantelzorg_geven,
    case when g.zw06_0 in (1, 2) and g.zw09 is not null then (g.zw09 in (3, 4))::double end
        as p_mantelzorg_zwaar_belast,
    case when g.zw06_3 is not null then (g.zw06_3 in (1, 2))::double end as g_vrijwilligerswerk,
    case when g.wl13 is not null then (g.wl13 in (1, 2))::double end as g_actief_voor_buurt,
    case when g.vz03_1 is not null then (g.vz03_1 in (1, 2))::double end as i_tevreden_welzijn,
    case when g.vz03_6 is not null then (g.vz03_6 in (1, 2))::double end as i_tevreden_ontmoeting,
    -- schaalscores 0-10 (Burgerpeiling-methode, zie docs/methoden.md)
    {{ schaalscore([['g.zw10_0', 3], ['g.zw10_1', 3], ['g.zw10_2', 3]], 2) }} as p_sociaal_vangnet,
    {{ schaalscore([['g.zw03', 3], ['g.zw04', 4], ['g.zw01_5', 4]], 2) }} as p_sociale_relaties,
    {{ schaalscore([['g.wl02_0', 5], ['g.wl02_1', 5], ['g.wl03_0', 5], ['g.wl03_1', 5], ['g.wl03_2', 5]], 3) }}
        as g_verbondenheid_buurt,
    {{ schaalscore([['g.zw06_1', 3], ['g.zw06_2', 3], ['g.wl03_1', 5]], 2) }} as g_samenredzaamheid
from gewogen as g
inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = g.gemeentecode
left join {{ ref('stg_bevolking__inwoners') }} as b on b.gemeentecode = g.gemeentecode and b.jaar = g.jaar
