-- Persoonsjaren van vrijwilligers: één rij per vrijwilliger, gemeente (huidige kaart) en jaar waarin de
-- vrijwilliger een inzet had die in dat jaar liep, binnen de jaren die de levering beschrijft
-- (int_register_dekking). inzetduur_jaren telt vanaf de eerste geregistreerde inzet in de gemeente, ook als
-- die bij een voorganger begon (een herindeling breekt de inzet niet af). De herkomst (welke leveringen) staat
-- niet per persoon maar per gemeente en jaar in int_register_dekking: een lijst per persoonsjaar kostte
-- landelijk (5,4 mln persoonsjaren) driekwart van de rekentijd van dit model.
with inzet as (
    select v.*, a.actuele_gemeentecode, a.aandeel
    from {{ ref('stg_vrijwilligers__inzet') }} as v
    inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = v.gemeentecode
),

actief as (
    select
        i.actuele_gemeentecode as gemeentecode,
        d.jaar,
        i.vrijwilliger_pseudoniem,
        max(i.aandeel) as gewicht
    from inzet as i
    inner join {{ ref('int_register_dekking') }} as d
        on d.bron = 'vrijwilligers' and d.levering_id = i.levering_id
        and d.gemeentecode = i.actuele_gemeentecode
    where i.startdatum <= make_date(d.jaar, 12, 31)
      and (i.einddatum is null or i.einddatum >= make_date(d.jaar, 1, 1))
    group by all
),

eerste as (
    select actuele_gemeentecode as gemeentecode, vrijwilliger_pseudoniem, min(startdatum) as eerste_start
    from inzet
    group by all
)

select
    a.gemeentecode,
    a.jaar,
    a.vrijwilliger_pseudoniem,
    a.gewicht,
    (make_date(a.jaar, 12, 31) - e.eerste_start) / 365.25 as inzetduur_jaren
from actief as a
inner join eerste as e using (gemeentecode, vrijwilliger_pseudoniem)
