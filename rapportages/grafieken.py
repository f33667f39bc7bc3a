"""Grafieken als inline SVG: vectoren, zonder JavaScript en zonder externe bronnen.

De meerjarenlijn toont per jaar de waarde als punt, verbonden door een lijn, met het 95%-interval als
gekleurde band, en de driejaarswaarde als tweede, gestreepte lijn. Een onderdrukt jaar is een onderbreking van
lijn en band, met een lichtgrijze kolom en een "–" als markering: daar staat nooit een waarde. Een onderdrukt
driejaarsvenster is alleen een onderbreking van de gestreepte lijn. Een jaar waarvan het cijfer alleen het deel
van de gemeente beschrijft dat leverde (dekking), is een open rondje aan een gestippelde lijn, met een eigen
regel in de legenda. Een gepoolde periode (drie jaren samen) is een paarse balk over die jaren, met haar
interval als licht vlak.

De vergelijkingsgrafiek zet per referentie (vergelijkingsgroep, de gemeenten in de monitor of, als die allemaal
een cijfer hebben, Nederland: de naam komt uit de mart) de trechtergrenzen voor een gemeente van deze omvang als
banden neer (99,8% licht, 95% donkerder), de referentiewaarde als streep en de waarde van de gemeente als punt,
met het 95%-interval als dat er is. Een legenda noemt alleen wat er getekend is. Kleuren komen uit het
Okabe–Ito-palet (kleurenblindveilig); er is geen rood/groen en geen rangorde.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from markupsafe import Markup, escape

from rapportages.dekking import DRIEJAARS_NIET_GETOOND
from rapportages.opmaak import LEEG, format_interval, format_number, short_unit

# Okabe–Ito
BLAUW = "#0072B2"
HEMELBLAUW = "#56B4E9"
VERMILJOEN = "#D55E00"
PAARS = "#CC79A7"  # gepoolde perioden
ZWART = "#000000"
GRIJS_TEKST = "#444444"
GRIJS_LIJN = "#8c8c8c"
GRIJS_RASTER = "#e3e3e3"
GRIJS_VLAK = "#efefef"
GRENS_998 = "#e4e4e4"
GRENS_95 = "#bdbdbd"
LETTERTYPE = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

BREEDTE, HOOGTE = 640, 236
LINKS, RECHTS, BOVEN, ONDER = 58, 16, 36, 30
BINNENRAND = 18  # ruimte tussen de as en het eerste en laatste jaar

_P = TypeVar("_P")


@dataclass(frozen=True)
class _Meetpunt:
    jaar: int
    waarde: float | None
    ci_onder: float | None
    ci_boven: float | None
    onderdrukt: bool

    @property
    def zichtbaar(self) -> bool:
        return not self.onderdrukt and is_number(self.waarde)


@dataclass(frozen=True)
class Jaarpunt(_Meetpunt):
    # Waar het cijfer alleen het deel van de gemeente beschrijft dat leverde: die zin ("alleen het deel dat
    # leverde (zonder Haren; ...)"); None bij volledige dekking.
    deel: str | None = None

    @property
    def heeft_interval(self) -> bool:
        return self.zichtbaar and is_number(self.ci_onder) and is_number(self.ci_boven)

    @property
    def deels(self) -> bool:
        return self.deel is not None


@dataclass(frozen=True)
class Driejaarspunt(_Meetpunt):
    """De driejaarswaarde over het venster [jaar-2, jaar]; ``onderdrukt`` als het venster te weinig
    waarnemingen heeft (dan zijn waarde en interval leeg)."""


@dataclass(frozen=True)
class Periodebalk:
    """Een gepubliceerde gepoolde periode (marts.fct_indicator_periode) over de jaren ``van`` tot en met ``tot``.
    Een onderdrukte periode wordt niet getekend en komt hier dus nooit."""

    van: int
    tot: int
    waarde: float
    ci_onder: float | None = None
    ci_boven: float | None = None

    @property
    def heeft_interval(self) -> bool:
        return is_number(self.ci_onder) and is_number(self.ci_boven)


@dataclass(frozen=True)
class Vergelijkingsrij:
    """Eén referentie in de vergelijkingsgrafiek (uit marts.fct_vergelijking)."""

    label: (
        str  # referentie_naam_kort uit de mart: "Vergelijkingsgroep", "Gemeenten in de monitor", "Nederland"
    )
    onderschrift: str  # "14 van de 342 gemeenten"
    waarde: float | None
    ci_onder: float | None
    ci_boven: float | None
    referentie_waarde: float | None
    grens_95_onder: float | None
    grens_95_boven: float | None
    grens_998_onder: float | None
    grens_998_boven: float | None
    positie_tekst: str = ""

    @property
    def heeft_95(self) -> bool:
        return is_number(self.grens_95_onder) and is_number(self.grens_95_boven)

    @property
    def heeft_998(self) -> bool:
        return is_number(self.grens_998_onder) and is_number(self.grens_998_boven)

    @property
    def heeft_interval(self) -> bool:
        return is_number(self.ci_onder) and is_number(self.ci_boven)


def is_number(x: float | None) -> bool:
    return x is not None and not isinstance(x, bool) and isinstance(x, int | float) and math.isfinite(x)


def _decimals_of_step(step: float) -> int:
    for d in range(0, 7):
        geschaald = step * 10**d
        if abs(geschaald - round(geschaald)) < 1e-9 * max(1.0, abs(geschaald)):
            return d
    return 6


def _nice(x: float, afronden: bool) -> float:
    exponent = math.floor(math.log10(x))
    fractie = x / 10**exponent
    if afronden:
        nice = 1 if fractie < 1.5 else 2 if fractie < 3 else 5 if fractie < 7 else 10
    else:
        nice = 1 if fractie <= 1 else 2 if fractie <= 2 else 5 if fractie <= 5 else 10
    return nice * 10**exponent


def nice_ticks(
    laag: float,
    hoog: float,
    max_ticks: int = 5,
    ondergrens: float | None = None,
    bovengrens: float | None = None,
) -> tuple[list[float], int]:
    """Ronde asverdeling die [laag, hoog] omvat; geeft de streepjes en het aantal decimalen terug.

    ``ondergrens``/``bovengrens`` begrenzen de as (bijv. 0 en 100 voor een percentage).
    """
    if hoog < laag:
        laag, hoog = hoog, laag
    # Waarden die alleen in de laatste bits verschillen (een gemeente die haar eigen referentie is) tellen als
    # gelijk: anders wordt de stap kleiner dan de afronding van de streepjes en komt de as nooit rond.
    if hoog - laag <= 1e-6 * max(1.0, abs(laag), abs(hoog)):
        marge = abs(laag) * 0.1 or 1.0
        laag, hoog = laag - marge, hoog + marge
        # Niet buiten de grenzen van de eenheid uitwijken (100% blijft de bovenkant).
        if ondergrens is not None and laag < ondergrens < hoog:
            laag = ondergrens
        if bovengrens is not None and laag < bovengrens < hoog:
            hoog = bovengrens
    stap = _nice(_nice(hoog - laag, False) / (max_ticks - 1), True)
    begin = math.floor(laag / stap + 1e-9) * stap
    eind = math.ceil(hoog / stap - 1e-9) * stap
    if ondergrens is not None and begin < ondergrens <= laag:
        begin = ondergrens
    if bovengrens is not None and bovengrens >= hoog and eind > bovengrens:
        eind = bovengrens
    decimalen = _decimals_of_step(stap)
    aantal = math.floor((eind - begin) / stap + 1e-6)
    ticks = [round(begin + i * stap, decimalen + 3) for i in range(aantal + 1)]
    if ticks[-1] < eind - stap * 1e-6:  # begrensd tussen twee streepjes in
        ticks.append(eind)
    return ticks, decimalen


def fmt(x: float) -> str:
    """Getal in SVG: hooguit één decimaal, zonder overbodige nullen (en nooit "-0")."""
    tekst = f"{x:.1f}"
    if tekst.endswith(".0"):
        tekst = tekst[:-2]
    return "0" if tekst == "-0" else tekst


def svg_id(tekst: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", tekst).strip("-") or "grafiek"


def text_width(tekst: str, grootte: float = 11) -> float:
    return len(tekst) * grootte * 0.56


def _asgrenzen(eenheid: str | None) -> tuple[float | None, float | None]:
    e = (eenheid or "").lower()
    if e == "percentage":
        return 0.0, 100.0
    if e.startswith("score 0-10") or e.startswith("score 0–10"):
        return 0.0, 10.0
    return None, None


def with_unit(waarde: float | None, decimals: int, kort: str) -> str:
    """ "45,7%", "812,3 per 1.000 inw." of "2,1 jaar"; een schaal ("score 0–10", "Gini-coëfficiënt 0-1")
    komt niet achter het getal (die staat bij de indicator), en "–" krijgt nooit een eenheid."""
    getal = format_number(waarde, decimals)
    if not kort or getal == LEEG or re.search(r"\d\s*[-–]\s*\d", kort):
        return getal
    return f"{getal}{kort}" if kort == "%" else f"{getal} {kort}"


def _svg_open(gid: str, breedte: int, hoogte: int, titel: str, beschrijving: str, soort: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek grafiek-{soort}" data-grafiek="{soort}" '
        f'viewBox="0 0 {breedte} {hoogte}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{gid}-titel {gid}-beschrijving" aria-label="{escape(titel)}" '
        f'font-family="{LETTERTYPE}" font-size="11">',
        f'<title id="{gid}-titel">{escape(titel)}</title>',
        f'<desc id="{gid}-beschrijving">{escape(beschrijving)}</desc>',
    ]


# Breedte van het symbool vóór elk label in de legenda (zonder de ruimte tussen twee items).
_SYMBOOLBREEDTE = {
    "punt": 28,
    "band": 28,
    "driejaars": 30,
    "deel": 30,
    "periode": 30,
    "gemeente": 30,
    "gemeente-punt": 18,
    "referentie": 18,
    "grens95": 28,
    "grens998": 28,
    "onderdrukt": 24,
}
LEGENDA_REGEL = 14  # hoogte van een regel in de legenda


def _legend_width(items: Sequence[tuple[str, str]]) -> float:
    return sum(text_width(label) + _SYMBOOLBREEDTE[soort] + 10 for label, soort in items)


def _legend_rows(items: list[tuple[str, str]], beschikbaar: float) -> list[list[tuple[str, str]]]:
    """De legenda in regels die elk binnen ``beschikbaar`` passen, in de volgorde van ``items``."""
    regels: list[list[tuple[str, str]]] = [[]]
    for item in items:
        if regels[-1] and _legend_width([*regels[-1], item]) > beschikbaar:
            regels.append([])
        regels[-1].append(item)
    return regels


def _legenda(d: list[str], items: list[tuple[str, str]], rechts: float, y: float = 14) -> None:
    """Legenda van rechts naar links; ``soort`` bepaalt het symbool voor het label."""
    lx = rechts
    for label, soort in reversed(items):
        lx -= text_width(label)
        d.append(f'<text x="{fmt(lx)}" y="{fmt(y)}" fill="{GRIJS_TEKST}">{escape(label)}</text>')
        m = y - 4  # midden van het symbool
        if soort == "punt":
            d.append(
                f'<line x1="{fmt(lx - 24)}" x2="{fmt(lx - 6)}" y1="{fmt(m)}" y2="{fmt(m)}" '
                f'stroke="{BLAUW}" stroke-width="2"/>'
            )
            d.append(
                f'<circle cx="{fmt(lx - 15)}" cy="{fmt(m)}" r="3.2" fill="{BLAUW}" '
                f'stroke="#ffffff" stroke-width="1.2"/>'
            )
        elif soort == "deel":  # alleen het deel van de gemeente dat leverde: open rondje, gestippeld
            d.append(
                f'<line x1="{fmt(lx - 26)}" x2="{fmt(lx - 6)}" y1="{fmt(m)}" y2="{fmt(m)}" '
                f'stroke="{BLAUW}" stroke-width="1.6" stroke-dasharray="2 3"/>'
            )
            d.append(
                f'<circle class="legenda-deel" cx="{fmt(lx - 16)}" cy="{fmt(m)}" r="3.4" fill="#ffffff" '
                f'stroke="{BLAUW}" stroke-width="1.8"/>'
            )
        elif soort == "band":
            d.append(
                f'<rect x="{fmt(lx - 24)}" y="{fmt(m - 5)}" width="18" height="10" '
                f'fill="{HEMELBLAUW}" fill-opacity="0.35"/>'
            )
        elif soort == "driejaars":
            d.append(
                f'<line x1="{fmt(lx - 26)}" x2="{fmt(lx - 6)}" y1="{fmt(m)}" y2="{fmt(m)}" '
                f'stroke="{VERMILJOEN}" stroke-width="2" stroke-dasharray="5 3"/>'
            )
            d.append(
                f'<circle cx="{fmt(lx - 16)}" cy="{fmt(m)}" r="2.6" fill="#ffffff" '
                f'stroke="{VERMILJOEN}" stroke-width="1.6"/>'
            )
        elif soort == "periode":
            d.append(
                f'<rect x="{fmt(lx - 26)}" y="{fmt(m - 5)}" width="20" height="10" fill="{PAARS}" '
                f'fill-opacity="0.22"/>'
            )
            d.append(
                f'<line x1="{fmt(lx - 26)}" x2="{fmt(lx - 6)}" y1="{fmt(m)}" y2="{fmt(m)}" '
                f'stroke="{PAARS}" stroke-width="3"/>'
            )
        elif soort == "gemeente":
            d.append(
                f'<line x1="{fmt(lx - 26)}" x2="{fmt(lx - 6)}" y1="{fmt(m)}" y2="{fmt(m)}" '
                f'stroke="{BLAUW}" stroke-width="2"/>'
            )
            d.append(
                f'<circle cx="{fmt(lx - 16)}" cy="{fmt(m)}" r="4" fill="{BLAUW}" '
                f'stroke="#ffffff" stroke-width="1.2"/>'
            )
        elif soort == "gemeente-punt":  # zonder interval: alleen de stip, geen streep
            d.append(
                f'<circle cx="{fmt(lx - 12)}" cy="{fmt(m)}" r="4" fill="{BLAUW}" '
                f'stroke="#ffffff" stroke-width="1.2"/>'
            )
        elif soort == "referentie":
            d.append(
                f'<line x1="{fmt(lx - 12)}" x2="{fmt(lx - 12)}" y1="{fmt(m - 7)}" y2="{fmt(m + 7)}" '
                f'stroke="{ZWART}" stroke-width="2"/>'
            )
        elif soort in ("grens95", "grens998"):
            kleur = GRENS_95 if soort == "grens95" else GRENS_998
            d.append(f'<rect x="{fmt(lx - 24)}" y="{fmt(m - 6)}" width="18" height="12" fill="{kleur}"/>')
        else:  # onderdrukt
            d.append(
                f'<rect x="{fmt(lx - 20)}" y="{fmt(y - 11)}" width="12" height="14" fill="{GRIJS_VLAK}"/>'
            )
            d.append(
                f'<text x="{fmt(lx - 14)}" y="{fmt(y)}" text-anchor="middle" fill="{GRIJS_TEKST}">{LEEG}</text>'
            )
        lx -= _SYMBOOLBREEDTE[soort] + 10


def split_runs(reeks: Sequence[_P | None], deels: Callable[[_P], bool]) -> list[tuple[bool, list[_P]]]:
    """Doorlopende stukken van ``reeks`` (None breekt), gesplitst waar de dekking verandert.

    Een verbinding tussen twee punten is "deels" als een van beide punten alleen een deel van de gemeente
    beschrijft; zo'n stuk wordt anders getekend. Het punt op de grens hoort bij beide stukken. Een los punt
    krijgt zijn eigen dekking. Geeft (deels, punten) per stuk.
    """
    stukken: list[tuple[bool, list[_P]]] = []
    huidig: list[_P] = []
    soort: bool | None = None
    for punt in [*reeks, None]:
        if punt is None:
            if huidig:
                stukken.append((deels(huidig[0]) if soort is None else soort, huidig))
            huidig, soort = [], None
            continue
        if not huidig:
            huidig = [punt]
            continue
        rand = deels(huidig[-1]) or deels(punt)
        if soort is None or rand == soort:
            huidig.append(punt)
        else:
            stukken.append((soort, huidig))
            huidig = [huidig[-1], punt]
        soort = rand
    return stukken


def trajectory_chart(
    punten: Sequence[Jaarpunt],
    *,
    titel: str,
    eenheid: str | None,
    decimals: int = 1,
    minimum_n: int | None = None,
    grafiek_id: str = "grafiek",
    driejaars: Sequence[Driejaarspunt] = (),
    perioden: Sequence[Periodebalk] = (),
) -> Markup:
    """Meerjarenlijn met 95%-band als inline SVG (veilig voor Jinja: alle tekst is ge-escaped).

    Met ``driejaars`` komt de driejaarswaarde er als gestreepte lijn bij, onderbroken bij een onderdrukt of
    leeg venster; met ``perioden`` de gepubliceerde gepoolde perioden als balk over hun jaren. Een jaar dat
    alleen een deel van de gemeente beschrijft (``Jaarpunt.deel``), is een open rondje aan een gestippelde lijn.
    Voor een onderdrukt jaar of venster wordt nooit een waarde getekend of genoemd.
    """
    punten = sorted(punten, key=lambda p: p.jaar)
    if not punten:
        return Markup("")
    gid = svg_id(grafiek_id)
    eerste, laatste = punten[0].jaar, punten[-1].jaar
    jaren = list(range(eerste, laatste + 1))
    per_jaar = {p.jaar: p for p in punten}
    drie_per_jaar = {p.jaar: p for p in driejaars if eerste <= p.jaar <= laatste}
    perioden = sorted((p for p in perioden if is_number(p.waarde)), key=lambda p: p.van)

    zichtbaar = [p for p in punten if p.zichtbaar]
    drie_zichtbaar = [p for p in sorted(drie_per_jaar.values(), key=lambda p: p.jaar) if p.zichtbaar]
    deels = [p for p in zichtbaar if p.deels]
    kort = short_unit(eenheid)
    onderdrukte_jaren = [p.jaar for p in punten if p.onderdrukt]
    ontbrekende_jaren = [j for j in jaren if j not in per_jaar]
    onderdrukte_vensters = [
        p.jaar for p in sorted(drie_per_jaar.values(), key=lambda p: p.jaar) if p.onderdrukt
    ]

    # Legenda (rechtsboven, naast de eenheid; zo nodig op twee regels, dan schuift de grafiek omlaag).
    legenda: list[tuple[str, str]] = []
    if any(not p.deels for p in zichtbaar):
        legenda.append(("per jaar", "punt"))
    if deels:
        legenda.append(("deel van de gemeente", "deel"))
    if any(p.heeft_interval for p in zichtbaar):
        legenda.append(("95%-interval", "band"))
    if drie_zichtbaar:
        legenda.append(("driejaarswaarde", "driejaars"))
    if perioden:
        legenda.append(("gepoolde periode", "periode"))
    if onderdrukte_jaren:
        legenda.append(("onderdrukt", "onderdrukt"))
    x0, x1 = LINKS, BREEDTE - RECHTS
    regels = _legend_rows(legenda, x1 - (x0 - 8) - text_width(eenheid or "") - 16)
    extra = LEGENDA_REGEL * (len(regels) - 1)
    hoogte = HOOGTE + extra
    y0, y1 = BOVEN + extra, hoogte - ONDER

    def x(jaar: float) -> float:
        if laatste == eerste:
            return (x0 + x1) / 2
        return x0 + BINNENRAND + (jaar - eerste) / (laatste - eerste) * (x1 - x0 - 2 * BINNENRAND)

    waarden: list[float] = []
    for p in zichtbaar:
        waarden.append(p.waarde)  # type: ignore[arg-type]
        if p.heeft_interval:
            waarden += [p.ci_onder, p.ci_boven]  # type: ignore[list-item]
    waarden += [p.waarde for p in drie_zichtbaar]  # type: ignore[misc]
    for periode in perioden:
        waarden.append(periode.waarde)
        if periode.heeft_interval:
            waarden += [periode.ci_onder, periode.ci_boven]  # type: ignore[list-item]
    if waarden:
        ondergrens, bovengrens = _asgrenzen(eenheid)
        if min(waarden) >= 0 and ondergrens is None:
            ondergrens = 0.0
        ticks, tick_decimalen = nice_ticks(min(waarden), max(waarden), 5, ondergrens, bovengrens)
    else:
        ticks, tick_decimalen = [], 0
    laag, hoog = (ticks[0], ticks[-1]) if ticks else (0.0, 1.0)

    def y(waarde: float) -> float:
        return y1 - (waarde - laag) / (hoog - laag) * (y1 - y0)

    # Toegankelijke titel en beschrijving.
    if zichtbaar:
        laagste = format_number(min(p.waarde for p in zichtbaar), decimals)  # type: ignore[type-var]
        hoogste = format_number(max(p.waarde for p in zichtbaar), decimals)  # type: ignore[type-var]
        band = ", met het 95%-interval als band" if any(p.heeft_interval for p in zichtbaar) else ""
        beschrijving = (
            f"Waarde per jaar van {eerste} tot en met {laatste} "
            f"in {eenheid or 'de eenheid van de indicator'}{band}. "
            f"Laagste waarde {laagste}, hoogste {hoogste}."
        )
    else:
        beschrijving = f"Geen toonbare waarden van {eerste} tot en met {laatste}."
    if deels:
        beschrijving += (
            " Open rondjes: het cijfer beschrijft alleen het deel van de gemeente dat leverde, in "
            + ", ".join(str(p.jaar) for p in deels)
            + "."
        )
    if drie_zichtbaar:
        beschrijving += (
            " De gestreepte lijn is de driejaarswaarde: het gemiddelde over het jaar en de twee jaren ervoor."
        )
    if perioden:
        beschrijving += " Gepoolde perioden (drie jaren samen) als balk: " + "; ".join(
            _period_tip(p, decimals, kort) for p in perioden
        )
        beschrijving += "."
    if onderdrukte_jaren:
        beschrijving += (
            " Niet getoond wegens te weinig waarnemingen: " + ", ".join(map(str, onderdrukte_jaren)) + "."
        )
    if onderdrukte_vensters:
        beschrijving += (
            f" Driejaarswaarde niet getoond ({DRIEJAARS_NIET_GETOOND}) voor de vensters tot en met "
            + ", ".join(map(str, onderdrukte_vensters))
            + "."
        )
    if ontbrekende_jaren:
        beschrijving += " Geen gegevens: " + ", ".join(map(str, ontbrekende_jaren)) + "."

    d = _svg_open(gid, BREEDTE, hoogte, titel, beschrijving, "traject")

    # Onderdrukte jaren: lichtgrijze kolom (achter alles).
    kolom = (x1 - x0 - 2 * BINNENRAND) / max(len(jaren) - 1, 1) * 0.6 if len(jaren) > 1 else 24
    kolom = min(kolom, 36)
    for jaar in onderdrukte_jaren:
        d.append(
            f'<rect class="onderdrukt-kolom" x="{fmt(x(jaar) - kolom / 2)}" y="{y0}" width="{fmt(kolom)}" '
            f'height="{y1 - y0}" fill="{GRIJS_VLAK}"/>'
        )

    # Raster en y-as.
    for t in ticks:
        d.append(
            f'<line class="raster" x1="{x0}" x2="{x1}" y1="{fmt(y(t))}" y2="{fmt(y(t))}" '
            f'stroke="{GRIJS_RASTER}" stroke-width="1"/>'
        )
        d.append(
            f'<text class="as-label" x="{x0 - 8}" y="{fmt(y(t) + 4)}" text-anchor="end" '
            f'fill="{GRIJS_TEKST}">{escape(format_number(t, tick_decimalen))}</text>'
        )
    d.append(
        f'<line class="as" x1="{x0}" x2="{x1}" y1="{y1}" y2="{y1}" stroke="{GRIJS_LIJN}" stroke-width="1"/>'
    )

    # Eenheid linksboven, legenda rechtsboven.
    d.append(f'<text class="eenheid" x="{x0 - 8}" y="14" fill="{GRIJS_TEKST}">{escape(eenheid or "")}</text>')
    for i, regel in enumerate(regels):
        _legenda(d, regel, x1, 14 + LEGENDA_REGEL * i)

    # Jaartallen op de x-as (jaartallen nooit met een duizendtalpunt).
    stap = 1 if len(jaren) <= 12 else 2
    for i, jaar in enumerate(jaren):
        if i % stap and jaar != laatste:
            continue
        d.append(
            f'<text class="jaar-label" x="{fmt(x(jaar))}" y="{y1 + 18}" text-anchor="middle" '
            f'fill="{GRIJS_TEKST}">{jaar}</text>'
        )

    # Gepoolde perioden: een licht vlak voor het interval en een balk op de waarde, over de jaren van de periode.
    for periode in perioden:
        xa = max(x(periode.van - 0.3), x0)
        xb = min(x(periode.tot + 0.3), x1)
        tip = escape("Gepoolde periode " + _period_tip(periode, decimals, kort))
        d.append(f'<g class="periode" data-periode="{periode.van}–{periode.tot}">')
        if periode.heeft_interval:
            boven, onder = y(periode.ci_boven), y(periode.ci_onder)  # type: ignore[arg-type]
            d.append(
                f'<rect class="periode-interval" x="{fmt(xa)}" y="{fmt(boven)}" width="{fmt(xb - xa)}" '
                f'height="{fmt(max(onder - boven, 1))}" fill="{PAARS}" fill-opacity="0.18"><title>{tip}</title></rect>'
            )
        d.append(
            f'<line class="periode-balk" x1="{fmt(xa)}" x2="{fmt(xb)}" y1="{fmt(y(periode.waarde))}" '
            f'y2="{fmt(y(periode.waarde))}" stroke="{PAARS}" stroke-width="3" stroke-linecap="butt">'
            f"<title>{tip}</title></line>"
        )
        d.append("</g>")

    # Doorlopende stukken: een onderdrukt of ontbrekend jaar breekt lijn en band; waar de dekking verandert,
    # begint een nieuw stuk (gestippeld waar een jaar maar een deel van de gemeente beschrijft).
    def stukken(bron: dict, voorwaarde) -> list[tuple[bool, list]]:
        reeks = [p if (p := bron.get(jaar)) is not None and voorwaarde(p) else None for jaar in jaren]
        return split_runs(reeks, lambda p: getattr(p, "deels", False))

    for is_deel, stuk in stukken(per_jaar, lambda p: p.heeft_interval):
        dekking = ' data-dekking="deel"' if is_deel else ""
        opaciteit = "0.2" if is_deel else "0.35"
        if len(stuk) == 1:
            p = stuk[0]
            d.append(
                f'<line class="band-lijn"{dekking} x1="{fmt(x(p.jaar))}" x2="{fmt(x(p.jaar))}" '
                f'y1="{fmt(y(p.ci_onder))}" y2="{fmt(y(p.ci_boven))}" stroke="{HEMELBLAUW}" '  # type: ignore[arg-type]
                f'stroke-opacity="0.8" stroke-width="6"/>'
            )
            continue
        boven = [f"{fmt(x(p.jaar))},{fmt(y(p.ci_boven))}" for p in stuk]  # type: ignore[arg-type]
        onder = [f"{fmt(x(p.jaar))},{fmt(y(p.ci_onder))}" for p in reversed(stuk)]  # type: ignore[arg-type]
        d.append(
            f'<path class="band"{dekking} d="M{" L".join(boven + onder)} Z" fill="{HEMELBLAUW}" '
            f'fill-opacity="{opaciteit}" stroke="none"/>'
        )

    # Driejaarswaarde: gestreepte lijn onder de jaarlijn, open rondjes als markering.
    for _, stuk in stukken(drie_per_jaar, lambda p: p.zichtbaar):
        if len(stuk) < 2:
            continue
        lijn = [f"{fmt(x(p.jaar))},{fmt(y(p.waarde))}" for p in stuk]  # type: ignore[arg-type]
        d.append(
            f'<path class="lijn-3jaar" d="M{" L".join(lijn)}" fill="none" stroke="{VERMILJOEN}" '
            f'stroke-width="2" stroke-dasharray="6 4" stroke-linejoin="round"/>'
        )

    for is_deel, stuk in stukken(per_jaar, lambda p: p.zichtbaar):
        if len(stuk) < 2:
            continue
        lijn = [f"{fmt(x(p.jaar))},{fmt(y(p.waarde))}" for p in stuk]  # type: ignore[arg-type]
        if is_deel:
            d.append(
                f'<path class="lijn-deel" d="M{" L".join(lijn)}" fill="none" stroke="{BLAUW}" '
                f'stroke-width="1.6" stroke-dasharray="2 3" stroke-linejoin="round"/>'
            )
        else:
            d.append(
                f'<path class="lijn" d="M{" L".join(lijn)}" fill="none" stroke="{BLAUW}" stroke-width="2" '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )

    for p in drie_zichtbaar:
        tip = f"Driejaarswaarde {p.jaar - 2}–{p.jaar}: {with_unit(p.waarde, decimals, kort)}"
        if is_number(p.ci_onder) and is_number(p.ci_boven):
            tip += f" (95%-interval {format_interval(p.ci_onder, p.ci_boven, decimals)})"
        d.append(
            f'<circle class="punt-3jaar" cx="{fmt(x(p.jaar))}" cy="{fmt(y(p.waarde))}" r="2.6" '  # type: ignore[arg-type]
            f'fill="#ffffff" stroke="{VERMILJOEN}" stroke-width="1.6"><title>{escape(tip)}</title></circle>'
        )

    for p in zichtbaar:
        tip = f"{p.jaar}: {with_unit(p.waarde, decimals, kort)}"
        if p.heeft_interval:
            tip += f" (95%-interval {format_interval(p.ci_onder, p.ci_boven, decimals)})"
        if p.deels:
            tip += f"; {p.deel}"
            d.append(
                f'<circle class="punt-deel" cx="{fmt(x(p.jaar))}" cy="{fmt(y(p.waarde))}" r="3.6" '  # type: ignore[arg-type]
                f'fill="#ffffff" stroke="{BLAUW}" stroke-width="1.8"><title>{escape(tip)}</title></circle>'
            )
            continue
        d.append(
            f'<circle class="punt" cx="{fmt(x(p.jaar))}" cy="{fmt(y(p.waarde))}" r="3.6" fill="{BLAUW}" '  # type: ignore[arg-type]
            f'stroke="#ffffff" stroke-width="1.4"><title>{escape(tip)}</title></circle>'
        )

    regel = f"minder dan {format_number(minimum_n)} waarnemingen" if minimum_n else "te weinig waarnemingen"
    for jaar in onderdrukte_jaren:
        # Midden in de kolom, of (als de driejaarslijn of een periodebalk daar loopt) onder- of bovenaan, waar
        # het verst van die lijnen.
        drie = drie_per_jaar.get(jaar)
        lijnen = [y(drie.waarde)] if drie is not None and drie.zichtbaar else []  # type: ignore[arg-type]
        lijnen += [y(p.waarde) for p in perioden if p.van <= jaar <= p.tot]
        kandidaten = [(y0 + y1) / 2 + 5, y1 - 8, y0 + 18]
        my = max(
            kandidaten,
            key=lambda k: min([24.0, *(abs(k - 5 - lijn) for lijn in lijnen)]) - 0.01 * kandidaten.index(k),
        )
        d.append(
            f'<text class="onderdrukt-markering" x="{fmt(x(jaar))}" y="{fmt(my)}" '
            f'text-anchor="middle" font-size="15" fill="{GRIJS_TEKST}">{LEEG}'
            f"<title>{escape(f'{jaar}: niet getoond ({regel})')}</title></text>"
        )

    d.append("</svg>")
    return Markup("".join(d))


def _period_tip(p: Periodebalk, decimals: int, kort: str) -> str:
    tekst = f"{p.van}–{p.tot}: {with_unit(p.waarde, decimals, kort)}"
    if p.heeft_interval:
        tekst += f" (95%-interval {format_interval(p.ci_onder, p.ci_boven, decimals)})"
    return tekst


VERGELIJKING_BREEDTE = 640
VERGELIJKING_LINKS = 150  # ruimte voor de namen van de referenties
VERGELIJKING_RIJ = 46
VERGELIJKING_BOVEN = 30
VERGELIJKING_ONDER = 30


def comparison_chart(
    rijen: Sequence[Vergelijkingsrij],
    *,
    titel: str,
    eenheid: str | None,
    decimals: int = 1,
    gemeente: str = "de gemeente",
    jaar: int | None = None,
    grafiek_id: str = "vergelijking",
) -> Markup:
    """Vergelijking met de referenties als inline SVG: per rij de trechtergrenzen voor een gemeente van deze
    omvang (99,8% licht, 95% donkerder), de referentiewaarde als streep en de waarde van de gemeente als
    punt met het 95%-interval (als dat er is: de legenda noemt geen interval dat er niet is). Geen rangorde:
    alleen de ligging ten opzichte van de eigen grenzen.

    Rijen zonder waarde van de gemeente (onderdrukt) worden niet getekend.
    """
    rijen = [r for r in rijen if is_number(r.waarde)]
    if not rijen:
        return Markup("")
    gid = svg_id(grafiek_id)
    hoogte = VERGELIJKING_BOVEN + VERGELIJKING_RIJ * len(rijen) + VERGELIJKING_ONDER
    x0, x1 = VERGELIJKING_LINKS, VERGELIJKING_BREEDTE - RECHTS - 8
    y_as = VERGELIJKING_BOVEN + VERGELIJKING_RIJ * len(rijen)

    waarden: list[float] = []
    for r in rijen:
        waarden.append(r.waarde)  # type: ignore[arg-type]
        if r.heeft_interval:
            waarden += [r.ci_onder, r.ci_boven]  # type: ignore[list-item]
        for w in (r.referentie_waarde,):
            if is_number(w):
                waarden.append(w)  # type: ignore[arg-type]
        if r.heeft_998:
            waarden += [r.grens_998_onder, r.grens_998_boven]  # type: ignore[list-item]
        elif r.heeft_95:
            waarden += [r.grens_95_onder, r.grens_95_boven]  # type: ignore[list-item]
    ondergrens, bovengrens = _asgrenzen(eenheid)
    if min(waarden) >= 0 and ondergrens is None:
        ondergrens = 0.0
    ticks, tick_decimalen = nice_ticks(min(waarden), max(waarden), 6, ondergrens, bovengrens)
    laag, hoog = ticks[0], ticks[-1]

    def x(waarde: float) -> float:
        return x0 + (min(max(waarde, laag), hoog) - laag) / (hoog - laag) * (x1 - x0)

    kort = short_unit(eenheid)
    zin = [
        f"{gemeente}{f' in {jaar}' if jaar else ''}: {with_unit(rijen[0].waarde, decimals, kort)}"
        + (
            f" (95%-interval {format_interval(rijen[0].ci_onder, rijen[0].ci_boven, decimals)})."
            if rijen[0].heeft_interval
            else "."
        )
    ]
    for r in rijen:
        deel = f"{r.label}: referentiewaarde {with_unit(r.referentie_waarde, decimals, kort)}"
        if r.heeft_95:
            deel += (
                f", 95%-grenzen voor een gemeente van deze omvang "
                f"{format_interval(r.grens_95_onder, r.grens_95_boven, decimals)}"
            )
        if r.heeft_998:
            deel += f", 99,8%-grenzen {format_interval(r.grens_998_onder, r.grens_998_boven, decimals)}"
        if r.positie_tekst:
            deel += f"; {r.positie_tekst}"
        zin.append(deel + ".")
    beschrijving = " ".join(zin)

    d = _svg_open(gid, VERGELIJKING_BREEDTE, hoogte, titel, beschrijving, "vergelijking")

    # Raster en as.
    for t in ticks:
        d.append(
            f'<line class="raster" x1="{fmt(x(t))}" x2="{fmt(x(t))}" y1="{VERGELIJKING_BOVEN}" '
            f'y2="{y_as}" stroke="{GRIJS_RASTER}" stroke-width="1"/>'
        )
        d.append(
            f'<text class="as-label" x="{fmt(x(t))}" y="{y_as + 16}" text-anchor="middle" '
            f'fill="{GRIJS_TEKST}">{escape(format_number(t, tick_decimalen))}</text>'
        )
    d.append(
        f'<line class="as" x1="{x0}" x2="{x1}" y1="{y_as}" y2="{y_as}" stroke="{GRIJS_LIJN}" stroke-width="1"/>'
    )
    d.append(
        f'<text class="eenheid" x="{x1}" y="{y_as + 28}" text-anchor="end" fill="{GRIJS_TEKST}">'
        f"{escape(eenheid or '')}</text>"
    )

    met_interval = any(r.heeft_interval for r in rijen)
    legenda = [
        (f"{gemeente} (95%-interval)", "gemeente") if met_interval else (gemeente, "gemeente-punt"),
        ("referentiewaarde", "referentie"),
    ]
    if any(r.heeft_95 for r in rijen):
        legenda.append(("95%-grenzen", "grens95"))
    if any(r.heeft_998 for r in rijen):
        legenda.append(("99,8%-grenzen", "grens998"))
    _legenda(d, legenda, x1)

    for i, r in enumerate(rijen):
        cy = VERGELIJKING_BOVEN + VERGELIJKING_RIJ * i + VERGELIJKING_RIJ / 2
        d.append(f'<g class="referentie" data-referentie="{escape(r.label)}">')
        d.append(
            f'<text class="referentie-label" x="8" y="{fmt(cy - 2)}" font-weight="600" '
            f'fill="{GRIJS_TEKST}">{escape(r.label)}</text>'
        )
        if r.onderschrift:
            d.append(
                f'<text class="referentie-onderschrift" x="8" y="{fmt(cy + 12)}" font-size="10" '
                f'fill="{GRIJS_TEKST}">{escape(r.onderschrift)}</text>'
            )
        # eerst de brede 99,8%-band, daarover de 95%-band
        for heeft, klasse, naam, onder, boven, kleur in (
            (r.heeft_998, "grens-998", "99,8%", r.grens_998_onder, r.grens_998_boven, GRENS_998),
            (r.heeft_95, "grens-95", "95%", r.grens_95_onder, r.grens_95_boven, GRENS_95),
        ):
            if not heeft:
                continue
            tip = f"{naam}-grenzen: {format_interval(onder, boven, decimals)}"
            d.append(
                f'<rect class="{klasse}" x="{fmt(x(onder))}" y="{fmt(cy - 12)}" '  # type: ignore[arg-type]
                f'width="{fmt(max(x(boven) - x(onder), 1))}" height="24" '  # type: ignore[arg-type]
                f'fill="{kleur}"><title>{escape(tip)}</title></rect>'
            )
        if is_number(r.referentie_waarde):
            tip = f"Referentiewaarde {r.label.lower()}: {with_unit(r.referentie_waarde, decimals, kort)}"
            d.append(
                f'<line class="referentie-streep" x1="{fmt(x(r.referentie_waarde))}" '  # type: ignore[arg-type]
                f'x2="{fmt(x(r.referentie_waarde))}" y1="{fmt(cy - 16)}" y2="{fmt(cy + 16)}" '  # type: ignore[arg-type]
                f'stroke="{ZWART}" stroke-width="2.5"><title>{escape(tip)}</title></line>'
            )
        if r.heeft_interval:
            xo, xb = x(r.ci_onder), x(r.ci_boven)  # type: ignore[arg-type]
            d.append(
                f'<path class="gemeente-interval" d="M{fmt(xo)},{fmt(cy - 5)} V{fmt(cy + 5)} '
                f'M{fmt(xo)},{fmt(cy)} H{fmt(xb)} M{fmt(xb)},{fmt(cy - 5)} V{fmt(cy + 5)}" '
                f'fill="none" stroke="{BLAUW}" stroke-width="2"/>'
            )
        tip = f"{gemeente}: {with_unit(r.waarde, decimals, kort)}"
        if r.heeft_interval:
            tip += f" (95%-interval {format_interval(r.ci_onder, r.ci_boven, decimals)})"
        if r.positie_tekst:
            tip += f"; {r.positie_tekst}"
        d.append(
            f'<circle class="gemeente-punt" cx="{fmt(x(r.waarde))}" cy="{fmt(cy)}" r="5" fill="{BLAUW}" '  # type: ignore[arg-type]
            f'stroke="#ffffff" stroke-width="1.5"><title>{escape(tip)}</title></circle>'
        )
        d.append("</g>")

    d.append("</svg>")
    return Markup("".join(d))
