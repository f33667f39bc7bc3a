-- Bereikcontrole op fct_indicator_jaar: elke rij die hier uitkomt is een fout.
-- Het interval omvat de waarde; waarden zijn niet negatief; percentages liggen in 0..100 en schaalscores in
-- 0..10; een onderdrukt cijfer heeft geen teller, noemer, n, waarde, standaardfout of interval.
-- De test leest ook dim_indicator; de meta zegt Dagster dat het een controle op fct_indicator_jaar is (anders
-- alleen een observatie, geen asset check).
{{ config(meta={'dagster': {'ref': {'name': 'fct_indicator_jaar'}}}) }}
select f.gemeentecode, f.jaar, f.indicator_code, f.waarde, f.ci_onder, f.ci_boven
from {{ ref('fct_indicator_jaar') }} as f
inner join {{ ref('dim_indicator') }} as i using (indicator_code)
where f.n < 0
   or f.waarde < 0
   or (f.ci_onder is not null and f.waarde < f.ci_onder - 1e-9)
   or (f.ci_boven is not null and f.waarde > f.ci_boven + 1e-9)
   or (i.eenheid = 'percentage' and f.waarde > 100 + 1e-9)
   or (i.eenheid = 'schaalscore 0-10' and f.waarde > 10 + 1e-9)
   or (i.intervalmethode = 'geen' and (f.ci_onder is not null or f.ci_boven is not null or f.se is not null))
   or (f.onderdrukt and (f.waarde is not null or f.teller is not null or f.se is not null or f.n is not null or f.noemer is not null
                         or f.ci_onder is not null or f.ci_boven is not null))
