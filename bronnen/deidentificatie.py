"""De-identificatie van verhalen van inwoners met Deduce (Nederlandse de-identificatie, UMC Utrecht).

Namen, adressen en plaatsen, telefoonnummers, e-mailadressen, datums en leeftijden worden vervangen door
labels zoals [PERSOON-1] of [TELEFOONNUMMER-1] voordat een verhaal wordt opgeslagen. Ook namen van
locaties (straten, plaatsen, soms een buurthuis) worden vervangen: liever een label te veel dan een
herkenbaar verhaal.
"""

from __future__ import annotations

import functools
import logging


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


def scrub(teksten: list[str | None]) -> list[str | None]:
    """Geeft de teksten terug met namen, adressen, telefoonnummers en e-mailadressen vervangen."""
    if not any(teksten):
        return list(teksten)
    d = _deduce()
    return [None if t is None else d.deidentify(t).deidentified_text for t in teksten]
