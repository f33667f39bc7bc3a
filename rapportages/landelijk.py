"""De landelijke vergelijking: alle gemeenten naast elkaar, per indicator, in één zelfstandig HTML-bestand.

Per sfeer en per indicator:
- een trechterdiagram van het laatste jaar met vergelijkingscijfers: elke gemeente een punt, gekleurd (en met
  een eigen vorm) naar vergelijkingsgroep, de referentiewaarde van alle gemeenten met een cijfer als lijn en de
  95%- en 99,8%-grenzen uit ``marts.fct_vergelijking``; een gekozen gemeente groot en met naam. De referentie
  heet zoals de mart haar noemt ('Nederland' alleen als elke gemeente van de kaart een cijfer heeft, anders
  'gemeenten in de monitor (...)'); waar grenzen ontbreken, staat de reden uit de mart erbij;
- kleine veelvouden: per vergelijkingsgroep de trajecten van haar gemeenten en de waarde van de groep;
- een tabel van het laatste jaar (op naam, nooit op waarde), de referentie per jaar met waar haar samenstelling
  veranderde, en de hele reeks als CSV om te downloaden.

Een cijfer dat alleen het deel van de gemeente beschrijft dat leverde (``dekking_ontbrekend`` in
``fct_indicator_jaar``), zegt dat: in de tabel met ‡ en een voetnoot, in de kleine veelvouden gestippeld, en in
de CSV met de kolommen dekking_procent_inwoners en niet_geleverd_door. In het trechterdiagram staat zo'n cijfer
niet: de mart vergelijkt alleen cijfers van de hele gemeente.

De pagina rekent zelf geen indicatoren of grenzen uit en rangschikt niet. Onderdrukte cijfers (te weinig
waarnemingen) komen al bij het lezen niet mee: geen punt, geen tooltip, geen getal in tabel of CSV, alleen "–".

Gebruik: ``python -m rapportages.landelijk publicatie.duckdb uitvoermap [--gemeente GM0014]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import re
import string
import sys
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from rapportages.dekking import Dekking, municipality_names
from rapportages.gemeenterapport import SFEER_TITELS, SFEREN, reference_name, short_reference_name
from rapportages.opmaak import (
    LEEG,
    decimals_for_unit,
    format_date,
    format_interval,
    format_number,
    join_dutch,
    short_unit,
)
from rapportages.publicatielezer import (
    TRECHTERGRENS_KOLOMMEN,
    VERGELIJKING_KOLOMMEN,
    OnvolledigePublicatie,
    open_publication,
    published_at,
)
from rapportages.schrijven import template_environment, write_text_atomic
from rapportages.trechter import (
    Groepsindeling,
    Traject,
    Trechterpunt,
    funnel_chart,
    group_label,
    group_styles,
    legend_chart,
    small_multiples,
)

# Wat de pagina uit de publicatie leest. Ontbreekt een tabel of kolom, dan stopt ze met een duidelijke melding.
VEREISTE_TABELLEN: dict[str, tuple[str, ...]] = {
    "marts.dim_gemeente": ("gemeentecode", "gemeentenaam", "gemeentegrootte", "stedelijkheid", "voorgangers"),
    "marts.dim_indicator": (
        "indicator_code",
        "naam",
        "sfeer",
        "eenheid",
        "noemer_definitie",
        "minimum_n",
        "toelichting",
    ),
    "marts.fct_indicator_jaar": (
        "gemeentecode",
        "jaar",
        "indicator_code",
        "noemer",
        "waarde",
        "ci_onder",
        "ci_boven",
        "onderdrukt",
        "dekking",
        "dekking_ontbrekend",
    ),
    "marts.fct_vergelijking": (
        *VERGELIJKING_KOLOMMEN,
        *TRECHTERGRENS_KOLOMMEN,
        "se_referentie",
        "overdispersie_tau",
        "overdispersie_phi",
        "overdispersie_bron",
        "positie",
        "referentie_naam",
        "referentie_naam_kort",
        "referentie_volledig",
        "samenstelling_gewijzigd",
        "samenstelling_wijziging",
        "reden_geen_grenzen",
    ),
}

CSV_KOLOMMEN = (
    "gemeentecode",
    "gemeente",
    "vergelijkingsgroep",
    "jaar",
    "waarde",
    "ondergrens_95",
    "bovengrens_95",
    "dekking_procent_inwoners",
    "niet_geleverd_door",
    "referentiewaarde",
    "referentie",
    "samenstelling_gewijzigd",
    "positie",
    "onderdrukt",
)
# Tekens die een rekenblad als begin van een formule leest (CSV-injectie).
FORMULE_TEKENS = ("=", "+", "-", "@", "\t", "\r")
# Tekens die onvertaald in een data:-URL mogen staan (de rest wordt %-gecodeerd, ook ' " & # < > en spaties).
_URL_VEILIG = ";,:/=+-_.~()*!$@"
_VEILIGE_TEKENS = frozenset(string.ascii_letters + string.digits + _URL_VEILIG)

TABEL_OPEN_TOT = 30  # kleinere tabellen staan open, grotere ingeklapt

ONDERDRUKKINGSREGEL = (
    "Cijfers op minder dan n waarnemingen (minimum per indicator, zie catalogus) worden niet getoond: –"
)


@dataclass(frozen=True)
class LandelijkeGegevens:
    """Wat de pagina uit de publicatie nodig heeft, in het geheugen (de verbinding is dan al dicht).

    In ``cijfers`` en ``vergelijking`` zijn waarde, interval en noemer van onderdrukte rijen al leeg gemaakt
    (en vergelijkingsrijen van onderdrukte gemeenten weggelaten), wat de publicatie ook bevat.
    """

    pad: Path
    gemeenten: pl.DataFrame
    indicatoren: pl.DataFrame
    cijfers: pl.DataFrame
    vergelijking: pl.DataFrame  # referentie = 'landelijk', per gemeente
    namen: dict[str, str]  # gemeentecode -> naam, ook van voorgangers (wie niet leverde)
    landelijk: (
        pl.DataFrame
    )  # per indicator en jaar: referentie (alle gemeenten met een cijfer), naam, samenstelling
    groepswaarden: pl.DataFrame  # per indicator, jaar en vergelijkingsgroep
    gepubliceerd_op: datetime | None


# --------------------------------------------------------------------------------------------------- lezen


def read_national_data(publicatie: Path) -> LandelijkeGegevens:
    """Leest de publicatie alleen-lezen in Polars en sluit de verbinding weer."""
    publicatie = Path(publicatie)
    with open_publication(
        publicatie,
        VEREISTE_TABELLEN,
        "De landelijke vergelijking",
        "Draai de keten opnieuw met de huidige versie van de Basismonitor.",
    ) as con:
        gemeenten = con.sql(
            "SELECT gemeentecode, gemeentenaam, gemeentegrootte, stedelijkheid, voorgangers FROM marts.dim_gemeente"
        ).pl()
        indicatoren = con.sql(
            "SELECT indicator_code, naam, sfeer, eenheid, noemer_definitie, minimum_n, toelichting "
            "FROM marts.dim_indicator"
        ).pl()
        # Van een onderdrukte rij komt alleen mee dát ze onderdrukt is.
        cijfers = con.sql(
            """
            SELECT gemeentecode, jaar, indicator_code,
                   coalesce(onderdrukt, false) AS onderdrukt,
                   CASE WHEN coalesce(onderdrukt, false) THEN NULL ELSE waarde END AS waarde,
                   CASE WHEN coalesce(onderdrukt, false) THEN NULL ELSE ci_onder END AS ci_onder,
                   CASE WHEN coalesce(onderdrukt, false) THEN NULL ELSE ci_boven END AS ci_boven,
                   CASE WHEN coalesce(onderdrukt, false) THEN NULL ELSE noemer END AS noemer,
                   dekking, dekking_ontbrekend
            FROM marts.fct_indicator_jaar
            """
        ).pl()
        vergelijking = con.sql(
            """
            SELECT v.gemeentecode, v.jaar, v.indicator_code, v.waarde, v.ci_onder, v.ci_boven,
                   v.grens_95_onder, v.grens_95_boven, v.grens_998_onder, v.grens_998_boven,
                   v.se_referentie, v.positie, v.reden_geen_grenzen
            FROM marts.fct_vergelijking AS v
            LEFT JOIN marts.fct_indicator_jaar AS f USING (gemeentecode, jaar, indicator_code)
            WHERE v.referentie = 'landelijk' AND v.waarde IS NOT NULL AND NOT coalesce(f.onderdrukt, false)
            """
        ).pl()
        landelijk = con.sql(
            """
            SELECT indicator_code, jaar, max(referentie_waarde) AS referentie_waarde,
                   max(referentie_gemeenten) AS referentie_gemeenten,
                   max(overdispersie_tau) AS overdispersie_tau,
                   max(overdispersie_phi) AS overdispersie_phi,
                   max(overdispersie_bron) AS overdispersie_bron,
                   max(referentie_naam) AS referentie_naam,
                   max(referentie_naam_kort) AS referentie_naam_kort,
                   bool_or(referentie_volledig) AS referentie_volledig,
                   bool_or(samenstelling_gewijzigd) AS samenstelling_gewijzigd,
                   max(samenstelling_wijziging) AS samenstelling_wijziging
            FROM marts.fct_vergelijking
            WHERE referentie = 'landelijk'
            GROUP BY ALL
            """
        ).pl()
        groepswaarden = con.sql(
            """
            SELECT indicator_code, jaar, vergelijkingsgroep, max(referentie_waarde) AS referentie_waarde
            FROM marts.fct_vergelijking
            WHERE referentie = 'vergelijkingsgroep' AND vergelijkingsgroep IS NOT NULL
            GROUP BY ALL
            """
        ).pl()
        gepubliceerd_op = published_at(con)
    return LandelijkeGegevens(
        publicatie,
        gemeenten,
        indicatoren,
        cijfers,
        vergelijking,
        municipality_names(gemeenten),
        landelijk,
        groepswaarden,
        gepubliceerd_op,
    )


# ----------------------------------------------------------------------------------------------- opmaak


def name_key(naam: str) -> tuple[str, str]:
    """Alfabetische volgorde zoals in een Nederlandse lijst: zonder accenten, 's-Hertogenbosch bij de H."""
    tekst = unicodedata.normalize("NFKD", naam or "")
    tekst = "".join(c for c in tekst if not unicodedata.combining(c)).strip()
    tekst = re.sub(r"^'[st][- ]", "", tekst, flags=re.IGNORECASE)
    return (tekst.casefold(), naam or "")


