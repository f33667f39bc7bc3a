{# Statistische bouwstenen, één keer gedefinieerd (zie docs/methoden.md). #}

{# Wilson-interval (95%) voor een aandeel p op (effectieve) steekproefomvang n. #}
{% macro wilson_onder(p, n, z=1.959963984540054) -%}
    case when {{ n }} > 0 then
        (({{ p }}) + {{ z }}^2 / (2 * ({{ n }})) - {{ z }} * sqrt(({{ p }}) * (1 - ({{ p }})) / ({{ n }}) + {{ z }}^2 / (4 * ({{ n }})^2)))
        / (1 + {{ z }}^2 / ({{ n }}))
    end
{%- endmacro %}
{% macro wilson_boven(p, n, z=1.959963984540054) -%}
    case when {{ n }} > 0 then
        (({{ p }}) + {{ z }}^2 / (2 * ({{ n }})) + {{ z }} * sqrt(({{ p }}) * (1 - ({{ p }})) / ({{ n }}) + {{ z }}^2 / (4 * ({{ n }})^2)))
        / (1 + {{ z }}^2 / ({{ n }}))
    end
{%- endmacro %}

{# Poisson-interval (95%) voor een telling x met de benadering van Byar. #}
{% macro poisson_onder(x, z=1.959963984540054) -%}
    case when {{ x }} = 0 then 0.0
         else ({{ x }}) * power(1 - 1 / (9.0 * ({{ x }})) - {{ z }} / (3 * sqrt({{ x }})), 3) end
{%- endmacro %}
{% macro poisson_boven(x, z=1.959963984540054) -%}
    (({{ x }}) + 1) * power(1 - 1 / (9.0 * (({{ x }}) + 1)) + {{ z }} / (3 * sqrt(({{ x }}) + 1)), 3)
{%- endmacro %}

{# Quasi-Poisson-interval (95%) voor een verhouding schatting = teller / noemer van herhaalde gebeurtenissen,
   met een standaardfout se = √(φ · teller) / noemer waarin de dispersie φ (variantie / gemiddelde, geschat uit de
   gegevens) al zit: het Poisson-interval van Byar op de effectieve telling x_eff = (schatting / se)² = teller / φ,
   teruggeschaald naar de verhouding (maal schatting / x_eff = se² / schatting). Met φ = 1 is dat precies het
   Poisson-interval. Zonder positieve se of schatting (teller 0: φ is niet te schatten) het Poisson-interval
   op de teller. #}
{% macro quasipoisson_onder(schatting, se, teller, noemer, z=1.959963984540054) -%}
    case when ({{ se }}) > 0 and ({{ schatting }}) > 0
        then {{ poisson_onder('power((' ~ schatting ~ ') / (' ~ se ~ '), 2)', z) }} * power({{ se }}, 2) / ({{ schatting }})
        else {{ poisson_onder(teller, z) }} / ({{ noemer }})
    end
{%- endmacro %}
{% macro quasipoisson_boven(schatting, se, teller, noemer, z=1.959963984540054) -%}
    case when ({{ se }}) > 0 and ({{ schatting }}) > 0
        then {{ poisson_boven('power((' ~ schatting ~ ') / (' ~ se ~ '), 2)', z) }} * power({{ se }}, 2) / ({{ schatting }})
        else {{ poisson_boven(teller, z) }} / ({{ noemer }})
    end
{%- endmacro %}

{# Dispersie φ voor quasi-Poisson uit de tellingen per eenheid (bijvoorbeeld contacten per mantelzorger), met
   gewichten w: de (gewogen) steekproefvariantie gedeeld door het gemiddelde, nooit kleiner dan 1 (een kleinere
   spreiding dan Poisson maakt het interval niet smaller). Argumenten zijn de sommen Σw, Σw·x en Σw·x². Leeg
   (dus: geen schatting) bij hoogstens één eenheid of een som van 0. #}
{% macro quasipoisson_dispersie(som_w, som_wx, som_wx2) -%}
    case when ({{ som_w }}) > 1 and ({{ som_wx }}) > 0 then
        greatest(
            1.0,
            (({{ som_wx2 }}) - power({{ som_wx }}, 2) / ({{ som_w }})) / (({{ som_w }}) - 1)
            / (({{ som_wx }}) / ({{ som_w }}))
        )
    end
{%- endmacro %}

{# De intervalmethoden van de catalogus (kolom intervalmethode), met wat ze betekenen:
   wilson        aandeel: Wilson op de (effectieve) steekproefomvang;
   poisson       telling van verschillende personen of eenheden per inwoner: Byar op de teller;
   quasipoisson  telling van herhaalde gebeurtenissen: Byar op de effectieve telling teller / φ;
   normaal       gemiddelde of schaalscore: ± 1,96 × se;
   gegeven       het interval komt uit int_indicator_waarnemingen (mediaan: rangnummers);
   geen          volledige telling of geen schatbaar toevalsmodel: geen interval en geen trechtergrenzen.
   Dezelfde lijst staat als accepted_values bij dim_indicator (marts.yml); de intervallen zelf staan in
   gepubliceerde_cijfers (jaar) en fct_indicator_meerjarig (driejaars), de trechter in fct_vergelijking. #}

{# Burgerpeiling: een antwoord telt alleen als het een inhoudelijke categorie 1..k is; de rest is missend. #}
{% macro geldig_antwoord(x, k) -%}
    case when {{ x }} between 1 and {{ k }} then {{ x }} end
{%- endmacro %}

{# Burgerpeiling-schaalmethode: een item met k geordende categorieën (1 = meest gunstig) scoort
   (k - x) / (k - 1), dus 1..0; een vijfpuntsschaal geeft 4..0 gedeeld door 4. #}
{% macro item_score(x, k) -%}
    ({{ k }} - ({{ x }})) / ({{ k }} - 1.0)
{%- endmacro %}

{# Schaalscore 0-10: het gemiddelde van de beantwoorde items maal 10, alleen met minstens `minimaal`
   beantwoorde items. `items` is een lijst van [kolom, k]. #}
{% macro schaalscore(items, minimaal) -%}
    {%- set aantal -%}
        ({% for it in items %}(case when {{ it[0] }} is not null then 1 else 0 end){% if not loop.last %} + {% endif %}{% endfor %})
    {%- endset -%}
    case when {{ aantal }} >= {{ minimaal }} then 10.0 * (
        {% for it in items %}coalesce({{ item_score(it[0], it[1]) }}, 0){% if not loop.last %} + {% endif %}{% endfor %}
    ) / {{ aantal }} end
{%- endmacro %}

{# De enquête-indicatoren: kolommen van int_enquete_respondenten met dezelfde naam als de indicatorcode. #}
{% macro enquete_indicatoren() -%}
    {{ return(['p_mantelzorg_geven', 'p_mantelzorg_zwaar_belast', 'p_sociaal_vangnet', 'p_sociale_relaties',
               'g_vrijwilligerswerk', 'g_verbondenheid_buurt', 'g_actief_voor_buurt', 'g_samenredzaamheid',
               'i_tevreden_welzijn', 'i_tevreden_ontmoeting']) }}
{%- endmacro %}

{# Standaardfout van een ongewogen aandeel p op n waarnemingen (binomiaal). #}
{% macro se_aandeel(p, n) -%}
    sqrt(({{ p }}) * (1 - ({{ p }})) / ({{ n }}))
{%- endmacro %}

{# Gini-coëfficiënt van x over de rijen van een groep, met `rang` = 1..n oplopend naar x:
   G = 2 * sum(i * x_i) / (n * sum(x)) - (n + 1) / n; leeg als de som 0 is. #}
{% macro gini(x, rang, n) -%}
    case when sum({{ x }}) > 0 then
        2.0 * sum({{ rang }} * {{ x }}) / ({{ n }} * sum({{ x }})) - ({{ n }} + 1.0) / {{ n }}
    end
{%- endmacro %}

{# Student-t-kwantiel t(0,975; df) voor een tweezijdig 95%-interval (tabel, zes decimalen) voor df = 1..30;
   boven 30 vrijheidsgraden de normale benadering 1,959963984540054; leeg voor df < 1. #}
{% macro t_kwantiel_975(df) -%}
    {%- set tabel = [12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157,
                     2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922,
                     2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831,
                     2.048407, 2.045230, 2.042272] -%}
    case
        {%- for t in tabel %} when ({{ df }}) = {{ loop.index }} then cast({{ t }} as double){% endfor %}
        when ({{ df }}) > {{ tabel | length }} then cast(1.959963984540054 as double)
    end
{%- endmacro %}
