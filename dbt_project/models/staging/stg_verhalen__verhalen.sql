-- Verhalen van inwoners; alleen met toestemming (de voordeur laadt niets anders).
--
-- De labels van de de-identificatie (Deduce: [PERSOON-1], [EMAILADRES-1], ...) worden hier leesbaar
-- ([naam verwijderd], [e-mailadres verwijderd], ...), met de vertaling uit de seed deidentificatie_labels. De
-- voordeur schrijft nieuwe verhalen al leesbaar weg met dezelfde seed; dit model vertaalt wat er in bestaande
-- warehouses nog met de oude labels in raw staat, zonder dat die opnieuw geladen hoeven te worden. De vertaling
-- staat zo op één plek, en een leesbare tekst verandert hier niet meer.
with labels as (
    select
        map_from_entries(list((label, leesbaar)) filter (where label <> '*')) as leesbaar,
        any_value(leesbaar) filter (where label = '*') as overig
    from {{ ref('deidentificatie_labels') }}
),

verhalen as (
    select
        v.levering_id,
        v.rij,
        l.ontvangen_op,
        v.gemeentecode,
        v.wijkcode,
        v.jaar,
        v.sfeer,
        {{ leesbare_labels('v.titel', 'lb.leesbaar', 'lb.overig') }} as titel,
        {{ leesbare_labels('v.tekst', 'lb.leesbaar', 'lb.overig') }} as tekst
    from {{ source('raw', 'verhalen') }} as v
    inner join {{ ref('stg_kwaliteit__geldige_leveringen') }} as l using (levering_id)
    cross join labels as lb
    where v.toestemming = 'ja'
)

select
    *,
    -- waaraan hetzelfde verhaal herkend wordt (fct_verhalen laat het één keer zien)
    {{ verhaal_sleutel('tekst') }} as verhaal_sleutel
from verhalen