def csv_safe(tekst: str | None) -> str:
    """Een tekstcel die een rekenblad als formule zou lezen (=, +, -, @, tab, CR) krijgt een apostrof ervoor."""
    if tekst is None:
        return ""
    return "'" + tekst if tekst.startswith(FORMULE_TEKENS) else tekst


def _csv_number(waarde: float | None, decimalen: int) -> str:
    """Decimale komma, zonder duizendtalpunt (leest eenduidig in Excel en in code); leeg als er niets is."""
    if waarde is None or (isinstance(waarde, float) and not math.isfinite(waarde)):
        return ""
    return format_number(waarde, decimalen).replace(".", "")


def _percent_encode(tekst: str) -> str:
    """Als ``urllib.parse.quote(tekst, safe=_URL_VEILIG)``, maar snel genoeg voor megabytes aan CSV."""
    tabel = {
        ord(teken): "".join(f"%{b:02X}" for b in teken.encode("utf-8"))
        for teken in set(tekst)
        if teken not in _VEILIGE_TEKENS
    }
    return tekst.translate(tabel)


def csv_data_url(rijen: list[list[str]]) -> str:
    """Puntkomma-gescheiden CSV (UTF-8 met BOM) als ``data:``-URL voor een downloadlink."""
    buffer = io.StringIO()
    schrijver = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    schrijver.writerow(CSV_KOLOMMEN)
    schrijver.writerows(rijen)
    return "data:text/csv;charset=utf-8," + _percent_encode("\ufeff" + buffer.getvalue())


