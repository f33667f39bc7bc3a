"""Grafieken als inline SVG: vectoren, zonder JavaScript en zonder externe bronnen.

De meerjarenlijn toont per jaar de waarde als punt, verbonden door een lijn, met het 95%-interval als
gekleurde band. Een onderdrukt jaar is een onderbreking van lijn en band, met een lichtgrijze kolom en een
"–" als markering: daar staat nooit een waarde. Kleuren komen uit het Okabe–Ito-palet (kleurenblindveilig);
er is geen rood/groen en geen rangorde.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from rapportages.opmaak import LEEG, format_interval, format_number, short_unit

# Okabe–Ito
BLAUW = "#0072B2"
HEMELBLAUW = "#56B4E9"
GRIJS_TEKST = "#444444"
GRIJS_LIJN = "#8c8c8c"
GRIJS_RASTER = "#e3e3e3"
GRIJS_VLAK = "#efefef"
LETTERTYPE = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

BREEDTE, HOOGTE = 640, 236
LINKS, RECHTS, BOVEN, ONDER = 58, 16, 36, 30
BINNENRAND = 18  # ruimte tussen de as en het eerste en laatste jaar


@dataclass(frozen=True)
class Jaarpunt:
    jaar: int
    waarde: float | None
    ci_onder: float | None
    ci_boven: float | None
    onderdrukt: bool

    @property
    def zichtbaar(self) -> bool:
        return not self.onderdrukt and _is_getal(self.waarde)

    @property
    def heeft_interval(self) -> bool:
        return self.zichtbaar and _is_getal(self.ci_onder) and _is_getal(self.ci_boven)


def _is_getal(x: float | None) -> bool:
    return x is not None and isinstance(x, int | float) and math.isfinite(x)


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
    if hoog == laag:
        marge = abs(laag) * 0.1 or 1.0
        laag, hoog = laag - marge, hoog + marge
    stap = _nice(_nice(hoog - laag, False) / (max_ticks - 1), True)
    begin = math.floor(laag / stap + 1e-9) * stap
    eind = math.ceil(hoog / stap - 1e-9) * stap
    if ondergrens is not None and begin < ondergrens <= laag:
        begin = ondergrens
    if bovengrens is not None and bovengrens >= hoog and eind > bovengrens:
        eind = bovengrens
    decimalen = _decimals_of_step(stap)
    ticks = []
    i = 0
    while True:
        t = round(begin + i * stap, decimalen + 3)
        if t > eind + stap * 1e-6:
            break
        ticks.append(t)
        i += 1
    if ticks[-1] < eind - stap * 1e-6:  # begrensd tussen twee streepjes in
        ticks.append(eind)
    return ticks, decimalen


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _id(tekst: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", tekst).strip("-") or "grafiek"


def _tekstbreedte(tekst: str, grootte: float = 11) -> float:
    return len(tekst) * grootte * 0.56


def _asgrenzen(eenheid: str | None) -> tuple[float | None, float | None]:
    e = (eenheid or "").lower()
    if e == "percentage":
        return 0.0, 100.0
    if e.startswith("score 0-10") or e.startswith("score 0–10"):
        return 0.0, 10.0
    return None, None


def trajectory_chart(
    punten: Sequence[Jaarpunt],
    *,
    titel: str,
    eenheid: str | None,
    decimals: int = 1,
    minimum_n: int | None = None,
    grafiek_id: str = "grafiek",
) -> Markup:
    """Meerjarenlijn met 95%-band als inline SVG (veilig voor Jinja: alle tekst is ge-escaped)."""
    punten = sorted(punten, key=lambda p: p.jaar)
    if not punten:
        return Markup("")
    gid = _id(grafiek_id)
    x0, x1 = LINKS, BREEDTE - RECHTS
    y0, y1 = BOVEN, HOOGTE - ONDER
    eerste, laatste = punten[0].jaar, punten[-1].jaar
    jaren = list(range(eerste, laatste + 1))
    per_jaar = {p.jaar: p for p in punten}

    def x(jaar: int) -> float:
        if laatste == eerste:
            return (x0 + x1) / 2
        return x0 + BINNENRAND + (jaar - eerste) / (laatste - eerste) * (x1 - x0 - 2 * BINNENRAND)

    zichtbaar = [p for p in punten if p.zichtbaar]
    waarden: list[float] = []
    for p in zichtbaar:
        waarden.append(p.waarde)  # type: ignore[arg-type]
        if p.heeft_interval:
            waarden += [p.ci_onder, p.ci_boven]  # type: ignore[list-item]
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

    kort = short_unit(eenheid)
    onderdrukte_jaren = [p.jaar for p in punten if p.onderdrukt]
    ontbrekende_jaren = [j for j in jaren if j not in per_jaar]

    # Toegankelijke titel en beschrijving.
    if zichtbaar:
        laagste = format_number(min(p.waarde for p in zichtbaar), decimals)  # type: ignore[type-var]
        hoogste = format_number(max(p.waarde for p in zichtbaar), decimals)  # type: ignore[type-var]
        beschrijving = (
            f"Waarde per jaar van {eerste} tot en met {laatste} "
            f"in {eenheid or 'de eenheid van de indicator'}, met het 95%-interval als band. "
            f"Laagste waarde {laagste}, hoogste {hoogste}."
        )
    else:
        beschrijving = f"Geen toonbare waarden van {eerste} tot en met {laatste}."
    if onderdrukte_jaren:
        beschrijving += (
            " Niet getoond wegens te weinig waarnemingen: " + ", ".join(map(str, onderdrukte_jaren)) + "."
        )
    if ontbrekende_jaren:
        beschrijving += " Geen gegevens: " + ", ".join(map(str, ontbrekende_jaren)) + "."

    d: list[str] = []
    d.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" viewBox="0 0 {BREEDTE} {HOOGTE}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{gid}-titel {gid}-beschrijving" '
        f'aria-label="{escape(titel)}" font-family="{LETTERTYPE}" font-size="11">'
    )
    d.append(f'<title id="{gid}-titel">{escape(titel)}</title>')
    d.append(f'<desc id="{gid}-beschrijving">{escape(beschrijving)}</desc>')

    # Onderdrukte jaren: lichtgrijze kolom (achter alles).
    kolom = (x1 - x0 - 2 * BINNENRAND) / max(len(jaren) - 1, 1) * 0.6 if len(jaren) > 1 else 24
    kolom = min(kolom, 36)
    for jaar in onderdrukte_jaren:
        d.append(
            f'<rect class="onderdrukt-kolom" x="{_fmt(x(jaar) - kolom / 2)}" y="{y0}" width="{_fmt(kolom)}" '
            f'height="{y1 - y0}" fill="{GRIJS_VLAK}"/>'
        )

    # Raster en y-as.
    for t in ticks:
        d.append(
            f'<line class="raster" x1="{x0}" x2="{x1}" y1="{_fmt(y(t))}" y2="{_fmt(y(t))}" '
            f'stroke="{GRIJS_RASTER}" stroke-width="1"/>'
        )
        d.append(
            f'<text class="as-label" x="{x0 - 8}" y="{_fmt(y(t) + 4)}" text-anchor="end" '
            f'fill="{GRIJS_TEKST}">{escape(format_number(t, tick_decimalen))}</text>'
        )
    d.append(
        f'<line class="as" x1="{x0}" x2="{x1}" y1="{y1}" y2="{y1}" stroke="{GRIJS_LIJN}" stroke-width="1"/>'
    )

    # Eenheid linksboven, legenda rechtsboven.
    d.append(f'<text class="eenheid" x="{x0 - 8}" y="14" fill="{GRIJS_TEKST}">{escape(eenheid or "")}</text>')
    legenda: list[tuple[str, str]] = [("waarde", "punt"), ("95%-interval", "band")]
    if onderdrukte_jaren:
        legenda.append(("onderdrukt", "onderdrukt"))
    lx = x1
    for label, soort in reversed(legenda):
        lx -= _tekstbreedte(label)
        d.append(f'<text x="{_fmt(lx)}" y="14" fill="{GRIJS_TEKST}">{escape(label)}</text>')
        if soort == "punt":
            d.append(
                f'<line x1="{_fmt(lx - 24)}" x2="{_fmt(lx - 6)}" y1="10" y2="10" '
                f'stroke="{BLAUW}" stroke-width="2"/>'
            )
            d.append(
                f'<circle cx="{_fmt(lx - 15)}" cy="10" r="3.2" fill="{BLAUW}" '
                f'stroke="#ffffff" stroke-width="1.2"/>'
            )
            lx -= 28
        elif soort == "band":
            d.append(
                f'<rect x="{_fmt(lx - 24)}" y="5" width="18" height="10" '
                f'fill="{HEMELBLAUW}" fill-opacity="0.35"/>'
            )
            lx -= 28
        else:
            d.append(f'<rect x="{_fmt(lx - 20)}" y="3" width="12" height="14" fill="{GRIJS_VLAK}"/>')
            d.append(
                f'<text x="{_fmt(lx - 14)}" y="14" text-anchor="middle" fill="{GRIJS_TEKST}">{LEEG}</text>'
            )
            lx -= 24
        lx -= 10

    # Jaartallen op de x-as (jaartallen nooit met een duizendtalpunt).
    stap = 1 if len(jaren) <= 12 else 2
    for i, jaar in enumerate(jaren):
        if i % stap and jaar != laatste:
            continue
        d.append(
            f'<text class="jaar-label" x="{_fmt(x(jaar))}" y="{y1 + 18}" text-anchor="middle" '
            f'fill="{GRIJS_TEKST}">{jaar}</text>'
        )

    # Doorlopende stukken: een onderdrukt of ontbrekend jaar breekt lijn en band.
    def stukken(voorwaarde) -> list[list[Jaarpunt]]:
        resultaat: list[list[Jaarpunt]] = []
        huidig: list[Jaarpunt] = []
        for jaar in jaren:
            p = per_jaar.get(jaar)
            if p is not None and voorwaarde(p):
                huidig.append(p)
            elif huidig:
                resultaat.append(huidig)
                huidig = []
        if huidig:
            resultaat.append(huidig)
        return resultaat

    for stuk in stukken(lambda p: p.heeft_interval):
        if len(stuk) == 1:
            p = stuk[0]
            d.append(
                f'<line class="band-lijn" x1="{_fmt(x(p.jaar))}" x2="{_fmt(x(p.jaar))}" '
                f'y1="{_fmt(y(p.ci_onder))}" y2="{_fmt(y(p.ci_boven))}" stroke="{HEMELBLAUW}" '  # type: ignore[arg-type]
                f'stroke-opacity="0.8" stroke-width="6"/>'
            )
            continue
        boven = [f"{_fmt(x(p.jaar))},{_fmt(y(p.ci_boven))}" for p in stuk]  # type: ignore[arg-type]
        onder = [f"{_fmt(x(p.jaar))},{_fmt(y(p.ci_onder))}" for p in reversed(stuk)]  # type: ignore[arg-type]
        d.append(
            f'<path class="band" d="M{" L".join(boven + onder)} Z" fill="{HEMELBLAUW}" fill-opacity="0.35" '
            f'stroke="none"/>'
        )

    for stuk in stukken(lambda p: p.zichtbaar):
        if len(stuk) < 2:
            continue
        lijn = [f"{_fmt(x(p.jaar))},{_fmt(y(p.waarde))}" for p in stuk]  # type: ignore[arg-type]
        d.append(
            f'<path class="lijn" d="M{" L".join(lijn)}" fill="none" stroke="{BLAUW}" stroke-width="2" '
            f'stroke-linejoin="round" stroke-linecap="round"/>'
        )

    for p in zichtbaar:
        tip = f"{p.jaar}: {format_number(p.waarde, decimals)} {kort}".strip()
        if p.heeft_interval:
            tip += f" (95%-interval {format_interval(p.ci_onder, p.ci_boven, decimals)})"
        d.append(
            f'<circle class="punt" cx="{_fmt(x(p.jaar))}" cy="{_fmt(y(p.waarde))}" r="3.6" fill="{BLAUW}" '  # type: ignore[arg-type]
            f'stroke="#ffffff" stroke-width="1.4"><title>{escape(tip)}</title></circle>'
        )

    regel = f"minder dan {format_number(minimum_n)} waarnemingen" if minimum_n else "te weinig waarnemingen"
    for jaar in onderdrukte_jaren:
        d.append(
            f'<text class="onderdrukt-markering" x="{_fmt(x(jaar))}" y="{_fmt((y0 + y1) / 2 + 5)}" '
            f'text-anchor="middle" font-size="15" fill="{GRIJS_TEKST}">{LEEG}'
            f"<title>{escape(f'{jaar}: niet getoond ({regel})')}</title></text>"
        )

    d.append("</svg>")
    return Markup("".join(d))
