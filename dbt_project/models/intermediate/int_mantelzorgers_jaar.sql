-- Persoonsjaren van ingeschreven mantelzorgers: één rij per mantelzorger, gemeente (huidige kaart) en jaar
-- waarin de mantelzorger ingeschreven was, met het aantal ondersteuningscontacten in dat jaar. De herkomst
-- staat per gemeente en jaar in int_register_dekking (zoals bij int_vrijwilligers_jaar).
with rijen as (
    select m.*, a.actuele_gemeentecode, a.aandeel
    from {{ ref('stg_mantelzorg__contacten') }} as m
    inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = m.gemeentecode
)

select
    r.actuele_gemeentecode as gemeentecode,
    d.jaar,
    r.mantelzorger_pseudoniem,
    max(r.aandeel) as gewicht,
    count(distinct case when year(r.contactdatum) = d.jaar
                        then r.ondersteuningsvorm || '|' || cast(r.contactdatum as varchar) end) as contacten
from rijen as r
inner join {{ ref('int_register_dekking') }} as d
    on d.bron = 'mantelzorg' and d.levering_id = r.levering_id and d.gemeentecode = r.actuele_gemeentecode
where r.registratiedatum <= make_date(d.jaar, 12, 31)
  and (r.uitschrijfdatum is null or r.uitschrijfdatum >= make_date(d.jaar, 1, 1))
group by all
