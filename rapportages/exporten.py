"""Exports voor analisten: een Excel-werkmap per gemeente, een landelijke werkmap en Parquet van elke mart.

De exports lezen de publicatie (`publicatie.duckdb`, alleen-lezen) één keer met Polars en schrijven wat de
marts bevatten; ze rekenen zelf geen indicatoren uit en rangschikken niet (gemeenten staan op alfabetische
volgorde). Een werkmap heeft een tabblad per sfeer met één rij per indicator en jaar (en gemeente), getallen
als echte getallen met een opmaak per eenheid, en daarnaast de tabbladen Perioden (de gepoolde perioden uit
`fct_indicator_periode`), Indicatoren, Verhalen (per gemeente) en Verantwoording. Elke jaarrij zegt welk deel
van de inwoners van de huidige gemeente leverde en welke gemeenten niet (dekking); een trend die zonder één van
de jaren anders zou uitvallen, heet "gevoelig voor één jaar".

Onderdrukte cijfers (te weinig waarnemingen) staan in een werkmap als "–" met een voetnoot; hun waarde,
interval, teller, noemer en n staan er nergens. In Parquet blijven onderdrukte cellen leeg (null), precies
zoals in de marts. Bevat de publicatie bij een onderdrukte rij tóch een waarde, dan wordt er niets
geëxporteerd.

Elke tekstcel gaat door :func:`write_text`: tekst die met ``=``, ``+``, ``-``, ``@``, een tab of een
regelterugloop begint, blijft tekst en wordt nooit een formule (bescherming tegen formule-injectie).
Elk bestand wordt eerst naast het doel geschreven en dan in één keer vervangen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rapportages import publicatielezer as lezer
from rapportages.dekking import DRIEJAARS_NIET_GETOOND, Dekking, municipality_names
from rapportages.gemeenterapport import (
    BRON_NAMEN,
    GEVOELIG_KORT,
    ONDERDRUKKINGSREGEL,
    PERIODE_ONDERDRUKT,
    SFEREN,
)
from rapportages.opmaak import LEEG, decimals_for_unit, format_date, format_number, join_dutch
from rapportages.publicatielezer import OnvolledigePublicatie, check_tables, open_publication, published_at
from rapportages.schrijven import in_processes, worker_count, write_atomic

SFEER_BLADEN = {
    "persoonlijk": "Persoonlijk",
    "gemeenschappelijk": "Gemeenschappelijk",
    "institutioneel": "Institutioneel",
}

# Tekst die met een van deze tekens begint, kan Excel (bij bewerken) als formule lezen.
GEVAARLIJKE_BEGINTEKENS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELTEKST = 32_767  # langer kan Excel niet in één cel bewaren

# Tabellen en kolommen die een werkmap nodig heeft.
VEREISTE_TABELLEN: dict[str, tuple[str, ...]] = {
    "marts.dim_gemeente": (*lezer.GEMEENTE_KOLOMMEN, "voorgangers"),
    "marts.dim_indicator": lezer.INDICATOR_KOLOMMEN,
    "marts.fct_indicator_jaar": lezer.JAARCIJFER_KOLOMMEN,
    "marts.fct_indicator_meerjarig": lezer.without(
        lezer.MEERJARIG_KOLOMMEN,
        "jaren_in_venster",
        "trend_jaren",
        "helling",
        "helling_ci_onder",
        "helling_ci_boven",
    ),
    "marts.fct_indicator_periode": lezer.PERIODE_KOLOMMEN,
    "marts.fct_vergelijking": (
        *lezer.VERGELIJKING_KOLOMMEN,
        *lezer.POSITIE_KOLOMMEN,
        "referentie_naam",
        "samenstelling_gewijzigd",
        "samenstelling_wijziging",
        "reden_geen_referentie",
        "reden_geen_grenzen",
    ),
    "marts.fct_verhalen": lezer.VERHAAL_KOLOMMEN,
    "kwaliteit.leveringen": lezer.LEVERING_KOLOMMEN,
}

# Naast de marts gaat alleen het grootboek van leveringen mee naar Parquet.
PARQUET_EXTRA = ("kwaliteit.leveringen",)

# Per tabel: de vlag die een rij als onderdrukt markeert en de kolommen die dan leeg moeten zijn.
ONDERDRUKTE_KOLOMMEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "marts.fct_indicator_jaar": ("onderdrukt", ("waarde", "se", "ci_onder", "ci_boven", "teller")),
    "marts.fct_indicator_meerjarig": (
        "onderdrukt_3jaar",
        ("waarde_3jaar", "se_3jaar", "ci_onder_3jaar", "ci_boven_3jaar"),
    ),
    "marts.fct_indicator_periode": ("onderdrukt", ("n", "waarde", "se", "ci_onder", "ci_boven")),
}
# Een vergelijking hoort bij een jaarcijfer; is dat onderdrukt, dan mag de vergelijking geen waarde tonen.
VERGELIJKING_WAARDEN = ("waarde", "ci_onder", "ci_boven")

SLEUTEL = ["gemeentecode", "indicator_code", "jaar"]

VOETNOOT_ONDERDRUKT = "Niet getoond: minder dan {n} waarnemingen (zie voetnoot)"
VOETNOOT_ONDERDRUKT_3JAAR = f"Driejaarswaarde niet getoond: {DRIEJAARS_NIET_GETOOND}"
ZIE_PERIODEN = "zie de gepoolde periode (tabblad Perioden)"
UITLEG_VERGELIJKING = (
    "t.o.v. vergelijkingsgroep en t.o.v. referentie: valt de waarde binnen de trechtergrenzen (95% en 99,8%) "
    "rond de referentiewaarde, of erboven of eronder? Dat zegt iets over toeval, niet over goed of slecht, "
    "en is geen rangorde. De referentie bevat alle gemeenten met een cijfer; de naam zegt hoeveel gemeenten en "
    "welk deel van de inwoners dat zijn ('Nederland' alleen als elke gemeente een cijfer heeft). Waar een "
    "vergelijking of trechtergrenzen ontbreken, staat de reden in de cel."
)
UITLEG_TREND = (
    "Trend: de richting over de trendperiode (minstens 4 jaar), met onzekerheid beoordeeld: stijgend, dalend, "
    "stabiel of onvoldoende gegevens. 'Gevoelig voor één jaar': zonder een van de jaren (elk om de beurt "
    "weggelaten) valt het oordeel anders uit; het rust dan op één jaar. Driejaarswaarde: het voortschrijdend "
    "gemiddelde over 3 jaar, alleen als elk jaar van het venster getoond is en de hele gemeente beschrijft."
)
UITLEG_DEKKING = (
    "Dekking (% inwoners): het deel van de inwoners van de huidige gemeente waarvan de bron leverde (100 = de "
    "hele gemeente). Niet geleverd door: de gemeenten van dat jaar die nu in deze gemeente liggen en niet "
    "leverden. Zo'n cijfer beschrijft alleen het deel dat leverde en telt niet mee in driejaarswaarde, gepoolde "
    "periode, trend en vergelijking. 'onbekend': de inwoners van het ontbrekende deel zijn niet geleverd."
)
UITLEG_PERIODEN = (
    "Gepoolde perioden: de waarnemingen van vaste, niet-overlappende perioden van drie jaar samen (2015–2017, "
    "2018–2020, ...), zodat een kleine gemeente een cijfer krijgt waar losse jaren te klein zijn. Alleen "
    "afgesloten perioden met minstens 2 jaren met gegevens, die elk de hele gemeente beschrijven."
)
GEEN_RANGLIJST = "Gemeenten staan op alfabetische volgorde; de Basismonitor maakt geen ranglijsten."

VET = Font(bold=True)
CURSIEF = Font(italic=True)
KOPRAND = Border(bottom=Side(style="thin"))
RECHTS = Alignment(horizontal="right")
TERUGLOOP = Alignment(wrap_text=True, vertical="top")


class OnderdrukkingGeschonden(ValueError):
    """De publicatie bevat bij een onderdrukte rij toch een waarde: er wordt niets geëxporteerd."""


@dataclass(frozen=True)
class Exportgegevens:
    """Alle tabellen uit de publicatie, in het geheugen (de verbinding is dan al dicht)."""

    pad: Path
    tabellen: dict[str, pl.DataFrame]  # "schema.tabel" -> inhoud, in de volgorde van de publicatie
    gepubliceerd_op: datetime | None


# --------------------------------------------------------------------------------------------------- lezen


def read_export_data(publicatie: Path) -> Exportgegevens:
    """Leest elke tabel van schema ``marts`` en ``kwaliteit.leveringen`` (alleen-lezen) en sluit de verbinding."""
    publicatie = Path(publicatie)
    with open_publication(publicatie) as con:
        aanwezig = [
            f"{s}.{t}"
            for s, t in con.execute(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' ORDER BY table_schema, table_name"
            ).fetchall()
        ]
        te_lezen = [t for t in aanwezig if t.startswith("marts.") or t in PARQUET_EXTRA]
        tabellen = {}
        for naam in te_lezen:
            schema, tabel = naam.split(".", 1)
            tabellen[naam] = con.sql(f'SELECT * FROM "{schema}"."{tabel}"').pl()
        gepubliceerd_op = published_at(con)
    return Exportgegevens(publicatie, tabellen, gepubliceerd_op)


def _check_suppression(data: Exportgegevens) -> None:
    """Geen enkele kolom van een onderdrukte rij mag een waarde dragen; anders wordt er niets geëxporteerd."""
    fouten: list[str] = []
    for tabel, (vlag, kolommen) in ONDERDRUKTE_KOLOMMEN.items():
        df = data.tabellen.get(tabel)
        if df is None or vlag not in df.columns:
            continue
        onderdrukt = df.filter(pl.col(vlag).fill_null(False))
        for kolom in kolommen:
            if kolom in onderdrukt.columns:
                aantal = onderdrukt.filter(pl.col(kolom).is_not_null()).height
                if aantal:
                    fouten.append(f"{tabel}.{kolom} ({aantal} rij{'en' if aantal > 1 else ''})")
    jaar = data.tabellen.get("marts.fct_indicator_jaar")
    vergelijking = data.tabellen.get("marts.fct_vergelijking")
    if (
        jaar is not None
        and vergelijking is not None
        and {*SLEUTEL, "onderdrukt"} <= set(jaar.columns)
        and set(SLEUTEL) <= set(vergelijking.columns)
    ):
        onderdrukte_sleutels = jaar.filter(pl.col("onderdrukt").fill_null(False)).select(SLEUTEL).unique()
        geraakt = vergelijking.join(onderdrukte_sleutels, on=SLEUTEL, how="semi")
        for kolom in VERGELIJKING_WAARDEN:
            if kolom in geraakt.columns:
                aantal = geraakt.filter(pl.col(kolom).is_not_null()).height
                if aantal:
                    fouten.append(
                        f"marts.fct_vergelijking.{kolom} ({aantal} rij{'en' if aantal > 1 else ''})"
                    )
    if fouten:
        raise OnderdrukkingGeschonden(
            f"De publicatie {data.pad} bevat cijfers die onderdrukt hadden moeten zijn: bij onderdrukte rijen "
            f"staat toch een waarde in {join_dutch(fouten)}. Er is niets geëxporteerd; herstel de marts (dbt) "
            "en publiceer opnieuw."
        )


# ------------------------------------------------------------------------------------------------- cellen


def write_text(cell: Cell, tekst: str) -> Cell:
    """Zet tekst in een cel als tekst, nooit als formule. Alle tekstcellen van de exports gaan hierdoorheen.

    Tekens die XML niet toestaat (stuurtekens) worden weggelaten. Begint de tekst met ``=``, ``+``, ``-``,
    ``@``, een tab of een regelterugloop, dan krijgt de cel bovendien een aanhalingsteken-voorvoegsel
    (quotePrefix), zodat Excel haar ook na bewerken als tekst houdt. Een regelterugloop (CR, CRLF) wordt
    een gewone regelovergang (LF), zoals elke XML-lezer hem toch zou lezen.
    """
    tekst = ILLEGAL_CHARACTERS_RE.sub("", str(tekst))
    gevaarlijk = tekst.startswith(GEVAARLIJKE_BEGINTEKENS)
    tekst = tekst.replace("\r\n", "\n").replace("\r", "\n")
    if len(tekst) > MAX_CELTEKST:
        tekst = tekst[: MAX_CELTEKST - 1] + "…"
    cell.value = tekst
    cell.data_type = "s"  # openpyxl maakt van "=..." anders een formule
    if gevaarlijk:
        cell.quotePrefix = True
    return cell


def _finite(waarde: object) -> float | int | None:
    if waarde is None or isinstance(waarde, bool):
        return None
    if isinstance(waarde, float) and not math.isfinite(waarde):
        return None
    return waarde  # type: ignore[return-value]


def _number_format(decimalen: int) -> str:
    """Excel-opmaak met duizendtalscheiding; Excel toont die in een Nederlandse omgeving als 1.234,5."""
    return "#,##0" if decimalen <= 0 else "#,##0." + "0" * decimalen


def _count_format(waarde: float | int) -> str:
    return _number_format(0 if float(waarde).is_integer() else 1)


@dataclass(frozen=True)
class Getal:
    """Een getalcel met haar Excel-opmaak."""

    waarde: float | int | None
    opmaak: str = "General"


Celwaarde = str | Getal | datetime | date | None


class _Blad:
    """Schrijft cellen in een werkblad en houdt bij hoe breed elke kolom moet worden."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.breedte: dict[int, int] = {}
        self.vast: dict[int, int] = {}

    def put(self, rij: int, kolom: int, waarde: Celwaarde, *, font: Font | None = None) -> Cell:
        cel = self.ws.cell(row=rij, column=kolom)
        if isinstance(waarde, Getal):
            getal = _finite(waarde.waarde)
            if getal is None:
                write_text(cel, LEEG)
                cel.alignment = RECHTS
                lengte = 1
            else:
                cel.value = getal
                cel.number_format = waarde.opmaak
                decimalen = len(waarde.opmaak.partition(".")[2])
                lengte = len(f"{getal:,.{decimalen}f}")  # even lang als 1.234,5
        elif isinstance(waarde, datetime):
            cel.value = waarde.replace(tzinfo=None)
            cel.number_format = "dd-mm-yyyy hh:mm"
            lengte = 16
        elif isinstance(waarde, date):
            cel.value = waarde
            cel.number_format = "dd-mm-yyyy"
            lengte = 10
        elif waarde is None:
            lengte = 0
        else:
            write_text(cel, waarde)
            lengte = max((len(regel) for regel in str(waarde).splitlines()), default=0)
        if font is not None:
            cel.font = font
        self.breedte[kolom] = max(self.breedte.get(kolom, 0), lengte)
        return cel

    def row(self, rij: int, waarden: Iterable[Celwaarde], *, font: Font | None = None) -> None:
        for kolom, waarde in enumerate(waarden, start=1):
            self.put(rij, kolom, waarde, font=font)

    def header(self, rij: int, koppen: Iterable[str]) -> None:
        for kolom, kop in enumerate(koppen, start=1):
            cel = self.put(rij, kolom, kop, font=VET)
            cel.border = KOPRAND
            cel.alignment = Alignment(wrap_text=True, vertical="bottom")

    def fixed_width(self, kolom: int, breedte: int, *, terugloop: bool = True) -> None:
        """Een vaste breedte met tekstterugloop, voor lange teksten (toelichting, verhalen)."""
        self.vast[kolom] = breedte
        if terugloop:
            for (cel,) in self.ws.iter_rows(min_row=2, min_col=kolom, max_col=kolom):
                if cel.value is not None:
                    cel.alignment = TERUGLOOP

    def rows_table(
        self, koppen: list[str], rijen: pl.DataFrame, cellen: Callable[[dict], list[Celwaarde]]
    ) -> None:
        """Kopregel in rij 1, daaronder een rij per rij van ``rijen`` (``cellen`` maakt de cellen), als tabel."""
        self.header(1, koppen)
        for rij_nr, r in enumerate(rijen.iter_rows(named=True), start=2):
            self.row(rij_nr, cellen(r))
        self.table(koppen, rijen.height)

    def table(self, koppen: list[str], rijen: int) -> None:
        """Vaste kopregel en autofilter over de tabel (kop in rij 1)."""
        self.ws.freeze_panes = "A2"
        laatste = get_column_letter(len(koppen))
        self.ws.auto_filter.ref = f"A1:{laatste}{max(1 + rijen, 1)}"

    def apply_widths(self, minimum: int = 6, maximum: int = 60) -> None:
        for kolom, lengte in self.breedte.items():
            breedte = self.vast.get(kolom, min(max(lengte + 2, minimum), maximum))
            self.ws.column_dimensions[get_column_letter(kolom)].width = breedte


