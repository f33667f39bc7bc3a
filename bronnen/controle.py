"""Controle aan de deur: kopnamen via aliassen naar het contract, directe identificatie en typen (Polars),
daarna de contractregels met Great Expectations (`bronnen.validatie`). Het resultaat is een getypeerde tabel met de namen van
`raw`, of een lijst bevindingen (bestand, rij, kolom, waarde, regel, hint) in het Nederlands.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

import great_expectations.expectations as gxe
import polars as pl
from great_expectations.expectations.expectation import (
    ColumnMapExpectation,
    ColumnPairMapExpectation,
    MulticolumnMapExpectation,
)

from bronnen.contracten import DIRECTE_IDENTIFICATIE, Contract, Kolom, alle_kolommen
from bronnen.kwaliteit import Regelset, load_rules
from bronnen.lezen import RuweLevering
from bronnen.referentie import GemeenteRegister
from bronnen.validatie import (
    ITEMWAARDE,
    MAX_VOORBEELDEN,
    PEILJAAR,
    RIJ,
    Regel,
    Uitkomst,
    item_frame,
    peil_column,
    validate,
)


@dataclass(frozen=True)
class Bevinding:
    regel: str  # regel-id, bijv. "verplicht", "type_datum", "toegestaan"
    kolom: str | None
    rij: int | None  # rijnummer in het bronbestand (1-based, kopregel meegeteld)
    waarde: str | None
    toelichting: str
    hint: str = ""
    aantal: int = 1  # aantal rijen met deze bevinding (voor samengevatte bevindingen)
    regel_id: str = ""  # unieke id van de regel, bijv. "deelname.aantal_deelnames.bereik"


class ContractFout(ValueError):
    def __init__(self, bevindingen: list[Bevinding]):
        self.bevindingen = bevindingen
        super().__init__(bevindingen[0].toelichting if bevindingen else "contractfout")


def normalise_header(naam: str) -> str:
    s = naam.strip().lstrip("\ufeff").lower()
    s = re.sub(r"[\s\-./]+", "_", s)
    return s.strip("_")


def map_columns(contract: Contract, headers: Iterable[str]) -> tuple[dict[str, str], list[Bevinding]]:
    """Koppelt aangeleverde kopnamen aan contractkolommen (hoofdletterongevoelig, na trimmen, met aliassen)."""
    kolommen = alle_kolommen(contract)
    lookup: dict[str, str] = {}
    for k in kolommen:
        lookup[normalise_header(k.naam)] = k.naam
        for a in k.aliassen:
            lookup.setdefault(normalise_header(a), k.naam)
    mapping: dict[str, str] = {}
    bevindingen: list[Bevinding] = []
    for h in headers:
        norm = normalise_header(h)
        if norm in DIRECTE_IDENTIFICATIE and norm not in lookup:
            bevindingen.append(
                Bevinding(
                    "directe_identificatie",
                    h,
                    None,
                    None,
                    f"De kolom '{h}' bevat directe persoonsgegevens (naam, adres, BSN, e-mail, telefoon of "
                    "geboortedatum). Die mogen nooit in Basismonitor terechtkomen.",
                    "Verwijder de kolom en lever opnieuw aan; gebruik alleen een (pseudoniem) persoonsnummer.",
                )
            )
            continue
        doel = lookup.get(norm)
        if doel is None:
            continue
        if doel in mapping.values():
            bron = next(k for k, v in mapping.items() if v == doel)
            bevindingen.append(
                Bevinding(
                    "dubbele_kolom",
                    h,
                    None,
                    None,
                    f"De kolommen '{bron}' en '{h}' betekenen allebei '{doel}'.",
                    "Lever elke contractkolom één keer aan.",
                )
            )
            continue
        mapping[h] = doel
    aanwezig = set(mapping.values())
    for k in kolommen:
        if k.verplicht and k.naam not in aanwezig:
            alias = f" (of {', '.join(k.aliassen)})" if k.aliassen else ""
            bevindingen.append(
                Bevinding(
                    "kolom_ontbreekt",
                    k.naam,
                    None,
                    None,
                    f"De verplichte kolom '{k.naam}'{alias} ontbreekt.",
                    "Controleer de kopregel; zie het contract van deze bron in docs/contracten.",
                )
            )
    return mapping, bevindingen


_DATE_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def _parse_column(kolom: Kolom, expr: pl.Expr) -> pl.Expr:
    """Expressie die een tekstkolom naar het contracttype omzet (null bij een ongeldige waarde)."""
    t = kolom.type
    if t == "tekst":
        return expr
    if t == "geheel":
        return (
            pl.when(expr.str.contains(r"^[+-]?\d+$"))
            .then(expr)
            .when(expr.str.contains(r"^[+-]?\d+[.,]0+$"))
            .then(expr.str.replace(r"[.,]0+$", ""))
            .otherwise(None)
            .cast(pl.Int64, strict=False)
        )
    if t == "decimaal":
        cleaned = (
            pl.when(expr.str.contains(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$"))  # 1.234,5
            .then(expr.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
            .when(expr.str.contains(r"^[+-]?\d+,\d+$"))  # 12,5
            .then(expr.str.replace(",", ".", literal=True))
            .when(expr.str.contains(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"))
            .then(expr)
            .otherwise(None)
        )
        return cleaned.cast(pl.Float64, strict=False)
    if t == "datum":
        iso = expr.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        nl = expr.str.strptime(pl.Date, "%d-%m-%Y", strict=False)
        nl_slash = expr.str.strptime(pl.Date, "%d/%m/%Y", strict=False)
        datetime_iso = expr.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        return pl.coalesce(iso, nl, nl_slash, datetime_iso)
    if t == "gemeentecode":
        digits = expr.str.to_uppercase().str.extract(r"^(?:GM)?(\d{1,4})$", 1)
        return pl.when(digits.is_not_null()).then(pl.lit("GM") + digits.str.zfill(4)).otherwise(None)
    if t == "wijkcode":
        digits = expr.str.to_uppercase().str.extract(r"^(?:WK)?(\d{6})$", 1)
        return pl.when(digits.is_not_null()).then(pl.lit("WK") + digits).otherwise(None)
    raise ValueError(f"onbekend kolomtype {t}")


_TYPE_UITLEG = {
    "geheel": (
        "type_geheel",
        "geen geheel getal",
        "Gebruik een geheel getal zonder punt of komma, bijv. 12.",
    ),
    "decimaal": (
        "type_decimaal",
        "geen getal",
        "Gebruik een getal, met een decimale komma of punt, bijv. 12,5.",
    ),
    "datum": (
        "type_datum",
        "geen geldige datum",
        "Gebruik dd-mm-jjjj (31-12-2024) of jjjj-mm-dd (2024-12-31).",
    ),
    "gemeentecode": (
        "type_gemeentecode",
        "geen geldige gemeentecode",
        "Gebruik de CBS-code: GM0363, 0363 of 363.",
    ),
    "wijkcode": ("type_wijkcode", "geen geldige wijkcode", "Gebruik de CBS-wijkcode: WK036300 of 036300."),
}


def _clean(expr: pl.Expr) -> pl.Expr:
    """Aangeleverde tekst getrimd; lege tekst telt als ontbrekend."""
    return expr.str.strip_chars().replace("", None)


def _examples(
    df: pl.DataFrame, mask: pl.Series, kolom: str, eerste_rij: int
) -> tuple[list[tuple[int, str]], int]:
    idx = mask.arg_true()
    n = len(idx)
    voorbeeld = idx.head(MAX_VOORBEELDEN).to_list()
    waarden = df.get_column(kolom).gather(voorbeeld).to_list() if voorbeeld else []
    return [(i + eerste_rij, w) for i, w in zip(voorbeeld, waarden, strict=True)], n


def _add(
    bevindingen: list[Bevinding],
    regel: str,
    kolom: str,
    rows: list[tuple[int, str | None]],
    n: int,
    toelichting: str,
    hint: str,
    regel_id: str = "",
) -> None:
    for rij, waarde in rows:
        bevindingen.append(Bevinding(regel, kolom, rij, waarde, toelichting, hint, regel_id=regel_id))
    if n > len(rows):
        bevindingen.append(
            Bevinding(
                regel,
                kolom,
                None,
                None,
                f"{toelichting} (nog {n - len(rows)} rijen meer)",
                hint,
                aantal=n - len(rows),
                regel_id=regel_id,
            )
        )


@dataclass
class Voorbereiding:
    """Een gelezen levering na de structurele controle en de omzetting naar contracttypen, klaar voor de
    regels van Great Expectations (`validate_prepared` of, samen met andere leveringen, `validate_batch`)."""

    contract: Contract
    ruw: RuweLevering
    tekst: pl.DataFrame  # de aangeleverde tekst onder contractnamen (voor de voorbeelden in het rapport)
    getypeerd: pl.DataFrame
    frame: pl.DataFrame  # getypeerd met `_rij` en zo nodig `_gemeente_peiljaar`
    lang: pl.DataFrame | None  # enquête: één rij per ingevuld vraagitem
    typefout: dict[str, pl.Series]
    bevindingen: list[Bevinding]
    regels: list[Regel]
    aangeleverd: dict[str, list]


def check_delivery(
    contract: Contract,
    ruw: RuweLevering,
    register: GemeenteRegister | None = None,
    regelset: Regelset | None = None,
) -> pl.DataFrame:
    """Controleert een levering tegen het contract; geeft de getypeerde tabel (raw-namen) of ContractFout.

    Met een `register` wordt ook getoetst of elke gemeentecode bestond in het jaar van de gegevens. De regels
    en hun ernst komen uit `regelset` (standaard bronnen/kwaliteitsregels.yml); alleen een regel met ernst
    `fout` houdt de levering tegen. De uitkomsten van alle regels staan daarna in `ruw.uitkomsten`."""
    prep = prepare_delivery(contract, ruw, register, regelset)
    return finish_delivery(prep, validate_prepared(prep))


def prepare_delivery(
    contract: Contract,
    ruw: RuweLevering,
    register: GemeenteRegister | None = None,
    regelset: Regelset | None = None,
) -> Voorbereiding:
    """De structurele controle (kolommen, kopregel, typen) en de tabellen en regels voor Great Expectations.
    Een levering zonder kolommen, zonder gegevensrijen of met ontbrekende verplichte of directe
    identificerende kolommen geeft meteen ContractFout."""
    regelset = regelset if regelset is not None else load_rules()
    tabel = ruw.tabel
    if tabel.width == 0:
        raise ContractFout(
            [
                Bevinding(
                    "leeg",
                    None,
                    None,
                    None,
                    "Het bestand bevat geen kolommen.",
                    "Lever een bestand met een kopregel en gegevensrijen aan.",
                )
            ]
        )
    mapping, bevindingen = map_columns(contract, tabel.columns)
    if bevindingen:
        raise ContractFout(bevindingen)
    if tabel.height == 0:
        raise ContractFout(
            [
                Bevinding(
                    "alleen_kopregel",
                    None,
                    None,
                    None,
                    "Het bestand bevat alleen een kopregel en geen gegevensrijen.",
                    "Lever het bestand opnieuw aan met de gegevens.",
                )
            ]
        )
    kolommen = {k.naam: k for k in alle_kolommen(contract)}
    # Alleen contractkolommen gaan verder, onder hun contractnaam. `tekst` is de aangeleverde tekst (zonder
    # kopie: alleen andere namen), voor de voorbeelden in het rapport; getrimd en met lege tekst als null
    # wordt elke kolom pas in de omzetting naar het contracttype, zodat grote leveringen weinig geheugen vragen.
    # Tekst met een lijst toegestane waarden wordt in kleine letters vergeleken en opgeslagen.
    tekst = tabel.select([pl.col(bron).alias(doel) for bron, doel in mapping.items()])
    rijnr = ruw.eerste_rij
    getypeerd = tekst.select(
        [
            _parse_column(
                kolommen[c],
                _clean(pl.col(c)).str.to_lowercase()
                if kolommen[c].type == "tekst" and kolommen[c].toegestaan is not None
                else _clean(pl.col(c)),
            ).alias(c)
            for c in tekst.columns
        ]
    )
    # Structurele controle: een waarde die er staat maar niet naar het contracttype om te zetten is.
    typefout: dict[str, pl.Series] = {}
    # In één keer voor alle kolommen (een enquête heeft er zo'n 70): ingevuld in de tekst, leeg na omzetting.
    getal_kolommen = [c for c in tekst.columns if kolommen[c].type != "tekst"]
    ingevuld = tekst.select([_clean(pl.col(c)).is_not_null().alias(c) for c in getal_kolommen])
    leeg = getypeerd.select([pl.col(c).is_null().alias(c) for c in getal_kolommen])
    fouten = pl.DataFrame([ingevuld.get_column(c) & leeg.get_column(c) for c in getal_kolommen])
    aantallen = fouten.sum().row(0, named=True) if getal_kolommen else {}
    for c in getal_kolommen:
        if not aantallen[c]:
            continue
        k = kolommen[c]
        fout = fouten.get_column(c)
        rows, n = _examples(tekst, fout, c, rijnr)
        if n:
            typefout[c] = fout
            regel, wat, hint = _TYPE_UITLEG[k.type]
            _add(
                bevindingen,
                regel,
                c,
                rows,
                n,
                f"De waarde in kolom '{c}' is {wat}.",
                hint,
                f"{contract.bron}.{c}.{regel}",
            )
    # De regels van het contract, met Great Expectations op de getypeerde tabel (en voor de vraagitems van
    # de enquête op een lange tabel met één rij per ingevuld item).
    frame = getypeerd.with_row_index(RIJ, offset=rijnr)
    peil = peil_column(contract, getypeerd, register) if register is not None else None
    if peil is not None:
        frame = frame.with_columns(peil)
    lang = item_frame(contract, frame)
    aangeleverd = {
        k: t.get_column(k).drop_nulls().unique().to_list()
        for k, t in ((PEILJAAR, frame), (ITEMWAARDE, lang))
        if t is not None and k in t.columns
    }
    regels = regelset.door_rules(contract.bron, getypeerd.columns, register=register, aangeleverd=aangeleverd)
    return Voorbereiding(
        contract, ruw, tekst, getypeerd, frame, lang, typefout, bevindingen, regels, aangeleverd
    )


def validate_prepared(prep: Voorbereiding) -> list[Uitkomst]:
    """De regels van één levering met Great Expectations: de brede tabel en (enquête) de lange."""
    uitkomsten = validate(prep.contract, prep.frame, [r for r in prep.regels if r.tabel == "breed"])
    if prep.lang is not None:
        uitkomsten += validate(prep.contract, prep.lang, [r for r in prep.regels if r.tabel == "lang"])
    return uitkomsten


def _row_wise(regel: Regel) -> bool:
    """Een regel die rij voor rij oordeelt (of, zoals uniciteit, op een deel van de rijen niet strenger is dan
    op het geheel) en geen `mostly` heeft: slaagt hij op de samengevoegde tabel van meerdere leveringen, dan
    slaagt hij op elke levering apart."""
    e = regel.expectation
    rijgewijs = isinstance(e, (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation))
    return rijgewijs and getattr(e, "mostly", None) in (None, 1, 1.0)


LEVERING = "_levering"  # volgnummer van de levering in een gezamenlijke toetsing


def _per_delivery(regel: Regel) -> Regel:
    """Een sleutel hoeft alleen binnen een levering uniek te zijn (twee leveringen mogen dezelfde sleutel
    hebben, bijvoorbeeld een mantelzorger die bij een herindeling in beide bestanden staat): in een gezamenlijke
    toetsing hoort het volgnummer van de levering bij de sleutel."""
    e = regel.expectation
    if isinstance(e, gxe.ExpectColumnValuesToBeUnique):
        sleutel = [e.column]
    elif isinstance(e, gxe.ExpectCompoundColumnsToBeUnique):
        sleutel = list(e.column_list)
    else:
        return regel
    nieuw = gxe.ExpectCompoundColumnsToBeUnique(
        column_list=[LEVERING, *sleutel], meta=e.meta, description=e.description
    )
    return dataclasses.replace(regel, expectation=nieuw)


def validate_batch(
    preps: list[Voorbereiding], register: GemeenteRegister | None, regelset: Regelset
) -> list[list[Uitkomst]] | None:
    """Toetst meerdere leveringen van één bron in één Great Expectations-run (de vaste kosten van GX per run
    zijn veel groter dan het toetsen van een paar duizend rijen).

    Alleen als alle regels rijgewijs zijn en allemaal slagen op de samengevoegde tabellen, is de uitkomst per
    levering zeker: dan slaagt elke regel van elke levering, met zoveel getoetste rijen als die levering heeft.
    Anders geeft dit None en toetst de aanroeper elke levering apart, zodat afwijkingen, voorbeelden en
    quarantaine precies zo zijn als bij één levering."""
    if not preps or any(p.bevindingen for p in preps):
        return None
    bron = preps[0].contract.bron
    kolommen = sorted({c for p in preps for c in p.getypeerd.columns})
    aangeleverd: dict[str, list] = {}
    for p in preps:
        for k, waarden in p.aangeleverd.items():
            aangeleverd.setdefault(k, []).extend(waarden)
    regels = [
        _per_delivery(r)
        for r in regelset.door_rules(bron, kolommen, register=register, aangeleverd=aangeleverd)
    ]
    if not all(_row_wise(r) for r in regels):
        return None
    breed = pl.concat(
        [p.frame.with_columns(pl.lit(i, pl.Int32).alias(LEVERING)) for i, p in enumerate(preps)],
        how="diagonal_relaxed",
    )
    samen = validate(preps[0].contract, breed, [r for r in regels if r.tabel == "breed"])
    del breed
    lange = [p.lang for p in preps if p.lang is not None]
    if lange:
        lang = pl.concat(lange, how="diagonal_relaxed")
        samen += validate(preps[0].contract, lang, [r for r in regels if r.tabel == "lang"])
        del lang
    if not all(u.geslaagd for u in samen):
        return None
    return [
        [
            Uitkomst(
                r, True, p.lang.height if r.tabel == "lang" and p.lang is not None else p.frame.height, 0, ()
            )
            for r in p.regels
        ]
        for p in preps
    ]


def finish_delivery(prep: Voorbereiding, uitkomsten: list[Uitkomst]) -> pl.DataFrame:
    """Zet de uitkomsten van de regels om in bevindingen: ContractFout bij een `fout`, anders de getypeerde
    tabel met de namen van raw. De uitkomsten komen in `ruw.uitkomsten` (voor kwaliteit.validaties)."""
    contract, tekst, getypeerd, typefout = prep.contract, prep.tekst, prep.getypeerd, prep.typefout
    bevindingen = list(prep.bevindingen)
    rijnr = prep.ruw.eerste_rij
    kolommen = {k.naam: k for k in alle_kolommen(contract)}
    prep.ruw.uitkomsten = uitkomsten
    for u in uitkomsten:
        if u.geslaagd or u.regel.ernst != "fout":
            continue
        r = u.regel
        if r.tabel == "lang":
            # de afwijkende waarde is 'item|code': de bevinding gaat over de kolom van dat item
            for rij, combinatie in u.voorbeelden:
                item = (combinatie or "|").split("|")[0]
                bevindingen.append(
                    Bevinding(
                        r.soort,
                        item,
                        rij,
                        tekst.get_column(item)[rij - rijnr],
                        r.toelichting,
                        r.hint,
                        regel_id=r.regel_id,
                    )
                )
            if u.afwijkend > len(u.voorbeelden):
                n = u.afwijkend - len(u.voorbeelden)
                bevindingen.append(
                    Bevinding(
                        r.soort,
                        None,
                        None,
                        None,
                        f"{r.toelichting} (nog {n} antwoorden meer)",
                        r.hint,
                        aantal=n,
                        regel_id=r.regel_id,
                    )
                )
            continue
        rows = [(rij, tekst.get_column(r.kolom)[rij - rijnr]) for rij, _ in u.voorbeelden]
        n = u.afwijkend
        if r.soort == "verplicht" and r.kolom in typefout:
            # Een ongeldige waarde is leeg na omzetting, maar al als typefout gemeld.
            rows = [(rij, w) for rij, w in rows if not typefout[r.kolom][rij - rijnr]]
            n -= int(typefout[r.kolom].sum())
            if n <= 0:
                continue
        if r.soort == "onbekende_gemeente":
            for (rij, w), (_, sleutel) in zip(rows, u.voorbeelden, strict=True):
                code, jaar = (sleutel or "|").split("|")
                bevindingen.append(
                    Bevinding(
                        r.soort,
                        r.kolom,
                        rij,
                        w,
                        f"De gemeentecode {code} bestond niet in {jaar}.",
                        r.hint,
                        regel_id=r.regel_id,
                    )
                )
            if n > len(rows):
                bevindingen.append(
                    Bevinding(
                        r.soort,
                        r.kolom,
                        None,
                        None,
                        f"Nog {n - len(rows)} rijen met een onbekende gemeentecode.",
                        r.hint,
                        aantal=n - len(rows),
                        regel_id=r.regel_id,
                    )
                )
            continue
        _add(bevindingen, r.soort, r.kolom, rows, n, r.toelichting, r.hint, r.regel_id)
    if bevindingen:
        raise ContractFout(bevindingen)
    # Kolommen die niet zijn aangeleverd (optioneel) worden null; volgorde en namen als in raw.
    uit = getypeerd.with_columns(
        [
            pl.lit(None).cast(_polars_type(k)).alias(k.naam)
            for k in kolommen.values()
            if k.naam not in getypeerd.columns
        ]
    )
    return uit.select([pl.col(k.naam).cast(_polars_type(k)).alias(k.raw_naam) for k in kolommen.values()])


def _polars_type(k: Kolom) -> pl.DataType:
    return {"geheel": pl.Int64, "decimaal": pl.Float64, "datum": pl.Date}.get(k.type, pl.String)
