-- Gemeenten op de huidige kaart met hun vergelijkingsklassen (CBS) en voorgangers.
with voorgangers as (
    select
        a.actuele_gemeentecode as gemeentecode,
        string_agg(a.gemeentecode || ' ' || coalesce(n.gemeentenaam, ''), ', ' order by a.gemeentecode) as voorgangers
    from {{ ref('int_gemeente_actueel') }} as a
    left join (
        select gemeentecode, arg_max(gemeentenaam, jaar) as gemeentenaam
        from {{ ref('ref_gemeenten_per_jaar') }} group by gemeentecode
    ) as n on n.gemeentecode = a.gemeentecode
    where a.gemeentecode <> a.actuele_gemeentecode
    group by a.actuele_gemeentecode
)

select
    cast(g.gemeentecode as varchar) as gemeentecode,
    cast(g.gemeentenaam as varchar) as gemeentenaam,
    cast(g.provincie as varchar) as provincie,
    cast(g.gemeentegrootte as varchar) as gemeentegrootte,
    cast(g.stedelijkheid as varchar) as stedelijkheid,
    cast(g.inwoners_2022 as bigint) as inwoners_2022,
    cast(v.voorgangers as varchar) as voorgangers
from {{ ref('ref_gemeenten') }} as g
left join voorgangers as v using (gemeentecode)