def _text(waarde: object) -> str:
    return LEEG if waarde is None or (isinstance(waarde, str) and not waarde.strip()) else str(waarde)


def _sphere_key() -> pl.Expr:
    """De sfeer als sorteersleutel: in de volgorde van SFEREN, onbekend achteraan."""
    return pl.col("sfeer").replace_strict({s: i for i, s in enumerate(SFEREN)}, default=len(SFEREN))


def _sort_by_sphere(df: pl.DataFrame, *verder: str) -> pl.DataFrame:
    """Op sfeer (in de volgorde van SFEREN, onbekend achteraan) en dan op ``verder``."""
    return df.sort(_sphere_key(), *verder)


# --------------------------------------------------------------------------------------------- voorbereiden


@dataclass(frozen=True)
class _Voorbereid:
    """De publicatie, gecontroleerd en samengevoegd tot één rij per gemeente x indicator x jaar."""

    data: Exportgegevens
    gemeenten: pl.DataFrame
    indicatoren: pl.DataFrame
    cijfers: pl.DataFrame  # jaarcijfers + driejaarswaarde/trend + vergelijkingen, gesorteerd
    verhalen: pl.DataFrame
    leveringen: pl.DataFrame
    perioden: pl.DataFrame  # gepoolde perioden met gemeente- en indicatornaam, gesorteerd
    namen: dict[str, str]  # gemeentecode -> naam, ook van voorgangers (voor "niet geleverd door")

    def with_figures(self) -> list[str]:
        """Gemeenten in marts.dim_gemeente met cijfers (dezelfde keuze als bij de gemeenterapporten)."""
        met_cijfers = set(self.data.tabellen["marts.fct_indicator_jaar"]["gemeentecode"].unique().to_list())
        return sorted(c for c in self.gemeenten["gemeentecode"].to_list() if c in met_cijfers)


