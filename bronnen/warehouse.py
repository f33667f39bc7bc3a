"""De schrijfkant van het warehouse voor de voordeur: schema's, `raw`-tabellen en het grootboek."""

from __future__ import annotations

from pathlib import Path

import duckdb

from bronnen.contracten import CONTRACTEN, PSEUDONIEM_TYPE, alle_kolommen

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


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(warehouse))


def ensure_schema(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Maakt de schema's `raw` en `kwaliteit`, alle raw-tabellen en het grootboek (idempotent), en zet
    pseudoniemen uit een ouder warehouse om (zie migrate_pseudonyms). Geeft de omgezette kolommen terug."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE SCHEMA IF NOT EXISTS kwaliteit")
    con.execute(LEVERINGEN_DDL)
    for contract in CONTRACTEN.values():
        cols = ["levering_id VARCHAR NOT NULL", "rij INTEGER NOT NULL"]
        cols += [f'"{k.raw_naam}" {k.raw_type}' for k in alle_kolommen(contract)]
        con.execute(f"CREATE TABLE IF NOT EXISTS {contract.raw_tabel} ({', '.join(cols)})")
    con.execute(
        "CREATE TABLE IF NOT EXISTS raw.enquete_waardelabels "
        "(levering_id VARCHAR NOT NULL, variabele VARCHAR NOT NULL, waarde VARCHAR NOT NULL, label VARCHAR)"
    )
    return migrate_pseudonyms(con)


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
