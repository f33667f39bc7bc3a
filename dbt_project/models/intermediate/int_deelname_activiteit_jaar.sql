-- Deelnames per activiteit, wijk en jaar op de huidige gemeentelijke kaart (splitsingen naar aandeel).
-- Een activiteit is (gemeente op de huidige kaart, activiteit_id): een activiteit die na een herindeling
-- onder de nieuwe gemeentecode wordt geleverd, blijft dezelfde activiteit.
--
-- Incrementeel: dit is het zwaarste model (landelijk ca. 8 miljoen deelnamerijen). Een nieuwe levering raakt
-- alleen de partities (gemeente op de huidige kaart, jaar) waarin haar rijen vallen; alleen die worden opnieuw
-- berekend, uit alle dan geldige leveringen. Welke leveringen nieuw zijn, volgt uit het grootboek: ontvangen na
-- de nieuwste levering die al in deze tabel zit, plus de leveringen die zij vervangen (correcties). De pre-hook
-- verwijdert eerst de geraakte partities, zodat ook een partitie verdwijnt waarvan alle rijen uit een vervangen
-- levering kwamen; delete+insert zet daarna de nieuwe rijen erin. Een wijziging in de referentie (herindelingen)
-- vraagt een volledige herbouw: die doet de maandelijkse build (`--full-refresh`).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['gemeentecode', 'jaar'],
        on_schema_change='sync_all_columns',
        pre_hook=[
            "{% if is_incremental() %}delete from {{ this }} where (gemeentecode, jaar) in ("
            ~ "{{ gewijzigde_partities('deelname', this) }}){% endif %}"
        ],
    )
}}

{% if is_incremental() %}
with geraakt as (
    {{ gewijzigde_partities('deelname', this) }}
),
{% else %}
with
{% endif %}

deelnames as (
    select
        a.actuele_gemeentecode as gemeentecode,
        d.jaar,
        d.activiteit_id,
        d.wijkcode,
        d.aantal_deelnames,
        d.aantal_unieke_deelnemers,
        a.aandeel,
        d.levering_id,
        l.ontvangen_op
    from {{ ref('stg_deelname__deelnames') }} as d
    inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = d.gemeentecode
    inner join {{ ref('stg_kwaliteit__geldige_leveringen') }} as l on l.levering_id = d.levering_id
    {% if is_incremental() %}
        where (a.actuele_gemeentecode, d.jaar) in (select gemeentecode, jaar from geraakt)
    {% endif %}
),

-- eerst per levering optellen, dan per activiteit de lijst van leveringen: een list(distinct ...) over alle
-- deelnamerijen (landelijk 8 mln) is veel trager dan een lijst over de paar leveringen per activiteit
per_levering as (
    select
        gemeentecode,
        jaar,
        activiteit_id,
        wijkcode,
        levering_id,
        sum(aantal_deelnames * aandeel) as deelnames,
        sum(aantal_unieke_deelnemers * aandeel) as unieke_deelnemers,
        bool_and(aantal_unieke_deelnemers is not null) as unieke_volledig,
        max(aandeel) as gewicht,
        max(ontvangen_op) as laatst_ontvangen
    from deelnames
    group by gemeentecode, jaar, activiteit_id, wijkcode, levering_id
)

select
    gemeentecode,
    jaar,
    activiteit_id,
    wijkcode,
    sum(deelnames) as deelnames,
    sum(unieke_deelnemers) as unieke_deelnemers,
    bool_and(unieke_volledig) as unieke_volledig,
    max(gewicht) as gewicht,
    list(levering_id order by levering_id) as bron_leveringen,
    max(laatst_ontvangen) as laatst_ontvangen
from per_levering
group by gemeentecode, jaar, activiteit_id, wijkcode
