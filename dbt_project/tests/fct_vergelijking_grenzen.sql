-- Bereikcontrole op fct_vergelijking (geeft de foute rijen terug): de trechtergrenzen liggen genest rond de
-- referentiewaarde, grens_998_onder <= grens_95_onder <= referentie_waarde <= grens_95_boven <= grens_998_boven;
-- een positie heeft grenzen; een vergelijkingsgroep heeft minstens 3 gemeenten en 'landelijk' geen groepsnaam.
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
    or (referentie = 'vergelijkingsgroep' and (vergelijkingsgroep is null or referentie_gemeenten < 3))
    or (referentie = 'landelijk' and vergelijkingsgroep is not null)
