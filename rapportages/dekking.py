"""Dekking in woorden: welk deel van de huidige gemeente voor een cijfer leverde.

Een reeks op de huidige kaart beschrijft voor een jaar alleen het deel van de gemeente dat leverde
(`marts.fct_indicator_jaar`: ``dekking``, het deel van de inwoners dat leverde, en ``dekking_ontbrekend``, de
codes van de gemeenten van dat jaar die nu in deze gemeente liggen en niet leverden; docs/methoden.md,
"Dekking"). Zo'n cijfer is niet het cijfer van de hele gemeente, en elk rapport zegt dat waar het cijfer staat:
"alleen het deel dat leverde (zonder Haren en Ten Boer; aandeel van de inwoners onbekend)".

De namen van de ontbrekende gemeenten komen uit de publicatie zelf: ``marts.dim_gemeente`` (de huidige
gemeenten) en haar kolom ``voorgangers`` ("GM0009 Ten Boer, GM0017 Haren"). Een code zonder naam blijft een
code. Dit module rekent niets uit: het zet wat de mart zegt in woorden.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

import polars as pl

from rapportages.opmaak import format_number, join_dutch

# Waarom een driejaarswaarde ontbreekt (fct_indicator_meerjarig.onderdrukt_3jaar): de mart publiceert haar
# alleen als elk jaar van het venster gepubliceerd is en de hele gemeente beschrijft.
DRIEJAARS_NIET_GETOOND = "een jaar in het venster is onderdrukt of beschrijft maar een deel van de gemeente"
ZIE_PERIODE = "zie de gepoolde periode"

DEEL_VAN_DE_GEMEENTE = "alleen het deel dat leverde"

_VOORGANGER = re.compile(r"(GM\d{4})\s*(.*)")


def parse_predecessors(voorgangers: str | None) -> list[tuple[str, str | None]]:
    """ "GM0501 Brielle, GM0530 Hellevoetsluis" -> [("GM0501", "Brielle"), ("GM0530", "Hellevoetsluis")].

    Een voorganger zonder naam ("GM0478 ") krijgt None als naam; een deel zonder code de hele tekst als naam.
    Alleen een komma vóór een nieuwe code scheidt twee voorgangers, zodat een komma in een naam blijft staan.
    """
    delen: list[tuple[str, str | None]] = []
    for deel in re.split(r",\s*(?=GM\d{4})", voorgangers or ""):
        deel = deel.strip().rstrip(",").strip()
        if not deel:
            continue
        m = _VOORGANGER.fullmatch(deel)
        if m:
            delen.append((m.group(1), m.group(2).strip() or None))
        else:
            delen.append((deel, deel))
    return delen


def municipality_names(gemeenten: pl.DataFrame) -> dict[str, str]:
    """Code -> naam voor elke gemeente die de publicatie noemt: de voorgangers (uit ``voorgangers``) en de
    huidige gemeenten van ``marts.dim_gemeente``."""
    namen: dict[str, str] = {}
    if "voorgangers" in gemeenten.columns:
        for voorgangers in gemeenten["voorgangers"].drop_nulls().to_list():
            for code, naam in parse_predecessors(voorgangers):
                if naam and code.startswith("GM"):
                    namen.setdefault(code, naam)
    for code, naam in gemeenten.select("gemeentecode", "gemeentenaam").iter_rows():
        if naam:
            namen[code] = naam
    return namen


def coverage_percent(dekking: float | None) -> float | None:
    """Het deel van de inwoners als percentage met één decimaal, naar beneden afgerond: een deel dat niet alles
    is, wordt nooit "100,0". None blijft None."""
    if dekking is None:
        return None
    return float((Decimal(str(dekking)) * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN))


@dataclass(frozen=True)
class Dekking:
    """De dekking van één cel, zoals de mart haar geeft."""

    aandeel: float | None  # dekking (0-1), None als onbekend
    ontbrekend: tuple[str, ...]  # dekking_ontbrekend (gemeentecodes)

    @classmethod
    def of(cls, rij: dict) -> Dekking:
        """Uit een rij van fct_indicator_jaar (ontbreken de kolommen, dan volledige dekking onbekend)."""
        return cls(rij.get("dekking"), tuple(rij.get("dekking_ontbrekend") or ()))

    @property
    def deels(self) -> bool:
        """Waar als het cijfer alleen het deel van de gemeente beschrijft dat leverde."""
        return bool(self.ontbrekend) or (self.aandeel is not None and self.aandeel < 1)

    @property
    def percent(self) -> float | None:
        return coverage_percent(self.aandeel)

    def _missing(self, namen: dict[str, str]) -> list[tuple[str | None, str]]:
        """(naam, code) van de gemeenten die niet leverden: eerst die met een naam op alfabet, dan de codes."""
        return sorted(
            ((namen.get(c), c) for c in self.ontbrekend),
            key=lambda d: (d[0] is None, (d[0] or "").casefold(), d[1]),
        )

    def missing_names(self, namen: dict[str, str]) -> list[str]:
        """De namen van de gemeenten die niet leverden (een code zonder naam blijft een code)."""
        return [naam or code for naam, code in self._missing(namen)]

    def missing_label(self, namen: dict[str, str]) -> str:
        """ "Haren (GM0017) en Ten Boer (GM0009)": naam en code, voor werkmap en CSV; leeg bij volledige
        dekking."""
        return join_dutch([f"{naam} ({code})" if naam else code for naam, code in self._missing(namen)])

    def share_text(self) -> str:
        """ "97,7% van de inwoners", of "aandeel van de inwoners onbekend"."""
        procent = self.percent
        if procent is None:
            return "aandeel van de inwoners onbekend"
        if procent == 0 and self.aandeel:
            return "minder dan 0,1% van de inwoners"
        return f"{format_number(procent, 1)}% van de inwoners"

    def note(self, namen: dict[str, str]) -> str | None:
        """ "alleen het deel dat leverde (zonder Haren en Ten Boer; 97,7% van de inwoners)"; None bij volledige
        dekking."""
        if not self.deels:
            return None
        zonder = join_dutch(self.missing_names(namen))
        return f"{DEEL_VAN_DE_GEMEENTE} ({f'zonder {zonder}; ' if zonder else ''}{self.share_text()})"


def format_years(jaren: Iterable[int]) -> str:
    """[2015, 2016, 2017, 2019, 2021] -> "2015–2017, 2019 en 2021": drie of meer aaneengesloten jaren als periode."""
    reeks = sorted(set(jaren))
    stukken: list[list[int]] = []
    for jaar in reeks:
        if stukken and jaar == stukken[-1][-1] + 1:
            stukken[-1].append(jaar)
        else:
            stukken.append([jaar])
    delen: list[str] = []
    for s in stukken:
        delen += [f"{s[0]}–{s[-1]}"] if len(s) > 2 else [str(j) for j in s]
    return join_dutch(delen)


def notes_per_years(jaar_noten: Sequence[tuple[int, str | None]]) -> list[dict[str, str]]:
    """Dezelfde dekkingsnoot voor meer jaren één keer: [{"jaren": "2015–2018", "noot": "alleen ..."}]."""
    per_noot: dict[str, list[int]] = {}
    for jaar, noot in jaar_noten:
        if noot:
            per_noot.setdefault(noot, []).append(jaar)
    return [
        {"jaren": format_years(jaren), "noot": noot}
        for noot, jaren in sorted(per_noot.items(), key=lambda kv: min(kv[1]))
    ]
