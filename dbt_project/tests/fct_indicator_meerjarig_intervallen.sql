-- Bereikcontrole op fct_indicator_meerjarig (geeft de foute rijen terug):
--   * het 95%-interval van de driejaarswaarde omvat de waarde: ci_onder_3jaar <= waarde_3jaar <= ci_boven_3jaar;
--   * zonder driejaarswaarde (minder dan 2 jaren of onderdrukt) zijn n_3jaar, waarde, se en interval leeg;
--   * het interval van de helling omvat de helling, en helling en interval zijn er precies bij k >= 4;
--   * trend_jaar_van <= trend_jaar_tot <= jaar.
-- Een marge van 1e-9 vangt afrondingsverschillen op.
select *
from {{ ref('fct_indicator_meerjarig') }}
where ci_onder_3jaar > waarde_3jaar + 1e-9
    or ci_boven_3jaar < waarde_3jaar - 1e-9
    or ((jaren_in_venster < 2 or onderdrukt_3jaar) and coalesce(n_3jaar, waarde_3jaar, se_3jaar, ci_onder_3jaar, ci_boven_3jaar) is not null)
    or (jaren_in_venster >= 2 and onderdrukt_3jaar is null)
    or (jaren_in_venster >= 2 and not onderdrukt_3jaar and n_3jaar is null)
    or (jaren_in_venster >= 2 and not onderdrukt_3jaar and waarde_3jaar is null)
    or helling_ci_onder > helling + 1e-9
    or helling_ci_boven < helling - 1e-9
    or ((trend_jaren >= 4) <> (helling is not null))
    or ((trend = 'onvoldoende gegevens') <> (trend_jaren < 4))
    or trend_jaar_van > trend_jaar_tot
    or trend_jaar_tot > jaar
