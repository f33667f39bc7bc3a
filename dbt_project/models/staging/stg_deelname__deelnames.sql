-- Deelnames per activiteit en periode uit de nieuwste geaccepteerde leveringen.
select
    d.levering_id,
    d.gemeentecode,
    d.wijkcode,
    d.activiteit_id,
    d.activiteit,
    d.accommodatie,
    d.aanbieder,
    d.periode_start,
    d.periode_eind,
    year(d.periode_start) as jaar,
    d.aantal_deelnames,
    d.aantal_unieke_deelnemers
from {{ source('raw', 'deelname') }} as d
inner join {{ ref('stg_kwaliteit__geldige_leveringen') }} as l using (levering_id)
