"""Het meerjarige gemeenterapport als PDF (A4), gezet met Typst.

De PDF toont precies wat het HTML-rapport toont: de inhoud komt uit dezelfde context
(`gemeenterapport._build_context`), dus ook hier rekent het rapport niets zelf uit, rangschikt het niet en
staat een onderdrukt cijfer er als "–". De context gaat als JSON naar het Typst-sjabloon
(`templates/gemeenterapport.typ`) via `sys.inputs`; de grafieken zijn dezelfde SVG's als in het HTML-rapport
en worden als vectorafbeelding ingelezen. Geen enkele tekst uit de publicatie wordt als Typst-opmaak gelezen.

Lettertypen: alleen de lettertypen die in het `typst`-pakket zelf zitten (Libertinus Serif), zodat de PDF
op elke machine hetzelfde is, ook zonder systeemlettertypen.
"""

from __future__ import annotations

import html
import json
import re
import warnings
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

import typst

from rapportages.dekking import DRIEJAARS_NIET_GETOOND
from rapportages.gemeenterapport import Publicatiegegevens, _build_context, read_publication, report_codes
from rapportages.gemeenterapport import _write as _write_html
from rapportages.opmaak import LEEG, format_date, format_number
from rapportages.schrijven import in_processes, write_atomic

SJABLOON = Path(__file__).resolve().parent / "templates" / "gemeenterapport.typ"

_SVG_TITEL = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)
_SVG_BESCHRIJVING = re.compile(r"<desc\b[^>]*>(.*?)</desc>", re.S)


def _alt_text(svg: str | None) -> str | None:
    """Alternatieve tekst voor een grafiek: de eerste <title> en <desc> van de SVG (voor een getagde PDF)."""
    if not svg:
        return None
    delen = [m.group(1) for m in (_SVG_TITEL.search(svg), _SVG_BESCHRIJVING.search(svg)) if m]
    tekst = " ".join(html.unescape(re.sub(r"<[^>]+>", "", d)).strip() for d in delen).strip()
    return tekst or None


# Leesbare namen voor de bekende onderdelen van de kwaliteitssamenvatting ({gemeente} wordt ingevuld);
# een onbekend onderdeel krijgt zijn sleutel als naam ("nieuwe_telling" -> "Nieuwe telling").
KWALITEIT_LABELS = {
    "leveringen_per_status": "Leveringen per status (alle gemeenten)",
    "leveringen_totaal": "Leveringen in het grootboek",
    "gebruikte_leveringen": "Leveringen gebruikt voor {gemeente}",
    "jaarwaarden": "Jaarcijfers van {gemeente}",
    "onderdrukte_jaarwaarden": "Niet getoonde jaarcijfers (te weinig waarnemingen)",
    "deels_gedekte_jaarwaarden": "Jaarcijfers voor een deel van {gemeente} (een voorganger leverde niet)",
    "onderdrukte_driejaarswaarden": "Niet getoonde driejaarswaarden (" + DRIEJAARS_NIET_GETOOND + ")",
}


def _label(sleutel: str, gemeente: str) -> str:
    if sleutel in KWALITEIT_LABELS:
        return KWALITEIT_LABELS[sleutel].format(gemeente=gemeente)
    tekst = sleutel.replace("_", " ").strip()
    return tekst[:1].upper() + tekst[1:]


def _waarde(waarde: object) -> str:
    """Een waarde uit de kwaliteitssamenvatting als Nederlandse tekst."""
    if waarde is None:
        return LEEG
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, int | float):
        return format_number(waarde, 0 if float(waarde).is_integer() else 1)
    if isinstance(waarde, datetime | date):
        return format_date(waarde)
    if isinstance(waarde, Mapping):
        return "; ".join(f"{k}: {_waarde(v)}" for k, v in waarde.items()) or LEEG
    if isinstance(waarde, list | tuple | set):
        return ", ".join(_waarde(v) for v in waarde) or LEEG
    return str(waarde)


def _quality_lines(kwaliteit: object, gemeente: str) -> list[dict[str, str]]:
    """De kwaliteitssamenvatting van het rapport als regels (label, waarde) voor het colofon."""
    if not isinstance(kwaliteit, Mapping):
        return []
    return [{"label": _label(str(k), gemeente), "waarde": _waarde(v)} for k, v in kwaliteit.items()]