def _comparison(vergelijking: pl.DataFrame, referentie: str, voorvoegsel: str) -> pl.DataFrame:
    """De vergelijking met één referentie, met haar naam en (als die ontbreekt) de reden, uit de mart."""
    return vergelijking.filter(pl.col("referentie") == referentie).select(
        *SLEUTEL,
        pl.col("referentie_naam").alias(f"{voorvoegsel}_naam"),
        pl.col("referentie_waarde").alias(f"{voorvoegsel}_waarde"),
        pl.col("positie").alias(f"{voorvoegsel}_positie"),
        pl.col("positie_998").alias(f"{voorvoegsel}_positie_998"),
        pl.col("reden_geen_referentie").alias(f"{voorvoegsel}_reden_geen_referentie"),
        pl.col("reden_geen_grenzen").alias(f"{voorvoegsel}_reden_geen_grenzen"),
        pl.when(pl.col("samenstelling_gewijzigd"))
        .then(pl.col("samenstelling_wijziging"))
        .otherwise(None)
        .alias(f"{voorvoegsel}_samenstelling"),
    )


def _prepare(data: Exportgegevens) -> _Voorbereid:
    check_tables({t: df.columns for t, df in data.tabellen.items()}, VEREISTE_TABELLEN, data.pad, "De export")
    _check_suppression(data)
    t = data.tabellen
    gemeenten = t["marts.dim_gemeente"]
    indicatoren = t["marts.dim_indicator"]
    verhalen = t["marts.fct_verhalen"]
    onbekend = sorted(
        (set(indicatoren["sfeer"].drop_nulls().to_list()) | set(verhalen["sfeer"].drop_nulls().to_list()))
        - set(SFEREN)
    )
    if onbekend or indicatoren["sfeer"].null_count() or verhalen["sfeer"].null_count():
        raise OnvolledigePublicatie(
            f"De publicatie {data.pad} bevat een onbekende of lege sfeer ({join_dutch(onbekend) or 'leeg'}); "
            f"toegestaan zijn {join_dutch(list(SFEREN))}."
        )

    jaar = t["marts.fct_indicator_jaar"]
    buiten_catalogus = sorted(
        set(jaar["indicator_code"].unique().to_list()) - set(indicatoren["indicator_code"])
    )
    if buiten_catalogus:
        raise OnvolledigePublicatie(
            f"De publicatie {data.pad} bevat cijfers voor indicatoren die niet in marts.dim_indicator staan: "
            f"{join_dutch(buiten_catalogus)}."
        )
    meerjarig = t["marts.fct_indicator_meerjarig"].select(
        *SLEUTEL,
        "waarde_3jaar",
        "ci_onder_3jaar",
        "ci_boven_3jaar",
        "onderdrukt_3jaar",
        "trend",
        "trend_gevoelig",
        "trend_jaar_van",
        "trend_jaar_tot",
    )
    vergelijking = t["marts.fct_vergelijking"]
    perioden = t["marts.fct_indicator_periode"]
    # De jaren waarvoor een gepoolde periode bestaat (daar verwijst een lege driejaarswaarde naar).
    periodejaren = (
        perioden.select(
            "gemeentecode",
            "indicator_code",
            pl.int_ranges("periode_van", pl.col("periode_tot") + 1, dtype=pl.Int32).alias("jaar"),
        )
        .explode("jaar")
        .unique()
        .with_columns(pl.col("jaar").cast(jaar.schema["jaar"]), pl.lit(True).alias("heeft_periode"))
    )
    cijfers = (
        _with_names(jaar, gemeenten, indicatoren)
        .join(meerjarig, on=SLEUTEL, how="left")
        .join(periodejaren, on=SLEUTEL, how="left")
        .join(_comparison(vergelijking, "vergelijkingsgroep", "vg"), on=SLEUTEL, how="left")
        .join(_comparison(vergelijking, "landelijk", "ref"), on=SLEUTEL, how="left")
    )
    if cijfers.height != jaar.height:
        raise OnvolledigePublicatie(
            f"De publicatie {data.pad} bevat dubbele rijen per gemeente, indicator en jaar in "
            "marts.dim_gemeente, marts.fct_indicator_meerjarig of marts.fct_vergelijking."
        )
    cijfers = cijfers.sort(
        pl.col("gemeentenaam").str.to_lowercase(), "gemeentecode", "indicator_code", "jaar"
    )
    perioden = _with_names(perioden, gemeenten, indicatoren)
    return _Voorbereid(
        data,
        gemeenten,
        indicatoren,
        cijfers,
        verhalen,
        t["kwaliteit.leveringen"],
        perioden,
        municipality_names(gemeenten),
    )


