{# Generieke test: de combinatie van kolommen is uniek (zonder externe dbt-packages). #}
{% test unieke_combinatie(model, columns) %}
select {{ columns | join(', ') }}, count(*) as aantal
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
