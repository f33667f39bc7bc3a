"""De publicatie voor analisten: de marts (en het grootboek) gekopieerd naar `publicatie.duckdb`.

Er wordt een nieuw bestand geschreven en daarna in één keer (rename) op de plaats van het oude gezet.
Een analist met een open sessie op de oude publicatie houdt zijn (oude, complete) versie; een lading
wordt nooit door een lezer geblokkeerd en een lezer ziet nooit een halve build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

# Wat gepubliceerd wordt: alle tabellen van deze schema's, plus deze losse tabellen.
GEPUBLICEERDE_SCHEMAS = ("marts",)
GEPUBLICEERDE_TABELLEN = ("kwaliteit.leveringen", "kwaliteit.herkomst")
# Kolomnamen die op gegevens over personen wijzen: zulke tabellen komen nooit in de publicatie.
PERSOONSKOLOMMEN = ("pseudoniem", "respondent", "vrijwilliger_id", "mantelzorger_id")


class PublicatieFout(RuntimeError):
    pass


@dataclass(frozen=True)
class Publicatie:
    pad: Path
    tabellen: dict[str, int]  # schema.tabel -> rijen
    gepubliceerd_op: datetime


def publish(warehouse: Path, publicatie: Path) -> Publicatie:
    if not warehouse.exists():
        raise PublicatieFout(f"Het warehouse {warehouse} bestaat niet: er is nog niets verwerkt.")
    publicatie.parent.mkdir(parents=True, exist_ok=True)
    tijdelijk = publicatie.with_name(f".{publicatie.name}.nieuw-{os.getpid()}")
    for oud in (tijdelijk, tijdelijk.with_name(tijdelijk.name + ".wal")):
        oud.unlink(missing_ok=True)
    nu = datetime.now().replace(microsecond=0)
    tabellen: dict[str, int] = {}
    con = duckdb.connect(str(tijdelijk))
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(warehouse)])
        lijst = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_catalog = 'wh' AND table_type = 'BASE TABLE' ORDER BY 1, 2"
        ).fetchall()
        te_kopieren = [
            (s, t) for s, t in lijst if s in GEPUBLICEERDE_SCHEMAS or f"{s}.{t}" in GEPUBLICEERDE_TABELLEN
        ]
        if not any(s == "marts" for s, _ in te_kopieren):
            raise PublicatieFout("Het warehouse bevat nog geen marts: draai eerst dbt.")
        for schema, tabel in te_kopieren:
            kolommen = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'wh' "
                    "AND table_schema = ? AND table_name = ?",
                    [schema, tabel],
                ).fetchall()
            ]
            verboden = [k for k in kolommen if any(p in k.lower() for p in PERSOONSKOLOMMEN)]
            if verboden:
                raise PublicatieFout(
                    f"{schema}.{tabel} bevat kolommen over personen ({', '.join(verboden)}) en wordt niet "
                    "gepubliceerd: persoonsgegevens horen niet in de publicatie."
                )
            con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            con.execute(f'CREATE TABLE "{schema}"."{tabel}" AS SELECT * FROM wh."{schema}"."{tabel}"')
            tabellen[f"{schema}.{tabel}"] = con.execute(
                f'SELECT count(*) FROM "{schema}"."{tabel}"'
            ).fetchone()[0]
        con.execute("DETACH wh")
        # Wat er in deze publicatie staat en wanneer (een analist kan zien hoe vers zijn versie is).
        con.execute("CREATE SCHEMA IF NOT EXISTS kwaliteit")
        con.execute(
            "CREATE TABLE kwaliteit.publicatie (tabel VARCHAR, rijen BIGINT, gepubliceerd_op TIMESTAMP)"
        )
        con.executemany(
            "INSERT INTO kwaliteit.publicatie VALUES (?, ?, ?)", [(t, n, nu) for t, n in tabellen.items()]
        )
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tijdelijk.unlink(missing_ok=True)
        raise
    con.close()
    with open(tijdelijk, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tijdelijk, publicatie)
    return Publicatie(publicatie, tabellen, nu)