def _with_names(df: pl.DataFrame, gemeenten: pl.DataFrame, indicatoren: pl.DataFrame) -> pl.DataFrame:
    """``df`` (per gemeente en indicator) met de naam van de gemeente en de naam, sfeer, eenheid en het minimum
    van de indicator."""
    return (
        df.join(gemeenten.select("gemeentecode", "gemeentenaam"), on="gemeentecode", how="left")
        .with_columns(pl.coalesce("gemeentenaam", "gemeentecode").alias("gemeentenaam"))
        .join(
            indicatoren.select(
                "indicator_code",
                pl.col("naam").alias("indicator_naam"),
                "sfeer",
                "eenheid",
                "minimum_n",
            ),
            on="indicator_code",
            how="left",
        )
    )


# ------------------------------------------------------------------------------------------- werkbladen

KOPPEN_CIJFERS = [
    "Gemeente",
    "Gemeentecode",
    "Indicator",
    "Indicatorcode",
    "Eenheid",
    "Jaar",
    "Waarde",
    "Ondergrens 95%",
    "Bovengrens 95%",
    "Teller",
    "Noemer",
    "n",
    "Dekking (% inwoners)",
    "Niet geleverd door",
    "Driejaarswaarde",
    "Ondergrens 95% (driejaars)",
    "Bovengrens 95% (driejaars)",
    "Trend",
    "Trendperiode",
    "Vergelijkingsgroep",
    "Waarde vergelijkingsgroep",
    "t.o.v. vergelijkingsgroep",
    "Referentie",
    "Waarde referentie",
    "t.o.v. referentie",
    "Samenstelling referentie",
    "Opmerking",
]

