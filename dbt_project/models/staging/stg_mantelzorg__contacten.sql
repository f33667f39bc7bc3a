select
    m.levering_id,
    m.mantelzorger_pseudoniem,
    m.gemeentecode,
    m.wijkcode,
    m.registratiedatum,
    m.uitschrijfdatum,
    m.ondersteuningsvorm,
    m.contactdatum,
    m.ervaren_belasting
from {{ source('raw', 'mantelzorg') }} as m
inner join {{ ref('stg_kwaliteit__geldige_leveringen') }} as l using (levering_id)
