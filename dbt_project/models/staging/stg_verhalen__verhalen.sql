-- Verhalen van inwoners; alleen met toestemming (de voordeur laadt niets anders).
select
    v.levering_id,
    md5(concat_ws('|', v.gemeentecode, v.jaar, v.sfeer, v.tekst)) as verhaal_id,
    v.gemeentecode,
    v.wijkcode,
    v.jaar,
    v.sfeer,
    v.titel,
    v.tekst
from {{ source('raw', 'verhalen') }} as v
inner join {{ ref('stg_kwaliteit__geldige_leveringen') }} as l using (levering_id)
where v.toestemming = 'ja'
