"""Verwerking van leveringen uit de inbox: lezen, controleren, pseudonimiseren, laden, archiveren of
in quarantaine zetten, en alles vastleggen in het grootboek `kwaliteit.leveringen`.

Een levering wordt in zijn geheel geaccepteerd of in zijn geheel afgewezen. Het laden van de rijen en de
regel in het grootboek gebeuren in één transactie: een onderbroken lading laat niets half achter.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
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
from bronnen.kwaliteit import Regelset, load_rules, record_many, record_results, record_rules
from bronnen.lezen import FORMATEN, LeesFout, RuweLevering, read_delivery
from bronnen.pseudoniem import pseudonymise_column
from bronnen.referentie import GemeenteRegister
from bronnen.warehouse import (
    BESTAAND_WAREHOUSE,
    EERSTE_PSEUDONIMISERING,
    check_key,
    ensure_schema,
    has_pseudonyms,
    insert_arrow,
    pseudonym_columns,
)


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


class WerkprocesFout(RuntimeError):
    """Een werkproces van de voordeur stopte onverwacht; de leveringen die nog niet geladen waren liggen nog in
    de inbox."""


LAADBLOK = 500_000  # rijen per INSERT
LEVERING_POSITIE = "_levering"  # in de rijen van een taak: de hoeveelste geaccepteerde levering


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


BATCH_RIJEN = 1_000_000  # zoveel rijen (kleine leveringen samen) per Great Expectations-run
BATCH_LEVERINGEN = 400
TAAK_BYTES = 48 << 20  # zoveel bestandsbytes (opeenvolgende leveringen) per taak voor een werkproces
# Zoveel bestandsbytes mogen de werkprocessen vooruitwerken (taken gestart maar nog niet geladen; hun rijen
# wachten als Arrow-bestand op schijf), zodat ze doorwerken terwijl het hoofdproces op een lange taak wacht
# (verhalen: Deduce laden). Er lopen altijd minstens zoveel taken als er werkprocessen zijn, plus één.
VOORUIT_BYTES = 512 << 20


@dataclass
class _Afgewezen:
    """Uitkomst van het voorbereiden: de levering gaat in quarantaine."""

    volgorde: int
    bevindingen: list[Bevinding]
    rijen: int  # rijen in het bestand (0 als het onleesbaar is)
    uitkomsten: list  # uitkomsten van de regels die al getoetst zijn (voor kwaliteit.validaties)


@dataclass
class _Klaar:
    """Uitkomst van het voorbereiden: de levering kan geladen worden. Haar rijen staan in de rijen van de taak
    (`prepare_files`) met `_levering` = `positie`."""

    volgorde: int
    positie: int  # 1, 2, ...: de hoeveelste geaccepteerde levering van de taak
    aantal: int
    waardelabels: dict[str, dict[str, str]]
    uitkomsten: list
    sleutel: tuple[str, list[str], object, object]  # leveringssleutel, gemeenten, periode (_delivery_key)
    reden: str | None


@dataclass(frozen=True)
class _Bestand:
    volgorde: int
    pad: Path
    sha: str
    ontvangen: datetime
    grootte: int

    @property
    def formaat(self) -> str | None:
        return FORMATEN.get(self.pad.suffix.lower())


def prepare_files(
    bron: str,
    bestanden: list[tuple[int, Path]],
    sleutel: bytes,
    register: GemeenteRegister,
    regelset: Regelset,
) -> tuple[list[_Afgewezen | _Klaar], pl.DataFrame | None]:
    """Het werk aan de deur dat het warehouse niet nodig heeft: lezen, structuur- en typecontrole, de regels
    (Great Expectations), pseudonimiseren en (verhalen) de-identificeren. Draait in het hoofdproces of in een
    werkproces (`werkprocessen`). Geeft de uitkomst per levering in de volgorde van `bestanden`, en de rijen
    van alle geaccepteerde leveringen samen (zoals in raw, zonder levering_id, met `_levering`: de positie van
    de levering), zodat het hoofdproces een taak met één invoeging laadt.

    Kleine leveringen worden samen getoetst (tot BATCH_RIJEN te toetsen rijen): één Great Expectations-run
    (zie `validate_batch`; faalt daar een regel, dan wordt elke levering apart getoetst)."""
    contract = CONTRACTEN[bron]
    uit: list[_Afgewezen | _Klaar] = []
    frames: list[pl.DataFrame] = []
    wachtend: list[tuple[int, RuweLevering, Voorbereiding]] = []

    def toets(groep: list[tuple[int, RuweLevering, Voorbereiding]]) -> None:
        preps = [p for _, _, p in groep]
        samen = validate_batch(preps, register, regelset) if len(preps) > 1 else None
        uitkomsten = samen if samen is not None else [validate_prepared(p) for p in preps]
        del preps
        while groep:
            volgorde, ruw, prep = groep.pop(0)
            try:
                df = finish_delivery(prep, uitkomsten.pop(0))
            except ContractFout as e:
                uit.append(_Afgewezen(volgorde, e.bevindingen, ruw.tabel.height, ruw.uitkomsten))
                continue
            finally:
                del prep
            # de teksttabel is niet meer nodig: geheugen vrijgeven vóór het pseudonimiseren
            ruw.tabel = ruw.tabel.clear()
            klaar, df = _final_rows(contract, volgorde, len(frames) + 1, ruw, df, sleutel)
            uit.append(klaar)
            frames.append(df.with_columns(pl.lit(klaar.positie, pl.Int32).alias(LEVERING_POSITIE)))

    for volgorde, pad in bestanden:
        ruw: RuweLevering | None = None
        try:
            ruw = read_delivery(pad, bron)
            prep = prepare_delivery(contract, ruw, register, regelset)
        except (LeesFout, ContractFout) as e:
            rijen, uitkomsten = (ruw.tabel.height, ruw.uitkomsten) if ruw is not None else (0, [])
            uit.append(_Afgewezen(volgorde, _findings(e), rijen, uitkomsten))
            continue
        if _size(prep) >= BATCH_RIJEN:  # een grote levering alleen (geheugen)
            toets(wachtend)
            toets([(volgorde, ruw, prep)])
            continue
        wachtend.append((volgorde, ruw, prep))
        del prep
        if sum(_size(p) for _, _, p in wachtend) >= BATCH_RIJEN or len(wachtend) >= BATCH_LEVERINGEN:
            toets(wachtend)
    toets(wachtend)
    return sorted(uit, key=lambda u: u.volgorde), (pl.concat(frames, rechunk=False) if frames else None)


def _size(prep: Voorbereiding) -> int:
    """Rijen die Great Expectations toetst: de brede tabel plus (enquête) één rij per ingevuld vraagitem."""
    return prep.frame.height + (prep.lang.height if prep.lang is not None else 0)


def _findings(fout: LeesFout | ContractFout) -> list[Bevinding]:
    if isinstance(fout, ContractFout):
        return fout.bevindingen
    return [
        Bevinding(
            "onleesbaar",
            None,
            fout.rij,
            None,
            str(fout),
            "Lever het bestand opnieuw aan in een ondersteund formaat.",
        )
    ]


def _final_rows(
    contract: Contract, volgorde: int, positie: int, ruw: RuweLevering, df: pl.DataFrame, sleutel: bytes
) -> tuple[_Klaar, pl.DataFrame]:
    """De rijen zoals ze in raw komen: met hun rijnummer in het bestand, gepseudonimiseerd en (verhalen) zonder
    verhalen zonder toestemming en zonder namen, adressen en telefoonnummers."""
    bron = contract.bron
    rijen_in_bestand = df.height
    df = df.with_row_index("rij", offset=ruw.eerste_rij).with_columns(pl.col("rij").cast(pl.Int32))
    reden = None
    if bron == "verhalen":
        # Verhalen zonder toestemming worden nooit opgeslagen: ze vallen hier af, vóór het laden.
        df = df.filter(pl.col("toestemming") == "ja")
        # Namen, adressen, telefoonnummers en e-mailadressen worden vóór het opslaan verwijderd.
        df = df.with_columns(
            pl.Series("tekst", scrub(df["tekst"].to_list()), dtype=pl.String),
            pl.Series("titel", scrub(df["titel"].to_list()), dtype=pl.String),
        )
        if df.height < rijen_in_bestand:
            reden = f"{rijen_in_bestand - df.height} verhalen zonder toestemming niet opgeslagen."
    for k in alle_kolommen(contract):
        if k.persoonsnummer:
            df = pseudonymise_column(df, k.raw_naam, sleutel, bron)
    klaar = _Klaar(
        volgorde,
        positie,
        df.height,
        ruw.waardelabels,
        ruw.uitkomsten,
        _delivery_key(contract, df),
        reden,
    )
    return klaar, df


def reread_archived(bron: str, pad: Path, sleutel: bytes) -> pl.DataFrame:
    """Leest een geaccepteerde levering opnieuw uit het archief, voor een herpseudonimisering
    (bronnen.herpseudonimisering): lezen, omzetten naar de contracttypen en pseudonimiseren met `sleutel` zoals
    aan de deur (`prepare_files`), maar zonder de kwaliteitsregels: de levering is al beoordeeld, en dat oordeel
    staat in het grootboek en verandert niet. Geeft de rijen zoals in raw (met `rij`, zonder levering_id);
    LeesFout of ContractFout als het bestand niet meer zo te lezen is."""
    contract = CONTRACTEN[bron]
    ruw = read_delivery(pad, bron)
    df = finish_delivery(prepare_delivery(contract, ruw), [])
    return _final_rows(contract, 0, 1, ruw, df, sleutel)[1]


@contextlib.contextmanager
def werkprocessen(aantal: int | None = None) -> Iterator[Executor | None]:
    """Werkprocessen voor het voorbereiden van leveringen (`prepare_files`), terwijl het hoofdproces laadt. Eén
    set voor een hele verwerking (alle bronnen): een werkproces opstarten kost enkele seconden (Great
    Expectations importeren). Standaard zoveel als er kernen zijn, hoogstens twee; 0 geeft None (alles in het
    hoofdproces). Zie `mp_context` voor hoe ze starten."""
    aantal = min(2, os.cpu_count() or 1) if aantal is None else aantal
    if aantal <= 0:
        yield None
        return
    pool = ProcessPoolExecutor(aantal, mp_context=mp_context())
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def mp_context() -> multiprocessing.context.BaseContext:
    """`forkserver`: een schone server zonder de threads van DuckDB en Dagster in het hoofdproces (een fork
    daarvan is niet veilig) importeert Great Expectations (het grootste deel van de opstarttijd, landelijk ca.
    6 s per werkproces) één keer; elk werkproces is daar een fork van en stopt zonder de interpreter op te
    ruimen. Met `spawn` importeerde elk werkproces alles opnieuw (ook de CLI van het hoofdproces) en kostte het
    stoppen ca. 10 s. Polars wordt niet vooraf geladen: zijn threadpool mag niet over een fork heen."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["great_expectations"])
    return ctx


