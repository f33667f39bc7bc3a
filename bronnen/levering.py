"""Verwerking van leveringen uit de inbox: lezen, controleren, pseudonimiseren, laden, archiveren of
in quarantaine zetten, en alles vastleggen in het grootboek `kwaliteit.leveringen`.

Een levering wordt in zijn geheel geaccepteerd of in zijn geheel afgewezen. Het laden van de rijen en de
regel in het grootboek gebeuren in één transactie: een onderbroken lading laat niets half achter.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from bronnen.contracten import CONTRACTEN, Contract, alle_kolommen
from bronnen.controle import (
    Bevinding,
    ContractFout,
    Voorbereiding,
    finish_delivery,
    prepare_delivery,
    validate_batch,
    validate_prepared,
)
from bronnen.deidentificatie import scrub
from bronnen.kwaliteit import Regelset, load_rules, record_results, record_rules
from bronnen.lezen import FORMATEN, LeesFout, RuweLevering, read_delivery
from bronnen.pseudoniem import pseudonymise_column
from bronnen.referentie import GemeenteRegister
from bronnen.warehouse import ensure_schema, insert_arrow


@dataclass(frozen=True)
class Verwerking:
    levering_id: str
    bron: str
    bestandsnaam: str
    status: str  # geaccepteerd | afgewezen | dubbel (| vervangen, later)
    rijen: int
    reden: str | None = None
    vervangt: str | None = None
    rapport: Path | None = None


LAADBLOK = 500_000  # rijen per INSERT


def sha256_file(pad: Path) -> str:
    h = hashlib.sha256()
    with pad.open("rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


def inbox_files(map_: Path) -> list[Path]:
    """De leveringsbestanden in een inboxmap, op naam gesorteerd (verborgen en tijdelijke bestanden niet)."""
    if not map_.is_dir():
        return []
    return sorted(
        p
        for p in map_.iterdir()
        if p.is_file() and not p.name.startswith((".", "~$")) and not p.name.endswith((".tmp", ".part"))
    )


BATCH_RIJEN = 1_000_000  # zoveel rijen (kleine leveringen samen) per Great Expectations-run en transactie
BATCH_LEVERINGEN = 400


@dataclass
class _Ontvangen:
    """Een gelezen en structureel gecontroleerde levering die wacht op de regels en het laden."""

    volgorde: int
    pad: Path
    sha: str
    ontvangen: datetime
    formaat: str | None
    ruw: RuweLevering
    prep: Voorbereiding | None


def process_inbox(
    con: duckdb.DuckDBPyConnection,
    bron: str,
    inbox: Path,
    archief: Path,
    quarantaine: Path,
    sleutel: bytes,
    register: GemeenteRegister,
    now: Callable[[], datetime] = datetime.now,
    regelset: Regelset | None = None,
    run_id: str | None = None,
) -> list[Verwerking]:
    """Verwerkt alle bestanden in `inbox` als leveringen van `bron`; elke levering wordt apart geaccepteerd of
    afgewezen. De uitkomsten van de kwaliteitsregels komen per levering in kwaliteit.validaties (run `run_id`).

    Kleine leveringen worden samen getoetst en samen geladen (tot BATCH_RIJEN rijen): één Great
    Expectations-run (zie `validate_batch`; faalt daar een regel, dan wordt elke levering apart getoetst) en
    één transactie voor de rijen en grootboekregels van al die leveringen. Pas na de COMMIT worden de
    bestanden gearchiveerd: wordt het proces halverwege afgebroken, dan staat er niets van in het warehouse en
    liggen de bestanden nog in de inbox."""
    ensure_schema(con)
    regelset = regelset if regelset is not None else load_rules()
    record_rules(con, regelset)
    deur = _Deur(
        con,
        CONTRACTEN[bron],
        archief,
        quarantaine,
        sleutel,
        register,
        now,
        regelset,
        run_id or uuid.uuid4().hex,
    )
    resultaten: list[tuple[int, Verwerking]] = []
    wachtend: list[_Ontvangen] = []
    for i, pad in enumerate(inbox_files(inbox)):
        sha = sha256_file(pad)
        if any(o.sha == sha for o in wachtend):  # zelfde inhoud als een wachtende levering: eerst die laden
            resultaten += deur.flush(wachtend)
            wachtend = []
        stap = deur.receive(i, pad, sha)
        if isinstance(stap, Verwerking):
            resultaten.append((i, stap))
            continue
        assert stap.prep is not None
        if _size(stap) >= BATCH_RIJEN:  # een grote levering alleen (geheugen)
            resultaten += deur.flush(wachtend) + deur.flush([stap])
            wachtend = []
            continue
        wachtend.append(stap)
        if sum(_size(o) for o in wachtend) >= BATCH_RIJEN or len(wachtend) >= BATCH_LEVERINGEN:
            resultaten += deur.flush(wachtend)
            wachtend = []
    resultaten += deur.flush(wachtend)
    return [v for _, v in sorted(resultaten, key=lambda t: t[0])]


def _size(o: _Ontvangen) -> int:
    """Rijen die Great Expectations toetst: de brede tabel plus (enquête) één rij per ingevuld vraagitem."""
    if o.prep is None:
        return 0
    return o.prep.frame.height + (o.prep.lang.height if o.prep.lang is not None else 0)


@dataclass
class _Deur:
    con: duckdb.DuckDBPyConnection
    contract: Contract
    archief: Path
    quarantaine: Path
    sleutel: bytes
    register: GemeenteRegister
    now: Callable[[], datetime]
    regelset: Regelset
    run_id: str

    def _record(self, uitkomsten, levering_id: str, moment: datetime) -> None:
        # de uitkomsten van de kwaliteitsregels van deze levering (kwaliteit.validaties, .afwijkingen)
        record_results(
            self.con,
            uitkomsten,
            laag="voordeur",
            run_id=self.run_id,
            moment=moment,
            bron=self.contract.bron,
            object_=levering_id,
        )

    def receive(self, volgorde: int, pad: Path, sha: str) -> Verwerking | _Ontvangen:
        """Dubbel, onleesbaar of structureel fout: meteen afgehandeld. Anders gelezen en voorbereid."""
        con, bron = self.con, self.contract.bron
        ontvangen = self.now()
        formaat = FORMATEN.get(pad.suffix.lower())
        # eerdere leveringen met dezelfde inhoud (oudste eerst): één opzoeking voor `dubbel` en voor een
        # onderbroken archivering
        eerder = con.execute(
            "SELECT levering_id, status, bestandsnaam, rijen, vervangt FROM kwaliteit.leveringen "
            "WHERE sha256 = ? AND bron = ? AND status IN ('geaccepteerd', 'vervangen') ORDER BY ontvangen_op",
            [sha, bron],
        ).fetchall()
        onaf = self._unarchived(pad, eerder)
        if onaf is not None:
            return onaf
        bekend = eerder[0] if eerder else None
        if bekend:
            levering_id = _new_id(con, bron, sha, "dubbel")
            reden = f"Zelfde inhoud als levering {bekend[0]}; niets gewijzigd."
            _ledger(con, levering_id, bron, pad.name, formaat, sha, ontvangen, 0, "dubbel", reden, None, None)
            _move(pad, self.archief / bron / "dubbel" / f"{levering_id}__{pad.name}")
            return Verwerking(levering_id, bron, pad.name, "dubbel", 0, reden)
        ruw: RuweLevering | None = None
        try:
            ruw = read_delivery(pad, bron)
            prep = prepare_delivery(self.contract, ruw, self.register, self.regelset)
        except (LeesFout, ContractFout) as e:
            return self._reject(pad, sha, ontvangen, formaat, ruw, e)
        return _Ontvangen(volgorde, pad, sha, ontvangen, formaat, ruw, prep)

    def _unarchived(self, pad: Path, eerder: list[tuple]) -> Verwerking | None:
        """Dit bestand is al geladen, maar het archiveren na de COMMIT is niet gebeurd (het proces werd daartussen
        gestopt): dan staat er een geaccepteerde levering met dezelfde naam en inhoud in het grootboek en ontbreekt
        haar archiefbestand. Het archiveren wordt afgemaakt en de levering telt als geaccepteerd in deze run (de
        gestopte run kwam niet meer aan dbt toe), zonder een tweede grootboekregel. `eerder`: de leveringen met
        dezelfde inhoud, oudste eerst (levering_id, status, bestandsnaam, rijen, vervangt)."""
        bron = self.contract.bron
        rij = next(
            (
                (levering_id, rijen, vervangt)
                for levering_id, status, naam, rijen, vervangt in reversed(eerder)
                if status == "geaccepteerd" and naam == pad.name
            ),
            None,
        )
        if rij is None:
            return None
        levering_id, rijen, vervangt = rij
        archiefpad = self.archief / bron / f"{levering_id}__{pad.name}"
        if archiefpad.exists():
            return None
        _move(pad, archiefpad)
        reden = "Al geladen; alleen het archiveren is afgemaakt (de vorige verwerking stopte vóór het archiveren)."
        return Verwerking(levering_id, bron, pad.name, "geaccepteerd", rijen, reden, vervangt)

    def _reject(
        self,
        pad: Path,
        sha: str,
        ontvangen: datetime,
        formaat: str | None,
        ruw: RuweLevering | None,
        fout: LeesFout | ContractFout,
    ) -> Verwerking:
        con, bron = self.con, self.contract.bron
        bevindingen = (
            fout.bevindingen
            if isinstance(fout, ContractFout)
            else [
                Bevinding(
                    "onleesbaar",
                    None,
                    fout.rij,
                    None,
                    str(fout),
                    "Lever het bestand opnieuw aan in een ondersteund formaat.",
                )
            ]
        )
        levering_id = _new_id(con, bron, sha, "afgewezen")
        doel = self.quarantaine / bron / f"{levering_id}__{pad.name}"
        reden = _summary(bevindingen)
        rijen = ruw.tabel.height if ruw is not None else 0
        _ledger(
            con, levering_id, bron, pad.name, formaat, sha, ontvangen, rijen, "afgewezen", reden, None, None
        )
        if ruw is not None:
            self._record(ruw.uitkomsten, levering_id, ontvangen)
        _move(pad, doel)
        rapport = doel.with_name(doel.name + ".rapport.md")
        rapport.write_text(quarantine_report(pad.name, bron, levering_id, sha, bevindingen), encoding="utf-8")
        return Verwerking(levering_id, bron, pad.name, "afgewezen", rijen, reden, rapport=rapport)

    def flush(self, wachtend: list[_Ontvangen]) -> list[tuple[int, Verwerking]]:
        """Toetst de wachtende leveringen (samen als het kan), zet afgewezen leveringen in quarantaine en laadt
        de rest in één transactie; daarna pas gaan de bestanden naar het archief."""
        if not wachtend:
            return []
        preps = [o.prep for o in wachtend if o.prep is not None]
        samen = validate_batch(preps, self.register, self.regelset) if len(preps) > 1 else None
        uitkomsten = samen if samen is not None else [validate_prepared(p) for p in preps]
        resultaten: list[tuple[int, Verwerking]] = []
        klaar: list[tuple[_Ontvangen, pl.DataFrame]] = []
        for o, u in zip(wachtend, uitkomsten, strict=True):
            assert o.prep is not None
            try:
                df = finish_delivery(o.prep, u)
            except ContractFout as e:
                resultaten.append((o.volgorde, self._reject(o.pad, o.sha, o.ontvangen, o.formaat, o.ruw, e)))
                continue
            finally:
                o.prep = None
            # de teksttabel is niet meer nodig: geheugen vrijgeven vóór het laden
            o.ruw.tabel = o.ruw.tabel.clear()
            klaar.append((o, df))
        del preps, uitkomsten
        geladen: list[tuple[_Ontvangen, Verwerking]] = []
        self.con.execute("BEGIN TRANSACTION")
        try:
            while klaar:
                o, df = klaar.pop(0)
                geladen.append((o, self._load(o, df)))
                del df
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        for o, v in geladen:
            _move(o.pad, self.archief / self.contract.bron / f"{v.levering_id}__{o.pad.name}")
            resultaten.append((o.volgorde, v))
        return resultaten

    def _load(self, o: _Ontvangen, df: pl.DataFrame) -> Verwerking:
        """Pseudonimiseert en laadt één levering met haar grootboekregel (binnen de transactie van flush)."""
        con, contract, bron, ruw = self.con, self.contract, self.contract.bron, o.ruw
        rijen_in_bestand = df.height
        df = df.with_row_index("rij", offset=ruw.eerste_rij).with_columns(pl.col("rij").cast(pl.Int32))
        if bron == "verhalen":
            # Verhalen zonder toestemming worden nooit opgeslagen: ze vallen hier af, vóór het laden.
            df = df.filter(pl.col("toestemming") == "ja")
            # Namen, adressen, telefoonnummers en e-mailadressen worden vóór het opslaan verwijderd.
            df = df.with_columns(
                pl.Series("tekst", scrub(df["tekst"].to_list()), dtype=pl.String),
                pl.Series("titel", scrub(df["titel"].to_list()), dtype=pl.String),
            )
        for k in alle_kolommen(contract):
            if k.persoonsnummer:
                df = pseudonymise_column(df, k.raw_naam, self.sleutel, bron)
        levering_id = _new_id(con, bron, o.sha, "")
        df = df.with_columns(pl.lit(levering_id).alias("levering_id"))
        sleutel_lev, gemeenten, pstart, peind = _delivery_key(contract, df)
        # In delen laden: de Arrow-kopie van een grote levering staat zo nooit in zijn geheel naast de tabel.
        for start in range(0, df.height, LAADBLOK):
            insert_arrow(con, contract.raw_tabel, df.slice(start, LAADBLOK).to_arrow())
        labels = [(levering_id, var, w, lab) for var, vl in ruw.waardelabels.items() for w, lab in vl.items()]
        if labels:
            kolommen = ("levering_id", "variabele", "waarde", "label")
            insert_arrow(
                con,
                "raw.enquete_waardelabels",
                pa.table(dict(zip(kolommen, zip(*labels, strict=True), strict=True))),
            )
        vorige = con.execute(
            "SELECT levering_id FROM kwaliteit.leveringen WHERE leveringssleutel = ? AND status = 'geaccepteerd' "
            "ORDER BY ontvangen_op DESC LIMIT 1",
            [sleutel_lev],
        ).fetchone()
        vervangt = vorige[0] if vorige else None
        if vervangt:
            con.execute(
                "UPDATE kwaliteit.leveringen SET status = 'vervangen' WHERE levering_id = ?", [vervangt]
            )
        reden = None
        if bron == "verhalen" and df.height < rijen_in_bestand:
            reden = f"{rijen_in_bestand - df.height} verhalen zonder toestemming niet opgeslagen."
        _ledger(
            con,
            levering_id,
            bron,
            o.pad.name,
            o.formaat,
            o.sha,
            o.ontvangen,
            df.height,
            "geaccepteerd",
            reden,
            vervangt,
            (sleutel_lev, gemeenten, pstart, peind),
        )
        self._record(ruw.uitkomsten, levering_id, o.ontvangen)
        return Verwerking(levering_id, bron, o.pad.name, "geaccepteerd", df.height, reden, vervangt)


def _delivery_key(contract: Contract, df: pl.DataFrame) -> tuple[str, list[str], object, object]:
    """Leverancier en periode van een levering: een correctie met dezelfde sleutel vervangt de vorige."""
    gemeenten = sorted(df.get_column("gemeentecode").drop_nulls().unique().to_list())
    start = eind = None
    if contract.bron == "deelname":
        start, eind = df["periode_start"].min(), df["periode_eind"].max()
    elif contract.peilkolom in ("jaar",):
        j0, j1 = df["jaar"].min(), df["jaar"].max()
        start, eind = datetime(j0, 1, 1).date(), datetime(j1, 12, 31).date()
    periode = f"{start}..{eind}" if start else "alles"
    return f"{contract.bron}|{','.join(gemeenten)}|{periode}", gemeenten, start, eind


def _new_id(con: duckdb.DuckDBPyConnection, bron: str, sha: str, soort: str) -> str:
    basis = f"{bron}-{sha[:12]}" + (f"-{soort}" if soort else "")
    n = con.execute(
        "SELECT count(*) FROM kwaliteit.leveringen WHERE levering_id = ? OR levering_id LIKE ?",
        [basis, basis + "-%"],
    ).fetchall()[0][0]  # fetchall: een half gelezen resultaat blokkeert con.register daarna
    return basis if n == 0 else f"{basis}-{n + 1}"


def _ledger(
    con, levering_id, bron, naam, formaat, sha, ontvangen, rijen, status, reden, vervangt, sleutel
) -> None:
    sleutel_lev, gemeenten, pstart, peind = sleutel or (None, None, None, None)
    con.execute(
        "INSERT INTO kwaliteit.leveringen VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            levering_id,
            bron,
            naam,
            formaat,
            sha,
            ontvangen,
            rijen,
            status,
            reden,
            vervangt,
            sleutel_lev,
            gemeenten,
            pstart,
            peind,
        ],
    )


def _move(pad: Path, doel: Path) -> None:
    doel.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(pad), str(doel))


def _summary(bevindingen: list[Bevinding]) -> str:
    regels: dict[str, int] = {}
    for b in bevindingen:
        regels[b.regel] = regels.get(b.regel, 0) + b.aantal
    eerste = bevindingen[0]
    plaats = f"rij {eerste.rij}, " if eerste.rij else ""
    kolom = f"kolom {eerste.kolom}: " if eerste.kolom else ""
    return f"{plaats}{kolom}{eerste.toelichting} [" + ", ".join(f"{r}: {n}" for r, n in regels.items()) + "]"


def quarantine_report(
    bestand: str, bron: str, levering_id: str, sha: str, bevindingen: list[Bevinding]
) -> str:
    """Het Nederlandse quarantainerapport dat naast het afgewezen bestand komt te staan."""
    regels = [
        f"# Levering afgewezen: {bestand}",
        "",
        f"- bron: {bron}",
        f"- levering: {levering_id}",
        f"- sha256: {sha}",
        f"- aantal bevindingen: {sum(b.aantal for b in bevindingen)}",
        "",
        "De hele levering is in quarantaine gezet: er is niets van geladen en eerder geladen gegevens zijn "
        "niet veranderd. Herstel de punten hieronder en lever het bestand opnieuw aan.",
        "",
        "| rij | kolom | waarde | regel | toelichting | hint |",
        "|---|---|---|---|---|---|",
    ]
    for b in bevindingen:
        waarde = "" if b.waarde is None else str(b.waarde).replace("|", "\\|")[:80]
        regels.append(
            f"| {b.rij or ''} | {b.kolom or ''} | {waarde} | {b.regel_id or b.regel} | {b.toelichting} | {b.hint} |"
        )
    return "\n".join(regels) + "\n"
