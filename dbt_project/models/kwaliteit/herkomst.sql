-- Herkomst van elk gepubliceerd cijfer: per gemeente, jaar en indicator (fct_indicator_jaar) de leveringen
-- waaruit het is berekend, met bestandsnaam, sha256 en ontvangstmoment uit het grootboek. Ook een onderdrukt
-- cijfer heeft herkomst: de auditor ziet welke leveringen erachter zitten, niet de waarde.
select
    cast(f.gemeentecode as varchar) as gemeentecode,
    cast(f.jaar as integer) as jaar,
    cast(f.indicator_code as varchar) as indicator_code,
    cast(l.levering_id as varchar) as levering_id,
    cast(l.bron as varchar) as bron,
    cast(l.bestandsnaam as varchar) as bestandsnaam,
    cast(l.sha256 as varchar) as sha256,
    cast(l.ontvangen_op as timestamp) as ontvangen_op
from {{ ref('fct_indicator_jaar') }} as f,
    unnest(f.bron_leveringen) as b(levering_id)
inner join {{ source('kwaliteit', 'leveringen') }} as l on l.levering_id = b.levering_id
