-- Bereikcontrole op de opgetelde deelnemers (i_unieke_deelnemers_per_1000): elke rij die hier uitkomt is een fout.
-- Het cijfer telt per activiteit en periode de unieke deelnemers en telt die op; het is dus geen aantal
-- verschillende inwoners en mag boven 1.000 per 1.000 komen. Wel heeft elke deelnemer minstens één deelname:
-- het cijfer ligt tussen 0 en de deelnames per 1.000 inwoners van dezelfde gemeente en hetzelfde jaar (beide
-- per 1.000 inwoners van hetzelfde gebied). Een marge van 1e-9 vangt afrondingsverschillen op.
{{ config(meta={'dagster': {'ref': {'name': 'fct_indicator_jaar'}}}) }}
select u.gemeentecode, u.jaar, u.waarde as deelnemers_per_1000, d.waarde as deelnames_per_1000
from {{ ref('fct_indicator_jaar') }} as u
left join {{ ref('fct_indicator_jaar') }} as d
    on d.gemeentecode = u.gemeentecode
    and d.jaar = u.jaar
    and d.indicator_code = 'i_deelnames_per_1000'
where u.indicator_code = 'i_unieke_deelnemers_per_1000'
    and u.waarde is not null
    and (
        u.waarde < 0
        or (d.waarde is not null and u.waarde > d.waarde * (1 + 1e-9))
        -- een gepubliceerd deelnemerscijfer zonder deelnamecijfer kan niet: dezelfde rijen leveren beide
        or (d.gemeentecode is null)
    )
