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
