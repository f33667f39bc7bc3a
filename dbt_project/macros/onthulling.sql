{# Bouwstenen van de onthullingscontrole (docs/methoden.md, "Onthullingscontrole"). #}

{# Bovengrens van het bereik van een indicator in de basiseenheid (een aandeel als fractie): 1 voor een
   percentage of een Gini-coëfficiënt, 10 voor een schaalscore, leeg voor tellingen, verhoudingen en duren. #}
{% macro bereik_boven(eenheid) -%}
    case
        when {{ eenheid }} = 'percentage' then 1.0
        when {{ eenheid }} like 'schaalscore%' then 10.0
        when {{ eenheid }} like 'Gini%' then 1.0
    end
{%- endmacro %}

{# Waar als x strikt binnen het bereik ligt (boven 0 en onder de bovengrens, met een marge voor afronding): een
   waarde op de rand zou elk deel dat erin zit op diezelfde rand dwingen. Leeg telt als niet veilig. #}
{% macro binnen_bereik(x, boven) -%}
    coalesce(({{ x }}) > 1e-9 and (({{ boven }}) is null or ({{ x }}) < ({{ boven }}) * (1 - 1e-9)), false)
{%- endmacro %}
