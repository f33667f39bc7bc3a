-- Bereikcontrole op fct_vergelijking (geeft de foute rijen terug): de trechtergrenzen liggen genest rond de
-- referentiewaarde, grens_998_onder <= grens_95_onder <= referentie_waarde <= grens_95_boven <= grens_998_boven;
-- een positie heeft grenzen; een vergelijkingsgroep heeft minstens 3 gemeenten en 'landelijk' geen groepsnaam.
-- Een rij heeft een referentiewaarde of een reden waarom niet (alleen bij een vergelijkingsgroep), en een rij
-- met referentie heeft grenzen of een reden waarom niet. 'Nederland' heet een referentie alleen als ze elke
-- gemeente van de kaart omvat; een onvolledige set noemt haar aantal gemeenten en aandeel inwoners.
-- Een marge van 1e-9 vangt afrondingsverschillen op.
select *
from {{ ref('fct_vergelijking') }}
where grens_998_onder > grens_95_onder + 1e-9
    or grens_95_onder > referentie_waarde + 1e-9
    or referentie_waarde > grens_95_boven + 1e-9
    or grens_95_boven > grens_998_boven + 1e-9
    or ((positie is null) <> (grens_95_onder is null or grens_95_boven is null))
    or ((positie_998 is null) <> (grens_998_onder is null or grens_998_boven is null))
    or (positie = 'binnen' and positie_998 <> 'binnen')
    or (referentie = 'vergelijkingsgroep' and referentie_waarde is not null
        and (vergelijkingsgroep is null or referentie_gemeenten < 3))
    or (referentie = 'landelijk' and vergelijkingsgroep is not null)
    -- referentie of reden, nooit allebei en nooit geen van beide
    or ((referentie_waarde is null) = (reden_geen_referentie is null))
    or (referentie = 'landelijk' and reden_geen_referentie is not null)
    or (referentie_waarde is null and (grens_95_onder is not null or positie is not null))
    or (referentie_waarde is not null and (grens_95_boven is null) = (reden_geen_grenzen is null))
    or (referentie_waarde is null and reden_geen_grenzen is not null)
    -- met grenzen hoort er een overdispersie bij
    or (grens_95_boven is not null and overdispersie_bron is null)
    -- een naam zegt wat de referentie is
    or ((referentie_naam_kort = 'Nederland') <> coalesce(referentie = 'landelijk' and referentie_volledig, false))
    or (referentie_naam like 'Nederland%' and not coalesce(referentie_volledig, false))
    or (referentie_waarde is not null and not referentie_volledig
        and not (referentie_naam like '%' || referentie_gemeenten || ' van de ' || referentie_gemeenten_kaart
                 || ' gemeenten, %van de inwoners)'))
    or (referentie_waarde is not null and referentie_volledig <> (referentie_gemeenten = referentie_gemeenten_kaart))
    or referentie_inwoners_aandeel < 0 or referentie_inwoners_aandeel > 100 + 1e-9
    or (samenstelling_gewijzigd and samenstelling_wijziging is null)
    or (not coalesce(samenstelling_gewijzigd, false) and samenstelling_wijziging is not null)
