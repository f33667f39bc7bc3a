"""Herpseudonimiseren: het warehouse bewust opnieuw pseudonimiseren met een andere sleutel, uit het archief.

Een andere sleutel wordt aan de deur geweigerd (bronnen.warehouse.SleutelFout). Wie echt van sleutel wil
wisselen (bijvoorbeeld omdat de oude uitgelekt is), bouwt de pseudoniemen opnieuw op. De ruwe persoonsnummers
staan alleen in de gearchiveerde leveringsbestanden (`<archief>/<bron>/<levering_id>__<bestandsnaam>`); het
grootboek zegt welke dat zijn. `repseudonymise`:

1. controleert vóór er iets verandert dat elk archiefbestand van een geaccepteerde of vervangen levering van een
   bron met persoonsnummers (vrijwilligers, mantelzorg, enquête) er is, met de sha256 uit het grootboek;
2. kopieert het warehouse naast het oude (`.warehouse.duckdb.herpseudonimisering`), maakt daarin de
   raw-tabellen met pseudoniemen leeg en vult ze opnieuw uit het archief met de nieuwe sleutel, onder dezelfde
   levering_id's (`bronnen.levering.reread_archived`: dezelfde lezer, typering en pseudonimisering als aan de
   deur, zonder de kwaliteitsregels opnieuw te oordelen). Al het andere gaat ongewijzigd mee: het grootboek
   (dezelfde regels, statussen en vervangingen, geen nieuwe leveringen), de quarantaine, de bronnen zonder
   persoonsnummers (deelname, bevolking en verhalen: die hoeven niet opnieuw door Deduce), de
   enquête-waardelabels en de uitkomsten van de kwaliteitsregels;
3. toetst de kopie aan het oude warehouse: per levering evenveel rijen en alle kolommen behalve de pseudoniemen
   gelijk, en per pseudoniemkolom een één-op-één-vertaling van oude naar nieuwe pseudoniemen (dezelfde personen,
   alleen andere nummers). Klopt er iets niet, dan gaat de kopie weg en is er niets veranderd;
4. legt de vingerafdruk van de nieuwe sleutel vast in de kopie en zet die met één rename op de plaats van het
   warehouse. Het oude warehouse blijft staan als reservekopie `warehouse.voor-herpseudonimisering-<tijd>.duckdb`
   (terug naar de oude sleutel: die kopie terugzetten en de oude sleutel instellen). Verwijder haar zodra
   alles goed is: zij bevat de pseudoniemen van de oude sleutel.

De tabellen die dbt uit raw bouwt (staging, intermediate, marts) zijn daarna pas bij na een volledige run
(`basismonitor verwerk --volledig`; `basismonitor herpseudonimiseer` doet die meteen). De aanroeper zorgt dat
niemand anders in het warehouse schrijft (orchestratie: de vergrendeling van het warehouse).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from bronnen.contracten import CONTRACTEN, Contract, alle_kolommen
from bronnen.controle import ContractFout
from bronnen.levering import reread_archived, sha256_file
from bronnen.lezen import LeesFout
from bronnen.pseudoniem import key_fingerprint
from bronnen.warehouse import (
    HERPSEUDONIMISERING,
    connect,
    ensure_schema,
    insert_arrow,
    pseudonym_columns,
    record_fingerprint,
    stored_fingerprint,
)

NIET_GEWIJZIGD = "Het warehouse is niet gewijzigd."


class HerpseudonimiseringFout(RuntimeError):
    """Het warehouse kan niet opnieuw gepseudonimiseerd worden; er is niets veranderd."""


@dataclass(frozen=True)
class Herpseudonimisering:
    oude_vingerafdruk: str | None
    nieuwe_vingerafdruk: str
    leveringen: dict[str, int]  # bron -> opnieuw ingelezen leveringen
    rijen: dict[str, int]  # bron -> opnieuw gepseudonimiseerde rijen
    reservekopie: Path  # het oude warehouse


@dataclass(frozen=True)
class _Archiefstuk:
    contract: Contract
    levering_id: str
    pad: Path
    sha256: str
    rijen: int


def repseudonymise(
    warehouse: Path, archief: Path, sleutel: bytes, now: Callable[[], datetime] = datetime.now
) -> Herpseudonimisering | None:
    """Pseudonimiseert het warehouse opnieuw met `sleutel` uit het archief (zie de moduletekst). None als het
    warehouse al met deze sleutel gepseudonimiseerd is; HerpseudonimiseringFout als het niet kan (dan is er
    niets veranderd)."""
    if not warehouse.exists():
        raise HerpseudonimiseringFout(
            f"Er is nog geen warehouse ({warehouse}): er valt niets te herpseudonimiseren."
        )
    con = connect(warehouse)
    try:
        ensure_schema(con)
        oud = stored_fingerprint(con)
        if oud == key_fingerprint(sleutel):
            return None
        stukken = _archived(con, archief)
        con.execute("CHECKPOINT")  # alles in het bestand (geen .wal ernaast): dan is een kopie compleet
    finally:
        con.close()
    _check_archive(stukken)
    tijdelijk = warehouse.with_name(f".{warehouse.name}.herpseudonimisering")
    _remove(tijdelijk)
    moment = now()
    try:
        shutil.copyfile(warehouse, tijdelijk)
        leveringen, rijen = _rebuild(tijdelijk, warehouse, stukken, sleutel, moment)
        reserve = warehouse.with_name(
            f"{warehouse.stem}.voor-herpseudonimisering-{moment:%Y%m%d-%H%M%S}{warehouse.suffix}"
        )
        _swap(tijdelijk, warehouse, reserve)
    except BaseException:
        _remove(tijdelijk)
        raise
    return Herpseudonimisering(oud, key_fingerprint(sleutel), leveringen, rijen, reserve)


def _archived(con: duckdb.DuckDBPyConnection, archief: Path) -> list[_Archiefstuk]:
    """De leveringen waarvan rijen met pseudoniemen in raw staan (geaccepteerd of vervangen), in de volgorde
    van ontvangst, met hun archiefbestand."""
    bronnen = {c.bron: c for c in CONTRACTEN.values() if pseudonym_columns(c)}
    rijen = con.execute(
        "SELECT bron, levering_id, bestandsnaam, sha256, rijen FROM kwaliteit.leveringen "
        "WHERE status IN ('geaccepteerd', 'vervangen') AND list_contains(?, bron) "
        "ORDER BY bron, ontvangen_op, levering_id",
        [list(bronnen)],
    ).fetchall()
    return [
        _Archiefstuk(bronnen[bron], lid, archief / bron / f"{lid}__{naam}", sha, n or 0)
        for bron, lid, naam, sha, n in rijen
    ]


def _check_archive(stukken: list[_Archiefstuk]) -> None:
    """Elk archiefbestand bestaat en heeft nog de inhoud uit het grootboek."""
    ontbreekt = [s for s in stukken if not s.pad.is_file()]
    gewijzigd = [s for s in stukken if s.pad.is_file() and sha256_file(s.pad) != s.sha256]
    if not ontbreekt and not gewijzigd:
        return
    delen = []
    if ontbreekt:
        delen.append(f"{len(ontbreekt)} ontbreken (bijv. {ontbreekt[0].pad})")
    if gewijzigd:
        delen.append(
            f"{len(gewijzigd)} hebben een andere inhoud dan in het grootboek (bijv. {gewijzigd[0].pad})"
        )
    raise HerpseudonimiseringFout(
        f"Niet alle gearchiveerde leveringen met persoonsnummers zijn bruikbaar: {' en '.join(delen)}. Zonder "
        "de oorspronkelijke bestanden zijn hun pseudoniemen niet opnieuw te berekenen. Zet ze terug in het "
        "archief (ligt een bestand nog in de inbox, draai dan eerst `basismonitor verwerk` met de oude sleutel). "
        + NIET_GEWIJZIGD
    )


def _rebuild(
    tijdelijk: Path, warehouse: Path, stukken: list[_Archiefstuk], sleutel: bytes, moment: datetime
) -> tuple[dict[str, int], dict[str, int]]:
    """Vult in de kopie de raw-tabellen met pseudoniemen opnieuw uit het archief, toetst ze aan het oude
    warehouse en legt de nieuwe vingerafdruk vast. Geeft per bron het aantal leveringen en rijen."""
    leveringen: dict[str, int] = {}
    rijen: dict[str, int] = {}
    con = connect(tijdelijk)
    try:
        con.execute("ATTACH ? AS oud (READ_ONLY)", [str(warehouse)])
        for contract in CONTRACTEN.values():
            if not pseudonym_columns(contract):
                continue
            con.execute(f"DELETE FROM {contract.raw_tabel}")
            con.execute("CHECKPOINT")  # de vrijgekomen ruimte is zo weer te gebruiken voor de nieuwe rijen
            eigen = [s for s in stukken if s.contract is contract]
            for s in eigen:
                df = _reread(s, sleutel)
                insert_arrow(
                    con, contract.raw_tabel, df.to_arrow(), "*, $id AS levering_id", {"id": s.levering_id}
                )
            _verify(con, contract)
            leveringen[contract.bron] = len(eigen)
            rijen[contract.bron] = sum(s.rijen for s in eigen)
        record_fingerprint(con, sleutel, HERPSEUDONIMISERING, moment)
        con.execute("DETACH oud")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return leveringen, rijen


def _reread(s: _Archiefstuk, sleutel: bytes):
    try:
        df = reread_archived(s.contract.bron, s.pad, sleutel)
    except (LeesFout, ContractFout) as e:
        raise HerpseudonimiseringFout(
            f"Levering {s.levering_id} ({s.pad.name}) is niet meer te lezen zoals bij het laden: "
            f"{e}. {NIET_GEWIJZIGD}"
        ) from e
    if df.height != s.rijen:
        raise HerpseudonimiseringFout(
            f"Levering {s.levering_id} ({s.pad.name}) geeft nu {df.height} rijen, bij het laden {s.rijen}. "
            + NIET_GEWIJZIGD
        )
    return df


def _verify(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """De opnieuw gevulde tabel tegen die in het oude warehouse (`oud`): per levering evenveel rijen met
    dezelfde waarden buiten de pseudoniemen, en per pseudoniemkolom een één-op-één-vertaling."""
    tabel = contract.raw_tabel
    overige = ", ".join(f'"{k.raw_naam}"' for k in alle_kolommen(contract) if not k.persoonsnummer)
    per_levering = "SELECT levering_id, count(*), sum(hash(rij, {k})) FROM {t} GROUP BY levering_id"
    oud, nieuw = per_levering.format(k=overige, t=f"oud.{tabel}"), per_levering.format(k=overige, t=tabel)
    afwijkend = con.execute(
        f"SELECT DISTINCT levering_id FROM (({oud} EXCEPT {nieuw}) UNION ALL ({nieuw} EXCEPT {oud})) "
        "ORDER BY 1 LIMIT 3"
    ).fetchall()
    if afwijkend:
        raise HerpseudonimiseringFout(
            f"{tabel}: de opnieuw ingelezen rijen wijken buiten de pseudoniemen af van de geladen rijen (bijv. "
            f"levering {', '.join(r[0] for r in afwijkend)}); is de lezer of het contract sinds het laden "
            f"veranderd? {NIET_GEWIJZIGD}"
        )
    for kolom in pseudonym_columns(contract):
        oude, nieuwe, paren, nullverschil = con.execute(
            f'SELECT count(DISTINCT o."{kolom}"), count(DISTINCT n."{kolom}"), '
            f'count(DISTINCT [o."{kolom}", n."{kolom}"]) FILTER (WHERE o."{kolom}" IS NOT NULL), '
            f'count(*) FILTER (WHERE (o."{kolom}" IS NULL) <> (n."{kolom}" IS NULL)) '
            f"FROM oud.{tabel} AS o JOIN {tabel} AS n USING (levering_id, rij)"
        ).fetchone()
        if not oude == nieuwe == paren or nullverschil:
            raise HerpseudonimiseringFout(
                f"{tabel}.{kolom}: de nieuwe pseudoniemen zijn geen één-op-één-vertaling van de oude ({oude} "
                f"oude, {nieuwe} nieuwe, {paren} paren, {nullverschil} verschillen in lege waarden). {NIET_GEWIJZIGD}"
            )


def _swap(tijdelijk: Path, warehouse: Path, reserve: Path) -> None:
    """Zet de kopie atomair op de plaats van het warehouse; het oude blijft als `reserve` (harde koppeling, of
    een kopie op een bestandssysteem zonder harde koppelingen)."""
    for wal in (tijdelijk, warehouse):
        if wal.with_name(wal.name + ".wal").exists():  # dat logboek hoort bij het oude bestand
            raise HerpseudonimiseringFout(
                f"Naast {wal} staat een DuckDB-logboek (.wal): schrijft er nog een ander proces? {NIET_GEWIJZIGD}"
            )
    if reserve.exists():
        raise HerpseudonimiseringFout(f"De reservekopie {reserve} bestaat al. {NIET_GEWIJZIGD}")
    try:
        os.link(warehouse, reserve)
    except OSError:
        shutil.copy2(warehouse, reserve)
    os.replace(tijdelijk, warehouse)


def _remove(pad: Path) -> None:
    for p in (pad, pad.with_name(pad.name + ".wal")):
        p.unlink(missing_ok=True)
