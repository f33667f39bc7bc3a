{#
  Macro's voor de verhalen van inwoners (stg_verhalen__verhalen, fct_verhalen en hun tests).

  Een label van Deduce: [PERSOON-1], [EMAILADRES-2], [STRAAT+HUISNUMMER-1], of zonder volgnummer [PATIENT].
  Hetzelfde patroon staat in bronnen/deidentificatie.py (LABEL); tests/test_verhalen.py houdt de twee gelijk.
#}
{% macro deidentificatie_label() -%}
'\[([A-Z][A-Z_+]*)(-[0-9]+)?\]'
{%- endmacro %}


{#
  `kolom` met elk label van Deduce vervangen door zijn leesbare vorm uit de seed deidentificatie_labels:
  `leesbaar` is een MAP label -> leesbare vorm, `overig` de vorm voor elk ander label (de rij `*`). Een label
  zonder volgnummer dat niet in de seed staat (bijvoorbeeld "[SIC]" van de inwoner zelf) blijft staan.
  De tekst wordt gesplitst op de labels; daartussen komen de leesbare vormen terug.
#}
{% macro leesbare_labels(kolom, leesbaar, overig) -%}
(
    regexp_split_to_array({{ kolom }}, {{ deidentificatie_label() }})[1]
    || array_to_string(
        list_transform(
            range(1, len(regexp_split_to_array({{ kolom }}, {{ deidentificatie_label() }}))),
            lambda i: coalesce(
                {{ leesbaar }}[regexp_extract_all({{ kolom }}, {{ deidentificatie_label() }}, 1)[i]],
                case
                    when coalesce(regexp_extract_all({{ kolom }}, {{ deidentificatie_label() }}, 2)[i], '') <> ''
                        then {{ overig }}
                    else regexp_extract_all({{ kolom }}, {{ deidentificatie_label() }}, 0)[i]
                end
            ) || regexp_split_to_array({{ kolom }}, {{ deidentificatie_label() }})[i + 1]
        ),
        ''
    )
)
{%- endmacro %}


{#
  Waaraan een verhaal herkend wordt: de tekst zonder verschil in hoofdletters en witruimte.
#}
{% macro verhaal_sleutel(kolom) -%}
lower(trim(regexp_replace({{ kolom }}, '\s+', ' ', 'g')))
{%- endmacro %}
