select
    v.levering_id,
    v.vrijwilliger_pseudoniem,
    v.gemeentecode,
    v.wijkcode,
    v.organisatie,
    v.soort_inzet,
    v.startdatum,
    v.einddatum,
    v.uren_per_maand,
    v.leeftijdsklasse
from {{ source('raw', 'vrijwilligers') }} as v
inner join {{ ref('stg_kwaliteit__geldige_leveringen') }} as l using (levering_id)
