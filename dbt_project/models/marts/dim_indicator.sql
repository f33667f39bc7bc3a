select
    cast(code as varchar) as indicator_code,
    cast(naam as varchar) as naam,
    cast(sfeer as varchar) as sfeer,
    cast(bron as varchar) as bron,
    cast(eenheid as varchar) as eenheid,
    cast(schaal as double) as schaal,
    cast(intervalmethode as varchar) as intervalmethode,
    cast(teller_definitie as varchar) as teller_definitie,
    cast(noemer_definitie as varchar) as noemer_definitie,
    cast(minimum_n as integer) as minimum_n,
    cast(richting_gunstig as varchar) as richting_gunstig,
    cast(toelichting as varchar) as toelichting
from {{ ref('indicatoren') }}
