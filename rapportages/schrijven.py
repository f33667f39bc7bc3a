"""Schrijven van uitvoer, gedeeld door alle rapporten en exporten: de Jinja2-omgeving van de sjablonen en het
atomair vervangen van een bestand (een lezer ziet nooit een half rapport, een halve PDF of werkmap)."""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jinja2


@functools.cache
def template_environment() -> jinja2.Environment:
    """Eén omgeving per proces voor rapportages/templates: elk sjabloon wordt één keer vertaald."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def write_atomic(pad: Path, schrijf: Callable[[Path], object]) -> Path:
    """Laat `schrijf` een tijdelijk bestand naast `pad` maken en zet het dan in één keer op zijn plaats; mislukt
    het schrijven, dan blijft het oude bestand staan en verdwijnt het tijdelijke."""
    pad = Path(pad)
    pad.parent.mkdir(parents=True, exist_ok=True)
    tijdelijk = pad.with_name(f".{pad.name}.nieuw-{os.getpid()}")
    try:
        schrijf(tijdelijk)
        os.replace(tijdelijk, pad)
    finally:
        tijdelijk.unlink(missing_ok=True)
    return pad


def write_text_atomic(pad: Path, tekst: str) -> Path:
    return write_atomic(pad, lambda p: p.write_text(tekst, encoding="utf-8"))


def worker_count(delen: int, werkers: int | None = None) -> int:
    """Hoeveel processen in_processes voor `delen` delen gebruikt: standaard één per processorkern, maar pas
    vanaf vier delen per werker (een proces opstarten en de publicatie lezen kost ook tijd)."""
    if werkers is None:
        werkers = min(os.cpu_count() or 1, delen // 4)
    return max(1, min(werkers, delen))


def in_processes(
    werk: Callable[..., list[Path]], delen: list[str], *args: object, werkers: int | None = None
) -> list[Path]:
    """Roept `werk(*args, deel)` aan voor `delen` (gemeentecodes) verdeeld over `werkers` processen
    (zie worker_count) en geeft alle geschreven paden gesorteerd terug. De delen gaan om de beurt naar de
    werkers, zodat elke werker met een van de eerste delen begint (de volgorde van `delen` is de voorrang).
    `werk` moet een functie op moduleniveau zijn."""
    werkers = worker_count(len(delen), werkers)
    if werkers == 1:
        return sorted(werk(*args, delen))
    verdeling = [delen[i::werkers] for i in range(werkers)]
    with ProcessPoolExecutor(werkers, mp_context=multiprocessing.get_context("spawn")) as pool:
        taken = [pool.submit(werk, *args, deel) for deel in verdeling]
        return sorted(p for t in taken for p in t.result())
