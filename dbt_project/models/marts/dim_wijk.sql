-- CBS-wijken (indeling 2022) met de gemeente op de huidige kaart waartoe ze nu behoren. Bron: CBS.
select
    cast(w.wijkcode as varchar) as wijkcode,
    cast(w.wijknaam as varchar) as wijknaam,
    cast(a.actuele_gemeentecode as varchar) as gemeentecode,
    cast(w.gemeentecode as varchar) as gemeentecode_2022
from {{ ref('ref_wijken') }} as w
inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = w.gemeentecode
where a.aandeel = 1