def _prepare_task(
    bron: str,
    bestanden: list[tuple[int, Path]],
    sleutel: bytes,
    register: GemeenteRegister,
    regelset: Regelset,
    uitmap: Path,
) -> tuple[list[_Afgewezen | _Klaar], Path | None]:
    """`prepare_files` in een werkproces: de rijen gaan als Arrow IPC-bestand terug naar het hoofdproces (een
    pickle van een grote tabel is vele malen trager)."""
    uit, rijen = prepare_files(bron, bestanden, sleutel, register, regelset)
    if rijen is None:
        return uit, None
    pad = uitmap / f"{bron}-{bestanden[0][0]}.arrow"
    # zonder compressie en met gewone Arrow-tekstkolommen: DuckDB leest die het snelst
    rijen.write_ipc(pad, compression="uncompressed", compat_level=pl.CompatLevel.oldest())
    return uit, pad


def process_inbox(
    con: duckdb.DuckDBPyConnection, bron: str, inbox: Path, *args, **kwargs
) -> list[Verwerking]:
    """`process_inboxes` voor één bron (dezelfde verdere argumenten)."""
    return process_inboxes(con, {bron: inbox}, *args, **kwargs)[bron]


def process_inboxes(
    con: duckdb.DuckDBPyConnection,
    inboxen: Mapping[str, Path],
    archief: Path,
    quarantaine: Path,
    sleutel: bytes,
    register: GemeenteRegister,
    now: Callable[[], datetime] = datetime.now,
    regelset: Regelset | None = None,
    run_id: str | None = None,
    werkers: Executor | None = None,
) -> dict[str, list[Verwerking]]:
    """Verwerkt alle bestanden in de inboxen (bron -> map) als leveringen van hun bron; elke levering wordt
    apart geaccepteerd of afgewezen. De uitkomsten van de kwaliteitsregels komen per levering in
    kwaliteit.validaties (run `run_id`).

    Opeenvolgende nieuwe leveringen van een bron vormen taken van hoogstens TAAK_BYTES. Een taak wordt
    voorbereid door `prepare_files`, met `werkers` in een werkproces (vooruit tot VOORUIT_BYTES, ook over de
    grens tussen twee bronnen heen), terwijl dit proces de vorige taak laadt. Laden
    gebeurt in de volgorde van `inboxen` en per bron in bestandsvolgorde, per taak in één transactie voor de
    rijen en grootboekregels; pas na de COMMIT worden de bestanden gearchiveerd. Wordt het proces halverwege
    afgebroken, dan staat er niets van een onvoltooide taak in het warehouse en liggen de bestanden nog in de
    inbox. Een bestand met dezelfde inhoud als een eerdere levering (in het grootboek of eerder in deze inbox)
    wordt pas op zijn beurt bekeken: meestal is het `dubbel`.

    Vóór alles wordt de sleutel vergeleken met de vingerafdruk in het warehouse (`check_key`): met een andere
    sleutel volgt SleutelFout, is er niets geladen of vastgelegd en liggen alle bestanden nog in de inbox. Een
    warehouse met pseudoniemen maar zonder vingerafdruk (van vóór de vingerafdruk) krijgt die van deze sleutel;
    anders legt de eerste taak die pseudoniemen laadt haar vast, in dezelfde transactie."""
    ensure_schema(con)
    check_key(con, sleutel, vastleggen=has_pseudonyms(con), aanleiding=BESTAAND_WAREHOUSE)
    regelset = regelset if regelset is not None else load_rules()
    record_rules(con, regelset)
    run_id = run_id or uuid.uuid4().hex
    deuren = {
        bron: _Deur(con, CONTRACTEN[bron], archief, quarantaine, sleutel, register, regelset, run_id)
        for bron in inboxen
    }
    # Eenheden: per bron in bestandsvolgorde taken van opeenvolgende nieuwe leveringen, en losse bestanden
    # waarvan de inhoud al bekend is (in het grootboek of eerder in deze inbox).
    eenheden: list[tuple[str, bool, list[_Bestand]]] = []
    for bron, inbox in inboxen.items():
        gezien = deuren[bron].known_hashes()
        taak_bytes = 0
        for i, pad in enumerate(inbox_files(inbox)):
            grootte = pad.stat().st_size
            b = _Bestand(i, pad, sha256_file(pad), now(), grootte)
            if b.sha in gezien:
                eenheden.append((bron, True, [b]))
            elif (
                not eenheden
                or eenheden[-1][:2] != (bron, False)
                or taak_bytes + grootte > TAAK_BYTES
                or len(eenheden[-1][2]) >= BATCH_LEVERINGEN
            ):
                eenheden.append((bron, False, [b]))
                taak_bytes = grootte
            else:
                eenheden[-1][2].append(b)
                taak_bytes += grootte
            gezien.add(b.sha)

    if sum(not bekend for _, bekend, _ in eenheden) <= 1:
        werkers = None  # één taak: een werkproces opstarten kost meer dan het oplevert
    resultaten: dict[str, list[tuple[int, Verwerking]]] = {bron: [] for bron in inboxen}
    with tempfile.TemporaryDirectory(prefix=".voordeur-", dir=archief.parent) as tmp:
        minstens = werkers._max_workers if isinstance(werkers, ProcessPoolExecutor) else 1
        lopend: dict[int, Future] = {}
        volgende = vooruit = 0  # de eerste eenheid die nog niet gestart is; bytes van lopende taken
        try:
            for n, (bron, bekend, bestanden) in enumerate(eenheden):
                while (
                    werkers is not None
                    and volgende < len(eenheden)
                    and (volgende <= n + minstens or vooruit < VOORUIT_BYTES)
                ):
                    b_m, bekend_m, bestanden_m = eenheden[volgende]
                    if not bekend_m:
                        taak = [(b.volgorde, b.pad) for b in bestanden_m]
                        lopend[volgende] = werkers.submit(
                            _prepare_task, b_m, taak, sleutel, register, regelset, Path(tmp)
                        )
                        vooruit += sum(b.grootte for b in bestanden_m)
                    volgende += 1
                taak = lopend.pop(n, None)
                resultaten[bron] += deuren[bron].handle(bekend, bestanden, taak)
                if taak is not None:
                    vooruit -= sum(b.grootte for b in bestanden)
        except BrokenProcessPool as e:
            gedaan = sum(len(r) for r in resultaten.values())
            open_ = sum(len(bs) for _, _, bs in eenheden) - gedaan
            raise WerkprocesFout(
                f"Een werkproces van de voordeur is onverwacht gestopt (bijvoorbeeld door geheugengebrek of een "
                f"kill), bij bron '{bron}'. De {gedaan} leveringen die al verwerkt waren blijven staan; de andere "
                f"{open_} liggen nog in de inbox en worden bij de volgende verwerking opnieuw bekeken."
            ) from e
        finally:  # na een fout: niets meer starten, en wachten tot wat al loopt klaar is (de map gaat weg)
            for f in lopend.values():
                f.cancel()
            wait(lopend.values())
    return {bron: [v for _, v in sorted(r, key=lambda t: t[0])] for bron, r in resultaten.items()}


