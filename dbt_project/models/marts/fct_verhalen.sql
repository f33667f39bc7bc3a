-- Verhalen van inwoners met toestemming, op de huidige gemeentelijke kaart.
select
    cast(v.verhaal_id as varchar) as verhaal_id,
    cast(a.actuele_gemeentecode as varchar) as gemeentecode,
    cast(v.wijkcode as varchar) as wijkcode,
    cast(v.jaar as integer) as jaar,
    cast(v.sfeer as varchar) as sfeer,
    cast(v.titel as varchar) as titel,
    cast(v.tekst as varchar) as tekst
from {{ ref('stg_verhalen__verhalen') }} as v
inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = v.gemeentecode
