{#
    Gewogen enquête-schattingen per domein (domein = lijst kolommen naast indicator_code en jaar, bijvoorbeeld
    ['gemeentecode'] of ['gemeentecode', 'wijkcode']): het gewogen gemiddelde van y (een aandeel als y 0/1 is,
    een schaalscore als y 0-10 is) met de linearisatie-standaardfout die svymean / svyby (R survey) geeft voor
    een gestratificeerd ontwerp met alleen gewichten; strata zijn de aanleverende gemeente x jaar (elke gemeente
    trekt haar eigen steekproef). Met z_i = w_i (y_i - m) / sum(w) per respondent in het domein (0 erbuiten):
    var = sum_h (1 - n_h / N_h) * n_h / (n_h - 1) * (sum_h z^2 - (sum_h z)^2 / n_h). De stratumomvang n_h telt
    alle respondenten met een geldige waarde, ook die buiten het domein vallen (bij wijken: zonder wijkcode),
    zoals svyby doet.

    Eindigepopulatiecorrectie (fpc): N_h is het aantal volwassen inwoners (inwoners_18plus) van de aanleverende
    gemeente in dat jaar, dezelfde koppeling (gemeentecode, jaar) als waarmee int_enquete_respondenten de
    gewichten schaalt; de factor 1 - n_h / N_h is die van svydesign(..., fpc = ~N_h) in R survey. In een kleine
    gemeente is hij wezenlijk (demo: Schiermonnikoog, 121 van 782 volwassenen, se 8 % kleiner), in een
    grote verwaarloosbaar (Amsterdam: fractie 0,2 %, se 0,1 % kleiner). Zonder bekende N_h (geen
    inwoners_18plus), of als N_h kleiner is dan n_h (tegenstrijdige gegevens), wordt niet gecorrigeerd
    (factor 1): de standaardfout valt dan eerder te ruim dan te krap uit. Staan er voor een gemeente en jaar
    meer leveringen met inwoners, dan telt de grootste N_h (de kleinste correctie). n_h telt elke respondent één
    keer, ook bij een gesplitste gemeente; N_h is de hele aanleverende gemeente (niet het aandeel van een
    opvolger), zodat de fractie die van de steekproef zelf is.

    Er wordt breed gerekend: één rij per respondent met een kolom per indicator, en per indicator dezelfde
    sommen (een lege y telt nergens mee). Pas de kleine uitkomst wordt lang gemaakt (één rij per indicator).
    Eerst lang maken (unpivot) kostte landelijk een tussenresultaat van 17 mln rijen per model.
#}
{% macro enquete_schattingen(domein) %}
{%- set indicatoren = enquete_indicatoren() -%}
{%- set d = domein | join(', ') -%}
with respondenten as not materialized (
    select * from {{ ref('int_enquete_respondenten') }}
),

in_domein as not materialized (
    select * from respondenten
    where {% for k in domein %}{{ k }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
),

schatting as (
    select {{ d }}, jaar
        {%- for c in indicatoren %},
        sum(weging * {{ c }}) as teller__{{ c }},
        sum(weging) filter (where {{ c }} is not null) as noemer__{{ c }},
        count({{ c }}) as n__{{ c }}
        {%- endfor %}
    from in_domein
    group by all
),

herkomst as (
    -- de leveringen achter elke schatting: eerst per levering tellen, dan per domein de lijst
    select {{ d }}, jaar
        {%- for c in indicatoren %},
        list(levering_id order by levering_id) filter (where n__{{ c }} > 0) as bron__{{ c }}
        {%- endfor %}
    from (
        select {{ d }}, jaar, levering_id
            {%- for c in indicatoren %}, count({{ c }}) as n__{{ c }}{% endfor %}
        from in_domein
        group by all
    )
    group by all
),

strata as (
    -- steekproefomvang per stratum: respondenten met een geldige waarde. Een respondent is (levering_id,
    -- pseudoniem): respondentnummers beginnen in elk bestand opnieuw. Een respondent van een gesplitste
    -- gemeente staat één keer bij elke opvolger (int_enquete_respondenten), met dezelfde y; hij telt één keer:
    -- rijen gedeeld door het aantal opvolgers met zulke rijen. (Dat is gelijk aan
    -- count(distinct (levering_id, pseudoniem)), maar landelijk vele malen sneller.)
    select aanleverende_gemeentecode, jaar
        {%- for c in indicatoren %},
        sum(rijen__{{ c }}) // nullif(count(*) filter (where rijen__{{ c }} > 0), 0) as n_h__{{ c }}
        {%- endfor %}
    from (
        select aanleverende_gemeentecode, jaar, gemeentecode
            {%- for c in indicatoren %}, count({{ c }}) as rijen__{{ c }}{% endfor %}
        from respondenten
        group by all
    )
    group by all
),

populatie as (
    -- N_h per stratum: volwassen inwoners van de aanleverende gemeente in dat jaar (zie boven)
    select gemeentecode as aanleverende_gemeentecode, jaar, max(inwoners_18plus) as populatie_18plus
    from {{ ref('stg_bevolking__inwoners') }}
    group by all
),

residuen as (
    -- per domein en stratum: sum z en sum z^2 (z = w (y - m) / sum w); leeg als het stratum in het domein
    -- geen geldige waarde heeft
    select {% for k in domein %}r.{{ k }}, {% endfor %}r.jaar, r.aanleverende_gemeentecode
        {%- for c in indicatoren %},
        sum(r.weging * (r.{{ c }} - s.teller__{{ c }} / s.noemer__{{ c }}) / s.noemer__{{ c }}) as s1__{{ c }},
        sum(power(r.weging * (r.{{ c }} - s.teller__{{ c }} / s.noemer__{{ c }}) / s.noemer__{{ c }}, 2))
            as s2__{{ c }}
        {%- endfor %}
    from in_domein as r
    inner join schatting as s using ({{ d }}, jaar)
    group by all
),

variantie as (
    -- per stratum de fpc 1 - n_h / N_h (1 zonder bekende of met een te kleine N_h) maal n_h / (n_h - 1) maal de
    -- gecentreerde kwadratensom
    select {% for k in domein %}r.{{ k }}, {% endfor %}r.jaar
        {%- for c in indicatoren %},
        sum(
            (case when p.populatie_18plus >= h.n_h__{{ c }} then 1 - h.n_h__{{ c }} / p.populatie_18plus else 1 end)
            * h.n_h__{{ c }} / (h.n_h__{{ c }} - 1.0) * (r.s2__{{ c }} - r.s1__{{ c }} * r.s1__{{ c }} / h.n_h__{{ c }})
        ) as var__{{ c }},
        min(h.n_h__{{ c }}) filter (where r.s1__{{ c }} is not null) as kleinste_stratum__{{ c }}
        {%- endfor %}
    from residuen as r
    inner join strata as h using (aanleverende_gemeentecode, jaar)
    left join populatie as p using (aanleverende_gemeentecode, jaar)
    group by all
),

breed as (
    select *
    from schatting
    inner join variantie using ({{ d }}, jaar)
    inner join herkomst using ({{ d }}, jaar)
)

{% for c in indicatoren %}
select '{{ c }}' as indicator_code, {{ d }}, jaar, teller__{{ c }} as teller, noemer__{{ c }} as noemer,
       n__{{ c }} as n, teller__{{ c }} / noemer__{{ c }} as schatting,
       case when kleinste_stratum__{{ c }} > 1 then sqrt(greatest(var__{{ c }}, 0)) end as se,
       bron__{{ c }} as bron_leveringen
from breed
where n__{{ c }} > 0
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endmacro %}
