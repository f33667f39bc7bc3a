"""Het meerjarige gemeenterapport: één zelfstandig HTML-bestand per gemeente, in het Nederlands, voor A4.

Het rapport leest de publicatie (`publicatie.duckdb`, alleen-lezen) met Polars en tekent wat de marts
bevatten: per sfeer (persoonlijk, gemeenschappelijk, institutioneel) elke indicator als meerjarig traject met
95%-interval en driejaarswaarde (`fct_indicator_jaar`, `fct_indicator_meerjarig`), het trendoordeel in
woorden (met "gevoelig voor één jaar" waar de mart dat zegt), de vergelijking met de vergelijkingsgroep en
Nederland binnen trechtergrenzen (`fct_vergelijking`), de cijfers in een tabel, en daarnaast de verhalen van
inwoners (tellen én vertellen). Een jaar dat alleen het deel van de gemeente beschrijft dat leverde (dekking),
staat er met een teken en een voetnoot die zegt welke gemeenten ontbreken, en als open rondje in de grafiek.
Heeft een indicator onderdrukte jaren, dan staan haar gepoolde perioden (`fct_indicator_periode`) erbij: een
cijfer over drie jaren samen, waar losse jaren te klein zijn. Het colofon noemt de
bronnen, de gebruikte leveringen, de onderdrukkingsregel en een samenvatting van de datakwaliteit.
Het rapport rekent zelf geen indicatoren uit, rangschikt niet en kleurt geen jaren rood of groen.
Onderdrukte cijfers (te weinig waarnemingen) staan er als "–", nooit als getal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from rapportages.dekking import (
    DRIEJAARS_NIET_GETOOND,
    ZIE_PERIODE,
    Dekking,
    municipality_names,
    notes_per_years,
    parse_predecessors,
)
from rapportages.grafieken import (
    Driejaarspunt,
    Jaarpunt,
    Periodebalk,
    Vergelijkingsrij,
    comparison_chart,
    trajectory_chart,
    with_unit,
)
from rapportages.opmaak import (
    LEEG,
    decimals_for_unit,
    format_count,
    format_date,
    format_interval,
    format_number,
    format_short_date,
    join_dutch,
    short_unit,
)
from rapportages.publicatielezer import (
    GEMEENTE_KOLOMMEN,
    INDICATOR_KOLOMMEN,
    JAARCIJFER_KOLOMMEN,
    LEVERING_KOLOMMEN,
    MEERJARIG_KOLOMMEN,
    PERIODE_KOLOMMEN,
    POSITIE_KOLOMMEN,
    REFERENTIE_KOLOMMEN,
    TRECHTERGRENS_KOLOMMEN,
    VERGELIJKING_KOLOMMEN,
    VERHAAL_KOLOMMEN,
    OnvolledigePublicatie,
    open_publication,
    published_at,
    table_columns,
)
from rapportages.schrijven import template_environment, write_text_atomic

SFEREN = ("persoonlijk", "gemeenschappelijk", "institutioneel")

SFEER_TITELS = {
    "persoonlijk": "Persoonlijke sfeer",
    "gemeenschappelijk": "Gemeenschappelijke sfeer",
    "institutioneel": "Institutionele sfeer",
}

SFEER_UITLEG = {
    "persoonlijk": "De inwoner en het eigen netwerk: mantelzorg, een vangnet van familie, vrienden en buren, "
    "eenzaamheid.",
    "gemeenschappelijk": "Gemeenschappen waar mensen aan meedoen: vrijwilligerswerk, verenigingen, "
    "betrokkenheid bij de buurt.",
    "institutioneel": "Accommodaties, collectieve voorzieningen, ondersteuning van vrijwilligers en "
    "mantelzorgers en betaalde sociaal werkers.",
}

BRON_NAMEN = {
    "enquete": "Inwonersenquête (VNG Burgerpeiling-formaat), gewogen",
    "deelname": "Deelnameregistraties van activiteiten en accommodaties",
    "vrijwilligers": "Registraties van vrijwilligersinzet",
    "mantelzorg": "Registraties van mantelzorgondersteuning",
    "verhalen": "Verhalen van inwoners (met toestemming, niet herleidbaar)",
    "bevolking": "Bevolking per gemeente en jaar",
}

# Tabellen (en kolommen) die het rapport nodig heeft. Ze worden altijd gepubliceerd; ontbreekt er een, dan
# is de publicatie onvolledig en stopt het rapport met een duidelijke melding.
VEREISTE_TABELLEN: dict[str, tuple[str, ...]] = {
    "marts.dim_gemeente": (*GEMEENTE_KOLOMMEN, "voorgangers"),
    "marts.dim_indicator": INDICATOR_KOLOMMEN,
    "marts.fct_indicator_jaar": JAARCIJFER_KOLOMMEN,
    "marts.fct_indicator_meerjarig": MEERJARIG_KOLOMMEN,
    "marts.fct_indicator_periode": PERIODE_KOLOMMEN,
    "marts.fct_vergelijking": (
        *VERGELIJKING_KOLOMMEN,
        *TRECHTERGRENS_KOLOMMEN,
        *POSITIE_KOLOMMEN,
        *REFERENTIE_KOLOMMEN,
    ),
    "marts.fct_verhalen": VERHAAL_KOLOMMEN,
    "kwaliteit.leveringen": (*LEVERING_KOLOMMEN, "reden", "vervangt"),
}

KOLOMADVIES = "Draai de keten opnieuw (`basismonitor verwerk`)."

# Kolommen die het rapport gebruikt als ze er zijn (nieuwer dan de rest van de publicatie).
OPTIONELE_KOLOMMEN: dict[str, tuple[str, ...]] = {
    "marts.fct_vergelijking": ("overdispersie_tau", "overdispersie_bron"),
    "marts.dim_indicator": ("intervalmethode",),  # 'geen': de indicator heeft geen interval
    "kwaliteit.leveringen": ("gemeentecodes",),  # voor de volgorde: de nieuwste levering eerst
}

# De status van een levering in het grootboek, in woorden (volgorde van de samenvatting).
LEVERINGSSTATUS = {
    "geaccepteerd": "geaccepteerd",
    "vervangen": "vervangen door een nieuwere levering",
    "dubbel": "dubbel aangeleverd (genegeerd)",
    "afgewezen": "afgewezen (in quarantaine)",
}

# Referenties in de vergelijking, in deze volgorde.
REFERENTIES = ("vergelijkingsgroep", "landelijk")

# Minimum aantal gepubliceerde jaren voor een trend (zoals in marts.fct_indicator_meerjarig).
MINIMUM_TRENDJAREN = 4

ONDERDRUKKINGSREGEL = (
    "Cijfers op minder dan n waarnemingen (minimum per indicator, zie catalogus) worden niet getoond: –"
)


@dataclass(frozen=True)
class Publicatiegegevens:
    """De tabellen uit de publicatie, in het geheugen (de verbinding is dan al dicht)."""

    pad: Path
    gemeenten: pl.DataFrame
    indicatoren: pl.DataFrame
    cijfers: pl.DataFrame
    verhalen: pl.DataFrame
    leveringen: pl.DataFrame
    gepubliceerd_op: datetime | None
    meerjarig: pl.DataFrame
    vergelijking: pl.DataFrame
    perioden: pl.DataFrame


# --------------------------------------------------------------------------------------------------- lezen


def read_publication(publicatie: Path, gemeentecode: str | None = None) -> Publicatiegegevens:
    """Leest de tabellen die het rapport nodig heeft (alleen-lezen) en sluit de verbinding weer.

    Met ``gemeentecode`` worden alleen de cijfers en verhalen van die gemeente gelezen.
    """
    publicatie = Path(publicatie)
    with open_publication(publicatie, VEREISTE_TABELLEN, "Het gemeenterapport", KOLOMADVIES) as con:
        aanwezig = table_columns(con)
        filter_sql, params = ("WHERE gemeentecode = ?", [gemeentecode]) if gemeentecode else ("", [])
        kolommen = {
            t: ", ".join(
                f'"{k}"' for k in ks + tuple(k for k in OPTIONELE_KOLOMMEN.get(t, ()) if k in aanwezig[t])
            )
            for t, ks in VEREISTE_TABELLEN.items()
        }
        gemeenten = con.sql(f"SELECT {kolommen['marts.dim_gemeente']} FROM marts.dim_gemeente").pl()
        indicatoren = con.sql(f"SELECT {kolommen['marts.dim_indicator']} FROM marts.dim_indicator").pl()
        cijfers = con.sql(
            f"SELECT {kolommen['marts.fct_indicator_jaar']} FROM marts.fct_indicator_jaar {filter_sql}",
            params=params,
        ).pl()
        meerjarig = con.sql(
            f"SELECT {kolommen['marts.fct_indicator_meerjarig']} FROM marts.fct_indicator_meerjarig "
            f"{filter_sql}",
            params=params,
        ).pl()
        vergelijking = con.sql(
            f"SELECT {kolommen['marts.fct_vergelijking']} FROM marts.fct_vergelijking {filter_sql}",
            params=params,
        ).pl()
        perioden = con.sql(
            f"SELECT {kolommen['marts.fct_indicator_periode']} FROM marts.fct_indicator_periode {filter_sql}",
            params=params,
        ).pl()
        verhalen = con.sql(
            f"SELECT {kolommen['marts.fct_verhalen']} FROM marts.fct_verhalen {filter_sql}", params=params
        ).pl()
        leveringen = con.sql(f"SELECT {kolommen['kwaliteit.leveringen']} FROM kwaliteit.leveringen").pl()
        gepubliceerd_op = published_at(con)
    return Publicatiegegevens(
        pad=publicatie,
        gemeenten=gemeenten,
        indicatoren=indicatoren,
        cijfers=cijfers,
        verhalen=verhalen,
        leveringen=leveringen,
        gepubliceerd_op=gepubliceerd_op,
        meerjarig=meerjarig,
        vergelijking=vergelijking,
        perioden=perioden,
    )


# ----------------------------------------------------------------------------------------------- vormgeven


def _predecessors(voorgangers: str | None) -> str | None:
    """ "GM0501 Brielle, GM0530 Hellevoetsluis" -> "Brielle (GM0501) en Hellevoetsluis (GM0530)"."""
    delen = [
        f"{naam} ({code})" if naam and naam != code else code
        for code, naam in parse_predecessors(voorgangers)
    ]
    return join_dutch(delen) or None


MIN = "\u2212"  # typografisch minteken in lopende tekst

# Eenheid van een helling (verandering per jaar), per eenheid van de indicator.
_HELLING_EENHEID = {
    "percentage": "procentpunt",
    "schaalscore 0-10": "punt",
    "score 0-10": "punt",
    "per 1.000 inwoners": "per 1.000 inwoners",
    "per 10.000 inwoners": "per 10.000 inwoners",
    "jaren": "jaar",
    "gini-coëfficiënt 0-1": "op de Gini-schaal (0–1)",
    "contacten per mantelzorger": "contacten per mantelzorger",
}


def slope_unit(eenheid: str | None) -> str:
    """De eenheid van een verandering per jaar: "procentpunt" voor een percentage, "punt" voor een score."""
    sleutel = (eenheid or "").strip()
    return _HELLING_EENHEID.get(sleutel.lower(), sleutel)


def _signed(waarde: float | None, decimals: int, plus: bool = False) -> str:
    """Getal met typografisch minteken; met ``plus`` ook "+" voor een positief getal (niet voor nul)."""
    tekst = format_number(waarde, decimals)
    if tekst.startswith("-"):
        return MIN + tekst[1:]
    if plus and tekst != LEEG and any(c in "123456789" for c in tekst):
        return "+" + tekst
    return tekst


def _interval_text(onder: float | None, boven: float | None, decimals: int) -> str:
    if format_interval(onder, boven, decimals) == LEEG:
        return LEEG
    return f"{_signed(onder, decimals)} tot {_signed(boven, decimals)}"


def _per_jaar(getal: str, eenheid_helling: str) -> str:
    return f"{getal} {eenheid_helling} per jaar" if eenheid_helling else f"{getal} per jaar"


def _slope_decimals(
    helling: float, onder: float | None, boven: float | None, eenheid: str | None, nul_uitsluiten: bool
) -> int:
    """Decimalen voor een helling: zoveel als de eenheid, meer (hooguit twee) als de grootste van helling en
    grenzen anders als 0 zou verschijnen, of (bij stijgend/dalend) een grens als 0 terwijl het interval 0
    juist uitsluit."""
    basis = decimals_for_unit(eenheid)
    getallen = [abs(g) for g in (helling, onder, boven) if g is not None]
    if not getallen or max(getallen) == 0:
        return basis
    for decimalen in range(basis, basis + 3):
        schaal = 10**decimalen
        groot_genoeg = max(getallen) * schaal >= 0.95
        grens_niet_nul = not nul_uitsluiten or all(
            round(abs(g) * schaal) >= 1 for g in (onder, boven) if g is not None
        )
        if groot_genoeg and grens_niet_nul:
            return decimalen
    return basis + 2


GEVOELIG_KORT = "gevoelig voor één jaar"
GEVOELIG = f"{GEVOELIG_KORT}: zonder een van de jaren valt het oordeel anders uit"


def trend_text(laatste: dict | None, eenheid: str | None, richting_gunstig: str | None = None) -> str:
    """Het trendoordeel van de rij van het laatste jaar uit marts.fct_indicator_meerjarig, in woorden.

    "Stabiel over 2016–2024: de helling is 0,1 procentpunt per jaar (95%-interval −0,2 tot 0,4)." Zegt de mart
    dat het oordeel zonder één van de jaren anders zou uitvallen (``trend_gevoelig``), dan staat dat erachter.
    """
    trend = (laatste or {}).get("trend")
    if not laatste or trend not in ("stijgend", "dalend", "stabiel") or laatste.get("helling") is None:
        jaren = (laatste or {}).get("trend_jaren") or 0
        nu = (
            (" (nu nog geen)" if jaren == 0 else " (nu 1)" if jaren == 1 else f" (nu {jaren})")
            if laatste
            else ""
        )
        return f"Nog geen trend: daarvoor zijn minstens {MINIMUM_TRENDJAREN} gepubliceerde jaren nodig{nu}."
    decimalen = _slope_decimals(
        laatste["helling"],
        laatste["helling_ci_onder"],
        laatste["helling_ci_boven"],
        eenheid,
        trend != "stabiel",
    )
    eenheid_helling = slope_unit(eenheid)
    periode = f"{laatste['trend_jaar_van']}–{laatste['trend_jaar_tot']}"
    interval = _interval_text(laatste["helling_ci_onder"], laatste["helling_ci_boven"], decimalen)
    interval_deel = f" (95%-interval {interval})" if interval != LEEG else ""
    gevoelig = f"; {GEVOELIG}" if laatste.get("trend_gevoelig") else ""
    if trend == "stabiel":
        helling = _per_jaar(_signed(laatste["helling"], decimalen), eenheid_helling)
        return f"Stabiel over {periode}: de helling is {helling}{interval_deel}{gevoelig}."
    richting = f" ({richting_gunstig} is gunstig)" if richting_gunstig in ("hoger", "lager") else ""
    helling = _per_jaar(_signed(laatste["helling"], decimalen, plus=True), eenheid_helling)
    return f"{trend.capitalize()} over {periode}{richting}: gemiddeld {helling}{interval_deel}{gevoelig}."


def three_year_reason(met_periode: bool) -> str:
    """Waarom een driejaarswaarde niet getoond wordt (onderdrukt_3jaar), met een verwijzing naar de gepoolde
    periode als die er is."""
    return f"niet getoond: {DRIEJAARS_NIET_GETOOND}" + (f"; {ZIE_PERIODE}" if met_periode else "")


def _three_year(laatste: dict | None, eenheid: str | None, met_periode: bool) -> dict:
    """De driejaarswaarde van het laatste venster: tekst, of "–" bij onderdrukking of te weinig jaren."""
    if not laatste:
        return {"tekst": LEEG, "onderdrukt": False, "periode": None, "toelichting": None}
    periode = f"{laatste['jaar'] - 2}–{laatste['jaar']}"
    if laatste["onderdrukt_3jaar"]:
        return {
            "tekst": LEEG,
            "onderdrukt": True,
            "periode": periode,
            "toelichting": f"{periode}: {three_year_reason(met_periode)}",
        }
    if laatste["waarde_3jaar"] is None:
        return {
            "tekst": LEEG,
            "onderdrukt": False,
            "periode": periode,
            "toelichting": f"nog geen driejaarswaarde: minder dan 2 jaren met gegevens in {periode}",
        }
    decimalen = decimals_for_unit(eenheid)
    tekst = f"{with_unit(laatste['waarde_3jaar'], decimalen, short_unit(eenheid))} over {periode}"
    interval = format_interval(laatste["ci_onder_3jaar"], laatste["ci_boven_3jaar"], decimalen)
    if interval != LEEG:
        tekst += f" (95%-interval {interval})"
    return {"tekst": tekst, "onderdrukt": False, "periode": periode, "toelichting": None}


# Waarom een gepoolde periode niet getoond wordt (fct_indicator_periode.onderdrukt), in de woorden van de mart.
PERIODE_ONDERDRUKT = (
    "niet getoond: te weinig waarnemingen, een waarde op de rand van het bereik, of de onderdrukte jaren zouden "
    "eruit terug te rekenen zijn"
)


@dataclass(frozen=True)
class _Perioden:
    rijen: list[dict]  # voor de tabel
    balken: list[Periodebalk]  # voor de grafiek: alleen gepubliceerde perioden
    samenvatting: str | None  # de laatste gepubliceerde periode in één zin


def _periods(perioden: pl.DataFrame, eenheid: str | None) -> _Perioden:
    """De gepoolde perioden van één indicator. Van een onderdrukte periode komt alleen mee dát ze onderdrukt
    is (en hoeveel jaren ze telt), nooit een getal."""
    decimalen = decimals_for_unit(eenheid)
    rijen: list[dict] = []
    balken: list[Periodebalk] = []
    samenvatting = None
    for p in perioden.sort("periode_van").iter_rows(named=True):
        onderdrukt = bool(p["onderdrukt"]) or p["waarde"] is None
        verborgen = p["jaren_onderdrukt"] or 0
        rij = {
            "periode": p["periode"] or f"{p['periode_van']}–{p['periode_tot']}",
            "onderdrukt": onderdrukt,
            "jaren": f"{p['jaren_met_gegevens']} jaren met gegevens"
            + (f", waarvan {verborgen} afzonderlijk niet getoond" if verborgen else ""),
        }
        if onderdrukt:
            rijen.append(
                {**rij, "waarde": LEEG, "interval": LEEG, "n": LEEG, "toelichting": PERIODE_ONDERDRUKT}
            )
            continue
        interval = format_interval(p["ci_onder"], p["ci_boven"], decimalen)
        rijen.append(
            {
                **rij,
                "waarde": format_number(p["waarde"], decimalen),
                "interval": interval,
                "n": format_number(p["n"]),
                "toelichting": None,
            }
        )
        balken.append(
            Periodebalk(p["periode_van"], p["periode_tot"], p["waarde"], p["ci_onder"], p["ci_boven"])
        )
        samenvatting = (
            f"{with_unit(p['waarde'], decimalen, short_unit(eenheid))} over {rij['periode']} ("
            + (f"95%-interval {interval}; " if interval != LEEG else "")
            + f"{rij['jaren']})"
        )
    return _Perioden(rijen, balken, samenvatting)


def group_label(vergelijkingsgroep: str | None) -> str:
    """ "50 000 tot 100 000 inwoners; Weinig stedelijk" -> "50.000–100.000 inwoners; weinig stedelijk"."""
    delen = []
    for deel in (d.strip() for d in (vergelijkingsgroep or "").split(";")):
        if not deel:
            continue
        deel = re.sub(r"(?<=\d) (?=\d{3}\b)", ".", deel)
        deel = re.sub(r"^([\d.]+) tot ([\d.]+)\b", r"\1–\2", deel)
        delen.append(deel[:1].lower() + deel[1:])
    return "; ".join(delen)


def position_text(positie: str | None, positie_998: str | None, reden_geen_grenzen: str | None = None) -> str:
    """De ligging binnen de trechter in woorden, zonder oordeel (hoger is niet 'beter'); zonder grenzen de reden
    uit de mart (``reden_geen_grenzen``)."""
    if positie == "binnen":
        return "binnen de verwachte spreiding"
    if positie in ("boven", "onder"):
        woord = "hoger" if positie == "boven" else "lager"
        if positie_998 == positie:
            return f"duidelijk {woord} (buiten de 99,8%-grenzen)"
        return f"{woord} dan verwacht (buiten de 95%-grenzen)"
    if reden_geen_grenzen:
        return f"niet te beoordelen: {reden_geen_grenzen}"
    return "niet te beoordelen: zonder standaardfout zijn er geen trechtergrenzen"


def _overdispersion_text(rij: dict) -> str | None:
    bron = rij.get("overdispersie_bron")
    if bron is None:
        return None
    tau = rij.get("overdispersie_tau") or 0.0
    if bron == "te weinig gemeenten":
        return "niet verruimd voor verschillen tussen gemeenten: te weinig gemeenten om die te schatten"
    if tau <= 0:
        return "geen verschillen tussen gemeenten boven het toeval gevonden (geen verruiming)"
    if bron == "landelijk":
        return (
            "verruimd voor verschillen tussen gemeenten (overdispersie), geschat over alle gemeenten: "
            "de groep is te klein voor een eigen schatting"
        )
    return "verruimd voor verschillen tussen gemeenten die niet op toeval berusten (overdispersie)"


def _capitalize(tekst: str) -> str:
    return tekst[:1].upper() + tekst[1:]


def reference_name(rij: dict) -> str:
    """De naam van de referentie uit de mart (referentie_naam). Ontbreekt die, dan een neutrale naam: nooit
    'Nederland', want dat mag alleen als de mart zegt dat elke gemeente een cijfer heeft."""
    if rij.get("referentie_naam"):
        return rij["referentie_naam"]
    if rij.get("referentie") == "vergelijkingsgroep":
        groep = group_label(rij.get("vergelijkingsgroep"))
        return f"vergelijkingsgroep {groep}" if groep else "vergelijkingsgroep"
    return "gemeenten in de monitor"


def short_reference_name(rij: dict) -> str:
    """De korte naam voor grafieken (referentie_naam_kort uit de mart), met dezelfde terugval."""
    if rij.get("referentie_naam_kort"):
        return rij["referentie_naam_kort"]
    return (
        "Vergelijkingsgroep" if rij.get("referentie") == "vergelijkingsgroep" else "Gemeenten in de monitor"
    )


def _coverage_caption(rij: dict) -> str:
    """Onderschrift in de vergelijkingsgrafiek: "14 van de 342 gemeenten" of "alle 342 gemeenten"."""
    aantal, kaart = rij.get("referentie_gemeenten"), rij.get("referentie_gemeenten_kaart")
    if kaart and rij.get("referentie_volledig"):
        return f"alle {format_number(kaart)} gemeenten"
    if kaart:
        return f"{format_number(aantal)} van de {format_number(kaart)} gemeenten"
    return f"{format_number(aantal)} gemeenten"


def _comparison(
    indicator: dict, vergelijking: pl.DataFrame, gepubliceerd: set[int], gemeentenaam: str
) -> dict:
    """De vergelijking in het laatste jaar met een gepubliceerde waarde en een vergelijkingsrij."""
    leeg = {
        "vergelijking": [],
        "vergelijkingsgrafiek": None,
        "vergelijking_jaar": None,
        "vergelijking_waarde": None,
        "vergelijking_heeft_grenzen": False,
    }
    rijen = vergelijking.filter(pl.col("waarde").is_not_null() & pl.col("jaar").is_in(sorted(gepubliceerd)))
    if rijen.height == 0:
        return leeg
    jaar = rijen["jaar"].max()
    per_referentie = {r["referentie"]: r for r in rijen.filter(pl.col("jaar") == jaar).iter_rows(named=True)}
    eenheid = indicator["eenheid"]
    decimalen = decimals_for_unit(eenheid)
    kort = short_unit(eenheid)
    lijst: list[dict] = []
    grafiekrijen: list[Vergelijkingsrij] = []
    for referentie in REFERENTIES:
        r = per_referentie.get(referentie)
        if r is None:
            continue
        aantal = r["referentie_gemeenten"]
        label = _capitalize(reference_name(r))
        if r["referentie_waarde"] is None:
            # Geen referentie (een vergelijkingsgroep met minder dan 3 gemeenten, of een onbekende klasse): de
            # rij zegt waarom, met de reden uit de mart; in de grafiek staat ze niet.
            reden = r["reden_geen_referentie"] or "er is geen referentiewaarde"
            lijst.append(
                {
                    "referentie": referentie,
                    "label": label,
                    "jaar": jaar,
                    "geen_referentie": True,
                    "referentie_waarde": LEEG,
                    "referentie_gemeenten": aantal,
                    "grenzen_95": LEEG,
                    "grenzen_998": LEEG,
                    "positie": None,
                    "positie_998": None,
                    "positie_tekst": f"geen vergelijking: {reden}",
                    "samenstelling": None,
                    "kort_label": short_reference_name(r),
                    "overdispersie_tekst": None,
                }
            )
            continue
        kort_label = short_reference_name(r)
        positie_tekst = position_text(r["positie"], r["positie_998"], r["reden_geen_grenzen"])
        wijziging = r["samenstelling_wijziging"] if r["samenstelling_gewijzigd"] else None
        lijst.append(
            {
                "referentie": referentie,
                "label": label,
                "jaar": jaar,
                "geen_referentie": False,
                "waarde": with_unit(r["waarde"], decimalen, kort),
                "interval": format_interval(r["ci_onder"], r["ci_boven"], decimalen),
                "referentie_waarde": with_unit(r["referentie_waarde"], decimalen, kort),
                "referentie_gemeenten": aantal,
                "grenzen_95": format_interval(r["grens_95_onder"], r["grens_95_boven"], decimalen),
                "grenzen_998": format_interval(r["grens_998_onder"], r["grens_998_boven"], decimalen),
                "positie": r["positie"],
                "positie_998": r["positie_998"],
                "positie_tekst": positie_tekst,
                "samenstelling": (
                    f"{_capitalize(wijziging)} (een verschil met dat jaar is dus deels een verschil in gemeenten)."
                    if wijziging
                    else None
                ),
                "kort_label": kort_label,
                "overdispersie_tekst": _overdispersion_text(r),
            }
        )
        grafiekrijen.append(
            Vergelijkingsrij(
                label=kort_label,
                onderschrift=_coverage_caption(r),
                waarde=r["waarde"],
                ci_onder=r["ci_onder"],
                ci_boven=r["ci_boven"],
                referentie_waarde=r["referentie_waarde"],
                grens_95_onder=r["grens_95_onder"],
                grens_95_boven=r["grens_95_boven"],
                grens_998_onder=r["grens_998_onder"],
                grens_998_boven=r["grens_998_boven"],
                positie_tekst=positie_tekst,
            )
        )
    if not lijst:
        return leeg
    # de waarde en het interval van de gemeente staan in elke rij van dat jaar
    eigen = next(iter(per_referentie.values()))
    waarde = with_unit(eigen["waarde"], decimalen, kort)
    if format_interval(eigen["ci_onder"], eigen["ci_boven"], decimalen) != LEEG:
        waarde += f" (95%-interval {format_interval(eigen['ci_onder'], eigen['ci_boven'], decimalen)})"
    if not grafiekrijen:  # alleen rijen zonder referentie: wel de redenen, geen grafiek
        return {**leeg, "vergelijking": lijst, "vergelijking_jaar": jaar, "vergelijking_waarde": waarde}
    naast = join_dutch(
        [
            r.label if r.label == "Nederland" else f"de {r.label[:1].lower()}{r.label[1:]}"
            for r in grafiekrijen
        ]
    )
    met_grenzen = ", met trechtergrenzen" if any(r.heeft_95 for r in grafiekrijen) else ""
    return {
        "vergelijking": lijst,
        "vergelijking_jaar": jaar,
        "vergelijking_waarde": waarde,
        "vergelijking_heeft_grenzen": bool(met_grenzen),
        "vergelijkingsgrafiek": comparison_chart(
            grafiekrijen,
            titel=f"{indicator['naam']}: {gemeentenaam} in {jaar} naast {naast}{met_grenzen}",
            eenheid=eenheid,
            decimals=decimalen,
            gemeente=gemeentenaam,
            jaar=jaar,
            grafiek_id=f"vergelijking-{indicator['indicator_code']}",
        ),
    }


def _indicator_block(
    indicator: dict,
    rijen: pl.DataFrame,
    meerjarig: pl.DataFrame,
    vergelijking: pl.DataFrame,
    gemeentenaam: str,
    perioden: pl.DataFrame,
    namen: dict[str, str],
) -> dict:
    """Alles over één indicator voor één gemeente: grafieken, tabel, trend, driejaarswaarde, gepoolde perioden,
    vergelijking."""
    eenheid = indicator["eenheid"]
    decimalen = decimals_for_unit(eenheid)
    minimum_n = indicator["minimum_n"]
    rijen = rijen.sort("jaar")
    meerjarig = meerjarig.sort("jaar")
    drie_per_jaar = {r["jaar"]: r for r in meerjarig.iter_rows(named=True)}
    # Gepoolde perioden staan erbij als de indicator onderdrukte jaren heeft: dan geven ze een cijfer waar losse
    # jaren te klein zijn (alle perioden van de indicator, zodat de reeks compleet is).
    met_perioden = perioden.filter(pl.col("jaren_onderdrukt").fill_null(0) > 0).height > 0
    periodes = _periods(perioden if met_perioden else perioden.clear(), eenheid)
    punten: list[Jaarpunt] = []
    driejaars: list[Driejaarspunt] = []
    tabel: list[dict] = []
    dekkingsnoten: list[tuple[int, str | None]] = []
    for r in rijen.iter_rows(named=True):
        onderdrukt = bool(r["onderdrukt"]) or r["waarde"] is None
        # Een getoond cijfer dat alleen het deel van de gemeente beschrijft dat leverde, zegt dat erbij.
        deel = None if onderdrukt else Dekking.of(r).note(namen)
        dekkingsnoten.append((r["jaar"], deel))
        # Een onderdrukt jaar toont alleen dat het onderdrukt is: geen waarde, interval, teller, noemer of n.
        punten.append(
            Jaarpunt(
                r["jaar"],
                None if onderdrukt else r["waarde"],
                None if onderdrukt else r["ci_onder"],
                None if onderdrukt else r["ci_boven"],
                onderdrukt,
                deel,
            )
        )
        drie = drie_per_jaar.get(r["jaar"])
        drie_onderdrukt = bool(drie and drie["onderdrukt_3jaar"])
        drie_waarde = None if drie is None or drie_onderdrukt else drie["waarde_3jaar"]
        if drie is not None:
            driejaars.append(
                Driejaarspunt(
                    r["jaar"],
                    drie_waarde,
                    None if drie_onderdrukt else drie["ci_onder_3jaar"],
                    None if drie_onderdrukt else drie["ci_boven_3jaar"],
                    drie_onderdrukt,
                )
            )
        drie_tekst = {
            "waarde_3jaar": format_number(drie_waarde, decimalen),
            "onderdrukt_3jaar": drie_onderdrukt,
        }
        if onderdrukt:
            tabel.append(
                {
                    "jaar": r["jaar"],
                    "onderdrukt": True,
                    "deel": None,
                    "waarde": LEEG,
                    "interval": LEEG,
                    "teller": LEEG,
                    "noemer": LEEG,
                    "n": f"< {format_number(minimum_n)}" if bool(r["onderdrukt"]) and minimum_n else LEEG,
                    **drie_tekst,
                }
            )
        else:
            tabel.append(
                {
                    "jaar": r["jaar"],
                    "onderdrukt": False,
                    "deel": deel,
                    "waarde": format_number(r["waarde"], decimalen),
                    "interval": format_interval(r["ci_onder"], r["ci_boven"], decimalen),
                    "teller": format_count(r["teller"]),
                    "noemer": format_count(r["noemer"]),
                    "n": format_number(r["n"]),
                    **drie_tekst,
                }
            )

    # De rij van het laatste jaar draagt de trend over de hele reeks en het laatste driejaarsvenster.
    laatste = meerjarig.row(meerjarig.height - 1, named=True) if meerjarig.height else None
    drie = _three_year(laatste, eenheid, met_perioden)
    gepubliceerd = {p.jaar for p in punten if p.zichtbaar}
    # Een interval alleen waar er een is: intervalmethode 'geen' (volledige telling, geen toevalsmodel) heeft er
    # geen, en dan noemen titel, onderschrift en legenda het ook niet.
    heeft_interval = any(p.heeft_interval for p in punten)
    interval_titel = "met 95%-interval en driejaarswaarde" if heeft_interval else "met driejaarswaarde"
    vergelijking_blok = _comparison(indicator, vergelijking, gepubliceerd, gemeentenaam)
    laatste_jaar = rijen["jaar"].max() if rijen.height else None
    vergelijking_jaar = vergelijking_blok["vergelijking_jaar"]
    vergelijking_blok["vergelijking_noot"] = (
        f"Voor {laatste_jaar} is er geen getoonde waarde of geen vergelijking; {vergelijking_jaar} is het "
        "laatste jaar met beide."
        if vergelijking_jaar is not None and laatste_jaar is not None and vergelijking_jaar < laatste_jaar
        else None
    )
    return {
        "code": indicator["indicator_code"],
        "naam": indicator["naam"],
        "eenheid": eenheid,
        "eenheid_kort": short_unit(eenheid),
        "toelichting": indicator["toelichting"],
        "bron": BRON_NAMEN.get(indicator["bron"], indicator["bron"]),
        "teller_definitie": indicator["teller_definitie"],
        "noemer_definitie": indicator["noemer_definitie"],
        "minimum_n": format_number(minimum_n) if minimum_n is not None else None,
        "richting_gunstig": indicator["richting_gunstig"],
        "grafiek": trajectory_chart(
            punten,
            titel=f"{indicator['naam']} ({eenheid}), per jaar {interval_titel}",
            eenheid=eenheid,
            decimals=decimalen,
            minimum_n=minimum_n,
            grafiek_id=f"grafiek-{indicator['indicator_code']}",
            driejaars=driejaars,
            perioden=periodes.balken,
        ),
        "rijen": tabel,
        "heeft_interval": heeft_interval,
        "geen_interval": indicator.get("intervalmethode") == "geen",
        "heeft_onderdrukking": any(r["onderdrukt"] for r in tabel),
        "heeft_onderdrukking_3jaar": any(r["onderdrukt_3jaar"] for r in tabel) or drie["onderdrukt"],
        "driejaars_reden": three_year_reason(met_perioden),
        "dekkingsnoten": notes_per_years(dekkingsnoten),
        "heeft_deels": any(p.deels for p in punten),
        "perioden": periodes.rijen,
        "periode_samenvatting": periodes.samenvatting,
        "jaren": f"{rijen['jaar'].min()}–{rijen['jaar'].max()}" if rijen.height else None,
        "trend": laatste["trend"] if laatste else None,
        "trend_gevoelig": bool(laatste and laatste.get("trend_gevoelig")),
        "trend_tekst": trend_text(laatste, eenheid, indicator["richting_gunstig"]),
        "waarde_3jaar_tekst": drie["tekst"],
        "waarde_3jaar_onderdrukt": drie["onderdrukt"],
        "waarde_3jaar_periode": drie["periode"],
        "waarde_3jaar_toelichting": drie["toelichting"],
        **vergelijking_blok,
    }


def _quality(data: Publicatiegegevens, cijfers: pl.DataFrame, meerjarig: pl.DataFrame, gebruikt: int) -> dict:
    """Samenvatting van de datakwaliteit voor het colofon (alleen tellingen, geen cijfers van indicatoren)."""
    per_status = dict(data.leveringen.group_by("status").len().sort("status").iter_rows())
    volgorde = [s for s in LEVERINGSSTATUS if s in per_status] + sorted(
        s for s in per_status if s not in LEVERINGSSTATUS and s is not None
    )
    return {
        "leveringen_per_status": {LEVERINGSSTATUS.get(s, s): per_status[s] for s in volgorde},
        "leveringen_totaal": data.leveringen.height,
        "gebruikte_leveringen": gebruikt,
        "jaarwaarden": cijfers.height,
        "onderdrukte_jaarwaarden": int(cijfers["onderdrukt"].fill_null(False).sum()),
        "deels_gedekte_jaarwaarden": sum(
            Dekking.of(r).deels
            for r in cijfers.filter(~pl.col("onderdrukt").fill_null(False)).iter_rows(named=True)
        ),
        "onderdrukte_driejaarswaarden": int(meerjarig["onderdrukt_3jaar"].fill_null(False).sum()),
    }


def _build_context(data: Publicatiegegevens, gemeentecode: str, gegenereerd_op: datetime) -> dict:
    gemeente_rijen = data.gemeenten.filter(pl.col("gemeentecode") == gemeentecode)
    if gemeente_rijen.height == 0:
        raise ValueError(f"Gemeente {gemeentecode} komt niet voor in de publicatie")
    gemeente = gemeente_rijen.row(0, named=True)
    cijfers = data.cijfers.filter(pl.col("gemeentecode") == gemeentecode)
    meerjarig = data.meerjarig.filter(pl.col("gemeentecode") == gemeentecode)
    vergelijking = data.vergelijking.filter(pl.col("gemeentecode") == gemeentecode)
    perioden = data.perioden.filter(pl.col("gemeentecode") == gemeentecode)
    verhalen = data.verhalen.filter(pl.col("gemeentecode") == gemeentecode)
    namen = municipality_names(data.gemeenten)

    onbekend = sorted(set(data.indicatoren["sfeer"].drop_nulls().to_list()) - set(SFEREN))
    onbekend += sorted(set(verhalen["sfeer"].drop_nulls().to_list()) - set(SFEREN) - set(onbekend))
    if onbekend or data.indicatoren["sfeer"].null_count() or verhalen["sfeer"].null_count():
        raise OnvolledigePublicatie(
            f"De publicatie {data.pad} bevat een onbekende of lege sfeer ({join_dutch(onbekend) or 'leeg'}); "
            f"toegestaan zijn {join_dutch(list(SFEREN))}."
        )

    cijfers_per = cijfers.partition_by("indicator_code", as_dict=True)
    meerjarig_per = meerjarig.partition_by("indicator_code", as_dict=True)
    vergelijking_per = vergelijking.partition_by("indicator_code", as_dict=True)
    perioden_per = perioden.partition_by("indicator_code", as_dict=True)
    sferen = []
    gebruikte_bronnen: set[str] = set()
    for sfeer in SFEREN:
        blokken = []
        for indicator in (
            data.indicatoren.filter(pl.col("sfeer") == sfeer).sort("indicator_code").iter_rows(named=True)
        ):
            sleutel = (indicator["indicator_code"],)
            rijen = cijfers_per.get(sleutel, cijfers.clear())
            blokken.append(
                _indicator_block(
                    indicator,
                    rijen,
                    meerjarig_per.get(sleutel, meerjarig.clear()),
                    vergelijking_per.get(sleutel, vergelijking.clear()),
                    gemeente["gemeentenaam"],
                    perioden_per.get(sleutel, perioden.clear()),
                    namen,
                )
            )
            if rijen.height:
                gebruikte_bronnen.add(indicator["bron"])
        sfeer_verhalen = [
            {"titel": v["titel"], "jaar": v["jaar"], "tekst": v["tekst"]}
            for v in verhalen.filter(pl.col("sfeer") == sfeer)
            .sort(["jaar", "verhaal_id"])
            .iter_rows(named=True)
        ]
        sferen.append(
            {
                "sfeer": sfeer,
                "titel": SFEER_TITELS[sfeer],
                "uitleg": SFEER_UITLEG[sfeer],
                "indicatoren": blokken,
                "verhalen": sfeer_verhalen,
            }
        )
    if verhalen.height:
        gebruikte_bronnen.add("verhalen")

    # Herkomst: de leveringen waaruit de cijfers van deze gemeente zijn berekend.
    levering_ids = sorted(set(cijfers["bron_leveringen"].explode().drop_nulls().to_list()))
    gebruikt = data.leveringen.filter(pl.col("levering_id").is_in(levering_ids)).sort(
        ["bron", "ontvangen_op", "bestandsnaam"]
    )
    leveringen = [
        {
            "bron": r["bron"],
            "bestandsnaam": r["bestandsnaam"],
            "ontvangen_op": format_short_date(r["ontvangen_op"]),
            "rijen": format_number(r["rijen"]),
            "status": r["status"],
        }
        for r in gebruikt.iter_rows(named=True)
    ]
    niet_gevonden = sorted(set(levering_ids) - set(gebruikt["levering_id"].to_list()))

    jaren = cijfers["jaar"]
    return {
        "gemeente": {
            "code": gemeente["gemeentecode"],
            "naam": gemeente["gemeentenaam"],
            "provincie": gemeente["provincie"],
            "gemeentegrootte": gemeente["gemeentegrootte"],
            "stedelijkheid": gemeente["stedelijkheid"],
            "inwoners_2022": format_number(gemeente["inwoners_2022"]) if gemeente["inwoners_2022"] else None,
            "ontstaan_uit": _predecessors(gemeente["voorgangers"]),
        },
        "periode": f"{jaren.min()}–{jaren.max()}" if cijfers.height else None,
        "sferen": sferen,
        "leveringen": leveringen,
        "niet_gevonden": niet_gevonden,
        "bronnen": [BRON_NAMEN.get(b, b) for b in sorted(gebruikte_bronnen)],
        "onderdrukkingsregel": ONDERDRUKKINGSREGEL,
        "driejaars_niet_getoond": DRIEJAARS_NIET_GETOOND,
        "kwaliteit": _quality(data, cijfers, meerjarig, len(levering_ids)),
        "gegenereerd_op": format_date(gegenereerd_op),
        "gegenereerd_op_tijd": gegenereerd_op.strftime("%H:%M"),
        "gepubliceerd_op": format_date(data.gepubliceerd_op) if data.gepubliceerd_op else None,
        "publicatie": data.pad.name,
    }


# ------------------------------------------------------------------------------------------------ tekenen


def _write(data: Publicatiegegevens, gemeentecode: str, uitvoer_map: Path, gegenereerd_op: datetime) -> Path:
    context = _build_context(data, gemeentecode, gegenereerd_op)
    html = template_environment().get_template("gemeenterapport.html.j2").render(**context)
    return write_text_atomic(Path(uitvoer_map) / f"gemeenterapport_{gemeentecode}.html", html)


def render_municipality_report(publicatie: Path, gemeentecode: str, uitvoer_map: Path) -> Path:
    """Schrijft <uitvoer_map>/gemeenterapport_<gemeentecode>.html en geeft het pad terug."""
    data = read_publication(Path(publicatie), gemeentecode)
    return _write(data, gemeentecode, Path(uitvoer_map), datetime.now())


def report_codes(data: Publicatiegegevens) -> list[str]:
    """De gemeenten in marts.dim_gemeente met cijfers in marts.fct_indicator_jaar, in de volgorde waarin hun
    rapporten gemaakt worden: de gemeente met de nieuwste geaccepteerde levering eerst (na een nieuwe levering
    is haar rapport zo het eerst bij), daarna op code."""
    met_cijfers = set(data.cijfers["gemeentecode"].unique().to_list())
    codes = sorted(c for c in data.gemeenten["gemeentecode"].to_list() if c in met_cijfers)
    lev = data.leveringen
    if "gemeentecodes" not in lev.columns or lev.is_empty():
        return codes
    nieuwste = dict(
        lev.filter(pl.col("status") == "geaccepteerd")
        .explode("gemeentecodes")
        .group_by("gemeentecodes")
        .agg(pl.col("ontvangen_op").max())
        .iter_rows()
    )
    return sorted(codes, key=lambda c: (-(nieuwste[c].timestamp()) if nieuwste.get(c) else 0.0, c))


def render_all_reports(publicatie: Path, uitvoer_map: Path) -> list[Path]:
    """Rapport voor elke gemeente in marts.dim_gemeente die cijfers heeft in marts.fct_indicator_jaar."""
    data = read_publication(Path(publicatie))
    nu = datetime.now()
    return [_write(data, code, Path(uitvoer_map), nu) for code in report_codes(data)]
