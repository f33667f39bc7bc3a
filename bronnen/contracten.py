"""Leveringscontracten: per bron de kolommen, typen, verplichting, toegestane waarden en aliassen.

Dit is de enige plek waar de vorm van een levering wordt vastgelegd. De lezers, de validatie, het
aanmaken van de `raw`-tabellen, de voorbeelddata en de gegenereerde documentatie lezen allemaal
deze contracten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Kolomtype = Literal["tekst", "geheel", "decimaal", "datum", "gemeentecode", "wijkcode"]

# DuckDB-typen van de raw-kolommen.
DUCKDB_TYPE: dict[str, str] = {
    "tekst": "VARCHAR",
    "geheel": "BIGINT",
    "decimaal": "DOUBLE",
    "datum": "DATE",
    "gemeentecode": "VARCHAR",
    "wijkcode": "VARCHAR",
}
# Een gepseudonimiseerd persoonsnummer: de eerste 128 bits van de HMAC als getal (bronnen/pseudoniem.py).
PSEUDONIEM_TYPE = "UHUGEINT"


@dataclass(frozen=True)
class Kolom:
    naam: str
    type: Kolomtype
    verplicht: bool = True
    omschrijving: str = ""
    aliassen: tuple[str, ...] = ()
    toegestaan: tuple[str, ...] | None = None
    minimum: float | None = None
    minimum_exclusief: bool = False
    maximum: float | None = None
    # Een persoonsnummer wordt bij de voordeur vervangen door een sleutel-hash (HMAC-SHA256, 128 bits);
    # in `raw` heet de kolom dan `<naam zonder _id>_pseudoniem`, van het type PSEUDONIEM_TYPE.
    persoonsnummer: bool = False
    # Naam van de kolom in `raw` als die afwijkt van de naam in de levering (bijv. gemnr -> gemeentecode).
    opslagnaam: str | None = None

    @property
    def raw_naam(self) -> str:
        if self.persoonsnummer:
            return (self.opslagnaam or self.naam).removesuffix("_id") + "_pseudoniem"
        return self.opslagnaam or self.naam

    @property
    def raw_type(self) -> str:
        """DuckDB-type van de kolom in `raw`."""
        return PSEUDONIEM_TYPE if self.persoonsnummer else DUCKDB_TYPE[self.type]


@dataclass(frozen=True)
class Contract:
    bron: str
    omschrijving: str
    kolommen: tuple[Kolom, ...]
    # Kolommen die samen een rij uniek maken binnen één levering.
    sleutel: tuple[str, ...] = ()
    extra_kolommen_toegestaan: bool = True
    # Kolom (raw-naam) die bepaalt in welk jaar een gemeentecode moet hebben bestaan.
    peilkolom: str | None = None
    formaten: tuple[str, ...] = ("csv", "xlsx", "parquet")
    opmerkingen: tuple[str, ...] = field(default_factory=tuple)

    def kolom(self, naam: str) -> Kolom:
        for k in self.kolommen:
            if k.naam == naam:
                return k
        raise KeyError(naam)

    @property
    def raw_tabel(self) -> str:
        return f"raw.{self.bron}"

    @property
    def kolomnamen(self) -> list[str]:
        """De kolomkoppen van een levering, in de volgorde van het contract."""
        return [k.naam for k in self.kolommen]


_GEMEENTE = Kolom(
    "gemeentecode",
    "gemeentecode",
    omschrijving="CBS-gemeentecode; GM0363, 0363 en 363 worden alle opgeslagen als GM0363",
    aliassen=("gemeente", "gemnr", "gemeentenummer", "gm_code", "cbs_gemeentecode"),
)
_WIJK = Kolom(
    "wijkcode",
    "wijkcode",
    verplicht=False,
    omschrijving="CBS-wijkcode (WKxxxxxx)",
    aliassen=("wijk", "wijknr", "wijknummer", "wk_code"),
)

DEELNAME = Contract(
    bron="deelname",
    omschrijving="Deelname aan activiteiten per activiteit/accommodatie en periode (maand of kwartaal), per wijk.",
    kolommen=(
        _GEMEENTE,
        _WIJK,
        Kolom("activiteit_id", "tekst", omschrijving="Code van de activiteit bij de aanbieder"),
        Kolom("activiteit", "tekst", omschrijving="Naam van de activiteit", aliassen=("activiteitnaam",)),
        Kolom("accommodatie", "tekst", verplicht=False, omschrijving="Buurthuis, ontmoetingsplek of locatie"),
        Kolom(
            "aanbieder",
            "tekst",
            omschrijving="Organisatie die de activiteit uitvoert",
            aliassen=("organisatie", "leverancier"),
        ),
        Kolom(
            "periode_start", "datum", omschrijving="Eerste dag van de periode", aliassen=("van", "begindatum")
        ),
        Kolom(
            "periode_eind", "datum", omschrijving="Laatste dag van de periode", aliassen=("tot", "einddatum")
        ),
        Kolom(
            "aantal_deelnames",
            "geheel",
            minimum=0,
            omschrijving="Aantal deelnames (bezoeken) in de periode",
            aliassen=("deelnames", "aantal_bezoeken"),
        ),
        Kolom(
            "aantal_unieke_deelnemers",
            "geheel",
            verplicht=False,
            minimum=0,
            omschrijving="Aantal verschillende deelnemers in de periode (niet groter dan aantal_deelnames)",
            aliassen=("unieke_deelnemers",),
        ),
    ),
    sleutel=("activiteit_id", "wijkcode", "periode_start", "periode_eind"),
    peilkolom="periode_start",
)

VRIJWILLIGERS = Contract(
    bron="vrijwilligers",
    omschrijving="Inzet van vrijwilligers bij organisaties (één rij per inzet).",
    kolommen=(
        Kolom(
            "vrijwilliger_id",
            "tekst",
            persoonsnummer=True,
            omschrijving="Nummer van de vrijwilliger bij de organisatie; wordt bij ontvangst gepseudonimiseerd",
            aliassen=("vrijwilligersnummer", "persoon_id"),
        ),
        _GEMEENTE,
        _WIJK,
        Kolom("organisatie", "tekst", omschrijving="Organisatie waar de vrijwilliger actief is"),
        Kolom("soort_inzet", "tekst", toegestaan=("structureel", "incidenteel"), aliassen=("inzet",)),
        Kolom("startdatum", "datum", aliassen=("begindatum", "start")),
        Kolom(
            "einddatum",
            "datum",
            verplicht=False,
            omschrijving="Leeg als de inzet nog loopt; niet vóór startdatum",
            aliassen=("eind",),
        ),
        Kolom("uren_per_maand", "decimaal", verplicht=False, minimum=0, maximum=400, aliassen=("uren",)),
        Kolom(
            "leeftijdsklasse",
            "tekst",
            verplicht=False,
            toegestaan=("<18", "18-29", "30-44", "45-64", "65-74", "75+"),
            aliassen=("leeftijd",),
        ),
    ),
    sleutel=("vrijwilliger_id", "organisatie", "startdatum"),
    peilkolom="startdatum",
)

MANTELZORG = Contract(
    bron="mantelzorg",
    omschrijving="Ingeschreven mantelzorgers en hun ondersteuningscontacten bij het steunpunt "
    "(één rij per contact; een inschrijving zonder contact heeft een lege contactdatum).",
    kolommen=(
        Kolom(
            "mantelzorger_id",
            "tekst",
            persoonsnummer=True,
            omschrijving="Nummer van de mantelzorger bij het steunpunt; wordt bij ontvangst gepseudonimiseerd",
            aliassen=("mantelzorgernummer", "persoon_id"),
        ),
        _GEMEENTE,
        _WIJK,
        Kolom("registratiedatum", "datum", aliassen=("inschrijfdatum",)),
        Kolom("uitschrijfdatum", "datum", verplicht=False),
        Kolom(
            "ondersteuningsvorm",
            "tekst",
            toegestaan=(
                "informatie_advies",
                "respijtzorg",
                "lotgenotencontact",
                "cursus",
                "waardering",
                "overig",
            ),
            aliassen=("vorm", "ondersteuning"),
        ),
        Kolom("contactdatum", "datum", verplicht=False),
        Kolom(
            "ervaren_belasting",
            "tekst",
            verplicht=False,
            toegestaan=("niet", "licht", "matig", "zwaar", "overbelast"),
            aliassen=("belasting",),
        ),
    ),
    sleutel=("mantelzorger_id", "ondersteuningsvorm", "contactdatum"),
    peilkolom="registratiedatum",
)

# De vraagitems van de Burgerpeiling staan in bronnen/burgerpeiling_2022.json (afgeleid van het
# VNG-dataformaat 2022); hier alleen de vaste kolommen.
ENQUETE = Contract(
    bron="enquete",
    omschrijving="Respondenten van de inwonersenquête in het dataformaat van de VNG Burgerpeiling 2022, met weging.",
    kolommen=(
        Kolom(
            "respondent",
            "tekst",
            persoonsnummer=True,
            omschrijving="Respondentnummer; wordt bij ontvangst gepseudonimiseerd",
        ),
        Kolom(
            "gemnr",
            "gemeentecode",
            opslagnaam="gemeentecode",
            omschrijving="CBS-gemeentenummer; opgeslagen als gemeentecode GMxxxx",
        ),
        Kolom(
            "jr",
            "geheel",
            opslagnaam="jaar",
            minimum=2000,
            maximum=2100,
            omschrijving="Jaar van het veldwerk",
        ),
        Kolom(
            "kw",
            "geheel",
            opslagnaam="kwartaal",
            minimum=1,
            maximum=4,
            omschrijving="Kwartaal van het veldwerk",
        ),
        Kolom(
            "weging",
            "decimaal",
            minimum=0,
            minimum_exclusief=True,
            omschrijving="Wegingsfactor (groter dan 0)",
        ),
        Kolom("wijknr", "wijkcode", opslagnaam="wijkcode", verplicht=False, omschrijving="CBS-wijkcode"),
    ),
    sleutel=("respondent",),
    peilkolom="jaar",
    formaten=("sav", "csv", "xlsx", "parquet"),
)

VERHALEN = Contract(
    bron="verhalen",
    omschrijving="Korte verhalen van inwoners (vertellen), met toestemming voor publicatie.",
    kolommen=(
        _GEMEENTE,
        _WIJK,
        Kolom("jaar", "geheel", minimum=2000, maximum=2100),
        Kolom("sfeer", "tekst", toegestaan=("persoonlijk", "gemeenschappelijk", "institutioneel")),
        Kolom("titel", "tekst", verplicht=False),
        Kolom("tekst", "tekst", aliassen=("verhaal",)),
        Kolom(
            "toestemming",
            "tekst",
            toegestaan=("ja", "nee"),
            omschrijving="Alleen verhalen met toestemming = ja worden opgeslagen",
        ),
    ),
    peilkolom="jaar",
)

BEVOLKING = Contract(
    bron="bevolking",
    omschrijving="Referentielevering: aantal inwoners per gemeente per jaar (1 januari), in de indeling van dat jaar.",
    kolommen=(
        _GEMEENTE,
        Kolom("jaar", "geheel", minimum=2000, maximum=2100),
        Kolom("inwoners", "geheel", minimum=0),
        Kolom("inwoners_18plus", "geheel", verplicht=False, minimum=0),
    ),
    sleutel=("gemeentecode", "jaar"),
    peilkolom="jaar",
)

CONTRACTEN: dict[str, Contract] = {
    c.bron: c for c in (DEELNAME, VRIJWILLIGERS, MANTELZORG, ENQUETE, VERHALEN, BEVOLKING)
}
BRONNEN: tuple[str, ...] = tuple(CONTRACTEN)


def _burgerpeiling_items() -> tuple[Kolom, ...]:
    """De vraagitems van het VNG Burgerpeiling-dataformaat 2022 als (optionele) contractkolommen."""
    vast = {k.naam for k in ENQUETE.kolommen}
    items = []
    for var in burgerpeiling_format()["variabelen"]:
        if var["naam"] in vast or var["type"] != "getal":
            continue
        labels = var["waardelabels"]
        items.append(
            Kolom(
                var["naam"],
                "geheel",
                verplicht=False,
                omschrijving=var["label"] or "",
                toegestaan=tuple(labels) if labels else None,
            )
        )
    return tuple(items)


_FORMAT_CACHE: dict[str, dict] = {}


def burgerpeiling_format() -> dict:
    """Het VNG Burgerpeiling-dataformaat 2022 (variabelen, labels, waardelabels), uit het pakket zelf."""
    if "bp" not in _FORMAT_CACHE:
        pad = Path(__file__).with_name("burgerpeiling_2022.json")
        _FORMAT_CACHE["bp"] = json.loads(pad.read_text(encoding="utf-8"))
    return _FORMAT_CACHE["bp"]


def enquete_items() -> tuple[Kolom, ...]:
    if "items" not in _FORMAT_CACHE:
        _FORMAT_CACHE["items"] = _burgerpeiling_items()
    return _FORMAT_CACHE["items"]


def alle_kolommen(contract: Contract) -> tuple[Kolom, ...]:
    """De kolommen van een contract, voor de enquête aangevuld met de Burgerpeiling-items."""
    if contract.bron == "enquete":
        return contract.kolommen + enquete_items()
    return contract.kolommen


# Kolomnamen (na normalisatie) die directe identificatie mogelijk maken en nooit opgeslagen mogen worden.
DIRECTE_IDENTIFICATIE = frozenset(
    {
        "naam",
        "voornaam",
        "achternaam",
        "volledige_naam",
        "roepnaam",
        "voorletters",
        "tussenvoegsel",
        "adres",
        "straat",
        "straatnaam",
        "huisnummer",
        "huisnr",
        "postcode_huisnummer",
        "woonadres",
        "bsn",
        "burgerservicenummer",
        "sofinummer",
        "email",
        "e_mail",
        "emailadres",
        "e_mailadres",
        "mail",
        "telefoon",
        "telefoonnummer",
        "telnr",
        "mobiel",
        "mobiel_nummer",
        "mobielnummer",
        "geboortedatum",
        "geb_datum",
        "geboortedag",
    }
)
