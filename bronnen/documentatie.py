"""Genereert de Nederlandse contractpagina (docs/contracten.md) uit de contracten.

Gebruik: uv run python -m bronnen.documentatie > docs/contracten.md
Een test controleert dat de pagina in de repository gelijk is aan wat de contracten nu zeggen.
"""

from __future__ import annotations

from bronnen.contracten import CONTRACTEN, DIRECTE_IDENTIFICATIE, Contract, Kolom, enquete_items
from bronnen.validatie import gemeente_kolom, rules_for

TYPE_NAAM = {
    "tekst": "tekst",
    "geheel": "geheel getal",
    "decimaal": "getal (komma of punt)",
    "datum": "datum (dd-mm-jjjj of jjjj-mm-dd)",
    "gemeentecode": "gemeentecode (GM0363, 0363 of 363)",
    "wijkcode": "wijkcode (WK036300 of 036300)",
}


def _regel(k: Kolom) -> str:
    eisen = []
    if k.toegestaan is not None:
        eisen.append("toegestaan: " + ", ".join(f"`{w}`" for w in k.toegestaan))
    if k.minimum is not None:
        eisen.append(("> " if k.minimum_exclusief else ">= ") + f"{k.minimum:g}")
    if k.maximum is not None:
        eisen.append(f"<= {k.maximum:g}")
    if k.persoonsnummer:
        eisen.append(f"gepseudonimiseerd als `{k.raw_naam}`")
    elif k.raw_naam != k.naam:
        eisen.append(f"opgeslagen als `{k.raw_naam}`")
    aliassen = ", ".join(f"`{a}`" for a in k.aliassen) or ""
    return (
        f"| `{k.naam}` | {TYPE_NAAM[k.type]} | {'ja' if k.verplicht else 'nee'} | {aliassen} | "
        f"{'; '.join(eisen)} | {k.omschrijving} |"
    )


def contract_markdown(c: Contract) -> str:
    regels = [
        f"## {c.bron}",
        "",
        c.omschrijving,
        "",
        f"Formaten: {', '.join(c.formaten)}. Sleutel binnen een levering: "
        f"{', '.join(f'`{s}`' for s in c.sleutel) or 'geen'}.",
        "",
        "| kolom | type | verplicht | aliassen | eisen | omschrijving |",
        "|---|---|---|---|---|---|",
    ]
    regels += [_regel(k) for k in c.kolommen]
    if c.bron == "enquete":
        regels += [
            "",
            f"Daarnaast de {len(enquete_items())} vraagitems van het VNG Burgerpeiling-dataformaat 2022 (optioneel, "
            "geheel getal, alleen de codes uit de waardelabels van het formaat; zie `bronnen/burgerpeiling_2022.json`).",
        ]
    regels += [
        "",
        f"Regels aan de deur (Great Expectations-suite `basismonitor.deur.{c.bron}`, ernst `fout`):",
        "",
        "| regel | expectation | toelichting |",
        "|---|---|---|",
    ]
    regels += [
        f"| `{r.regel_id}` | `{r.expectation.expectation_type}` | {r.toelichting} {r.hint} |"
        for r in rules_for(c, register=None)
    ]
    if c.peilkolom:
        regels.append(
            f"| `{c.bron}.{gemeente_kolom(c)}.onbekende_gemeente` | `expect_column_values_to_be_in_set` | "
            "De gemeentecode bestond op 1 januari van het jaar van de gegevens (CBS-indeling; jaren buiten "
            "2016-2025 tellen als het dichtstbijzijnde jaar). |"
        )
    return "\n".join(regels)


def render() -> str:
    delen = [
        "# Leveringscontracten",
        "",
        "Gegenereerd uit `bronnen/contracten.py` met `uv run python -m bronnen.documentatie`; niet met de hand "
        "wijzigen.",
        "",
        "Voor alle bronnen geldt: kopnamen worden hoofdletterongevoelig en na trimmen vergeleken, ook met de "
        "aliassen; extra kolommen mogen, maar worden niet opgeslagen. CSV mag `;`, `,` of tab als scheidingsteken "
        "hebben, UTF-8 met of zonder BOM of Windows-1252. Een levering die een regel breekt, wordt in zijn geheel "
        "afgewezen en in quarantaine gezet met een rapport (rij, kolom, waarde, regel, hint).",
        "",
        "De controle heeft twee lagen. Eerst structureel (Polars): leesbaar bestand, kopregel, verplichte "
        "kolommen, geen kolommen met directe persoonsgegevens, en elke waarde om te zetten naar het type van de "
        "kolom. Daarna de regels van het contract als Great Expectations 1.x-suite op de getypeerde tabel; elke "
        "regel heeft een vaste id die in het quarantainerapport staat.",
        "",
        "Kolommen met deze namen bevatten directe persoonsgegevens en worden altijd geweigerd: "
        + ", ".join(f"`{n}`" for n in sorted(DIRECTE_IDENTIFICATIE))
        + ".",
        "",
    ]
    delen += [contract_markdown(c) + "\n" for c in CONTRACTEN.values()]
    return "\n".join(delen)


if __name__ == "__main__":
    print(render(), end="")
