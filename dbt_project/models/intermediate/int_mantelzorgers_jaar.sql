-- Persoonsjaren van ingeschreven mantelzorgers: één rij per mantelzorger, gemeente (huidige kaart) en jaar
-- waarin de mantelzorger ingeschreven was, met het aantal ondersteuningscontacten in dat jaar. De herkomst
-- staat per gemeente en jaar in int_register_dekking (zoals bij int_vrijwilligers_jaar).
-- Ingeschreven en contacten worden apart bepaald: eerst de inschrijvingen (één rij per inschrijving in plaats
-- van per contact) tegen de jaren van de levering, dan de contacten alleen tegen hun eigen jaar. Zo wordt geen
-- contact met elk jaar van de levering vermenigvuldigd (landelijk 4,9 mln contacten, tien jaar).
with rijen as (
    select m.*, a.actuele_gemeentecode, a.aandeel
    from {{ ref('stg_mantelzorg__contacten') }} as m
    inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = m.gemeentecode
),

dekking as (
    select levering_id, gemeentecode, jaar
    from {{ ref('int_register_dekking') }}
    where bron = 'mantelzorg'
),

inschrijvingen as (
    select distinct
        levering_id, actuele_gemeentecode, aandeel, mantelzorger_pseudoniem, registratiedatum, uitschrijfdatum
    from rijen
),

personen as (
    select
        i.actuele_gemeentecode as gemeentecode,
        d.jaar,
        i.mantelzorger_pseudoniem,
        max(i.aandeel) as gewicht
    from inschrijvingen as i
    inner join dekking as d on d.levering_id = i.levering_id and d.gemeentecode = i.actuele_gemeentecode
    where i.registratiedatum <= make_date(d.jaar, 12, 31)
      and (i.uitschrijfdatum is null or i.uitschrijfdatum >= make_date(d.jaar, 1, 1))
    group by all
),

-- een contact telt in het jaar van zijn datum, als de levering dat jaar beschrijft en de mantelzorger toen
-- ingeschreven was; hetzelfde (vorm, datum) uit twee leveringen telt één keer (eerst distinct, dan tellen: landelijk
-- sneller dan count(distinct (vorm, datum)) per persoonsjaar)
contacten as (
    select gemeentecode, jaar, mantelzorger_pseudoniem, count(*) as contacten
    from (
        select distinct
            r.actuele_gemeentecode as gemeentecode,
            d.jaar,
            r.mantelzorger_pseudoniem,
            r.ondersteuningsvorm,
            r.contactdatum
        from rijen as r
        inner join dekking as d
            on d.levering_id = r.levering_id and d.gemeentecode = r.actuele_gemeentecode
            and d.jaar = year(r.contactdatum)
        where r.ondersteuningsvorm is not null
          and r.registratiedatum <= make_date(d.jaar, 12, 31)
          and (r.uitschrijfdatum is null or r.uitschrijfdatum >= make_date(d.jaar, 1, 1))
    )
    group by all
)

select
    p.gemeentecode,
    p.jaar,
    p.mantelzorger_pseudoniem,
    p.gewicht,
    coalesce(c.contacten, 0) as contacten
from personen as p
left join contacten as c using (gemeentecode, jaar, mantelzorger_pseudoniem)
