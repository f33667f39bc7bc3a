-- Koppeling van elke (historische) gemeentecode aan de gemeente(n) op de huidige kaart.
-- Ketens van herindelingen worden gevolgd; bij een splitsing verdeelt aandeel_bevolking de gegevens.
with recursive keten as (
    select
        h.oude_gemeentecode as gemeentecode,
        h.nieuwe_gemeentecode as actuele_gemeentecode,
        h.aandeel_bevolking as aandeel,
        1 as stap
    from {{ ref('ref_herindelingen') }} as h
    union all
    select k.gemeentecode, h.nieuwe_gemeentecode, k.aandeel * h.aandeel_bevolking, k.stap + 1
    from keten as k
    inner join {{ ref('ref_herindelingen') }} as h on h.oude_gemeentecode = k.actuele_gemeentecode
    where k.stap < 20
),

eindpunt as (
    -- alleen de laatste schakel: de code die op de huidige kaart bestaat
    select k.gemeentecode, k.actuele_gemeentecode, k.aandeel
    from keten as k
    inner join {{ ref('ref_gemeenten') }} as g on g.gemeentecode = k.actuele_gemeentecode
)

select gemeentecode, actuele_gemeentecode, sum(aandeel) as aandeel
from eindpunt
group by all
union all
select gemeentecode, gemeentecode as actuele_gemeentecode, 1.0 as aandeel
from {{ ref('ref_gemeenten') }}