# Kolommen (1-based) die getallen bevatten; een "–" daarin staat rechts uitgelijnd.
GETALKOLOMMEN = [
    KOPPEN_CIJFERS.index(k) + 1
    for k in KOPPEN_CIJFERS
    if k.startswith(
        ("Jaar", "Waarde", "Ondergrens", "Bovengrens", "Teller", "Noemer", "n", "Dekking", "Driejaarswaarde")
    )
]


def _position(
    positie: str | None,
    positie_998: str | None,
    reden_geen_referentie: str | None = None,
    reden_geen_grenzen: str | None = None,
) -> str:
    """De plaats ten opzichte van de trechtergrenzen, in woorden (geen rangorde, geen kleur); zonder referentie
    of zonder grenzen de reden uit de mart."""
    if reden_geen_referentie:
        return f"geen vergelijking: {reden_geen_referentie}"
    if positie is None:
        return reden_geen_grenzen or LEEG
    if positie == "binnen":
        return "binnen de grenzen"
    if positie in ("boven", "onder"):
        grens = "99,8%" if positie_998 == positie else "95%"
        return f"{positie} de {grens}-grens"
    return positie


def _coverage_cells(r: dict, namen: dict[str, str]) -> tuple[list[Celwaarde], str | None]:
    """De cellen "Dekking (% inwoners)" en "Niet geleverd door", en de opmerking bij een cijfer dat alleen het
    deel van de gemeente beschrijft dat leverde (None bij volledige dekking)."""
    dekking = Dekking.of(r)
    if dekking.aandeel is None:
        procent: Celwaarde = "onbekend" if dekking.deels else None
    else:
        procent = Getal(dekking.percent, "0.0")
    noot = dekking.note(namen)
    return [procent, dekking.missing_label(namen) or None], noot[:1].upper() + noot[1:] if noot else None


def _figure_row(r: dict, namen: dict[str, str]) -> tuple[list[Celwaarde], bool, bool]:
    """Eén rij van een sfeerblad; geeft ook terug of het jaar- of driejaarscijfer onderdrukt is."""
    decimalen = decimals_for_unit(r["eenheid"])
    opmaak = _number_format(decimalen)
    minimum_n = r["minimum_n"]
    n_tekst = format_number(minimum_n) if minimum_n is not None else "n"
    onderdrukt = bool(r["onderdrukt"])
    onderdrukt_3 = bool(r["onderdrukt_3jaar"])
    opmerkingen = []
    # De dekking gaat over het gebied, niet over de waarnemingen: ook bij een onderdrukt jaar staat ze er.
    dekkingscellen, dekkingsnoot = _coverage_cells(r, namen)
    if dekkingsnoot and not onderdrukt:
        opmerkingen.append(dekkingsnoot)

    if onderdrukt:
        # Een onderdrukt jaar toont alleen dát het onderdrukt is: geen waarde, interval, teller, noemer of n.
        jaarcellen: list[Celwaarde] = [LEEG, LEEG, LEEG, LEEG, LEEG, f"< {n_tekst}" if minimum_n else LEEG]
        vergelijking: list[Celwaarde] = [
            _text(r["vg_naam"]),
            LEEG,
            LEEG,
            _text(r["ref_naam"]),
            LEEG,
            LEEG,
            LEEG,
        ]
        opmerkingen.append(VOETNOOT_ONDERDRUKT.format(n=n_tekst))
    else:
        teller, noemer = _finite(r["teller"]), _finite(r["noemer"])
        jaarcellen = [
            Getal(r["waarde"], opmaak),
            Getal(r["ci_onder"], opmaak),
            Getal(r["ci_boven"], opmaak),
            Getal(teller, _count_format(teller) if teller is not None else "General"),
            Getal(noemer, _count_format(noemer) if noemer is not None else "General"),
            Getal(r["n"], "#,##0"),
        ]
        vergelijking = [
            _text(r["vg_naam"]),
            Getal(r["vg_waarde"], opmaak),
            _position(
                r["vg_positie"],
                r["vg_positie_998"],
                r["vg_reden_geen_referentie"],
                r["vg_reden_geen_grenzen"],
            ),
            _text(r["ref_naam"]),
            Getal(r["ref_waarde"], opmaak),
            _position(
                r["ref_positie"],
                r["ref_positie_998"],
                r["ref_reden_geen_referentie"],
                r["ref_reden_geen_grenzen"],
            ),
            _text(r["ref_samenstelling"]),
        ]
    if onderdrukt_3:
        driejaars: list[Celwaarde] = [LEEG, LEEG, LEEG]
        opmerkingen.append(VOETNOOT_ONDERDRUKT_3JAAR + (f"; {ZIE_PERIODEN}" if r["heeft_periode"] else ""))
    else:
        driejaars = [
            Getal(r["waarde_3jaar"], opmaak),
            Getal(r["ci_onder_3jaar"], opmaak),
            Getal(r["ci_boven_3jaar"], opmaak),
        ]
    van, tot = r["trend_jaar_van"], r["trend_jaar_tot"]
    if van is None or tot is None:
        periode = LEEG
    else:
        periode = str(van) if van == tot else f"{van}–{tot}"
    rij: list[Celwaarde] = [
        r["gemeentenaam"],
        r["gemeentecode"],
        _text(r["indicator_naam"]),
        r["indicator_code"],
        _text(r["eenheid"]),
        Getal(r["jaar"], "0"),
        *jaarcellen,
        *dekkingscellen,
        *driejaars,
        _text(r["trend"]) + (f" ({GEVOELIG_KORT})" if r["trend_gevoelig"] else ""),
        periode,
        *vergelijking,
        "; ".join(opmerkingen) if opmerkingen else None,
    ]
    return rij, onderdrukt, onderdrukt_3


