"""Wat alle rapporten en exports gemeen hebben bij het lezen van de publicatie (`publicatie.duckdb`).

De publicatie gaat alleen-lezen open; ontbreekt het bestand, of een tabel of kolom die een rapport nodig heeft,
dan volgt een duidelijke Nederlandse melding. Elk rapport houdt zijn eigen lijst van vereiste tabellen, maar
stelt die samen uit de kolommen hieronder waar die lijsten overlappen.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from rapportages.opmaak import join_dutch

# Kolommen per tabel die meer dan één rapport nodig heeft (in de volgorde waarin ze gelezen worden).
GEMEENTE_KOLOMMEN = (
    "gemeentecode",
    "gemeentenaam",
    "provincie",
    "gemeentegrootte",
    "stedelijkheid",
    "inwoners_2022",
)
INDICATOR_KOLOMMEN = (
    "indicator_code",
    "naam",
    "sfeer",
    "bron",
    "eenheid",
    "teller_definitie",
    "noemer_definitie",
    "minimum_n",
    "richting_gunstig",
    "toelichting",
)
JAARCIJFER_KOLOMMEN = (
    "gemeentecode",
    "jaar",
    "indicator_code",
    "teller",
    "noemer",
    "n",
    "waarde",
    "se",
    "ci_onder",
    "ci_boven",
    "onderdrukt",
    "bron_leveringen",
    # Welk deel van de huidige gemeente leverde (docs/methoden.md, "Dekking"): een cel met ontbrekende delen
    # beschrijft niet de hele gemeente, en het rapport zegt dat.
    "dekking",
    "dekking_ontbrekend",
)
MEERJARIG_KOLOMMEN = (
    "gemeentecode",
    "indicator_code",
    "jaar",
    "jaren_in_venster",
    "waarde_3jaar",
    "ci_onder_3jaar",
    "ci_boven_3jaar",
    "onderdrukt_3jaar",
    "trend_jaar_van",
    "trend_jaar_tot",
    "trend_jaren",
    "helling",
    "helling_ci_onder",
    "helling_ci_boven",
    "trend",
    "trend_gevoelig",  # het oordeel valt anders uit zonder één van de jaren
)
# Gepoolde, niet-overlappende driejaarsperioden (een cijfer waar losse jaren te klein zijn).
PERIODE_KOLOMMEN = (
    "gemeentecode",
    "indicator_code",
    "periode",
    "periode_van",
    "periode_tot",
    "jaren_met_gegevens",
    "jaren_onderdrukt",
    "n",
    "waarde",
    "ci_onder",
    "ci_boven",
    "onderdrukt",
)
VERGELIJKING_KOLOMMEN = (
    "gemeentecode",
    "jaar",
    "indicator_code",
    "referentie",
    "vergelijkingsgroep",
    "waarde",
    "ci_onder",
    "ci_boven",
    "referentie_waarde",
)
TRECHTERGRENS_KOLOMMEN = (
    "referentie_gemeenten",
    "grens_95_onder",
    "grens_95_boven",
    "grens_998_onder",
    "grens_998_boven",
)
POSITIE_KOLOMMEN = ("positie", "positie_998")
# Wat een referentie is en waarom een vergelijking ontbreekt, in de woorden van de mart (nooit in het rapport
# bedacht): 'Nederland' alleen als elke gemeente van de kaart een cijfer heeft.
REFERENTIE_KOLOMMEN = (
    "referentie_naam",
    "referentie_naam_kort",
    "referentie_gemeenten_kaart",
    "referentie_inwoners_aandeel",
    "referentie_volledig",
    "samenstelling_gewijzigd",
    "samenstelling_wijziging",
    "reden_geen_referentie",
    "reden_geen_grenzen",
)
VERHAAL_KOLOMMEN = ("verhaal_id", "gemeentecode", "wijkcode", "jaar", "sfeer", "titel", "tekst")
LEVERING_KOLOMMEN = ("levering_id", "bron", "bestandsnaam", "sha256", "ontvangen_op", "rijen", "status")


class OnvolledigePublicatie(ValueError):
    """De publicatie mist een tabel of kolom die een rapport of export nodig heeft."""


def without(kolommen: tuple[str, ...], *weg: str) -> tuple[str, ...]:
    """De kolommen zonder ``weg``, in dezelfde volgorde."""
    return tuple(k for k in kolommen if k not in weg)


def table_columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """De kolommen per tabel ("schema.tabel") van de publicatie."""
    kolommen: dict[str, set[str]] = {}
    for tabel, kolom in con.execute(
        "SELECT table_schema || '.' || table_name, column_name FROM information_schema.columns"
    ).fetchall():
        kolommen.setdefault(tabel, set()).add(kolom)
    return kolommen


def require_tables(
    kolommen: Mapping[str, Collection[str]],
    vereist: Mapping[str, tuple[str, ...]],
    onderwerp: str,
    tabeladvies: str,
    kolomadvies: str = "",
    fout: type[ValueError] = OnvolledigePublicatie,
) -> None:
    """Stopt met ``fout`` als een vereiste tabel of kolom ontbreekt. ``onderwerp`` begint de melding ("De
    publicatie ... is onvolledig"), ``tabeladvies`` volgt op de melding over tabellen, ``kolomadvies`` op die over
    kolommen."""
    ontbrekend = [t for t in vereist if t not in kolommen]
    if ontbrekend:
        meer = len(ontbrekend) > 1
        raise fout(
            f"{onderwerp}: de tabel{'len' if meer else ''} {join_dutch(ontbrekend)} "
            f"ontbre{'ken' if meer else 'ekt'}. {tabeladvies}"
        )
    for tabel, nodig in vereist.items():
        mist = [k for k in nodig if k not in kolommen[tabel]]
        if mist:
            raise fout(
                f"{onderwerp}: in {tabel} "
                f"ontbre{'ken de kolommen' if len(mist) > 1 else 'ekt de kolom'} {join_dutch(mist)}."
                + (f" {kolomadvies}" if kolomadvies else "")
            )


def check_tables(
    kolommen: Mapping[str, Collection[str]],
    vereist: Mapping[str, tuple[str, ...]],
    publicatie: Path,
    gebruiker: str,
    kolomadvies: str = "",
) -> None:
    """Stopt met :class:`OnvolledigePublicatie` als een vereiste tabel of kolom van de publicatie ontbreekt.

    ``gebruiker`` (bijvoorbeeld "Het gemeenterapport") staat in de melding over tabellen, ``kolomadvies`` achter
    de melding over kolommen.
    """
    require_tables(
        kolommen,
        vereist,
        f"De publicatie {publicatie} is onvolledig",
        f"{gebruiker} heeft deze tabellen nodig; draai de keten opnieuw (`basismonitor verwerk`).",
        kolomadvies,
    )


@contextmanager
def open_publication(
    publicatie: Path,
    vereist: Mapping[str, tuple[str, ...]] | None = None,
    gebruiker: str = "",
    kolomadvies: str = "",
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Opent de publicatie alleen-lezen (en sluit haar weer); met ``vereist`` worden tabellen en kolommen
    eerst gecontroleerd (zie :func:`check_tables`)."""
    publicatie = Path(publicatie)
    if not publicatie.is_file():
        raise FileNotFoundError(f"De publicatie {publicatie} bestaat niet: er is nog niets gepubliceerd.")
    con = duckdb.connect(str(publicatie), read_only=True)
    try:
        if vereist is not None:
            check_tables(table_columns(con), vereist, publicatie, gebruiker, kolomadvies)
        yield con
    finally:
        con.close()


def published_at(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """Wanneer de publicatie is gemaakt (kwaliteit.publicatie), of None als dat er niet in staat."""
    aanwezig = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'kwaliteit' AND table_name = 'publicatie'"
    ).fetchone()[0]
    if not aanwezig:
        return None
    return con.execute("SELECT max(gepubliceerd_op) FROM kwaliteit.publicatie").fetchone()[0]
