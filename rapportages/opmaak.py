"""Nederlandse opmaak van getallen en datums voor rapporten.

Decimale komma, punt als duizendtalscheiding, en een streepje ("–") voor een ontbrekend of onderdrukt
cijfer. Afronden gaat "half naar boven" op de decimale weergave van het getal (12,35 -> 12,4), zoals een
lezer dat met de hand zou doen, en niet naar het dichtstbijzijnde even getal.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

LEEG = "–"  # en-dash: geen cijfer (ontbrekend of onderdrukt)

MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

# Aantal decimalen waarmee een waarde in een eenheid wordt getoond.
_DECIMALEN_PER_EENHEID = {
    "percentage": 1,
    "per 1.000 inwoners": 1,
    "per 10.000 inwoners": 2,
    "score 0-10": 1,
    "schaalscore 0-10": 1,
    "jaren": 1,
    "gini-coëfficiënt 0-1": 2,
    "contacten per mantelzorger": 2,
}

# Kort achtervoegsel voor een waarde in de lopende tekst en bij de as.
_KORT_PER_EENHEID = {
    "percentage": "%",
    "per 1.000 inwoners": "per 1.000 inw.",
    "per 10.000 inwoners": "per 10.000 inw.",
    "score 0-10": "score 0–10",
    "schaalscore 0-10": "score 0–10",
    "jaren": "jaar",
    "gini-coëfficiënt 0-1": "Gini",
    "contacten per mantelzorger": "per mantelzorger",
}


def format_number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """Een getal in Nederlandse notatie: ``format_number(1234.567, 1) == "1.234,6"``.

    ``None`` en NaN worden "–". Een getal dat na afronden nul is, krijgt geen minteken.
    """
    if value is None or isinstance(value, bool):
        return LEEG
    if isinstance(value, float) and not math.isfinite(value):
        return LEEG
    if decimals < 0:
        raise ValueError("Het aantal decimalen kan niet negatief zijn.")
    try:
        getal = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return LEEG
    afgerond = getal.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if afgerond == 0:
        afgerond = abs(afgerond)
    teken = "-" if afgerond < 0 else ""
    tekst = f"{abs(afgerond):.{decimals}f}"
    geheel, _, fractie = tekst.partition(".")
    groepen = []
    while len(geheel) > 3:
        groepen.insert(0, geheel[-3:])
        geheel = geheel[:-3]
    groepen.insert(0, geheel)
    resultaat = teken + ".".join(groepen)
    if decimals:
        resultaat += "," + fractie
    return resultaat


def format_interval(onder: float | None, boven: float | None, decimals: int = 1) -> str:
    """Een 95%-interval als "41,2 tot 47,9"; "–" als een van beide grenzen ontbreekt."""
    if onder is None or boven is None:
        return LEEG
    a, b = format_number(onder, decimals), format_number(boven, decimals)
    if LEEG in (a, b):
        return LEEG
    return f"{a} tot {b}"


def format_date(moment: date | datetime | None) -> str:
    """Een datum voluit in het Nederlands: "3 februari 2025"."""
    if moment is None:
        return LEEG
    return f"{moment.day} {MAANDEN[moment.month - 1]} {moment.year}"


def format_short_date(moment: date | datetime | None) -> str:
    """Een datum kort, voor tabellen: "03-02-2025"."""
    if moment is None:
        return LEEG
    return f"{moment.day:02d}-{moment.month:02d}-{moment.year}"


def decimals_for_unit(eenheid: str | None) -> int:
    """Het aantal decimalen waarmee waarden in deze eenheid worden getoond (standaard 1)."""
    return _DECIMALEN_PER_EENHEID.get((eenheid or "").strip().lower(), 1)


def short_unit(eenheid: str | None) -> str:
    """Kort label voor de eenheid ("%" voor percentage); onbekende eenheden blijven zoals ze zijn."""
    sleutel = (eenheid or "").strip()
    return _KORT_PER_EENHEID.get(sleutel.lower(), sleutel)


def join_dutch(delen: list[str]) -> str:
    """["a", "b", "c"] -> "a, b en c"."""
    delen = [d for d in delen if d]
    if len(delen) <= 1:
        return "".join(delen)
    return ", ".join(delen[:-1]) + " en " + delen[-1]


def format_count(value: float | int | None) -> str:
    """Een aantal: zonder decimalen als het een geheel getal is, anders met één (gewogen tellers)."""
    if value is None or isinstance(value, bool):
        return LEEG
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        return format_number(value, 1)
    return format_number(value, 0)
