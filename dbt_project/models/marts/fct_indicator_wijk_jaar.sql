-- Wijkniveau, waar de gegevens het toelaten: de tien enquête-indicatoren per wijk (CBS-wijkindeling 2022) en jaar,
-- met dezelfde gewogen schatter, standaardfout, intervallen en onderdrukking als per gemeente. Per inwoner kan
-- nog niet: er is geen bevolking per wijk geleverd. De wijk hoort bij de gemeente op de huidige kaart uit
-- dim_wijk; respondenten met een wijkcode die niet in de CBS-indeling 2022 voorkomt, vallen erbuiten.
with waarnemingen as (
    select
        s.indicator_code,
        s.wijkcode,
        s.gemeentecode,
        s.jaar,
        s.teller,
        s.noemer,
        s.n,
        s.schatting,
        s.se,
        null::double as ci_onder_basis,
        null::double as ci_boven_basis,
        s.bron_leveringen
    from {{ ref('int_enquete_schattingen_wijk') }} as s
    inner join {{ ref('dim_wijk') }} as w
        on w.wijkcode = s.wijkcode
        and w.gemeentecode = s.gemeentecode
)

select * from ({{ gepubliceerde_cijfers('waarnemingen', ['wijkcode', 'gemeentecode']) }})