def _tau_text(tau: float, decimalen: int, kort: str) -> str:
    tekst = f"{format_number(tau, decimalen + 1)} {kort}".rstrip()
    return tekst if tekst.endswith(".") else tekst + "."


# --------------------------------------------------------------------------------------------- vormgeven


@dataclass(frozen=True)
class _Gemeente:
    code: str
    naam: str
    groep: str

    @property
    def sleutel(self) -> tuple[str, str, str]:
        return (*name_key(self.naam), self.code)


def _indicator_block(
    indicator: dict,
    cijfers: pl.DataFrame,
    vergelijking: pl.DataFrame,
    landelijk: pl.DataFrame,
    groepswaarden: pl.DataFrame,
    gemeenten: dict[str, _Gemeente],
    indeling: Groepsindeling,
    uitgelicht: str | None,
    namen: dict[str, str],
) -> dict:
    code = indicator["indicator_code"]
    eenheid = indicator["eenheid"]
    decimalen = decimals_for_unit(eenheid)
    kort = short_unit(eenheid)
    minimum_n = indicator["minimum_n"]
    regel = f"minder dan {format_number(minimum_n)} waarnemingen" if minimum_n else "te weinig waarnemingen"

    def gemeente(gemeentecode: str) -> _Gemeente:
        return gemeenten.get(gemeentecode) or _Gemeente(gemeentecode, gemeentecode, group_label(None, None))

    landelijk_per_jaar = {r["jaar"]: r for r in landelijk.iter_rows(named=True)}
    onderdrukte_cellen = {
        (r[0], r[1]) for r in cijfers.filter(pl.col("onderdrukt")).select("gemeentecode", "jaar").iter_rows()
    }
    # Per (gemeente, jaar) de dekking; een getoond cijfer voor een deel van de gemeente zegt dat overal.
    dekking = {
        (r["gemeentecode"], r["jaar"]): Dekking.of(r)
        for r in cijfers.select("gemeentecode", "jaar", "dekking", "dekking_ontbrekend").iter_rows(named=True)
    }
    deel_noot = {
        sleutel: d.note(namen)
        for sleutel, d in dekking.items()
        if d.deels and sleutel not in onderdrukte_cellen
    }
    jaar = max(landelijk_per_jaar) if landelijk_per_jaar else None
    if jaar is None and cijfers.height:
        jaar = cijfers["jaar"].max()

    # ---- trechter (laatste jaar met vergelijkingscijfers)
    notities: list[str] = []
    onderschrift = None
    trechter = None
    uitgelicht_status = None
    if jaar is not None and jaar in landelijk_per_jaar:
        ref = landelijk_per_jaar[jaar]
        # de naam van de referentie uit de mart: 'Nederland' alleen als elke gemeente een cijfer heeft
        ref_naam = reference_name({**ref, "referentie": "landelijk"})
        ref_kort = short_reference_name({**ref, "referentie": "landelijk"})
        naast = ref_kort if ref_kort == "Nederland" else f"de {ref_kort[:1].lower()}{ref_kort[1:]}"
        rijen_jaar = cijfers.filter(pl.col("jaar") == jaar)
        onderdrukt = set(rijen_jaar.filter(pl.col("onderdrukt"))["gemeentecode"].to_list())
        noemers = dict(zip(rijen_jaar["gemeentecode"].to_list(), rijen_jaar["noemer"].to_list(), strict=True))
        verg = vergelijking.filter(pl.col("jaar") == jaar)
        verg = verg.filter(~pl.col("gemeentecode").is_in(list(onderdrukt)))
        heeft_precisie = verg.filter(pl.col("se_referentie") > 0).height > 0
        punten: list[Trechterpunt] = []
        zonder_x: list[str] = []
        for r in verg.iter_rows(named=True):
            g = gemeente(r["gemeentecode"])
            if heeft_precisie:
                se = r["se_referentie"]
                x = 1 / se**2 if se is not None and se > 0 else None
            else:
                x = noemers.get(r["gemeentecode"])
            if x is None or not x > 0:
                zonder_x.append(g.code)
                continue
            punten.append(
                Trechterpunt(
                    g.code,
                    g.naam,
                    g.groep,
                    float(x),
                    r["waarde"],
                    r["ci_onder"],
                    r["ci_boven"],
                    r["grens_95_onder"],
                    r["grens_95_boven"],
                    r["grens_998_onder"],
                    r["grens_998_boven"],
                )
            )
        x_label = "precisie van het cijfer (1 / standaardfout²)" if heeft_precisie else "omvang (noemer)"
        if punten:
            log = max(p.x for p in punten) / min(p.x for p in punten) > 10
            if log:
                x_label += ", logaritmische schaal"
            trechter = funnel_chart(
                punten,
                indeling=indeling,
                referentie_waarde=ref["referentie_waarde"],
                titel=f"{indicator['naam']}: gemeenten naast {naast}, {jaar}",
                referentie_label=f"referentiewaarde ({ref_kort[:1].lower()}{ref_kort[1:]})"
                if ref_kort != "Nederland"
                else "Nederland",
                eenheid=eenheid,
                decimals=decimalen,
                x_label=x_label,
                log_schaal=log,
                uitgelicht=uitgelicht,
                grafiek_id=f"trechter-{code}",
            )
        heeft_grenzen = any(p.grens_95_boven is not None for p in punten)
        onderschrift = (
            f"{indicator['naam']} in {jaar}: elke gemeente is een punt "
            f"({format_number(len(punten))} gemeente{'n' if len(punten) != 1 else ''}), met de kleur en vorm van "
            f"haar vergelijkingsgroep. De doorgetrokken lijn is de waarde van de referentie: {ref_naam}"
        )
        if ref["referentie_waarde"] is not None:
            onderschrift += f" ({format_number(ref['referentie_waarde'], decimalen)} {kort})".replace(
                " )", ")"
            )
        if heeft_grenzen:
            onderschrift += (
                "; de gestreepte lijnen zijn de 95%-grenzen en de gestippelde de 99,8%-grenzen. Een punt buiten "
                "de trechter verschilt meer dan toeval van die referentiewaarde; dat is geen oordeel."
            )
        else:
            onderschrift += "."
        if heeft_precisie:
            onderschrift += (
                " Hoe verder naar rechts, hoe nauwkeuriger het cijfer (grotere gemeente, meer respondenten)."
            )
        elif indicator["noemer_definitie"]:
            onderschrift += f" Omvang (noemer): {indicator['noemer_definitie']}."
        tau, bron = ref["overdispersie_tau"], ref["overdispersie_bron"]
        if heeft_grenzen and tau is not None and tau > 0:
            onderschrift += (
                " De grenzen houden rekening met echte verschillen tussen gemeenten (tussen-gemeentevariantie, "
                f"overdispersie volgens Spiegelhalter): τ = {_tau_text(tau, decimalen, kort)}"
            )
        elif heeft_grenzen and bron == "te weinig gemeenten":
            onderschrift += " Zonder correctie voor overdispersie: te weinig gemeenten om die te schatten."
        if not heeft_grenzen and punten:
            # de reden uit de mart (reden_geen_grenzen), als die voor alle gemeenten dezelfde is
            redenen = set(verg["reden_geen_grenzen"].drop_nulls().to_list())
            reden = f": {redenen.pop()}" if len(redenen) == 1 else ""
            notities.append(
                f"Voor deze indicator zijn er geen trechtergrenzen{reden}. "
                "Het diagram toont de waarden tegen de omvang (noemer)."
                if not heeft_precisie
                else f"Voor deze indicator zijn er geen trechtergrenzen{reden}."
            )
        if ref["samenstelling_gewijzigd"] and ref["samenstelling_wijziging"]:
            notities.append(
                f"De referentie van {jaar} bevat {ref['samenstelling_wijziging']} (een verschil met dat jaar is "
                "dus deels een verschil in gemeenten)."
            )
        if onderdrukt:
            k = len(onderdrukt)
            notities.append(
                f"Niet getoond: {format_number(k)} gemeente{'n' if k != 1 else ''} met {regel} in {jaar}."
            )
        deels_jaar = sorted((gemeente(c).naam for c, j in deel_noot if j == jaar), key=name_key)
        if deels_jaar:
            notities.append(
                f"Niet in het diagram: {join_dutch(deels_jaar)}; het cijfer van {jaar} beschrijft alleen het deel "
                "van de gemeente dat leverde, en de vergelijking gaat over hele gemeenten."
            )
        if zonder_x:
            k = len(zonder_x)
            notities.append(
                f"{format_number(k)} gemeente{'n' if k != 1 else ''} zonder "
                f"{'standaardfout' if heeft_precisie else 'noemer'} {'staan' if k != 1 else 'staat'} niet in het diagram."
            )
        if uitgelicht:
            naam = gemeente(uitgelicht).naam
            if uitgelicht in onderdrukt:
                uitgelicht_status = f"{naam} staat niet in het diagram: {regel} in {jaar}."
            elif (uitgelicht, jaar) in deel_noot:
                uitgelicht_status = (
                    f"{naam} staat niet in het diagram: het cijfer van {jaar} beschrijft "
                    f"{deel_noot[(uitgelicht, jaar)]}."
                )
            elif not any(p.gemeentecode == uitgelicht for p in punten):
                uitgelicht_status = f"{naam} staat niet in het diagram: geen vergelijkingscijfer in {jaar}."
        if not punten:
            notities.append(f"In {jaar} zijn er geen gemeenten om te tonen.")

    # ---- kleine veelvouden (alle jaren)
    trajecten_per_gemeente: dict[str, dict[int, float | None]] = {}
    for r in cijfers.select("gemeentecode", "jaar", "waarde").iter_rows():
        trajecten_per_gemeente.setdefault(r[0], {})[r[1]] = r[2]
    trajecten = [
        Traject(
            c,
            gemeente(c).naam,
            gemeente(c).groep,
            w,
            frozenset(j for (g, j) in deel_noot if g == c),
        )
        for c, w in sorted(trajecten_per_gemeente.items())
    ]
    groepsreeksen: dict[str, dict[int, float]] = {}
    for r in groepswaarden.iter_rows(named=True):
        if r["referentie_waarde"] is not None:
            groepsreeksen.setdefault(r["vergelijkingsgroep"], {})[r["jaar"]] = r["referentie_waarde"]
    veelvouden = small_multiples(
        trajecten,
        indeling=indeling,
        groepswaarden=groepsreeksen,
        titel=f"{indicator['naam']}: trajecten per vergelijkingsgroep",
        eenheid=eenheid,
        uitgelicht=uitgelicht,
        grafiek_id=f"veelvouden-{code}",
    )

    # ---- tabel (laatste jaar) en CSV (alle jaren), op naam
    positie = {
        (r["gemeentecode"], r["jaar"]): r["positie"]
        for r in vergelijking.select("gemeentecode", "jaar", "positie").iter_rows(named=True)
    }
    landelijke_waarde = {j: r["referentie_waarde"] for j, r in landelijk_per_jaar.items()}
    sleutels = {c: gemeente(c).sleutel for c in cijfers["gemeentecode"].unique().to_list()}
    gesorteerd = sorted(cijfers.iter_rows(named=True), key=lambda r: (sleutels[r["gemeentecode"]], r["jaar"]))
    landelijk_csv = {j: _csv_number(w, decimalen) for j, w in landelijke_waarde.items()}
    # de referentie per jaar in de woorden van de mart, en of haar samenstelling veranderde
    referentie_csv = {
        j: (
            csv_safe(reference_name({**r, "referentie": "landelijk"})),
            "" if r["samenstelling_gewijzigd"] is None else "ja" if r["samenstelling_gewijzigd"] else "nee",
        )
        for j, r in landelijk_per_jaar.items()
    }
    referentiereeks = [
        {
            "jaar": j,
            "waarde": format_number(r["referentie_waarde"], decimalen),
            "naam": reference_name({**r, "referentie": "landelijk"}),
            "gewijzigd": bool(r["samenstelling_gewijzigd"]),
            "samenstelling": (
                (r["samenstelling_wijziging"] or "andere gemeenten dan het vorige jaar in de reeks")
                if r["samenstelling_gewijzigd"]
                else "dezelfde gemeenten als het vorige jaar in de reeks"
                if r["samenstelling_gewijzigd"] is False
                else LEEG
            ),
        }
        for j, r in sorted(landelijk_per_jaar.items())
    ]
    csv_rijen: list[list[str]] = []
    tabel: list[dict] = []
    for r in gesorteerd:
        g = gemeente(r["gemeentecode"])
        verborgen = bool(r["onderdrukt"])
        # De dekking gaat over het gebied, niet over de waarnemingen: ook bij een onderdrukt jaar.
        d = dekking[(g.code, r["jaar"])]
        csv_rijen.append(
            [
                csv_safe(g.code),
                csv_safe(g.naam),
                csv_safe(g.groep),
                str(r["jaar"]),
                "" if verborgen else _csv_number(r["waarde"], decimalen),
                "" if verborgen else _csv_number(r["ci_onder"], decimalen),
                "" if verborgen else _csv_number(r["ci_boven"], decimalen),
                _csv_number(d.percent, 1),
                csv_safe(d.missing_label(namen)),
                landelijk_csv.get(r["jaar"], ""),
                *referentie_csv.get(r["jaar"], ("", "")),
                "" if verborgen else csv_safe(positie.get((g.code, r["jaar"])) or ""),
                "ja" if verborgen else "nee",
            ]
        )
        if r["jaar"] != jaar:
            continue
        tabel.append(
            {
                "gemeentecode": g.code,
                "gemeente": g.naam,
                "groep": g.groep,
                "onderdrukt": verborgen,
                "uitgelicht": g.code == uitgelicht,
                "waarde": LEEG if verborgen else format_number(r["waarde"], decimalen),
                "interval": LEEG if verborgen else format_interval(r["ci_onder"], r["ci_boven"], decimalen),
                "landelijk": format_number(landelijke_waarde.get(jaar), decimalen),
                "positie": LEEG if verborgen else (positie.get((g.code, jaar)) or LEEG),
                "deel": deel_noot.get((g.code, jaar)),
            }
        )
    jaren = cijfers["jaar"]
    return {
        "code": code,
        "naam": indicator["naam"],
        "eenheid": eenheid,
        "eenheid_kort": kort,
        "toelichting": indicator["toelichting"],
        "noemer_definitie": indicator["noemer_definitie"],
        "minimum_n": format_number(minimum_n) if minimum_n is not None else None,
        "regel": regel,
        "jaar": jaar,
        "trechter": trechter,
        "onderschrift": onderschrift,
        "notities": notities,
        "uitgelicht_status": uitgelicht_status,
        "veelvouden": veelvouden,
        "tabel": tabel,
        "tabel_open": len(tabel) <= TABEL_OPEN_TOT,
        "referentiereeks": referentiereeks,
        "heeft_onderdrukking": any(r["onderdrukt"] for r in tabel),
        "heeft_deels": any(r["deel"] for r in tabel),
        "veelvouden_deels": any(t.deels for t in trajecten),
        "csv_href": csv_data_url(csv_rijen) if csv_rijen else None,
        "csv_naam": f"landelijk_{code}.csv",
        "csv_rijen": format_number(len(csv_rijen)),
        "jaren": f"{jaren.min()}–{jaren.max()}" if cijfers.height else None,
    }


