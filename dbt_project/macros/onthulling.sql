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

{# Waar als het verborgen deel van een gepubliceerd geheel zelf publiceerbaar is (docs/methoden.md,
   "Onthullingscontrole"): leeg (k = 0), of minstens twee onderdrukte cellen met samen minstens minimum_n, een n
   die niet op de rand ligt van wat k onderdrukte cellen kunnen hebben (k of k × (minimum_n - 1): dan ligt elke
   cel vast) en een waarde strikt binnen het bereik. `waarde` leeg betekent: geen verhouding te bepalen (een
   mediaan), alleen de voorwaarden op n gelden. #}
{% macro verborgen_deel_veilig(k, n, minimum_n, waarde, boven) -%}
    (
        ({{ k }}) = 0
        or (
            ({{ k }}) >= 2
            and ({{ n }}) >= ({{ minimum_n }})
            and ({{ n }}) > ({{ k }})
            and ({{ n }}) <> ({{ k }}) * (({{ minimum_n }}) - 1)
            and (({{ waarde }}) is null or {{ binnen_bereik(waarde, boven) }})
        )
    )
{%- endmacro %}