def _sphere_sheet(
    ws: Worksheet, cijfers: pl.DataFrame, indicatoren: pl.DataFrame, sfeer: str, namen: dict[str, str]
) -> None:
    blad = _Blad(ws)
    blad.header(1, KOPPEN_CIJFERS)
    rijen = cijfers.filter(pl.col("sfeer") == sfeer)
    aantal_onderdrukt = 0
    rij_nr = 1
    for rij_nr, r in enumerate(rijen.iter_rows(named=True), start=2):
        waarden, onderdrukt, onderdrukt_3 = _figure_row(r, namen)
        blad.row(rij_nr, waarden)
        for kolom in GETALKOLOMMEN:  # "–" en "< 100" rechts, in lijn met de getallen
            cel = ws.cell(row=rij_nr, column=kolom)
            if isinstance(cel.value, str):
                cel.alignment = RECHTS
        aantal_onderdrukt += onderdrukt + onderdrukt_3
    if rijen.height == 0:
        rij_nr = 2
        blad.put(rij_nr, 1, "Er zijn (nog) geen cijfers voor deze sfeer.", font=CURSIEF)
    blad.table(KOPPEN_CIJFERS, rijen.height)

    # Voetnoot onder de tabel: de onderdrukkingsregel met het minimum per indicator.
    r = rij_nr + 2
    blad.put(r, 1, f"{LEEG} {ONDERDRUKKINGSREGEL}", font=VET)
    r += 1
    if aantal_onderdrukt:
        blad.put(
            r,
            1,
            f"In dit tabblad {'zijn' if aantal_onderdrukt > 1 else 'is'} {aantal_onderdrukt} "
            f"cijfer{'s' if aantal_onderdrukt > 1 else ''} om die reden niet getoond.",
        )
        r += 1
    blad.put(r, 1, "Minimum aantal waarnemingen per indicator:")
    r += 1
    for ind in indicatoren.filter(pl.col("sfeer") == sfeer).sort("indicator_code").iter_rows(named=True):
        minimum = format_number(ind["minimum_n"]) if ind["minimum_n"] is not None else LEEG
        blad.put(r, 1, f"{_text(ind['naam'])} ({ind['indicator_code']}): {minimum}")
        r += 1
    for tekst in (UITLEG_TREND, UITLEG_DEKKING, UITLEG_VERGELIJKING, GEEN_RANGLIJST):
        r += 1
        blad.put(r, 1, tekst)
    # De voetnoten lopen over de tabel heen; ze bepalen de breedte van kolom A niet.
    blad.breedte[1] = max(
        [len(KOPPEN_CIJFERS[0])] + [len(str(n)) for n in rijen["gemeentenaam"].unique().to_list()]
    )
    blad.apply_widths(maximum=45)


KOPPEN_PERIODEN = [
    "Gemeente",
    "Gemeentecode",
    "Indicator",
    "Indicatorcode",
    "Eenheid",
    "Periode",
    "Jaren met gegevens",
    "Jaren afzonderlijk niet getoond",
    "Waarde",
    "Ondergrens 95%",
    "Bovengrens 95%",
    "n",
    "Opmerking",
]


def _periods_sheet(ws: Worksheet, perioden: pl.DataFrame) -> None:
    """De gepoolde perioden (marts.fct_indicator_periode): één rij per gemeente, indicator en periode. Van een
    onderdrukte periode staat alleen dát ze onderdrukt is, nooit een getal."""
    blad = _Blad(ws)
    rijen = perioden.sort(
        pl.col("gemeentenaam").str.to_lowercase(),
        "gemeentecode",
        _sphere_key(),
        "indicator_code",
        "periode_van",
    )

    def cellen(r: dict) -> list[Celwaarde]:
        opmaak = _number_format(decimals_for_unit(r["eenheid"]))
        onderdrukt = bool(r["onderdrukt"])
        getallen: list[Celwaarde] = (
            [LEEG, LEEG, LEEG, LEEG]
            if onderdrukt
            else [
                Getal(r["waarde"], opmaak),
                Getal(r["ci_onder"], opmaak),
                Getal(r["ci_boven"], opmaak),
                Getal(r["n"], "#,##0"),
            ]
        )
        return [
            r["gemeentenaam"],
            r["gemeentecode"],
            _text(r["indicator_naam"]),
            r["indicator_code"],
            _text(r["eenheid"]),
            _text(r["periode"]),
            Getal(r["jaren_met_gegevens"], "0"),
            Getal(r["jaren_onderdrukt"], "0"),
            *getallen,
            PERIODE_ONDERDRUKT[:1].upper() + PERIODE_ONDERDRUKT[1:] if onderdrukt else None,
        ]

    blad.rows_table(KOPPEN_PERIODEN, rijen, cellen)
    getalkolommen = range(KOPPEN_PERIODEN.index("Waarde") + 1, KOPPEN_PERIODEN.index("n") + 2)
    for rij_nr in range(2, rijen.height + 2):
        for kolom in getalkolommen:  # "–" rechts, in lijn met de getallen
            cel = ws.cell(row=rij_nr, column=kolom)
            if isinstance(cel.value, str):
                cel.alignment = RECHTS
    r = max(rijen.height, 1) + 3
    if rijen.height == 0:
        blad.put(2, 1, "Er zijn (nog) geen gepoolde perioden.", font=CURSIEF)
    blad.put(r, 1, UITLEG_PERIODEN)
    blad.breedte[1] = max([len(KOPPEN_PERIODEN[0])] + [len(str(n)) for n in rijen["gemeentenaam"].to_list()])
    blad.apply_widths(maximum=45)


def _catalogue_sheet(ws: Worksheet, indicatoren: pl.DataFrame) -> None:
    koppen = [
        "Code",
        "Naam",
        "Sfeer",
        "Bron",
        "Eenheid",
        "Tellerdefinitie",
        "Noemerdefinitie",
        "Minimum n",
        "Richting gunstig",
        "Toelichting",
    ]
    blad = _Blad(ws)
    blad.rows_table(
        koppen,
        _sort_by_sphere(indicatoren, "indicator_code"),
        lambda r: [
            r["indicator_code"],
            _text(r["naam"]),
            _text(r["sfeer"]),
            _text(BRON_NAMEN.get(r["bron"], r["bron"])),
            _text(r["eenheid"]),
            _text(r["teller_definitie"]),
            _text(r["noemer_definitie"]),
            Getal(r["minimum_n"], "#,##0"),
            _text(r["richting_gunstig"]),
            _text(r["toelichting"]),
        ],
    )
    for kolom in (2, 6, 7):
        blad.fixed_width(kolom, 40)
    blad.fixed_width(10, 70)
    blad.apply_widths()