def _build_context(data: LandelijkeGegevens, gemeentecode: str | None, gegenereerd_op: datetime) -> dict:
    onbekend = sorted(set(data.indicatoren["sfeer"].drop_nulls().to_list()) - set(SFEREN))
    if onbekend or data.indicatoren["sfeer"].null_count():
        raise OnvolledigePublicatie(
            f"De publicatie {data.pad} bevat een onbekende of lege sfeer ({join_dutch(onbekend) or 'leeg'}); "
            f"toegestaan zijn {join_dutch(list(SFEREN))}."
        )
    gemeenten = {
        r["gemeentecode"]: _Gemeente(
            r["gemeentecode"],
            r["gemeentenaam"] or r["gemeentecode"],
            group_label(r["gemeentegrootte"], r["stedelijkheid"]),
        )
        for r in data.gemeenten.iter_rows(named=True)
    }
    met_cijfers = set(data.cijfers["gemeentecode"].unique().to_list())
    klassen = [
        (r["gemeentegrootte"], r["stedelijkheid"])
        for r in data.gemeenten.iter_rows(named=True)
        if r["gemeentecode"] in met_cijfers
    ]
    if met_cijfers - set(gemeenten):
        klassen.append((None, None))
    indeling = group_styles(klassen)

    def per_indicator(df: pl.DataFrame) -> dict[str, pl.DataFrame]:
        return (
            {k[0]: v for k, v in df.partition_by("indicator_code", as_dict=True).items()} if df.height else {}
        )

    cijfers = per_indicator(data.cijfers)
    vergelijking = per_indicator(data.vergelijking)
    landelijk = per_indicator(data.landelijk)
    groepswaarden = per_indicator(data.groepswaarden)
    leeg = {
        "cijfers": data.cijfers.clear(),
        "vergelijking": data.vergelijking.clear(),
        "landelijk": data.landelijk.clear(),
        "groepswaarden": data.groepswaarden.clear(),
    }

    sferen = []
    for sfeer in SFEREN:
        blokken = []
        for indicator in (
            data.indicatoren.filter(pl.col("sfeer") == sfeer).sort("indicator_code").iter_rows(named=True)
        ):
            code = indicator["indicator_code"]
            blokken.append(
                _indicator_block(
                    indicator,
                    cijfers.get(code, leeg["cijfers"]),
                    vergelijking.get(code, leeg["vergelijking"]),
                    landelijk.get(code, leeg["landelijk"]),
                    groepswaarden.get(code, leeg["groepswaarden"]),
                    gemeenten,
                    indeling,
                    gemeentecode,
                    data.namen,
                )
            )
        sferen.append({"sfeer": sfeer, "titel": SFEER_TITELS[sfeer], "indicatoren": blokken})

    uitgelicht = None
    if gemeentecode:
        g = gemeenten[gemeentecode]
        uitgelicht = {"code": g.code, "naam": g.naam, "groep": g.groep}
    jaren = data.cijfers["jaar"]
    return {
        "uitgelicht": uitgelicht,
        "sferen": sferen,
        "legenda": legend_chart(indeling),
        "per_klasse": indeling.per_klasse,
        "aantal_gemeenten": format_number(len(met_cijfers)),
        "aantal_groepen": format_number(len(indeling.groepen)),
        "periode": f"{jaren.min()}–{jaren.max()}" if data.cijfers.height else None,
        "onderdrukkingsregel": ONDERDRUKKINGSREGEL,
        "gegenereerd_op": format_date(gegenereerd_op),
        "gegenereerd_op_tijd": gegenereerd_op.strftime("%H:%M"),
        "gepubliceerd_op": format_date(data.gepubliceerd_op) if data.gepubliceerd_op else None,
        "publicatie": data.pad.name,
    }


