-- Elk verhaal één keer per gemeente: dezelfde tekst (ongeacht hoofdletters en witruimte) komt in een gemeente
-- niet twee keer voor, ook niet met een ander jaar, een andere sfeer of een andere titel. Elke rij is een fout.
{{ config(meta={'dagster': {'ref': {'name': 'fct_verhalen'}}}) }}
select gemeentecode, {{ verhaal_sleutel('tekst') }} as verhaal_sleutel, count(*) as aantal
from {{ ref('fct_verhalen') }}
group by all
having count(*) > 1
