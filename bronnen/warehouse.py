"""De schrijfkant van het warehouse voor de voordeur: schema's, `raw`-tabellen en het grootboek."""

from __future__ import annotations

from pathlib import Path

import duckdb

from bronnen.contracten import CONTRACTEN, DUCKDB_TYPE, alle_kolommen

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


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Maakt de schema's `raw` en `kwaliteit`, alle raw-tabellen en het grootboek (idempotent)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE SCHEMA IF NOT EXISTS kwaliteit")
    con.execute(LEVERINGEN_DDL)
    for contract in CONTRACTEN.values():
        cols = ["levering_id VARCHAR NOT NULL", "rij INTEGER NOT NULL"]
        cols += [f'"{k.raw_naam}" {DUCKDB_TYPE[k.type]}' for k in alle_kolommen(contract)]
        con.execute(f"CREATE TABLE IF NOT EXISTS {contract.raw_tabel} ({', '.join(cols)})")
    con.execute(
        "CREATE TABLE IF NOT EXISTS raw.enquete_waardelabels "
        "(levering_id VARCHAR NOT NULL, variabele VARCHAR NOT NULL, waarde VARCHAR NOT NULL, label VARCHAR)"
    )


def insert_arrow(con: duckdb.DuckDBPyConnection, tabel: str, data) -> None:
    """Voegt een Arrow-tabel (kolommen op naam) in één keer in `tabel` in; executemany kost in DuckDB per rij
    een aparte uitvoering."""
    con.register("__invoegen", data)
    try:
        con.execute(f"INSERT INTO {tabel} BY NAME SELECT * FROM __invoegen")
    finally:
        con.unregister("__invoegen")