# ------------------------------------------------------------------------------------------------ schrijven


def render_national_report(publicatie: Path, uitvoer_map: Path, gemeentecode: str | None = None) -> Path:
    """Schrijft <uitvoer_map>/landelijk.html (of landelijk_<gemeentecode>.html) en geeft het pad terug.

    Met ``gemeentecode`` wordt die gemeente in elk diagram uitgelicht; een onbekende code geeft een ValueError.
    """
    data = read_national_data(Path(publicatie))
    if gemeentecode is not None and gemeentecode not in set(data.gemeenten["gemeentecode"].to_list()):
        raise ValueError(f"Gemeente {gemeentecode} komt niet voor in de publicatie")
    context = _build_context(data, gemeentecode, datetime.now())
    html = template_environment().get_template("landelijk.html.j2").render(**context)
    naam = f"landelijk_{gemeentecode}.html" if gemeentecode else "landelijk.html"
    return write_text_atomic(Path(uitvoer_map) / naam, html)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rapportages.landelijk",
        description="Schrijft de landelijke vergelijking (trechterdiagrammen, trajecten per groep, tabellen).",
    )
    parser.add_argument("publicatie", type=Path, help="pad naar publicatie.duckdb")
    parser.add_argument("uitvoer_map", type=Path, help="map waarin landelijk.html komt")
    parser.add_argument("--gemeente", help="gemeentecode (GMxxxx) die wordt uitgelicht")
    args = parser.parse_args(argv)
    try:
        pad = render_national_report(args.publicatie, args.uitvoer_map, args.gemeente)
    except (FileNotFoundError, ValueError) as fout:
        print(f"Fout: {fout}", file=sys.stderr)
        return 1
    print(pad)
    return 0


if __name__ == "__main__":
    sys.exit(main())
