-- Respondenten van de Burgerpeiling met de items die de indicatoren gebruiken. Alleen de inhoudelijke
-- antwoordcategorieën blijven over; "weet niet", "n.v.t." en "zeg ik liever niet" worden missend.
select
    e.levering_id,
    e.respondent_pseudoniem,
    e.gemeentecode,
    e.wijkcode,
    e.jaar,
    e.kwartaal,
    e.weging,
    {{ geldig_antwoord('e.zw06_0', 3) }} as zw06_0,
    {{ geldig_antwoord('e.zw06_1', 3) }} as zw06_1,
    {{ geldig_antwoord('e.zw06_2', 3) }} as zw06_2,
    {{ geldig_antwoord('e.zw06_3', 3) }} as zw06_3,
    {{ geldig_antwoord('e.zw09', 4) }} as zw09,
    {{ geldig_antwoord('e.zw10_0', 3) }} as zw10_0,
    {{ geldig_antwoord('e.zw10_1', 3) }} as zw10_1,
    {{ geldig_antwoord('e.zw10_2', 3) }} as zw10_2,
    {{ geldig_antwoord('e.zw03', 3) }} as zw03,
    {{ geldig_antwoord('e.zw04', 4) }} as zw04,
    {{ geldig_antwoord('e.zw01_5', 4) }} as zw01_5,
    {{ geldig_antwoord('e.wl02_0', 5) }} as wl02_0,
    {{ geldig_antwoord('e.wl02_1', 5) }} as wl02_1,
    {{ geldig_antwoord('e.wl03_0', 5) }} as wl03_0,
    {{ geldig_antwoord('e.wl03_1', 5) }} as wl03_1,
    {{ geldig_antwoord('e.wl03_2', 5) }} as wl03_2,
    {{ geldig_antwoord('e.wl13', 3) }} as wl13,
    {{ geldig_antwoord('e.vz03_1', 5) }} as vz03_1,
    {{ geldig_antwoord('e.vz03_6', 5) }} as vz03_6
from {{ source('raw', 'enquete') }} as e
inner join {{ ref('stg_kwaliteit__geldige_leveringen') }} as l using (levering_id)
