"""De-identificatie van verhalen van inwoners met Deduce (Nederlandse de-identificatie, UMC Utrecht).

Namen, adressen en plaatsen, telefoonnummers, e-mailadressen, datums en leeftijden worden verwijderd voordat een
verhaal wordt opgeslagen. Ook namen van locaties (straten, plaatsen, soms een buurthuis) gaan eruit: liever een
aanduiding te veel dan een herkenbaar verhaal.

Deduce zet op hun plaats labels zoals [PERSOON-1] of [TELEFOONNUMMER-1]. Die horen niet in een gepubliceerd
verhaal: ze worden vertaald naar gewoon Nederlands ([naam verwijderd], [telefoonnummer verwijderd]). De vertaling
staat op één plek, de dbt-seed `deidentificatie_labels.csv`: de voordeur leest die hier (zoals `voorbeeld` de
seeds leest) en slaat nieuwe verhalen meteen leesbaar op; het stagingmodel `stg_verhalen__verhalen` vertaalt met
dezelfde seed de labels van verhalen die al eerder, met de ruwe labels, in raw staan. Een label dat niet in de
seed staat (een nieuwere Deduce) wordt "[gegevens verwijderd]" (de rij `*`), nooit een ruw label.
"""

from __future__ import annotations

import csv
import functools
import logging
import re
from pathlib import Path

LABELS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "deidentificatie_labels.csv"
OVERIG = "*"  # de rij van de seed voor elk ander label

# Een label van Deduce: [PERSOON-1], [STRAAT+HUISNUMMER-2], of zonder volgnummer [PATIENT]. Hetzelfde patroon
# staat in dbt_project/macros/verhalen.sql (deidentificatie_label); tests/test_verhalen.py houdt ze gelijk.
LABEL = re.compile(r"\[([A-Z][A-Z_+]*)(-[0-9]+)?\]")


@functools.cache
def _deduce():
    # Deduce roept bij het importeren logging.basicConfig(level=DEBUG) aan op stdout: daarna zou elk
    # DEBUG-bericht van elke bibliotheek op de terminal komen. De instelling van de root-logger wordt hersteld.
    root = logging.getLogger()
    niveau, handlers = root.level, list(root.handlers)
    try:
        from deduce import Deduce

        return Deduce()
    finally:
        root.setLevel(niveau)
        root.handlers = handlers


@functools.cache
def readable_labels() -> dict[str, str]:
    """Label van Deduce (zonder volgnummer) -> leesbare vorm, uit de seed; `OVERIG` voor elk ander label."""
    with LABELS.open(encoding="utf-8", newline="") as f:
        labels = {r["label"]: r["leesbaar"] for r in csv.DictReader(f)}
    if OVERIG not in labels:
        raise ValueError(f"{LABELS} mist de rij '{OVERIG}' (de leesbare vorm voor elk ander label).")
    return labels


def make_readable(tekst: str | None) -> str | None:
    """Vervangt de labels van Deduce in `tekst` door gewoon Nederlands ("[PERSOON-1]" -> "[naam verwijderd]").

    Een onbekend label met volgnummer wordt "[gegevens verwijderd]"; tekst tussen haken zonder volgnummer die
    geen label is (een inwoner die "[SIC]" schrijft) blijft staan, net als een tekst die al leesbaar is."""
    if tekst is None:
        return None
    labels = readable_labels()
    return LABEL.sub(lambda m: labels.get(m[1]) or (labels[OVERIG] if m[2] else m[0]), tekst)


def scrub(teksten: list[str | None]) -> list[str | None]:
    """Geeft de teksten terug met namen, adressen, telefoonnummers en e-mailadressen vervangen door een leesbare
    aanduiding zoals [naam verwijderd]."""
    if not any(teksten):
        return list(teksten)
    d = _deduce()
    return [None if t is None else make_readable(d.deidentify(t).deidentified_text) for t in teksten]
