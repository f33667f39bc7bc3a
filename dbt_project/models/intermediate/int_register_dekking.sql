-- Welke jaren een registerlevering (vrijwilligers, mantelzorg) volledig beschrijft, per gemeente op de
-- huidige kaart, tot en met het jaar van de laatste datum in de levering. Een register dat in jaar S begint
-- en in S of S + 1 al een beëindiging heeft (of geen enkele), telt vanaf S. Liggen er meer jaren tussen de
-- eerste start en de eerste beëindiging, dan bevat het register kennelijk alleen wie er toen nog was (wie
-- eerder stopte ontbreekt) en telt het pas vanaf het jaar van de eerste beëindiging.
with perioden as (
    select levering_id, gemeentecode, 'vrijwilligers' as bron,
           year(min(startdatum)) as eerste_start, year(min(einddatum)) as eerste_einde,
           year(greatest(max(startdatum), coalesce(max(einddatum), max(startdatum)))) as laatste_jaar
    from {{ ref('stg_vrijwilligers__inzet') }}
    group by all
    union all
    select levering_id, gemeentecode, 'mantelzorg',
           year(min(registratiedatum)), year(min(uitschrijfdatum)),
           year(greatest(max(registratiedatum), coalesce(max(uitschrijfdatum), max(registratiedatum)),
                         coalesce(max(contactdatum), max(registratiedatum))))
    from {{ ref('stg_mantelzorg__contacten') }}
    group by all
)

select distinct
    p.bron,
    p.levering_id,
    p.gemeentecode as aanleverende_gemeentecode,
    a.actuele_gemeentecode as gemeentecode,
    cast(j.jaar as integer) as jaar
from perioden as p
inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = p.gemeentecode
cross join lateral (
    select unnest(range(
        case when coalesce(p.eerste_einde, p.eerste_start) <= p.eerste_start + 1 then p.eerste_start
             else p.eerste_einde end,
        p.laatste_jaar + 1
    )) as jaar
) as j