def _typst_data(context: dict) -> dict:
    """De rapportcontext, aangevuld met wat alleen de PDF nodig heeft (alt-teksten, kwaliteitsregels)."""
    gegevens = dict(context)
    sferen = []
    for sfeer in context["sferen"]:
        indicatoren = []
        for indicator in sfeer["indicatoren"]:
            blok = dict(indicator)
            blok["grafiek"] = str(indicator.get("grafiek") or "")
            blok["grafiek_alt"] = _alt_text(blok["grafiek"])
            vergelijkingsgrafiek = indicator.get("vergelijkingsgrafiek")
            blok["vergelijkingsgrafiek"] = str(vergelijkingsgrafiek) if vergelijkingsgrafiek else None
            blok["vergelijkingsgrafiek_alt"] = _alt_text(blok["vergelijkingsgrafiek"])
            indicatoren.append(blok)
        sferen.append({**sfeer, "indicatoren": indicatoren})
    gegevens["sferen"] = sferen
    gegevens["kwaliteit_regels"] = _quality_lines(context.get("kwaliteit"), context["gemeente"]["naam"])
    return gegevens


def _json_default(waarde: object) -> str:
    if isinstance(waarde, datetime | date):
        return format_date(waarde)
    return str(waarde)


def _compiler() -> typst.Compiler:
    # Alleen de lettertypen uit het typst-pakket: dezelfde PDF op elke machine, en sneller (geen zoektocht
    # naar systeemlettertypen).
    return typst.Compiler(SJABLOON, root=SJABLOON.parent, ignore_system_fonts=True)


def _compile(compiler: typst.Compiler, context: dict, gegenereerd_op: datetime) -> bytes:
    gemeente = context["gemeente"]
    invoer = json.dumps(_typst_data(context), ensure_ascii=False, default=_json_default)
    try:
        pdf, meldingen = compiler.compile_with_warnings(
            format="pdf",
            sys_inputs={"gegevens": invoer},
            timestamp=gegenereerd_op.replace(microsecond=0).astimezone(),
        )
    except typst.TypstError as fout:
        hints = "".join(f" (hint: {h})" for h in (getattr(fout, "hints", None) or []))
        raise RuntimeError(
            f"De PDF van het gemeenterapport voor {gemeente['naam']} ({gemeente['code']}) kon niet worden "
            f"gemaakt. Typst meldt: {fout.message}{hints}"
        ) from fout
    # Waarschuwingen van Typst (bijv. een lay-out die niet convergeert) gaan door als Python-waarschuwing.
    for melding in meldingen:
        warnings.warn(melding, stacklevel=3)
    return pdf


def _write_pdf(
    data: Publicatiegegevens,
    gemeentecode: str,
    uitvoer_map: Path,
    gegenereerd_op: datetime,
    compiler: typst.Compiler,
) -> Path:
    context = _build_context(data, gemeentecode, gegenereerd_op)
    pdf = _compile(compiler, context, gegenereerd_op)
    return write_atomic(
        Path(uitvoer_map) / f"gemeenterapport_{gemeentecode}.pdf", lambda p: p.write_bytes(pdf)
    )


def render_municipality_pdf(publicatie: Path, gemeentecode: str, uitvoer_map: Path) -> Path:
    """Schrijft <uitvoer_map>/gemeenterapport_<gemeentecode>.pdf (A4) en geeft het pad terug."""
    data = read_publication(Path(publicatie), gemeentecode)
    return _write_pdf(data, gemeentecode, Path(uitvoer_map), datetime.now(), _compiler())


def render_all_pdfs(publicatie: Path, uitvoer_map: Path) -> list[Path]:
    """PDF voor elke gemeente in marts.dim_gemeente die cijfers heeft in marts.fct_indicator_jaar."""
    data = read_publication(Path(publicatie))
    nu = datetime.now()
    compiler = _compiler()
    return [_write_pdf(data, code, Path(uitvoer_map), nu, compiler) for code in report_codes(data)]


def _render_share(publicatie: Path, uitvoer_map: Path, nu: datetime, codes: list[str]) -> list[Path]:
    """HTML en PDF voor `codes`, uit één keer gelezen publicatie (in een eigen proces)."""
    data = read_publication(publicatie)
    compiler = _compiler()
    paden: list[Path] = []
    for code in codes:
        paden.append(_write_html(data, code, uitvoer_map, nu))
        paden.append(_write_pdf(data, code, uitvoer_map, nu, compiler))
    return paden


def render_all_municipalities(publicatie: Path, uitvoer_map: Path, werkers: int | None = None) -> list[Path]:
    """Het HTML- en PDF-rapport van elke gemeente met cijfers (zoals render_all_reports en render_all_pdfs),
    verdeeld over `werkers` processen (standaard één per processorkern), de gemeente met de nieuwste levering
    eerst. Landelijk (342 gemeenten) kost het zetten van de PDF's het meest; zo gebruikt het alle kernen."""
    publicatie, uitvoer_map = Path(publicatie), Path(uitvoer_map)
    codes = report_codes(read_publication(publicatie))
    return in_processes(_render_share, codes, publicatie, uitvoer_map, datetime.now(), werkers=werkers)