@dataclass
class _Deur:
    con: duckdb.DuckDBPyConnection
    contract: Contract
    archief: Path
    quarantaine: Path
    sleutel: bytes
    register: GemeenteRegister
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

    def known_hashes(self) -> set[str]:
        """De inhoud (sha256) van alle geaccepteerde en vervangen leveringen van deze bron."""
        return {
            sha
            for (sha,) in self.con.execute(
                "SELECT DISTINCT sha256 FROM kwaliteit.leveringen "
                "WHERE bron = ? AND status IN ('geaccepteerd', 'vervangen')",
                [self.contract.bron],
            ).fetchall()
        }

    def earlier(self, sha: str) -> list[tuple]:
        """Eerdere leveringen met dezelfde inhoud, oudste eerst (levering_id, status, bestandsnaam, rijen,
        vervangt)."""
        return self.con.execute(
            "SELECT levering_id, status, bestandsnaam, rijen, vervangt FROM kwaliteit.leveringen "
            "WHERE sha256 = ? AND bron = ? AND status IN ('geaccepteerd', 'vervangen') ORDER BY ontvangen_op",
            [sha, self.contract.bron],
        ).fetchall()

    def handle(
        self, bekend: bool, bestanden: list[_Bestand], taak: Future | None
    ) -> list[tuple[int, Verwerking]]:
        """Handelt een eenheid af: een bekend bestand (meestal `dubbel`), of een taak: de voorbereide leveringen
        (uit het werkproces, of hier voorbereid) in quarantaine of geladen, in één transactie; daarna pas gaan
        de bestanden naar het archief."""
        if bekend:
            [b] = bestanden
            v = self._known(b)
            if v is not None:
                return [(b.volgorde, v)]
            # de eerdere levering met deze inhoud (in deze inbox) is afgewezen: gewoon verwerken
        uitkomsten, rijen = (
            taak.result()
            if taak is not None
            else prepare_files(
                self.contract.bron,
                [(b.volgorde, b.pad) for b in bestanden],
                self.sleutel,
                self.register,
                self.regelset,
            )
        )
        per_volgorde = {b.volgorde: b for b in bestanden}
        resultaten: list[tuple[int, Verwerking]] = []
        klaar: list[tuple[_Bestand, _Klaar]] = []
        for u in uitkomsten:
            b = per_volgorde[u.volgorde]
            if isinstance(u, _Afgewezen):
                resultaten.append((b.volgorde, self._reject(b, u.bevindingen, u.rijen, u.uitkomsten)))
            else:
                klaar.append((b, u))
        geladen: list[tuple[_Bestand, Verwerking]] = []
        self.con.execute("BEGIN TRANSACTION")
        try:
            if klaar and pseudonym_columns(self.contract):
                check_key(self.con, self.sleutel, vastleggen=True, aanleiding=EERSTE_PSEUDONIMISERING)
            for b, u in klaar:
                geladen.append((b, self._book(b, u)))
            if rijen is not None:
                self._insert_rows(rijen, [v.levering_id for _, v in geladen])
            record_many(
                self.con,
                [
                    (v.levering_id, b.ontvangen, u.uitkomsten)
                    for (b, v), (_, u) in zip(geladen, klaar, strict=True)
                ],
                laag="voordeur",
                run_id=self.run_id,
                bron=self.contract.bron,
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        finally:
            if isinstance(rijen, Path):
                rijen.unlink(missing_ok=True)
        for b, v in geladen:
            _move(b.pad, self.archief / self.contract.bron / f"{v.levering_id}__{b.pad.name}")
            resultaten.append((b.volgorde, v))
        return resultaten

    def _known(self, b: _Bestand) -> Verwerking | None:
        """Een bestand met dezelfde inhoud als een geaccepteerde levering: `dubbel`, of het afmaken van een
        onderbroken archivering (`_unarchived`). None: er is geen geaccepteerde levering met deze inhoud."""
        con, bron = self.con, self.contract.bron
        eerder = self.earlier(b.sha)
        onaf = self._unarchived(b.pad, eerder)
        if onaf is not None:
            return onaf
        if not eerder:
            return None
        levering_id = _new_id(con, bron, b.sha, "dubbel")
        reden = f"Zelfde inhoud als levering {eerder[0][0]}; niets gewijzigd."
        _ledger(con, levering_id, bron, b, 0, "dubbel", reden)
        _move(b.pad, self.archief / bron / "dubbel" / f"{levering_id}__{b.pad.name}")
        return Verwerking(levering_id, bron, b.pad.name, "dubbel", 0, reden)

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

    def _reject(self, b: _Bestand, bevindingen: list[Bevinding], rijen: int, uitkomsten: list) -> Verwerking:
        con, bron = self.con, self.contract.bron
        levering_id = _new_id(con, bron, b.sha, "afgewezen")
        doel = self.quarantaine / bron / f"{levering_id}__{b.pad.name}"
        reden = _summary(bevindingen)
        _ledger(con, levering_id, bron, b, rijen, "afgewezen", reden)
        self._record(uitkomsten, levering_id, b.ontvangen)
        _move(b.pad, doel)
        rapport = doel.with_name(doel.name + ".rapport.md")
        rapport.write_text(
            quarantine_report(b.pad.name, bron, levering_id, b.sha, bevindingen), encoding="utf-8"
        )
        return Verwerking(levering_id, bron, b.pad.name, "afgewezen", rijen, reden, rapport=rapport)

    def _insert_rows(self, rijen: pl.DataFrame | Path, levering_ids: list[str]) -> None:
        """Laadt de rijen van een taak in één keer (binnen de transactie van `handle`); de levering_id komt uit
        de positie van de levering (`_levering`)."""
        if isinstance(rijen, Path):  # Arrow IPC uit een werkproces, zonder kopie gelezen
            tabel = pa.ipc.open_file(pa.memory_map(str(rijen))).read_all()
        else:
            tabel = rijen.to_arrow()
        select = f"* EXCLUDE ({LEVERING_POSITIE}), ($ids::VARCHAR[])[{LEVERING_POSITIE}] AS levering_id"
        # In delen laden: zo staat er nooit een hele grote levering tegelijk in DuckDB's invoegbuffers.
        for start in range(0, tabel.num_rows, LAADBLOK):
            insert_arrow(
                self.con, self.contract.raw_tabel, tabel.slice(start, LAADBLOK), select, {"ids": levering_ids}
            )

    def _book(self, b: _Bestand, u: _Klaar) -> Verwerking:
        """Boekt één voorbereide levering in het grootboek (binnen de transactie van `handle`): haar id, de
        levering die zij vervangt, en (enquête) haar waardelabels."""
        con, bron = self.con, self.contract.bron
        levering_id = _new_id(con, bron, b.sha, "")
        labels = [(levering_id, var, w, lab) for var, vl in u.waardelabels.items() for w, lab in vl.items()]
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
            [u.sleutel[0]],
        ).fetchone()
        vervangt = vorige[0] if vorige else None
        if vervangt:
            con.execute(
                "UPDATE kwaliteit.leveringen SET status = 'vervangen' WHERE levering_id = ?", [vervangt]
            )
        _ledger(
            con,
            levering_id,
            bron,
            b,
            u.aantal,
            "geaccepteerd",
            u.reden,
            vervangt,
            u.sleutel,
        )
        return Verwerking(levering_id, bron, b.pad.name, "geaccepteerd", u.aantal, u.reden, vervangt)


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
    con, levering_id: str, bron: str, b: _Bestand, rijen: int, status: str, reden, vervangt=None, sleutel=None
) -> None:
    """De grootboekregel van bestand `b` (kwaliteit.leveringen)."""
    sleutel_lev, gemeenten, pstart, peind = sleutel or (None, None, None, None)
    con.execute(
        "INSERT INTO kwaliteit.leveringen VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            levering_id,
            bron,
            b.pad.name,
            b.formaat,
            b.sha,
            b.ontvangen,
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
