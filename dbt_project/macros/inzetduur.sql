{# Mediane inzetduur met het verdelingsvrije interval op rangnummers: n/2 -/+ 1,96 * sqrt(n) / 2 (ondergrens
   minstens rang 1, bovengrens hoogstens rang n), opgezocht in de gesorteerde inzetduren van elke groep
   (gemeente x `periode`: een jaar in int_indicator_waarnemingen, een gepoolde periode in fct_indicator_periode).
   Kolommen: gemeentecode, <periode>, n, mediaan, onder, boven. #}
{% macro inzetduur_mediaan(relatie, periode) %}
    select gemeentecode, {{ periode }}, n, mediaan,
           d[greatest(1, floor(n / 2.0 - 1.959963984540054 * sqrt(n) / 2))::bigint] as onder,
           d[least(n, ceil(n / 2.0 + 1.959963984540054 * sqrt(n) / 2) + 1)::bigint] as boven
    from (
        select gemeentecode, {{ periode }}, count(*) as n, median(inzetduur_jaren) as mediaan,
               list(inzetduur_jaren order by inzetduur_jaren) as d
        from {{ relatie }}
        group by all
    )
{% endmacro %}
