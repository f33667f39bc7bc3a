-- Inwoners per gemeente op de huidige kaart per jaar (voorgangers opgeteld, splitsingen naar aandeel).
select
    a.actuele_gemeentecode as gemeentecode,
    b.jaar,
    sum(b.inwoners * a.aandeel) as inwoners,
    sum(b.inwoners_18plus * a.aandeel) as inwoners_18plus,
    list(distinct b.levering_id order by b.levering_id) as bron_leveringen
from {{ ref('stg_bevolking__inwoners') }} as b
inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = b.gemeentecode
group by all
