"""Grafieken voor de landelijke vergelijking als inline SVG: trechterdiagram, legenda en kleine veelvouden.

Trechterdiagram (funnel plot): elke gemeente is een punt op de hoogte van haar waarde en op de plaats van de
precisie van die waarde (hoe nauwkeuriger, hoe verder naar rechts). De referentiewaarde (alle gemeenten met een
cijfer; 'Nederland' alleen als dat elke gemeente is) is een horizontale lijn; de 95%- en 99,8%-grenzen vormen de
trechter, als de indicator een toevalsmodel heeft. Een punt buiten de trechter verschilt meer dan toeval; er is
geen rangorde en geen rood/groen. De grenzen worden niet hier berekend: ze komen per gemeente uit
``marts.fct_vergelijking`` en worden alleen door de punten heen getrokken (op volgorde van precisie).

Vergelijkingsgroepen krijgen een kleur uit het Okabe–Ito-palet (kleurenblindveilig) én een eigen vorm. Zijn er
meer groepen dan kleuren, dan is de kleur de gemeentegrootte en de vorm de stedelijkheid: elke groep houdt zo
een eigen combinatie, en de legenda blijft leesbaar.

Kleine veelvouden: per vergelijkingsgroep een paneel met het traject van elke gemeente als dunne lijn
(onderbroken waar een jaar onderdrukt is, gestippeld waar een jaar alleen het deel van de gemeente beschrijft
dat leverde) en de groepswaarde als dikke lijn, met één gedeelde y-as. Geen elementen per punt, coördinaten
op één decimaal: ook 342 gemeenten blijven hanteerbaar.

Onderdrukte cijfers komen hier nooit binnen: wie deze functies aanroept, geeft ze niet mee.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from rapportages.grafieken import (
    BLAUW,
    GRIJS_LIJN,
    GRIJS_RASTER,
    GRIJS_TEKST,
    LETTERTYPE,
    ZWART,
    fmt,
    is_number,
    nice_ticks,
    split_runs,
    svg_id,
    text_width,
)
from rapportages.opmaak import format_interval, format_number, short_unit

# Okabe–Ito, in de volgorde waarin groepen ze krijgen (geel pas laat: weinig contrast op wit).
OKABE_ITO = (
    "#0072B2",  # blauw
    "#E69F00",  # oranje
    "#009E73",  # blauwgroen
    "#CC79A7",  # roodpaars
    "#56B4E9",  # hemelblauw
    "#D55E00",  # vermiljoen
    "#F0E442",  # geel
    "#000000",  # zwart
)
GRIJS_ONBEKEND = "#999999"
VORMEN = ("cirkel", "vierkant", "driehoek", "ruit", "driehoek-omlaag", "ster", "kruis", "zeshoek")

RAND_PUNT = "#333333"

# CBS-volgorde van de stedelijkheidsklassen (1 = zeer sterk ... 5 = niet stedelijk).
STEDELIJKHEID_VOLGORDE = (
    "zeer sterk stedelijk",
    "sterk stedelijk",
    "matig stedelijk",
    "weinig stedelijk",
    "niet stedelijk",
)
ONBEKEND = "onbekend"


# ----------------------------------------------------------------------------------------- groepen en stijl


def group_label(gemeentegrootte: str | None, stedelijkheid: str | None) -> str:
    """De naam van de vergelijkingsgroep zoals in ``marts.fct_vergelijking``: "grootte; stedelijkheid"."""
    if gemeentegrootte and stedelijkheid:
        return f"{gemeentegrootte}; {stedelijkheid}"
    return "Klasse onbekend"


def _size_key(grootte: str | None) -> tuple[int, float, str]:
    """Volgorde van gemeentegrootteklassen: van klein naar groot (op het eerste getal in de naam)."""
    if not grootte:
        return (2, 0.0, "")
    tekst = grootte.lower()
    getal = re.search(r"\d[\d .]*", tekst)
    waarde = float(re.sub(r"[ .]", "", getal.group(0))) if getal else math.inf
    if tekst.startswith("minder dan") or tekst.startswith("kleiner dan"):
        waarde -= 0.5
    return (0 if getal else 1, waarde, tekst)


def _urbanity_key(stedelijkheid: str | None) -> tuple[int, int, str]:
    if not stedelijkheid:
        return (2, 0, "")
    tekst = stedelijkheid.strip().lower()
    if tekst in STEDELIJKHEID_VOLGORDE:
        return (0, STEDELIJKHEID_VOLGORDE.index(tekst), tekst)
    return (1, 0, tekst)


@dataclass(frozen=True)
class Groep:
    """Een vergelijkingsgroep met haar kleur en vorm in alle grafieken."""

    label: str
    gemeentegrootte: str | None
    stedelijkheid: str | None
    kleur: str
    vorm: str


@dataclass(frozen=True)
class Groepsindeling:
    """Alle groepen in vaste volgorde (klein naar groot, dan stedelijkheid) met hun codering.

    ``per_klasse`` is waar als er meer groepen zijn dan kleuren: dan is de kleur de gemeentegrootte en de vorm
    de stedelijkheid (``kleuren`` en ``vormen`` zijn dan de legenda per klasse).
    """

    groepen: tuple[Groep, ...]
    per_klasse: bool
    kleuren: tuple[tuple[str, str], ...]  # (gemeentegrootte, kleur)
    vormen: tuple[tuple[str, str], ...]  # (stedelijkheid, vorm)

    def of(self, label: str) -> Groep:
        for g in self.groepen:
            if g.label == label:
                return g
        raise KeyError(label)


def group_styles(klassen: Iterable[tuple[str | None, str | None]]) -> Groepsindeling:
    """Kleur en vorm per vergelijkingsgroep (gemeentegrootte, stedelijkheid), stabiel en kleurenblindveilig."""
    uniek: dict[str, tuple[str | None, str | None]] = {}
    for grootte, stedelijkheid in klassen:
        if not grootte or not stedelijkheid:
            grootte = stedelijkheid = None
        uniek.setdefault(group_label(grootte, stedelijkheid), (grootte, stedelijkheid))
    volgorde = sorted(uniek.items(), key=lambda kv: (_size_key(kv[1][0]), _urbanity_key(kv[1][1])))
    if len(volgorde) <= len(OKABE_ITO):
        groepen = tuple(
            Groep(
                label,
                grootte,
                stedelijkheid,
                GRIJS_ONBEKEND if grootte is None else OKABE_ITO[i],
                VORMEN[i],
            )
            for i, (label, (grootte, stedelijkheid)) in enumerate(volgorde)
        )
        return Groepsindeling(groepen, False, (), ())
    groottes = sorted({g for g, _ in uniek.values() if g}, key=_size_key)
    stedelijkheden = sorted({s for _, s in uniek.values() if s}, key=_urbanity_key)
    kleur_van = {g: OKABE_ITO[i % len(OKABE_ITO)] for i, g in enumerate(groottes)}
    vorm_van = {s: VORMEN[i % (len(VORMEN) - 1)] for i, s in enumerate(stedelijkheden)}
    groepen = tuple(
        Groep(
            label,
            grootte,
            stedelijkheid,
            kleur_van[grootte] if grootte else GRIJS_ONBEKEND,
            vorm_van[stedelijkheid] if stedelijkheid else VORMEN[-1],
        )
        for label, (grootte, stedelijkheid) in volgorde
    )
    kleuren = tuple((g, kleur_van[g]) for g in groottes)
    vormen = tuple((s, vorm_van[s]) for s in stedelijkheden)
    if any(g.gemeentegrootte is None for g in groepen):
        kleuren += ((ONBEKEND, GRIJS_ONBEKEND),)
        vormen += ((ONBEKEND, VORMEN[-1]),)
    return Groepsindeling(groepen, True, kleuren, vormen)


def marker(vorm: str, x: float, y: float, r: float, attributen: str) -> str:
    """Eén markering (ongeveer even groot oppervlak voor elke vorm) als SVG-element zonder afsluiting.

    Geeft "<circle ... " of "<path ... " terug; de aanroeper sluit af met "/>" of met een kind en "</...>".
    """
    if vorm == "cirkel":
        return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}" {attributen}'

    def pad(punten: Sequence[tuple[float, float]]) -> str:
        d = "M" + " ".join(f"{fmt(x + dx)},{fmt(y + dy)}" for dx, dy in punten) + "Z"
        return f'<path d="{d}" {attributen}'

    if vorm == "vierkant":
        a = 0.886 * r
        return pad([(-a, -a), (a, -a), (a, a), (-a, a)])
    if vorm == "driehoek":
        return pad([(0, -1.555 * r), (1.347 * r, 0.778 * r), (-1.347 * r, 0.778 * r)])
    if vorm == "driehoek-omlaag":
        return pad([(0, 1.555 * r), (1.347 * r, -0.778 * r), (-1.347 * r, -0.778 * r)])
    if vorm == "ruit":
        d = 1.253 * r
        return pad([(0, -d), (d, 0), (0, d), (-d, 0)])
    if vorm == "ster":
        punten = []
        for i in range(10):
            straal = 1.65 * r if i % 2 == 0 else 0.7 * r
            hoek = -math.pi / 2 + i * math.pi / 5
            punten.append((straal * math.cos(hoek), straal * math.sin(hoek)))
        return pad(punten)
    if vorm == "kruis":
        a, b = 1.25 * r, 0.42 * r
        return pad(
            [
                (-b, -a),
                (b, -a),
                (b, -b),
                (a, -b),
                (a, b),
                (b, b),
                (b, a),
                (-b, a),
                (-b, b),
                (-a, b),
                (-a, -b),
                (-b, -b),
            ]
        )
    if vorm == "zeshoek":
        straal = 1.1 * r
        return pad(
            [
                (
                    straal * math.cos(math.pi / 6 + i * math.pi / 3),
                    straal * math.sin(math.pi / 6 + i * math.pi / 3),
                )
                for i in range(6)
            ]
        )
    raise ValueError(f"Onbekende vorm: {vorm}")


def _legend_items(
    items: Sequence[tuple[str, str, str]], breedte: float, y_start: float, kop: str | None = None
) -> tuple[list[str], float]:
    """Legendaregels die teruglopen binnen ``breedte``; items zijn (label, kleur, vorm)."""
    d: list[str] = []
    x, y = 4.0, y_start
    if kop:
        d.append(
            f'<text x="{fmt(x)}" y="{fmt(y + 4)}" font-weight="600" fill="{GRIJS_TEKST}">{escape(kop)}</text>'
        )
        x += text_width(kop) * 1.12 + 14  # vet is breder
    begin = x
    for label, kleur, vorm in items:
        nodig = 18 + text_width(label) + 16
        if x + nodig > breedte and x > begin:
            x, y = begin, y + 20
        d.append(marker(vorm, x + 7, y, 5, f'fill="{kleur}" stroke="{RAND_PUNT}" stroke-width="0.6"') + "/>")
        d.append(f'<text x="{fmt(x + 18)}" y="{fmt(y + 4)}" fill="{GRIJS_TEKST}">{escape(label)}</text>')
        x += nodig
    return d, y + 14


def legend_chart(indeling: Groepsindeling, *, breedte: int = 720) -> Markup:
    """De legenda van de vergelijkingsgroepen (kleur en vorm), als losse SVG onder elk diagram."""
    if not indeling.groepen:
        return Markup("")
    d: list[str] = []
    if indeling.per_klasse:
        regels, y = _legend_items(
            [(g, k, "cirkel") for g, k in indeling.kleuren], breedte, 12, "Kleur = gemeentegrootte:"
        )
        d += regels
        regels, y = _legend_items(
            [(s, GRIJS_ONBEKEND, v) for s, v in indeling.vormen], breedte, y + 10, "Vorm = stedelijkheid:"
        )
        d += regels
        beschrijving = (
            "Legenda: de kleur van een punt is de gemeentegrootte, de vorm de stedelijkheid; "
            "samen vormen ze de vergelijkingsgroep."
        )
    else:
        regels, y = _legend_items(
            [(g.label, g.kleur, g.vorm) for g in indeling.groepen], breedte, 12, "Vergelijkingsgroep:"
        )
        d += regels
        beschrijving = "Legenda: elke vergelijkingsgroep heeft een eigen kleur en vorm."
    hoogte = math.ceil(y)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="legenda" viewBox="0 0 {breedte} {hoogte}" '
        f'width="100%" role="img" aria-label="{escape(beschrijving)}" font-family="{LETTERTYPE}" '
        f'font-size="11"><title>{escape(beschrijving)}</title>' + "".join(d) + "</svg>"
    )


# ------------------------------------------------------------------------------------------ trechterdiagram


@dataclass(frozen=True)
class Trechterpunt:
    """Eén gemeente in het trechterdiagram (nooit een onderdrukte: die wordt niet meegegeven)."""

    gemeentecode: str
    naam: str
    groep: str  # label van de vergelijkingsgroep
    x: float  # precisie (1/se²) of omvang (noemer)
    waarde: float
    ci_onder: float | None
    ci_boven: float | None
    grens_95_onder: float | None
    grens_95_boven: float | None
    grens_998_onder: float | None
    grens_998_boven: float | None


def _decimals_of(t: float) -> int:
    for d in range(0, 8):
        geschaald = t * 10**d
        if abs(geschaald - round(geschaald)) < 1e-6 * max(1.0, abs(geschaald)):
            return d
    return 8


def log_ticks(laag: float, hoog: float) -> list[float]:
    """Streepjes binnen [laag, hoog] voor een logaritmische as: machten van tien, of anders 1-2-5 (1-9)."""
    if laag <= 0 or hoog <= 0:
        raise ValueError("Een logaritmische as kan alleen positieve waarden tonen.")
    kmin, kmax = math.floor(math.log10(laag)), math.ceil(math.log10(hoog))
    binnen: list[float] = []
    for veelvouden in ((1,), (1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):
        kandidaten = sorted(float(f"{m}e{k}") for k in range(kmin, kmax + 1) for m in veelvouden)
        binnen = [c for c in kandidaten if laag * (1 - 1e-9) <= c <= hoog * (1 + 1e-9)]
        if len(binnen) >= 3:
            break
    return binnen


def _value_bounds(eenheid: str | None) -> tuple[float | None, float | None]:
    e = (eenheid or "").strip().lower()
    if e == "percentage":
        return 0.0, 100.0
    if re.search(r"(^|\s)score 0[-–]10", e) or e.startswith("schaalscore 0"):
        return 0.0, 10.0
    if e.startswith("gini"):
        return 0.0, 1.0
    return 0.0, None  # tellingen, duren en gemiddelden zijn niet negatief


def _y_ticks(waarden: list[float], eenheid: str | None, max_ticks: int) -> tuple[list[float], int]:
    ondergrens, bovengrens = _value_bounds(eenheid)
    laag, hoog = min(waarden), max(waarden)
    if ondergrens is not None and laag < ondergrens:
        ondergrens = None
    if bovengrens is not None and hoog > bovengrens:
        bovengrens = None
    return nice_ticks(laag, hoog, max_ticks, ondergrens, bovengrens)


def funnel_chart(
    punten: Sequence[Trechterpunt],
    *,
    indeling: Groepsindeling,
    referentie_waarde: float | None,
    titel: str,
    eenheid: str | None,
    decimals: int,
    x_label: str,
    log_schaal: bool | None = None,
    uitgelicht: str | None = None,
    grafiek_id: str = "trechter",
    referentie_label: str = "referentiewaarde",
) -> Markup:
    """Trechterdiagram als inline SVG; ``uitgelicht`` is de gemeentecode die groot en met naam wordt getoond.

    ``referentie_label`` noemt de lijn van de referentiewaarde in legenda, beschrijving en tooltip, zoals de mart
    de referentie noemt ("Nederland" alleen als elke gemeente van de kaart een cijfer heeft).

    De grenzen worden als lijnen door de punten getrokken, gesorteerd op x: bij x = 1/se² liggen ze precies op
    de trechtercurves. ``log_schaal=None`` kiest zelf: logaritmisch als de grootste x meer dan tien keer de
    kleinste is (anders vallen de kleine gemeenten samen tegen de as).
    """
    punten = [p for p in punten if is_number(p.x) and p.x > 0 and is_number(p.waarde)]
    if not punten:
        return Markup("")
    gid = svg_id(grafiek_id)
    breedte, hoogte = 720, 400
    links, rechts, boven, onder = 62, 18, 44, 50
    x0, x1, y0, y1 = links, breedte - rechts, boven, hoogte - onder
    binnen = 12  # ruimte tussen de assen en de buitenste punten

    # x-as
    xs = [p.x for p in punten]
    if log_schaal is None:
        log_schaal = max(xs) / min(xs) > 10
    if log_schaal:
        # Het domein sluit om de punten (met wat lucht); de streepjes vallen erbinnen.
        laag, hoog = min(xs) / 1.25, max(xs) * 1.25
        x_ticks = log_ticks(laag, hoog)
        xa, xb = math.log10(laag), math.log10(hoog)
        x_waarde = math.log10
        binnen = 0
    else:
        x_ticks, _ = nice_ticks(min(xs), max(xs), 6, 0.0, None)
        xa, xb = x_ticks[0], x_ticks[-1]

        def x_waarde(v: float) -> float:
            return v

    if xb == xa:
        xa, xb = xa - 1, xb + 1

    def x(v: float) -> float:
        return x0 + binnen + (x_waarde(v) - xa) / (xb - xa) * (x1 - x0 - 2 * binnen)

    # y-as: punten, referentie en grenzen
    waarden = [p.waarde for p in punten]
    grensreeksen = ("grens_95_onder", "grens_95_boven", "grens_998_onder", "grens_998_boven")
    # Grenzen buiten het bereik van de eenheid (een aandeel boven 100%) rekken de as niet op: ze worden
    # afgesneden aan de rand van het vlak.
    ondergrens, bovengrens = _value_bounds(eenheid)
    for p in punten:
        for g in grensreeksen:
            w = getattr(p, g)
            if is_number(w):
                if ondergrens is not None:
                    w = max(w, ondergrens)
                if bovengrens is not None:
                    w = min(w, bovengrens)
                waarden.append(w)
    if is_number(referentie_waarde):
        waarden.append(referentie_waarde)  # type: ignore[arg-type]
    y_ticks, y_dec = _y_ticks(waarden, eenheid, 6)
    ya, yb = y_ticks[0], y_ticks[-1]

    def y(v: float) -> float:
        return y1 - (v - ya) / (yb - ya) * (y1 - y0)

    kort = short_unit(eenheid)
    buiten = sum(
        1
        for p in punten
        if is_number(p.grens_95_onder)
        and is_number(p.grens_95_boven)
        and not (p.grens_95_onder <= p.waarde <= p.grens_95_boven)  # type: ignore[operator]
    )
    beschrijving = (
        f"Trechterdiagram met {len(punten)} gemeente{'n' if len(punten) != 1 else ''}: waarde "
        f"({eenheid or 'eenheid van de indicator'}) tegen {x_label}."
    )
    if is_number(referentie_waarde):
        beschrijving += (
            f" {referentie_label[:1].upper()}{referentie_label[1:]}: {format_number(referentie_waarde, decimals)} "
            f"{kort}.".replace(" .", ".")
        )
    if any(is_number(p.grens_95_onder) for p in punten):
        beschrijving += f" Buiten de 95%-grenzen: {buiten}."

    d: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trechter" viewBox="0 0 {breedte} {hoogte}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{gid}-titel {gid}-beschrijving" aria-label="{escape(titel)}" '
        f'font-family="{LETTERTYPE}" font-size="11" data-x-schaal="{"log" if log_schaal else "lineair"}">',
        f'<title id="{gid}-titel">{escape(titel)}</title>',
        f'<desc id="{gid}-beschrijving">{escape(beschrijving)}</desc>',
        f'<defs><clipPath id="{gid}-vlak"><rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}"/>'
        "</clipPath></defs>",
    ]

    # raster en assen
    for t in y_ticks:
        d.append(
            f'<line class="raster" x1="{x0}" x2="{x1}" y1="{fmt(y(t))}" y2="{fmt(y(t))}" '
            f'stroke="{GRIJS_RASTER}"/>'
            f'<text class="as-label" x="{x0 - 8}" y="{fmt(y(t) + 4)}" text-anchor="end" '
            f'fill="{GRIJS_TEKST}">{escape(format_number(t, y_dec))}</text>'
        )
    for t in x_ticks:
        d.append(
            f'<line class="raster" x1="{fmt(x(t))}" x2="{fmt(x(t))}" y1="{y0}" y2="{y1}" '
            f'stroke="{GRIJS_RASTER}"/>'
            f'<text class="as-label x-label" x="{fmt(x(t))}" y="{y1 + 16}" text-anchor="middle" '
            f'fill="{GRIJS_TEKST}">{escape(format_number(t, _decimals_of(t)))}</text>'
        )
    d.append(f'<line class="as" x1="{x0}" x2="{x1}" y1="{y1}" y2="{y1}" stroke="{GRIJS_LIJN}"/>')
    d.append(
        f'<text class="as-titel" x="{fmt((x0 + x1) / 2)}" y="{hoogte - 10}" text-anchor="middle" '
        f'fill="{GRIJS_TEKST}">{escape(x_label)}</text>'
    )
    d.append(
        f'<text class="eenheid" x="{x0 - 8}" y="{boven - 10}" fill="{GRIJS_TEKST}">{escape(eenheid or "")}</text>'
    )

    # legenda van de lijnen, rechtsboven
    lijnlegenda = [
        (referentie_label, f'stroke="{ZWART}" stroke-width="1.6"'),
        ("95%-grenzen", f'stroke="{GRIJS_TEKST}" stroke-width="1.3" stroke-dasharray="6 3"'),
        ("99,8%-grenzen", f'stroke="{GRIJS_TEKST}" stroke-width="1.3" stroke-dasharray="1.5 2.5"'),
    ]
    heeft_95 = any(is_number(p.grens_95_onder) or is_number(p.grens_95_boven) for p in punten)
    heeft_998 = any(is_number(p.grens_998_onder) or is_number(p.grens_998_boven) for p in punten)
    getoond = [
        item
        for item, zichtbaar in zip(
            lijnlegenda, (is_number(referentie_waarde), heeft_95, heeft_998), strict=True
        )
        if zichtbaar
    ]
    lx = x1
    for label, stijl in reversed(getoond):
        lx -= text_width(label)
        d.append(
            f'<text x="{fmt(lx)}" y="16" fill="{GRIJS_TEKST}">{escape(label)}</text>'
            f'<line x1="{fmt(lx - 30)}" x2="{fmt(lx - 6)}" y1="12" y2="12" {stijl}/>'
        )
        lx -= 48

    # trechtergrenzen door de punten, op volgorde van x
    gesorteerd = sorted(punten, key=lambda p: (p.x, p.gemeentecode))
    stijl_van = {
        "grens_95_onder": ("grens-95", lijnlegenda[1][1]),
        "grens_95_boven": ("grens-95", lijnlegenda[1][1]),
        "grens_998_onder": ("grens-998", lijnlegenda[2][1]),
        "grens_998_boven": ("grens-998", lijnlegenda[2][1]),
    }
    for reeks in grensreeksen:
        lijn = [(x(p.x), y(getattr(p, reeks))) for p in gesorteerd if is_number(getattr(p, reeks))]
        if len(lijn) < 2:
            continue
        klasse, stijl = stijl_van[reeks]
        pad = "M" + " ".join(f"{fmt(a)},{fmt(b)}" for a, b in lijn)
        d.append(
            f'<path class="{klasse}" d="{pad}" fill="none" {stijl} stroke-linejoin="round" '
            f'clip-path="url(#{gid}-vlak)"/>'
        )
    if is_number(referentie_waarde):
        tip = f"{referentie_label[:1].upper()}{referentie_label[1:]}: "
        tip += f"{format_number(referentie_waarde, decimals)} {kort}".strip()
        d.append(
            f'<line class="referentie" x1="{x0}" x2="{x1}" y1="{fmt(y(referentie_waarde))}" '  # type: ignore[arg-type]
            f'y2="{fmt(y(referentie_waarde))}" {lijnlegenda[0][1]}>'  # type: ignore[arg-type]
            f"<title>{escape(tip)}"
            "</title></line>"
        )

    # punten (de uitgelichte als laatste, bovenop)
    def tooltip(p: Trechterpunt) -> str:
        tekst = f"{p.naam}: {format_number(p.waarde, decimals)} {kort}".rstrip()
        if is_number(p.ci_onder) and is_number(p.ci_boven):
            tekst += f" (95%-interval {format_interval(p.ci_onder, p.ci_boven, decimals)})"
        return tekst

    stijl = {g.label: g for g in indeling.groepen}
    # Gemeenschappelijke opmaak op de groep: scheelt bij honderden punten veel bytes.
    d.append(f'<g class="punten" fill-opacity="0.85" stroke="{RAND_PUNT}" stroke-width="0.6">')

    def draw_point(p: Trechterpunt, r: float, klasse: str, extra: str = "") -> None:
        groep = stijl[p.groep]
        element = marker(
            groep.vorm,
            x(p.x),
            y(p.waarde),
            r,
            f'class="{klasse}{groep.vorm}" data-gemeente="{escape(p.gemeentecode)}" fill="{groep.kleur}"{extra}',
        )
        tag = "circle" if groep.vorm == "cirkel" else "path"
        d.append(f"{element}><title>{escape(tooltip(p))}</title></{tag}>")

    for p in sorted(punten, key=lambda p: p.gemeentecode):
        if p.gemeentecode != uitgelicht:
            draw_point(p, 4.2, "punt ")
    d.append("</g>")
    for p in punten:
        if p.gemeentecode == uitgelicht:
            draw_point(p, 7.5, "punt uitgelicht ", f' stroke="{ZWART}" stroke-width="2.2"')
    for p in punten:
        if p.gemeentecode != uitgelicht:
            continue
        px, py = x(p.x), y(p.waarde)
        rechts_ervan = px + 12 + text_width(p.naam, 12.5) < x1
        d.append(
            f'<text class="label-uitgelicht" x="{fmt(px + 12 if rechts_ervan else px - 12)}" '
            f'y="{fmt(py - 9 if py - 9 > y0 + 10 else py + 18)}" '
            f'text-anchor="{"start" if rechts_ervan else "end"}" font-size="12.5" font-weight="700" '
            f'fill="{ZWART}" stroke="#ffffff" stroke-width="3.5" paint-order="stroke" '
            f'stroke-linejoin="round">{escape(p.naam)}</text>'
        )
    d.append("</svg>")
    return Markup("".join(d))


# ------------------------------------------------------------------------------------------ kleine veelvouden


@dataclass(frozen=True)
class Traject:
    """De jaarwaarden van één gemeente: een onderdrukt jaar staat er als ``None`` in en breekt de lijn; een
    jaar zonder meting ontbreekt en wordt overbrugd."""

    gemeentecode: str
    naam: str
    groep: str
    waarden: dict[int, float | None]
    # Jaren waarvan het cijfer alleen het deel van de gemeente beschrijft dat leverde (gestippeld getekend).
    deels: frozenset[int] = frozenset()


def small_multiples(
    trajecten: Sequence[Traject],
    *,
    indeling: Groepsindeling,
    groepswaarden: dict[str, dict[int, float]],
    titel: str,
    eenheid: str | None,
    uitgelicht: str | None = None,
    kolommen: int = 4,
    grafiek_id: str = "veelvouden",
) -> Markup:
    """Eén paneel per vergelijkingsgroep (met gemeenten) in één SVG, met een gedeelde y-as.

    Dunne grijze lijn per gemeente (onderbroken bij een onderdrukt jaar, gestippeld waar een jaar alleen het deel
    van de gemeente beschrijft dat leverde), dikke blauwe lijn voor de waarde van de groep, en de uitgelichte
    gemeente als zwarte lijn. Geen elementen per jaarpunt.
    """
    jaren_met_waarde = sorted(
        {j for t in trajecten for j, w in t.waarden.items() if is_number(w)}
        | {j for r in groepswaarden.values() for j, w in r.items() if is_number(w)}
    )
    if not jaren_met_waarde:
        return Markup("")
    gid = svg_id(grafiek_id)
    eerste, laatste = jaren_met_waarde[0], jaren_met_waarde[-1]
    per_groep: dict[str, list[Traject]] = {}
    for t in trajecten:
        per_groep.setdefault(t.groep, []).append(t)
    groepen = [g for g in indeling.groepen if g.label in per_groep]
    if not groepen:
        return Markup("")

    waarden = [w for t in trajecten for w in t.waarden.values() if is_number(w)]
    waarden += [w for g in groepen for w in groepswaarden.get(g.label, {}).values() if is_number(w)]
    ticks, dec = _y_ticks(waarden, eenheid, 4)
    ya, yb = ticks[0], ticks[-1]

    breedte = 720
    pb = breedte / kolommen
    ph = 134
    links, rechts, kop, onder = 36, 10, 34, 18
    rijen = math.ceil(len(groepen) / kolommen)
    hoogte = rijen * ph + 6

    beschrijving = (
        f"{len(groepen)} panelen, één per vergelijkingsgroep, van {eerste} tot en met {laatste}, met een "
        f"gedeelde y-as in {eenheid or 'de eenheid van de indicator'}."
    )
    d: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="veelvouden" viewBox="0 0 {breedte} {hoogte}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{gid}-titel {gid}-beschrijving" '
        f'aria-label="{escape(titel)}" font-family="{LETTERTYPE}" font-size="10">',
        f'<title id="{gid}-titel">{escape(titel)}</title>',
        f'<desc id="{gid}-beschrijving">{escape(beschrijving)}</desc>',
    ]
    for i, groep in enumerate(groepen):
        ox, oy = (i % kolommen) * pb, (i // kolommen) * ph
        x0, x1 = ox + links, ox + pb - rechts
        y0, y1 = oy + kop, oy + ph - onder

        def x(jaar: int, x0: float = x0, x1: float = x1) -> float:
            if laatste == eerste:
                return (x0 + x1) / 2
            return x0 + (jaar - eerste) / (laatste - eerste) * (x1 - x0)

        def y(v: float, y0: float = y0, y1: float = y1) -> float:
            return y1 - (v - ya) / (yb - ya) * (y1 - y0)

        leden = sorted(per_groep[groep.label], key=lambda t: (t.gemeentecode == uitgelicht, t.gemeentecode))
        heeft_uitgelicht = any(t.gemeentecode == uitgelicht for t in leden)
        d.append(
            f'<g class="paneel{" uitgelicht" if heeft_uitgelicht else ""}" data-groep="{escape(groep.label)}">'
        )
        d.append(
            marker(
                groep.vorm,
                ox + links - 26,
                oy + 10,
                4.5,
                f'fill="{groep.kleur}" stroke="{RAND_PUNT}" stroke-width="0.6"',
            )
            + "/>"
        )
        grootte = (groep.gemeentegrootte or "Klasse onbekend").replace(" inwoners", " inw.")
        d.append(
            f'<text x="{fmt(ox + links - 16)}" y="{fmt(oy + 13)}" font-weight="{700 if heeft_uitgelicht else 600}" '
            f'fill="{ZWART if heeft_uitgelicht else GRIJS_TEKST}">{escape(grootte)}</text>'
        )
        aantal = f"{format_number(len(leden))} gemeente{'n' if len(leden) != 1 else ''}"
        d.append(
            f'<text x="{fmt(ox + links - 16)}" y="{fmt(oy + 26)}" font-size="9.5" fill="{GRIJS_TEKST}">'
            f"{escape(join_parts(groep.stedelijkheid, aantal))}</text>"
        )
        for t in ticks:
            d.append(
                f'<line x1="{fmt(x0)}" x2="{fmt(x1)}" y1="{fmt(y(t))}" y2="{fmt(y(t))}" stroke="{GRIJS_RASTER}"/>'
            )
            d.append(
                f'<text class="as-label" x="{fmt(x0 - 4)}" y="{fmt(y(t) + 3.5)}" text-anchor="end" '
                f'font-size="9" fill="{GRIJS_TEKST}">{escape(format_number(t, dec))}</text>'
            )
        for jaar, anker in ((eerste, "start"), (laatste, "end")):
            d.append(
                f'<text x="{fmt(x(jaar))}" y="{fmt(y1 + 12)}" text-anchor="{anker}" font-size="9" '
                f'fill="{GRIJS_TEKST}">{jaar}</text>'
            )

        def pad(
            reeks: dict[int, float | None], deels: frozenset[int] = frozenset(), x=x, y=y
        ) -> tuple[str, str]:
            # Een onderdrukt jaar (None) breekt de lijn; een jaar zonder meting (geen sleutel, bijvoorbeeld
            # een tweejaarlijkse enquête) wordt overbrugd. Geeft het pad van de jaren met volledige dekking en
            # dat van de stukken met een jaar dat maar een deel van de gemeente beschrijft.
            punten = [(jaar, w) if is_number(w) else None for jaar, w in sorted(reeks.items())]
            delen: dict[bool, list[str]] = {False: [], True: []}
            for is_deel, stuk in split_runs(punten, lambda punt: punt[0] in deels):
                if len(stuk) == 1:
                    # Een los jaar tussen twee gaten: een kort streepje, zodat het zichtbaar blijft.
                    jaar, w = stuk[0]
                    delen[is_deel].append(f"M{fmt(x(jaar) - 1.5)},{fmt(y(w))}h3")  # type: ignore[arg-type]
                else:
                    delen[is_deel].append("M" + " ".join(f"{fmt(x(j))},{fmt(y(w))}" for j, w in stuk))  # type: ignore[arg-type]
            return "".join(delen[False]), "".join(delen[True])

        paden = {t.gemeentecode: pad(t.waarden, t.deels) for t in leden}
        d_ref, _ = pad(groepswaarden.get(groep.label, {}))  # type: ignore[arg-type]
        if not any(any(p) for p in paden.values()) and not d_ref:
            d.append(
                f'<text x="{fmt((x0 + x1) / 2)}" y="{fmt((y0 + y1) / 2 + 3)}" text-anchor="middle" '
                f'fill="{GRIJS_TEKST}">geen cijfers te tonen</text>'
            )
        for klasse, streep in (("trajecten", ""), ("trajecten-deel", ' stroke-dasharray="2 2"')):
            d.append(
                f'<g class="{klasse}" fill="none" stroke="{GRIJS_LIJN}" stroke-width="0.9" '
                f'stroke-opacity="0.75"{streep}>'
            )
            for t in leden:
                stuk = paden[t.gemeentecode][klasse == "trajecten-deel"]
                if stuk and t.gemeentecode != uitgelicht:
                    d.append(f'<path d="{stuk}"><title>{escape(t.naam)}</title></path>')
            d.append("</g>")
        if d_ref:
            d.append(
                f'<path class="groepswaarde" d="{d_ref}" fill="none" stroke="{BLAUW}" stroke-width="2.6" '
                f'stroke-linejoin="round" stroke-linecap="round"><title>Waarde van de vergelijkingsgroep</title></path>'
            )
        for t in leden:
            if t.gemeentecode != uitgelicht:
                continue
            vol, deel = paden[t.gemeentecode]
            for stuk, klasse, streep in (
                (vol, "traject uitgelicht", ""),
                (deel, "traject uitgelicht deel", ' stroke-dasharray="3 2"'),
            ):
                if stuk:
                    d.append(
                        f'<path class="{klasse}" d="{stuk}" fill="none" stroke="{ZWART}" stroke-width="2" '
                        f'stroke-linejoin="round"{streep}><title>{escape(t.naam)}</title></path>'
                    )
        d.append("</g>")
    d.append("</svg>")
    return Markup("".join(d))


def join_parts(*delen: str | None) -> str:
    return " · ".join(d for d in delen if d)


__all__ = [
    "Groep",
    "Groepsindeling",
    "Traject",
    "Trechterpunt",
    "funnel_chart",
    "group_label",
    "group_styles",
    "legend_chart",
    "log_ticks",
    "marker",
    "small_multiples",
]
