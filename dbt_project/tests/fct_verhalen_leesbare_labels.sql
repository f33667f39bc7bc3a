-- Geen ruw label van de de-identificatie (zoals [EMAILADRES-1] of [PATIENT]) in een gepubliceerd verhaal: elk
-- label is vertaald naar gewoon Nederlands (seed deidentificatie_labels). Elke rij is een fout.
{{ config(meta={'dagster': {'ref': {'name': 'fct_verhalen'}}}) }}
select v.verhaal_id, v.gemeentecode, v.titel, v.tekst
from {{ ref('fct_verhalen') }} as v
where regexp_matches(coalesce(v.titel, '') || ' ' || v.tekst, '\[[A-Z][A-Z_+]*-[0-9]+\]')
   or exists (
       select 1
       from {{ ref('deidentificatie_labels') }} as l
       where l.label <> '*' and contains(coalesce(v.titel, '') || ' ' || v.tekst, '[' || l.label || ']')
   )
