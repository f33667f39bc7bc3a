"""Controle aan de deur: kopnamen via aliassen naar het contract, typen, verplichte waarden, toegestane
waarden, bereik, sleutels en directe identificatie. Het resultaat is een getypeerde tabel met de namen van
`raw`, of een lijst bevindingen (bestand, rij, kolom, waarde, regel, hint) in het Nederlands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from bronnen.contracten import DIRECTE_IDENTIFICATIE, Contract, Kolom, alle_kolommen
from bronnen.lezen import RuweLevering

# Hoeveel voorbeeldrijen per regel in het rapport komen; het totaal wordt altijd geteld.
MAX_VOORBEELDEN = 20


@dataclass(frozen=True)
class Bevinding:
    regel: str  # regel-id, bijv. "verplicht", "type_datum", "toegestaan"
    kolom: str | None
    rij: int | None  # rijnummer in het bronbestand (1-based, kopregel meegeteld)
    waarde: str | None
    toelichting: str
    hint: str = ""
    aantal: int = 1  # aantal rijen met deze bevinding (voor samengevatte bevindingen)


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
) -> None:
    for rij, waarde in rows:
        bevindingen.append(Bevinding(regel, kolom, rij, waarde, toelichting, hint))
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
            )
        )


def check_delivery(contract: Contract, ruw: RuweLevering) -> pl.DataFrame:
    """Controleert een levering tegen het contract; geeft de getypeerde tabel (raw-namen) of ContractFout."""
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
    tekst = tabel.select([pl.col(bron).alias(doel) for bron, doel in mapping.items()])
    rijnr = ruw.eerste_rij
    getypeerd = tekst.select([_parse_column(kolommen[c], _clean(pl.col(c))).alias(c) for c in tekst.columns])
    for c in tekst.columns:
        k = kolommen[c]
        leeg = (getypeerd if k.type == "tekst" else tekst.select(_clean(pl.col(c)))).get_column(c).is_null()
        if k.verplicht:
            rows, n = _examples(tekst, leeg, c, rijnr)
            if n:
                _add(
                    bevindingen,
                    "verplicht",
                    c,
                    rows,
                    n,
                    f"De verplichte kolom '{c}' is leeg.",
                    "Vul de waarde in of laat de rij weg.",
                )
        if k.type != "tekst":
            fout = (~leeg) & getypeerd.get_column(c).is_null()
            rows, n = _examples(tekst, fout, c, rijnr)
            if n:
                regel, wat, hint = _TYPE_UITLEG[k.type]
                _add(bevindingen, regel, c, rows, n, f"De waarde in kolom '{c}' is {wat}.", hint)
        if k.toegestaan is not None:
            waarden = getypeerd.get_column(c).cast(pl.String)
            vergelijk = waarden.str.to_lowercase() if k.type == "tekst" else waarden
            fout = vergelijk.is_not_null() & ~vergelijk.is_in(list(k.toegestaan))
            rows, n = _examples(tekst, fout, c, rijnr)
            if n:
                opties = ", ".join(k.toegestaan) if len(k.toegestaan) <= 12 else f"{len(k.toegestaan)} codes"
                _add(
                    bevindingen,
                    "toegestaan",
                    c,
                    rows,
                    n,
                    f"De waarde in kolom '{c}' is niet toegestaan.",
                    f"Toegestaan: {opties}.",
                )
        if k.minimum is not None or k.maximum is not None:
            s = getypeerd.get_column(c)
            fout = pl.Series([False] * s.len())
            if k.minimum is not None:
                fout = fout | ((s <= k.minimum) if k.minimum_exclusief else (s < k.minimum)).fill_null(False)
            if k.maximum is not None:
                fout = fout | (s > k.maximum).fill_null(False)
            rows, n = _examples(tekst, fout, c, rijnr)
            if n:
                grens = []
                if k.minimum is not None:
                    grens.append(("groter dan " if k.minimum_exclusief else "minstens ") + _fmt(k.minimum))
                if k.maximum is not None:
                    grens.append(f"hoogstens {_fmt(k.maximum)}")
                _add(
                    bevindingen,
                    "bereik",
                    c,
                    rows,
                    n,
                    f"De waarde in kolom '{c}' valt buiten het bereik.",
                    f"De waarde moet {' en '.join(grens)} zijn.",
                )
    bevindingen += _cross_checks(contract, tekst, getypeerd, rijnr)
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


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


# (eerdere datum, latere datum, toelichting): de latere mag niet vóór de eerdere liggen.
DATUMVOLGORDE = (
    ("periode_start", "periode_eind", "periode_eind ligt vóór periode_start."),
    ("startdatum", "einddatum", "De einddatum ligt vóór de startdatum."),
    ("registratiedatum", "uitschrijfdatum", "De uitschrijfdatum ligt vóór de registratiedatum."),
)


def _cross_checks(contract: Contract, tekst: pl.DataFrame, df: pl.DataFrame, rijnr: int) -> list[Bevinding]:
    """Regels over meer dan één kolom, en dubbele sleutels."""
    bev: list[Bevinding] = []

    def regel(mask: pl.Series, kolom: str, naam: str, toelichting: str, hint: str) -> None:
        rows, n = _examples(tekst, mask.fill_null(False), kolom, rijnr)
        if n:
            _add(bev, naam, kolom, rows, n, toelichting, hint)

    def heeft(*cols: str) -> bool:
        return all(c in df.columns for c in cols)

    for eerder, later, uitleg in DATUMVOLGORDE:
        if heeft(eerder, later):
            regel(
                df[later] < df[eerder],
                later,
                "volgorde_datums",
                uitleg,
                "Controleer of de datums verwisseld zijn.",
            )
    if heeft("aantal_deelnames", "aantal_unieke_deelnemers"):
        regel(
            df["aantal_unieke_deelnemers"] > df["aantal_deelnames"],
            "aantal_unieke_deelnemers",
            "uniek_groter_dan_totaal",
            "Er zijn meer unieke deelnemers dan deelnames.",
            "Het aantal unieke deelnemers kan niet groter zijn dan het aantal deelnames.",
        )
    sleutel = [c for c in contract.sleutel if c in df.columns]
    if sleutel:
        dup = df.select(sleutel).is_duplicated()
        regel(
            dup,
            sleutel[0],
            "dubbele_sleutel",
            f"Dezelfde combinatie van {', '.join(sleutel)} komt meer dan één keer voor.",
            "Elke rij moet uniek zijn op deze kolommen; voeg dubbele rijen samen of verwijder ze.",
        )
    return bev
