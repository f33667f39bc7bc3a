{#
    Gewogen enquête-schattingen per domein (domein = lijst kolommen naast indicator_code en jaar, bijvoorbeeld
    ['gemeentecode'] of ['gemeentecode', 'wijkcode']): het gewogen gemiddelde van y (een aandeel als y 0/1 is,
    een schaalscore als y 0-10 is) met de linearisatie-standaardfout die svymean / svyby (R survey) geeft voor
    een gestratificeerd ontwerp met alleen gewichten; strata zijn de aanleverende gemeente x jaar (elke gemeente
    trekt haar eigen steekproef). Met z_i = w_i (y_i - m) / sum(w) per respondent in het domein (0 erbuiten):
    var = sum_h n_h / (n_h - 1) * (sum_h z^2 - (sum_h z)^2 / n_h). De stratumomvang n_h telt alle respondenten
    met een geldige waarde, ook die buiten het domein vallen (bij wijken: zonder wijkcode), zoals svyby doet.
#}
{% macro enquete_schattingen(domein) %}
with items as not materialized (
    unpivot (
        select levering_id, respondent_pseudoniem, gemeentecode, aanleverende_gemeentecode, wijkcode, jaar, weging,
            {{ enquete_indicatoren() | join(', ') }}
        from {{ ref('int_enquete_respondenten') }}
    )
    on {{ enquete_indicatoren() | join(', ') }}
    into name indicator_code value y
),

domein_items as not materialized (
    select * from items
    where {% for k in domein %}{{ k }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
),

schatting as (
    select indicator_code, {{ domein | join(', ') }}, jaar,
           sum(weging * y) as teller, sum(weging) as noemer, count(*) as n,
           sum(weging * y) / sum(weging) as m
    from domein_items
    group by all
),

herkomst as (
    -- de leveringen achter elke schatting; eerst per levering groeperen en dan de lijst maken is landelijk
    -- (17 mln rijen) veel sneller dan list(distinct ...) over alle rijen
    select indicator_code, {{ domein | join(', ') }}, jaar, list(levering_id order by levering_id) as bron_leveringen
    from (select distinct indicator_code, {{ domein | join(', ') }}, jaar, levering_id from domein_items)
    group by all
),

strata as (
    -- steekproefomvang per stratum: respondenten met een geldige waarde. Een respondent is (levering_id,
    -- pseudoniem): respondentnummers beginnen in elk bestand opnieuw. Een respondent van een gesplitste
    -- gemeente staat één keer bij elke opvolger (int_enquete_respondenten), met dezelfde y; hij telt één keer:
    -- rijen gedeeld door het aantal opvolgers. (Dat is gelijk aan count(distinct (levering_id, pseudoniem)),
    -- maar landelijk - 17 mln rijen - vele malen sneller; eerst per opvolger tellen vermijdt ook een
    -- count(distinct) over alle rijen.)
    select indicator_code, aanleverende_gemeentecode, jaar, sum(rijen) // count(*) as n_h
    from (
        select indicator_code, aanleverende_gemeentecode, jaar, gemeentecode, count(*) as rijen
        from items
        group by all
    )
    group by all
),

residuen as (
    select i.indicator_code, {% for k in domein %}i.{{ k }}, {% endfor %}i.jaar, i.aanleverende_gemeentecode,
           sum(i.weging * (i.y - s.m) / s.noemer) as s1,
           sum(power(i.weging * (i.y - s.m) / s.noemer, 2)) as s2
    from domein_items as i
    inner join schatting as s using (indicator_code, {{ domein | join(', ') }}, jaar)
    group by all
),

variantie as (
    select r.indicator_code, {% for k in domein %}r.{{ k }}, {% endfor %}r.jaar,
           sum(s.n_h / (s.n_h - 1.0) * (r.s2 - r.s1 * r.s1 / s.n_h)) as var,
           min(s.n_h) as kleinste_stratum
    from residuen as r
    inner join strata as s using (indicator_code, aanleverende_gemeentecode, jaar)
    group by all
)

select s.indicator_code, {% for k in domein %}s.{{ k }}, {% endfor %}s.jaar, s.teller, s.noemer, s.n,
       s.m as schatting,
       case when v.kleinste_stratum > 1 then sqrt(greatest(v.var, 0)) end as se,
       h.bron_leveringen
from schatting as s
inner join variantie as v using (indicator_code, {{ domein | join(', ') }}, jaar)
inner join herkomst as h using (indicator_code, {{ domein | join(', ') }}, jaar)
{% endmacro %}
