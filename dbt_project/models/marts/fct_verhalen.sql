-- Verhalen van inwoners met toestemming, op de huidige gemeentelijke kaart: elk verhaal één keer.
--
-- Een verhaal hoort bij één gemeente op de huidige kaart en staat er één keer in. Zonder de twee stappen
-- hieronder stond hetzelfde verhaal soms meerdere keren in een gemeenterapport: (1) als dezelfde tekst vaker
-- geleverd was (twee keer in één bestand, opnieuw in een latere of aanvullende levering die de eerste niet
-- vervangt, of uit twee gemeenten die samengevoegd zijn); (2) bij een gesplitste gemeente, waar
-- int_gemeente_actueel één rij per opvolger heeft, stond het verhaal in het rapport van elke opvolger.
with op_kaart as (
    -- Bij een gesplitste gemeente gaat een verhaal naar één opvolger: die waarin de wijk van het verhaal nu
    -- ligt (dim_wijk), en anders die met het grootste aandeel in de bevolking. Een verhaal wordt niet verdeeld.
    select
        v.*,
        a.actuele_gemeentecode
    from {{ ref('stg_verhalen__verhalen') }} as v
    inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = v.gemeentecode
    left join {{ ref('dim_wijk') }} as w on w.wijkcode = v.wijkcode and w.gemeentecode = a.actuele_gemeentecode
    qualify row_number() over (
        partition by v.levering_id, v.rij
        order by (w.wijkcode is not null) desc, a.aandeel desc, a.actuele_gemeentecode
    ) = 1
),

eenmaal as (
    -- Dezelfde tekst (ongeacht hoofdletters en witruimte) in dezelfde gemeente is hetzelfde verhaal, ook met
    -- een ander jaar, een andere sfeer of een andere titel: het staat er één keer, zoals het in de nieuwste
    -- levering staat (een correctie wint); binnen één levering het laatste jaar en de laatste rij.
    select *
    from op_kaart
    qualify row_number() over (
        partition by actuele_gemeentecode, verhaal_sleutel
        order by ontvangen_op desc, levering_id desc, jaar desc, rij desc
    ) = 1
)

select
    cast(md5(concat_ws('|', actuele_gemeentecode, verhaal_sleutel)) as varchar) as verhaal_id,
    cast(actuele_gemeentecode as varchar) as gemeentecode,
    cast(wijkcode as varchar) as wijkcode,
    cast(jaar as integer) as jaar,
    cast(sfeer as varchar) as sfeer,
    cast(titel as varchar) as titel,
    cast(tekst as varchar) as tekst
from eenmaal
