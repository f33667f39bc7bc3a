-- Respondenten op de huidige kaart. Binnen elke aanleverende gemeente en jaar worden de gewichten
-- geschaald naar het aantal volwassen inwoners, zodat voorgangers naar hun omvang meetellen als
-- hun enquêtes worden samengevoegd. Voor een gemeente zonder voorgangers verandert dit geen schatting.
with gewogen as (
    select
        r.*,
        sum(r.weging) over (partition by r.gemeentecode, r.jaar) as som_weging
    from {{ ref('stg_enquete__respondenten') }} as r
)

select
    g.levering_id,
    g.respondent_pseudoniem,
    a.actuele_gemeentecode as gemeentecode,
    g.gemeentecode as aanleverende_gemeentecode,
    g.wijkcode,
    g.jaar,
    g.weging * coalesce(b.inwoners_18plus, b.inwoners, g.som_weging) / g.som_weging * a.aandeel as weging,
    g.zw06_0,
    g.zw06_3
from gewogen as g
inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = g.gemeentecode
left join {{ ref('stg_bevolking__inwoners') }} as b on b.gemeentecode = g.gemeentecode and b.jaar = g.jaar
