"""De schrijfkant van het warehouse voor de voordeur: schema's, `raw`-tabellen, het grootboek en de
vingerafdruk van de pseudonimiseringssleutel."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from bronnen.contracten import CONTRACTEN, PSEUDONIEM_TYPE, Contract, alle_kolommen
from bronnen.pseudoniem import key_fingerprint

LEVERINGEN_DDL = """
CREATE TABLE IF NOT EXISTS kwaliteit.leveringen (
    levering_id      VARCHAR PRIMARY KEY,
    bron             VARCHAR NOT NULL,
    bestandsnaam     VARCHAR NOT NULL,
    formaat          VARCHAR,
    sha256           VARCHAR NOT NULL,
    ontvangen_op     TIMESTAMP NOT NULL,
    rijen            BIGINT,
    status           VARCHAR NOT NULL CHECK (status IN ('geaccepteerd', 'afgewezen', 'dubbel', 'vervangen')),
    reden            VARCHAR,
    vervangt         VARCHAR,
    leveringssleutel VARCHAR,
    gemeentecodes    VARCHAR[],
    periode_start    DATE,
    periode_eind     DATE
)
"""

# De vingerafdruk (bronnen.pseudoniem.key_fingerprint) van elke sleutel waarmee het warehouse gepseudonimiseerd
# is, met sinds wanneer; de regel met het hoogste volgnummer is de geldende sleutel (niet de klok: die kan
# teruglopen). Een regel komt er alleen bij de eerste pseudonimisering en bij een herpseudonimisering
# (bronnen.herpseudonimisering).
SLEUTEL_DDL = """
CREATE TABLE IF NOT EXISTS kwaliteit.sleutel (
    volgnummer       INTEGER PRIMARY KEY,
    vingerafdruk     VARCHAR NOT NULL,
    in_gebruik_sinds TIMESTAMP NOT NULL,
    aanleiding       VARCHAR NOT NULL
)
"""
EERSTE_PSEUDONIMISERING = "eerste pseudonimisering"
BESTAAND_WAREHOUSE = "bestaand warehouse zonder vingerafdruk"
HERPSEUDONIMISERING = "herpseudonimisering"
HERPSEUDONIMISEER_OPDRACHT = "basismonitor herpseudonimiseer"


class SleutelFout(RuntimeError):
    """De ingestelde pseudonimiseringssleutel is niet de sleutel waarmee het warehouse gepseudonimiseerd is."""

    def __init__(self, opgeslagen: str, huidig: str):
        self.opgeslagen, self.huidig = opgeslagen, huidig
        super().__init__(
            f"Dit warehouse is gepseudonimiseerd met een andere sleutel (vingerafdruk {opgeslagen[:8]}…) dan de "
            f"sleutel die nu is ingesteld (vingerafdruk {huidig[:8]}…). Er is niets geladen en de inbox is niet "
            "aangeraakt. Zet de oorspronkelijke sleutel terug (BASISMONITOR_PSEUDONIEM_SLEUTEL, of het "
            "sleutelbestand waar BASISMONITOR_PSEUDONIEM_SLEUTELBESTAND naar wijst, standaard "
            "<BASISMONITOR_HOME>/pseudoniem.sleutel), of pseudonimiseer het warehouse bewust opnieuw met de "
            f"nieuwe sleutel: `{HERPSEUDONIMISEER_OPDRACHT}`."
        )


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(warehouse))


def ensure_schema(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Maakt de schema's `raw` en `kwaliteit`, alle raw-tabellen, het grootboek en kwaliteit.sleutel (de
    vingerafdruk van de sleutel) (idempotent), en zet pseudoniemen uit een ouder warehouse om (zie
    migrate_pseudonyms). Geeft de omgezette kolommen terug."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE SCHEMA IF NOT EXISTS kwaliteit")
    con.execute(LEVERINGEN_DDL)
    con.execute(SLEUTEL_DDL)
    for contract in CONTRACTEN.values():
        cols = ["levering_id VARCHAR NOT NULL", "rij INTEGER NOT NULL"]
        cols += [f'"{k.raw_naam}" {k.raw_type}' for k in alle_kolommen(contract)]
        con.execute(f"CREATE TABLE IF NOT EXISTS {contract.raw_tabel} ({', '.join(cols)})")
    con.execute(
        "CREATE TABLE IF NOT EXISTS raw.enquete_waardelabels "
        "(levering_id VARCHAR NOT NULL, variabele VARCHAR NOT NULL, waarde VARCHAR NOT NULL, label VARCHAR)"
    )
    return migrate_pseudonyms(con)


def pseudonym_columns(contract: Contract) -> list[str]:
    """De kolommen (raw-namen) met pseudoniemen van een bron; leeg voor een bron zonder persoonsnummers."""
    return [k.raw_naam for k in alle_kolommen(contract) if k.persoonsnummer]


def key_history(con: duckdb.DuckDBPyConnection) -> list[tuple[str, datetime, str]]:
    """De sleutels van het warehouse, nieuwste (de geldende) eerst: (vingerafdruk, in gebruik sinds,
    aanleiding). Leeg als er nog geen is, ook als de tabel nog niet bestaat (een warehouse van vóór de
    vingerafdruk, alleen-lezen geopend)."""
    bestaat = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = 'kwaliteit' AND table_name = 'sleutel'"
    ).fetchone()[0]
    if not bestaat:
        return []
    return con.execute(
        "SELECT vingerafdruk, in_gebruik_sinds, aanleiding FROM kwaliteit.sleutel ORDER BY volgnummer DESC"
    ).fetchall()


def stored_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """De vingerafdruk van de geldende sleutel; None als er nog geen is vastgelegd."""
    geschiedenis = key_history(con)
    return geschiedenis[0][0] if geschiedenis else None


def record_fingerprint(
    con: duckdb.DuckDBPyConnection, sleutel: bytes, aanleiding: str, moment: datetime | None = None
) -> str:
    """Legt de vingerafdruk van `sleutel` vast als geldende sleutel; geeft haar terug."""
    vingerafdruk = key_fingerprint(sleutel)
    con.execute(
        "INSERT INTO kwaliteit.sleutel SELECT coalesce(max(volgnummer), 0) + 1, ?, ?, ? FROM kwaliteit.sleutel",
        [vingerafdruk, moment or datetime.now(), aanleiding],
    )
    return vingerafdruk


def has_pseudonyms(con: duckdb.DuckDBPyConnection) -> bool:
    """Staat er in een raw-tabel van een bron met persoonsnummers minstens één rij?"""
    return any(
        con.execute(f"SELECT EXISTS (FROM {c.raw_tabel})").fetchone()[0]
        for c in CONTRACTEN.values()
        if pseudonym_columns(c)
    )


def check_key(
    con: duckdb.DuckDBPyConnection,
    sleutel: bytes,
    *,
    vastleggen: bool = False,
    aanleiding: str = EERSTE_PSEUDONIMISERING,
) -> None:
    """Vergelijkt de sleutel met de vingerafdruk in het warehouse: SleutelFout als die van een andere sleutel
    is. Staat er nog geen vingerafdruk en is `vastleggen` waar (er wordt nu gepseudonimiseerd, of het warehouse
    bevat al pseudoniemen), dan wordt die van deze sleutel vastgelegd met `aanleiding`."""
    opgeslagen = stored_fingerprint(con)
    huidig = key_fingerprint(sleutel)
    if opgeslagen is None:
        if vastleggen:
            record_fingerprint(con, sleutel, aanleiding)
    elif opgeslagen != huidig:
        raise SleutelFout(opgeslagen, huidig)


def migrate_pseudonyms(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tot en met november 2026 stond een pseudoniem in `raw` als de volledige HMAC-SHA256 in hexadecimale
    tekst (64 tekens). Nu is het de eerste 128 bits van diezelfde HMAC als getal: de omzetting neemt de eerste
    32 hexadecimale tekens, zodat een persoon uit een oude levering hetzelfde pseudoniem houdt als in een nieuwe
    levering met dezelfde sleutel. Eén transactie per warehouse; geeft de omgezette kolommen terug."""
    types = dict(
        ((r[0], r[1]), r[2])
        for r in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_catalog = current_database()"
        ).fetchall()
    )
    oud = [
        (contract, k.raw_naam)
        for contract in CONTRACTEN.values()
        for k in alle_kolommen(contract)
        if k.persoonsnummer and types.get((contract.bron, k.raw_naam)) == "VARCHAR"
    ]
    if not oud:
        return []
    con.execute("BEGIN TRANSACTION")
    try:
        for contract, kolom in oud:
            try:
                con.execute(
                    f'ALTER TABLE {contract.raw_tabel} ALTER COLUMN "{kolom}" SET DATA TYPE {PSEUDONIEM_TYPE} '
                    f"""USING ('0x' || left("{kolom}", 32))::{PSEUDONIEM_TYPE}"""
                )
            except duckdb.ConversionException as e:
                raise RuntimeError(
                    f"{contract.raw_tabel}, kolom {kolom}: de oude pseudoniemen zijn geen hexadecimale HMAC en "
                    f"kunnen niet worden omgezet ({str(e).splitlines()[0]}). Het warehouse is niet gewijzigd."
                ) from e
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return [f"{contract.raw_tabel}.{kolom}" for contract, kolom in oud]


def insert_arrow(
    con: duckdb.DuckDBPyConnection, tabel: str, data, select: str = "*", params: list | dict | None = None
) -> None:
    """Voegt een Arrow-tabel (kolommen op naam) in één keer in `tabel` in; executemany kost in DuckDB per rij
    een aparte uitvoering. `select` (met `params`) kan kolommen weglaten of toevoegen."""
    con.register("__invoegen", data)
    try:
        con.execute(f"INSERT INTO {tabel} BY NAME SELECT {select} FROM __invoegen", params)
    finally:
        con.unregister("__invoegen")
