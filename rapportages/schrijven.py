"""Schrijven van uitvoer, gedeeld door alle rapporten en exporten: de Jinja2-omgeving van de sjablonen en het
atomair vervangen van een bestand (een lezer ziet nooit een half rapport, een halve PDF of werkmap)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
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