def _stories_sheet(ws: Worksheet, verhalen: pl.DataFrame, gemeentenaam: str) -> None:
    koppen = ["Titel", "Jaar", "Sfeer", "Wijkcode", "Tekst"]
    blad = _Blad(ws)
    blad.rows_table(
        koppen,
        _sort_by_sphere(verhalen, "jaar", "verhaal_id", "wijkcode"),
        lambda r: [r["titel"], Getal(r["jaar"], "0"), r["sfeer"], r["wijkcode"], r["tekst"]],
    )
    if verhalen.height == 0:
        blad.put(2, 1, f"Er zijn (nog) geen verhalen uit {gemeentenaam}.", font=CURSIEF)
    blad.fixed_width(1, 35)
    blad.fixed_width(5, 90)
    blad.apply_widths()


def _municipalities_sheet(ws: Worksheet, gemeenten: pl.DataFrame) -> None:
    koppen = ["Gemeentecode", "Gemeente", "Provincie", "Gemeentegrootte", "Stedelijkheid", "Inwoners 2022"]
    blad = _Blad(ws)
    blad.rows_table(
        koppen,
        gemeenten.sort(pl.col("gemeentenaam").str.to_lowercase(), "gemeentecode"),
        lambda r: [
            r["gemeentecode"],
            _text(r["gemeentenaam"]),
            _text(r["provincie"]),
            _text(r["gemeentegrootte"]),
            _text(r["stedelijkheid"]),
            Getal(r["inwoners_2022"], "#,##0"),
        ],
    )
    blad.apply_widths()


def _accountability_sheet(
    ws: Worksheet,
    v: _Voorbereid,
    cijfers: pl.DataFrame,
    verhalen: pl.DataFrame,
    onderwerp: str,
    gemaakt_op: datetime,
) -> None:
    blad = _Blad(ws)
    blad.put(1, 1, "Basismonitor – verantwoording", font=Font(bold=True, size=14))
    gebruikte_bronnen = set(
        v.indicatoren.filter(pl.col("indicator_code").is_in(cijfers["indicator_code"].unique().to_list()))[
            "bron"
        ]
        .drop_nulls()
        .to_list()
    )
    if verhalen.height:
        gebruikte_bronnen.add("verhalen")
    gegevens: list[tuple[str, str]] = [
        ("Onderwerp", onderwerp),
        ("Publicatie", v.data.pad.name),
        (
            "Gepubliceerd op",
            format_date(v.data.gepubliceerd_op) if v.data.gepubliceerd_op else "onbekend",
        ),
        ("Gemaakt op", f"{format_date(gemaakt_op)} om {gemaakt_op.strftime('%H:%M')}"),
        (
            "Periode",
            f"{cijfers['jaar'].min()}–{cijfers['jaar'].max()}" if cijfers.height else "geen cijfers",
        ),
        ("Bronnen", "; ".join(sorted(BRON_NAMEN.get(b, b) for b in gebruikte_bronnen)) or LEEG),
        ("Onderdrukking", ONDERDRUKKINGSREGEL),
        (
            "Getallen",
            "Getallen zijn echte getallen; de opmaak (decimalen) volgt de eenheid van de indicator.",
        ),
        ("Rangorde", GEEN_RANGLIJST),
    ]
    rij = 3
    for sleutel, waarde in gegevens:
        blad.put(rij, 1, sleutel, font=VET)
        blad.put(rij, 2, waarde)
        rij += 1

    # Herkomst: de leveringen waaruit deze cijfers zijn berekend.
    levering_ids = sorted(set(cijfers["bron_leveringen"].explode().drop_nulls().to_list()))
    gebruikt = v.leveringen.filter(pl.col("levering_id").is_in(levering_ids)).sort(
        ["bron", "ontvangen_op", "bestandsnaam"]
    )
    rij += 1
    blad.put(rij, 1, "Gebruikte leveringen", font=VET)
    rij += 1
    koppen = ["Bron", "Bestandsnaam", "Ontvangen op", "Rijen", "Status", "sha256", "Levering"]
    for kolom, kop in enumerate(koppen, start=1):
        cel = blad.put(rij, kolom, kop, font=VET)
        cel.border = KOPRAND
    for r in gebruikt.iter_rows(named=True):
        rij += 1
        blad.row(
            rij,
            [
                _text(r["bron"]),
                _text(r["bestandsnaam"]),
                r["ontvangen_op"],
                Getal(r["rijen"], "#,##0"),
                _text(r["status"]),
                _text(r["sha256"]),
                _text(r["levering_id"]),
            ],
        )
    if gebruikt.height == 0:
        rij += 1
        blad.put(rij, 1, "Geen leveringen: er zijn (nog) geen cijfers.", font=CURSIEF)
    niet_gevonden = sorted(set(levering_ids) - set(gebruikt["levering_id"].to_list()))
    if niet_gevonden:
        rij += 2
        blad.put(
            rij,
            1,
            f"Niet gevonden in het grootboek van leveringen: {join_dutch(niet_gevonden)}.",
            font=VET,
        )
    blad.breedte[1] = max(blad.breedte.get(1, 0), 16)
    blad.fixed_width(2, 60, terugloop=False)
    for cel in ws["B"][2 : 2 + len(gegevens)]:
        cel.alignment = TERUGLOOP
    blad.apply_widths(maximum=70)


