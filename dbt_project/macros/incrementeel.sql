{#
    De partities (gemeente op de huidige kaart, jaar) die een incrementeel model opnieuw moet berekenen:
    die van de leveringen van `bron` die ontvangen zijn na de nieuwste levering in `doel` (kolom
    laatst_ontvangen), en die van de leveringen die zij vervangen. Het jaar is dat van periode_start, zoals in
    de staging. Een lege doeltabel, of een doeltabel van vóór de kolom laatst_ontvangen, geeft alle partities.
#}
{% macro gewijzigde_partities(bron, doel) %}
    {%- set kolommen = adapter.get_columns_in_relation(doel) | map(attribute='name') | list -%}
    {%- if 'laatst_ontvangen' in kolommen -%}
        {%- set grens = "(select coalesce(max(laatst_ontvangen), '1900-01-01'::timestamp) from " ~ doel ~ ")" -%}
    {%- else -%}
        {%- set grens = "'1900-01-01'::timestamp" -%}
    {%- endif %}
    select distinct a.actuele_gemeentecode as gemeentecode, year(r.periode_start) as jaar
    from {{ source('raw', bron) }} as r
    inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = r.gemeentecode
    where r.levering_id in (
        select l.levering_id
        from {{ source('kwaliteit', 'leveringen') }} as l
        where l.bron = '{{ bron }}'
            and l.ontvangen_op > {{ grens }}
        union
        select l.vervangt
        from {{ source('kwaliteit', 'leveringen') }} as l
        where l.bron = '{{ bron }}'
            and l.vervangt is not null
            and l.ontvangen_op > {{ grens }}
    )
{% endmacro %}
