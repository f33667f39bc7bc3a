-- Dekking per bron, gemeente op de huidige kaart en jaar: welke delen van het huidige gebied (de gemeenten die in
-- dat jaar bestonden en nu (deels) in deze gemeente liggen) voor dat jaar aan de bron leverden. Een reeks op de
-- huidige kaart voor een jaar waarin een voorganger niets leverde, beschrijft maar een deel van de gemeente;
-- fct_indicator_jaar draagt de dekking mee, en zulke cellen tellen niet mee in driejaarswaarden, gepoolde
-- perioden, trends en vergelijkingen (docs/methoden.md, "Dekking").
--
-- * Welke gemeenten in een jaar bestonden: ref_gemeenten_per_jaar (CBS, 2016-2025); voor het jaar daarvóór
--   teruggerekend met de herindelingen van 1 januari van het eerste jaar, na het laatste jaar de laatste lijst.
--   Een gemeente die na 1 januari opging, telt dat jaar niet als apart deel (de opvolger leverde voor haar).
-- * Geleverd is: de enquête had respondenten van die aanleverende gemeente, de deelnamelevering had rijen van die
--   gemeente, of een registerlevering beschrijft het jaar (int_register_dekking).
-- * dekking = inwoners van de delen die leverden / inwoners van alle delen (bevolkingslevering van dat jaar onder
--   de code van dat jaar, bij een splitsing naar aandeel); leeg als de inwoners van een deel dat niet leverde
--   onbekend zijn. dekking_ontbrekend noemt de delen die niet leverden (leeg: volledige dekking).
with seedjaren as (
    select min(jaar) as eerste, max(jaar) as laatste from {{ ref('ref_gemeenten_per_jaar') }}
),

geleverd as (
    select distinct 'enquete' as bron, aanleverende_gemeentecode as gemeentecode, jaar
    from {{ ref('int_enquete_respondenten') }}
    union
    select distinct 'deelname', gemeentecode, jaar
    from {{ ref('stg_deelname__deelnames') }}
    union
    select distinct bron, aanleverende_gemeentecode, jaar
    from {{ ref('int_register_dekking') }}
),

jaren as (
    select distinct jaar from geleverd
),

bestond as (
    -- (jaar, gemeentecode): de gemeenten op 1 januari van het jaar
    select j.jaar, r.gemeentecode
    from jaren as j
    cross join seedjaren as s
    inner join {{ ref('ref_gemeenten_per_jaar') }} as r
        on r.jaar = least(greatest(j.jaar, s.eerste), s.laatste)
    where j.jaar >= s.eerste
       or r.gemeentecode not in (
           select h.nieuwe_gemeentecode from {{ ref('ref_herindelingen') }} as h
           where year(cast(h.ingangsdatum as date)) = s.eerste
       )
    union
    select j.jaar, h.oude_gemeentecode
    from jaren as j
    cross join seedjaren as s
    inner join {{ ref('ref_herindelingen') }} as h on year(cast(h.ingangsdatum as date)) = s.eerste
    where j.jaar < s.eerste
),

binnen_het_jaar as (
    -- een herindeling na 1 januari (Weesp in Amsterdam, 24 maart 2022): de opvolger mag dat hele jaar voor het
    -- gebied leveren, dus het opgeheven deel telt dat jaar niet als apart deel
    select oude_gemeentecode as gemeentecode, year(cast(ingangsdatum as date)) as jaar
    from {{ ref('ref_herindelingen') }}
    where cast(ingangsdatum as date) > make_date(year(cast(ingangsdatum as date)), 1, 1)
),

delen as (
    select
        a.actuele_gemeentecode as gemeentecode,
        b.gemeentecode as deel_gemeentecode,
        b.jaar,
        i.inwoners * a.aandeel as inwoners
    from bestond as b
    inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = b.gemeentecode
    left join {{ ref('stg_bevolking__inwoners') }} as i on i.gemeentecode = b.gemeentecode and i.jaar = b.jaar
    where (b.gemeentecode, b.jaar) not in (select (gemeentecode, jaar) from binnen_het_jaar)
),

bronnen as (
    select distinct bron from geleverd
)

select
    cast(s.bron as varchar) as bron,
    cast(d.gemeentecode as varchar) as gemeentecode,
    cast(d.jaar as integer) as jaar,
    cast(
        case
            when count(*) filter (where g.gemeentecode is null) = 0 then 1.0
            when count(*) filter (where d.inwoners is null) = 0
                then sum(d.inwoners) filter (where g.gemeentecode is not null) / sum(d.inwoners)
        end as double
    ) as dekking,
    cast(
        coalesce(
            list(d.deel_gemeentecode order by d.deel_gemeentecode) filter (where g.gemeentecode is null), []
        ) as varchar[]
    ) as dekking_ontbrekend
from delen as d
cross join bronnen as s
left join geleverd as g
    on g.bron = s.bron and g.gemeentecode = d.deel_gemeentecode and g.jaar = d.jaar
group by s.bron, d.gemeentecode, d.jaar
having count(g.gemeentecode) > 0
