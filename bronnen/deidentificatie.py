"""De-identificatie van verhalen van inwoners met Deduce (Nederlandse de-identificatie, UMC Utrecht).

Namen, adressen en plaatsen, telefoonnummers, e-mailadressen, datums en leeftijden worden vervangen door
labels zoals [PERSOON-1] of [TELEFOONNUMMER-1] voordat een verhaal wordt opgeslagen. Ook namen van
locaties (straten, plaatsen, soms een buurthuis) worden vervangen: liever een label te veel dan een
herkenbaar verhaal.
"""

from __future__ import annotations

import functools


@functools.cache
def _deduce():
    from deduce import Deduce

    return Deduce()


def scrub(teksten: list[str | None]) -> list[str | None]:
    """Geeft de teksten terug met namen, adressen, telefoonnummers en e-mailadressen vervangen."""
    if not any(teksten):
        return list(teksten)
    d = _deduce()
    return [None if t is None else d.deidentify(t).deidentified_text for t in teksten]