def _workbook(v: _Voorbereid, gemeentecode: str | None, gemaakt_op: datetime) -> Workbook:
    if gemeentecode is not None:
        gemeente_rijen = v.gemeenten.filter(pl.col("gemeentecode") == gemeentecode)
        if gemeente_rijen.height == 0:
            raise ValueError(f"Gemeente {gemeentecode} komt niet voor in de publicatie")
        naam = gemeente_rijen["gemeentenaam"][0] or gemeentecode
        cijfers = v.cijfers.filter(pl.col("gemeentecode") == gemeentecode)
        perioden = v.perioden.filter(pl.col("gemeentecode") == gemeentecode)
        verhalen = v.verhalen.filter(pl.col("gemeentecode") == gemeentecode)
        titel = f"Basismonitor – {naam} ({gemeentecode})"
        onderwerp = f"{naam} ({gemeentecode})"
    else:
        cijfers = v.cijfers
        perioden = v.perioden
        verhalen = v.verhalen.clear()
        codes = cijfers["gemeentecode"].unique().to_list()
        titel = "Basismonitor – alle gemeenten"
        onderwerp = f"Alle gemeenten met cijfers ({len(codes)})"

    wb = Workbook()
    wb.properties.title = ILLEGAL_CHARACTERS_RE.sub("", titel)
    wb.properties.creator = "Basismonitor"
    wb.properties.lastModifiedBy = "Basismonitor"
    wb.properties.subject = "Uitkomsten van de sociale basis, per sfeer, indicator en jaar"
    wb.properties.language = "nl-NL"
    eerste = wb.active
    for i, sfeer in enumerate(SFEREN):
        ws = eerste if i == 0 else wb.create_sheet()
        ws.title = SFEER_BLADEN[sfeer]
        _sphere_sheet(ws, cijfers, v.indicatoren, sfeer, v.namen)
    _periods_sheet(wb.create_sheet("Perioden"), perioden)
    if gemeentecode is not None:
        _stories_sheet(wb.create_sheet("Verhalen"), verhalen, naam)
    else:
        met_cijfers = v.gemeenten.filter(pl.col("gemeentecode").is_in(codes))
        _municipalities_sheet(wb.create_sheet("Gemeenten"), met_cijfers)
    _catalogue_sheet(wb.create_sheet("Indicatoren"), v.indicatoren)
    _accountability_sheet(wb.create_sheet("Verantwoording"), v, cijfers, verhalen, onderwerp, gemaakt_op)
    wb.active = 0
    return wb


# ------------------------------------------------------------------------------------------- schrijven


def workbook_name(gemeentecode: str | None) -> str:
    """Bestandsnaam van de werkmap van een gemeente, of van de landelijke werkmap (None)."""
    return f"basismonitor_{gemeentecode}.xlsx" if gemeentecode else "basismonitor_landelijk.xlsx"


def _save_workbook(v: _Voorbereid, gemeentecode: str | None, uitvoer_map: Path, nu: datetime) -> Path:
    wb = _workbook(v, gemeentecode, nu)
    return write_atomic(Path(uitvoer_map) / workbook_name(gemeentecode), wb.save)


def _parquet_tables(data: Exportgegevens) -> dict[str, pl.DataFrame]:
    if "kwaliteit.leveringen" not in data.tabellen:
        raise OnvolledigePublicatie(
            f"De publicatie {data.pad} is onvolledig: de tabel kwaliteit.leveringen ontbreekt."
        )
    marts = [t for t in data.tabellen if t.startswith("marts.")]
    if not marts:
        raise OnvolledigePublicatie(f"De publicatie {data.pad} is onvolledig: er staan geen marts in.")
    bestanden: dict[str, pl.DataFrame] = {}
    for tabel in [*marts, *PARQUET_EXTRA]:
        naam = tabel.split(".", 1)[1]
        if naam in bestanden:
            raise OnvolledigePublicatie(
                f"De publicatie {data.pad} bevat twee tabellen met de naam {naam}; Parquet-bestanden heten "
                "naar de tabel en zouden elkaar overschrijven."
            )
        bestanden[naam] = data.tabellen[tabel]
    return bestanden


def _save_parquet(bestanden: dict[str, pl.DataFrame], uitvoer_map: Path) -> list[Path]:
    doelmap = Path(uitvoer_map) / "parquet"
    return [write_atomic(doelmap / f"{naam}.parquet", df.write_parquet) for naam, df in bestanden.items()]


def export_municipality_workbook(publicatie: Path, gemeentecode: str, uitvoer_map: Path) -> Path:
    """Schrijft <uitvoer_map>/basismonitor_<gemeentecode>.xlsx en geeft het pad terug."""
    v = _prepare(read_export_data(Path(publicatie)))
    return _save_workbook(v, gemeentecode, Path(uitvoer_map), datetime.now())


def export_national_workbook(publicatie: Path, uitvoer_map: Path) -> Path:
    """Schrijft <uitvoer_map>/basismonitor_landelijk.xlsx (alle gemeenten met cijfers) en geeft het pad terug."""
    v = _prepare(read_export_data(Path(publicatie)))
    return _save_workbook(v, None, Path(uitvoer_map), datetime.now())


def export_parquet(publicatie: Path, uitvoer_map: Path) -> list[Path]:
    """Schrijft elke tabel van schema ``marts`` en ``kwaliteit.leveringen`` naar <uitvoer_map>/parquet/<tabel>.parquet."""
    data = read_export_data(Path(publicatie))
    bestanden = _parquet_tables(data)
    _check_suppression(data)
    return _save_parquet(bestanden, Path(uitvoer_map))


LANDELIJK = "landelijk"  # het deel van export_all dat de landelijke werkmap schrijft


def export_all(publicatie: Path, uitvoer_map: Path, werkers: int | None = None) -> list[Path]:
    """De landelijke werkmap, een werkmap per gemeente met cijfers en Parquet van elke mart.

    De publicatie wordt eerst helemaal gecontroleerd; pas daarna wordt er iets geschreven. De werkmappen worden
    verdeeld over `werkers` processen (standaard één per processorkern; landelijk zijn het er 343).
    """
    publicatie, uitvoer_map = Path(publicatie), Path(uitvoer_map)
    data = read_export_data(publicatie)
    bestanden = _parquet_tables(data)
    v = _prepare(data)
    nu = datetime.now()
    delen = [LANDELIJK, *v.with_figures()]
    if worker_count(len(delen), werkers) == 1:
        werkmappen = _save_workbooks(v, delen, uitvoer_map, nu)
    else:
        werkmappen = in_processes(_export_share, delen, publicatie, uitvoer_map, nu, werkers=werkers)
        werkmappen.sort(key=lambda p: p.name != workbook_name(None))  # de landelijke voorop
    return werkmappen + _save_parquet(bestanden, uitvoer_map)


def _export_share(publicatie: Path, uitvoer_map: Path, nu: datetime, codes: list[str]) -> list[Path]:
    """De werkmappen van `codes` (LANDELIJK voor de landelijke), uit één keer gelezen publicatie."""
    return _save_workbooks(_prepare(read_export_data(publicatie)), codes, uitvoer_map, nu)


def _save_workbooks(v: _Voorbereid, codes: list[str], uitvoer_map: Path, nu: datetime) -> list[Path]:
    return [_save_workbook(v, None if code == LANDELIJK else code, uitvoer_map, nu) for code in codes]
