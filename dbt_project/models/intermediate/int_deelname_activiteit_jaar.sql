-- Deelnames per activiteit, wijk en jaar op de huidige gemeentelijke kaart (splitsingen naar aandeel).
-- Een activiteit is (gemeente op de huidige kaart, activiteit_id): een activiteit die na een herindeling
-- onder de nieuwe gemeentecode wordt geleverd, blijft dezelfde activiteit.
select
    a.actuele_gemeentecode as gemeentecode,
    d.jaar,
    d.activiteit_id,
    d.wijkcode,
    sum(d.aantal_deelnames * a.aandeel) as deelnames,
    sum(d.aantal_unieke_deelnemers * a.aandeel) as unieke_deelnemers,
    bool_and(d.aantal_unieke_deelnemers is not null) as unieke_volledig,
    max(a.aandeel) as gewicht,
    list(distinct d.levering_id order by d.levering_id) as bron_leveringen
from {{ ref('stg_deelname__deelnames') }} as d
inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = d.gemeentecode
group by all
