-- Per indicator, gemeente (huidige kaart) en jaar: teller, noemer, n en standaardfout, vóór onderdrukking.
-- Enquête-aandelen: gewogen gemiddelde p = sum(w y) / sum(w) met de linearisatie-standaardfout die svymean /
-- svyby (R survey) geeft voor een gestratificeerd ontwerp met alleen gewichten; strata zijn de aanleverende
-- gemeente x jaar (elke gemeente trekt haar eigen steekproef). Met z_i = w_i (y_i - p) / sum(w) per respondent
-- in het domein (0 erbuiten): var = sum_h n_h / (n_h - 1) * (sum_h z^2 - (sum_h z)^2 / n_h).
-- Voor een gemeente zonder voorgangers (één stratum) is dat n/(n-1) * sum((w (y - p))^2) / (sum w)^2.
with enquete_items as (
    select levering_id, respondent_pseudoniem, gemeentecode, aanleverende_gemeentecode, jaar, weging,
           'p_mantelzorg_geven' as indicator_code,
           case when zw06_0 in (1, 2) then 1.0 else 0.0 end as y
    from {{ ref('int_enquete_respondenten') }} where zw06_0 is not null
    union all
    select levering_id, respondent_pseudoniem, gemeentecode, aanleverende_gemeentecode, jaar, weging,
           'g_vrijwilligerswerk',
           case when zw06_3 in (1, 2) then 1.0 else 0.0 end
    from {{ ref('int_enquete_respondenten') }} where zw06_3 is not null
),

enquete_p as (
    select indicator_code, gemeentecode, jaar,
           sum(weging * y) as teller, sum(weging) as noemer, count(*) as n,
           sum(weging * y) / sum(weging) as p,
           list(distinct levering_id order by levering_id) as bron_leveringen
    from enquete_items
    group by all
),

strata as (
    -- steekproefomvang per stratum: respondenten met een geldig antwoord (een gesplitste gemeente telt
    -- elke respondent één keer, ook al komt die in meer domeinen voor)
    select indicator_code, aanleverende_gemeentecode, jaar, count(distinct respondent_pseudoniem) as n_h
    from enquete_items
    group by all
),

residuen as (
    select i.indicator_code, i.gemeentecode, i.jaar, i.aanleverende_gemeentecode,
           sum(i.weging * (i.y - p.p) / p.noemer) as s1,
           sum(power(i.weging * (i.y - p.p) / p.noemer, 2)) as s2
    from enquete_items as i
    inner join enquete_p as p using (indicator_code, gemeentecode, jaar)
    group by all
),

variantie as (
    select r.indicator_code, r.gemeentecode, r.jaar,
           sum(s.n_h / (s.n_h - 1.0) * (r.s2 - r.s1 * r.s1 / s.n_h)) as var,
           min(s.n_h) as kleinste_stratum
    from residuen as r
    inner join strata as s using (indicator_code, aanleverende_gemeentecode, jaar)
    group by all
),

enquete as (
    select p.indicator_code, p.gemeentecode, p.jaar, p.teller, p.noemer, p.n,
           p.p as schatting,
           case when v.kleinste_stratum > 1 then sqrt(greatest(v.var, 0)) end as se,
           'aandeel' as soort,
           p.bron_leveringen
    from enquete_p as p
    inner join variantie as v using (indicator_code, gemeentecode, jaar)
),

deelname as (
    select 'i_deelnames_per_1000' as indicator_code, a.actuele_gemeentecode as gemeentecode, d.jaar,
           sum(d.aantal_deelnames * a.aandeel) as teller,
           list(distinct d.levering_id order by d.levering_id) as bron_leveringen
    from {{ ref('stg_deelname__deelnames') }} as d
    inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = d.gemeentecode
    group by all
),

deelname_per_1000 as (
    select d.indicator_code, d.gemeentecode, d.jaar, d.teller, b.inwoners as noemer,
           cast(round(d.teller) as bigint) as n,
           d.teller / b.inwoners as schatting,
           sqrt(d.teller) / b.inwoners as se,
           'per_1000' as soort,
           list_distinct(list_concat(d.bron_leveringen, b.bron_leveringen)) as bron_leveringen
    from deelname as d
    inner join {{ ref('int_bevolking_jaar') }} as b using (gemeentecode, jaar)
)

select * from enquete
union all by name
select * from deelname_per_1000
