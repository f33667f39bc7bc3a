-- Respondenten van de Burgerpeiling met de items die de indicatoren gebruiken; "weet niet" wordt missend.
select
    e.levering_id,
    e.respondent_pseudoniem,
    e.gemeentecode,
    e.wijkcode,
    e.jaar,
    e.kwartaal,
    e.weging,
    case when e.zw06_0 in (1, 2, 3) then e.zw06_0 end as zw06_0,
    case when e.zw06_3 in (1, 2, 3) then e.zw06_3 end as zw06_3
from {{ source('raw', 'enquete') }} as e
inner join {{ ref('stg_kwaliteit__geldige_leveringen') }} as l using (levering_id)
