"""Bedrijfszekerheid onder last en bij storingen, klein genoeg voor CI.

1. Vijftig leveringen tegelijk in de inbox: de echte `inbox_sensor` vraagt runs aan, die runs draaien tegelijk in
   aparte processen (zoals een Dagster-runlauncher ze start) en de pool `warehouse` (limiet 1) plus de
   OS-vergrendeling van het warehouse (orchestratie.resources.warehouse_lock; de pool alleen laat met SQLite soms
   twee runs tegelijk door) zetten ze achter elkaar. Geen lock-fout, geen verloren bestand, elk bestand precies
   één keer in het grootboek.
2. `basismonitor verwerk` met SIGKILL afgebroken midden in het laden, daarna opnieuw: dezelfde marts, ruwe
   tabellen en grootboek als een ononderbroken verwerking van dezelfde inbox in een andere gegevensmap.
3. Analisten die `publicatie.duckdb` steeds opnieuw openen (apart proces) en één analist met een sessie die de
   hele tijd openstaat, terwijl `basismonitor verwerk` (nieuwe leveringen) en `basismonitor verwerk --volledig`
   de publicatie vervangen: geen enkele fout en nooit een halve build.

De leveringen zijn klein en synthetisch (vijf gemeenten, 2016-2024): de tests gaan over de bedrijfsvoering, niet
over de cijfers. Alle verwerkingen zijn echte processen (de CLI of Dagsters run-worker), met een echte
Dagster-instantie (SQLite) en echte DuckDB-bestanden.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import dagster as dg
import duckdb
import pytest

# De run-worker zoals Dagster die start (`dagster api execute_run`): niet publiek, maar precies wat de
# runlaunchers van Dagster doen.
from dagster._core.definitions.reconstruct import ReconstructableRepository
from dagster._grpc.types import ExecuteRunArgs

from bronnen.contracten import CONTRACTEN
from orchestratie.cli import prepare_dagster_home
from orchestratie.dbt import WAREHOUSE_POOL
from orchestratie.instellingen import laad_instellingen
from orchestratie.resources import WACHT_OP_WAREHOUSE, BasismonitorResource
from orchestratie.sensors import inbox_sensor

ROOT = Path(__file__).resolve().parents[1]
SLEUTEL = "bedrijfszekerheid-test-sleutel-0123456789abcdef"
VRAGEN = ROOT / "docs" / "analistenvragen.md"
LOCKFOUT = re.compile(r"conflicting lock|could not set lock|database is locked|lock on file", re.IGNORECASE)

# ------------------------------------------------------------------------------------------ kleine leveringen
GEMEENTEN = {"GM0014": 232_000, "GM0193": 129_000, "GM0307": 157_000, "GM0150": 101_000, "GM0281": 42_000}
NIEUWE_GEMEENTE = ("GM0589", 10_200)  # Oudewater: komt er in test 3 met een nieuwe levering bij
ACTIVITEITEN = ("Koffie-inloop", "Taalcafé", "Repair Café", "Wandelgroep", "Buurtmaaltijd")
KOP_DEELNAME = CONTRACTEN["deelname"].kolomnamen


def _csv(pad: Path, kop, rijen) -> Path:
    pad.parent.mkdir(parents=True, exist_ok=True)
    regels = [";".join(kop)] + [";".join("" if v is None else str(v) for v in rij) for rij in rijen]
    pad.write_text("\n".join(regels) + "\n", encoding="utf-8")
    return pad


def _bevolking(inbox: Path, gemeenten: dict[str, int], jaren, naam: str) -> Path:
    rijen = []
    for code, inwoners in sorted(gemeenten.items()):
        for jaar in jaren:
            n = int(inwoners * 1.006 ** (jaar - 2016))
            rijen.append([code, jaar, n, int(n * 0.8)])
    return _csv(inbox / "bevolking" / naam, ["gemeentecode", "jaar", "inwoners", "inwoners_18plus"], rijen)


def _deelname(inbox: Path, code: str, jaar: int) -> Path:
    """Drie activiteiten, elke maand een rij: 36 rijen."""
    rng = random.Random(f"deelname-{code}-{jaar}")
    rijen = []
    for a in range(3):
        for maand in range(1, 13):
            dagen = 31 if maand in (1, 3, 5, 7, 8, 10, 12) else 28 if maand == 2 else 30
            n = rng.randint(20, 200)
            rijen.append(
                [
                    code,
                    None,
                    f"A{code[2:]}-{a:03d}",
                    ACTIVITEITEN[(a + jaar) % len(ACTIVITEITEN)],
                    None,
                    "Welzijn Samen",
                    f"01-{maand:02d}-{jaar}",
                    f"{dagen:02d}-{maand:02d}-{jaar}",
                    n,
                    n // 3,
                ]
            )
    return _csv(inbox / "deelname" / f"deelname_{code}_{jaar}.csv", KOP_DEELNAME, rijen)


def _vrijwilligers(inbox: Path, code: str, n: int = 40) -> Path:
    rng = random.Random(f"vrijwilligers-{code}")
    rijen = []
    for i in range(n):
        start = rng.randint(2014, 2023)
        eind = None if rng.random() < 0.5 else f"{rng.randint(start + 1, 2024)}-06-30"
        rijen.append(
            [
                f"VC-{code[2:]}-{i:06d}",
                code,
                None,
                rng.choice(["Kerk", "Sportvereniging", "Voedselbank"]),
                rng.choice(["structureel", "incidenteel"]),
                f"{start}-03-01",
                eind,
                f"{rng.uniform(1, 20):.1f}".replace(".", ","),
                rng.choice(["18-29", "30-44", "45-64", "65-74"]),
            ]
        )
    return _csv(
        inbox / "vrijwilligers" / f"vrijwilligers_{code}.csv", CONTRACTEN["vrijwilligers"].kolomnamen, rijen
    )


def _mantelzorg(inbox: Path, code: str, n: int = 40) -> Path:
    rng = random.Random(f"mantelzorg-{code}")
    rijen = []
    for i in range(n):
        jaar = rng.randint(2014, 2023)
        uit = None if rng.random() < 0.6 else f"15-09-{rng.randint(jaar + 1, 2024)}"
        rijen.append(
            [
                f"MZ-{code[2:]}-{i:06d}",
                code,
                None,
                f"12-03-{jaar}",
                uit,
                rng.choice(["informatie_advies", "respijtzorg", "cursus"]),
                f"20-04-{jaar}",
                rng.choice(["niet", "licht", "matig", None]),
            ]
        )
    return _csv(inbox / "mantelzorg" / f"mantelzorg_{code}.csv", CONTRACTEN["mantelzorg"].kolomnamen, rijen)


def _basis_inbox(inbox: Path) -> list[Path]:
    """56 leveringen van vier bronnen: bevolking, deelname per gemeente en jaar, vrijwilligers, mantelzorg."""
    paden = [_bevolking(inbox, GEMEENTEN, range(2016, 2025), "bevolking_2016_2024.csv")]
    for code in GEMEENTEN:
        paden += [_deelname(inbox, code, jaar) for jaar in range(2016, 2025)]
        paden += [_vrijwilligers(inbox, code), _mantelzorg(inbox, code)]
    return paden


def _nieuwe_leveringen(inbox: Path) -> list[Path]:
    """Een nieuw jaar (2025) voor elke gemeente en een nieuwe gemeente met haar hele reeks."""
    code, inwoners = NIEUWE_GEMEENTE
    paden = [
        _bevolking(inbox, GEMEENTEN, [2025], "bevolking_2025.csv"),
        _bevolking(inbox, {code: inwoners}, range(2016, 2026), f"bevolking_{code}.csv"),
    ]
    paden += [_deelname(inbox, c, 2025) for c in GEMEENTEN]
    paden += [_deelname(inbox, code, jaar) for jaar in range(2016, 2026)]
    return paden


def _sha(pad: Path) -> str:
    return hashlib.sha256(pad.read_bytes()).hexdigest()


def _bestanden(map_: Path) -> list[Path]:
    return sorted(p for p in map_.rglob("*") if p.is_file()) if map_.exists() else []


# ------------------------------------------------------------------------------------------ processen
def _omgeving(home: Path) -> dict[str, str]:
    weg = ("DAGSTER_HOME", "BASISMONITOR_PSEUDONIEM_SLEUTELBESTAND", "BASISMONITOR_KWALITEITSREGELS")
    env = {k: v for k, v in os.environ.items() if k not in weg}
    env.update(BASISMONITOR_HOME=str(home), BASISMONITOR_PSEUDONIEM_SLEUTEL=SLEUTEL, PYTHONUNBUFFERED="1")
    return env


def _cli(*args: str) -> list[str]:
    """De echte opdrachtregel `basismonitor` (het script uit de omgeving; anders `python -m`)."""
    script = Path(sys.executable).with_name("basismonitor")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "orchestratie.cli", *args]


class Verwerk:
    """`basismonitor verwerk` als eigen proces(groep) op een gegevensmap, met de uitvoer in een logbestand."""

    def __init__(self, home: Path, *args: str, naam: str = "verwerk") -> None:
        self.home = home
        self.log = home.parent / f"{home.name}.{naam}.log"
        with self.log.open("wb") as uit:
            self.proc = subprocess.Popen(
                _cli("verwerk", *args),
                env=_omgeving(home),
                cwd=ROOT,
                stdout=uit,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def loopt(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.loopt():
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=60)

    def uitvoer(self, tekens: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-tekens:]

    def wacht(self, timeout: float = 900) -> None:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"verwerk in {self.home} duurde langer dan {timeout} s:\n{self.uitvoer()}"
            ) from None
        assert self.proc.returncode == 0, f"verwerk in {self.home} mislukt:\n{self.uitvoer()}"


class Referentie:
    """Een ononderbroken `basismonitor verwerk` van de basisinbox, op de achtergrond gestart zodra de fixture
    nodig is (test 2 draait zijn afgebroken verwerking ernaast)."""

    def __init__(self, bron_inbox: Path, home: Path) -> None:
        self.bron_inbox = bron_inbox
        self.home = home
        shutil.copytree(bron_inbox, home / "inbox")
        self.verwerk = Verwerk(home, naam="referentie")
        self._klaar = False

    def wacht(self) -> Path:
        if not self._klaar:
            self.verwerk.wacht()
            self._klaar = True
        return self.home


@pytest.fixture(scope="module")
def referentie(tmp_path_factory):
    bron = tmp_path_factory.mktemp("basisinbox")
    _basis_inbox(bron)
    ref = Referentie(bron, tmp_path_factory.mktemp("referentie") / "home")
    yield ref
    ref.verwerk.kill()


def _gemaakte_runs(dagster_home: Path) -> list[dg.DagsterRun]:
    instance = dg.DagsterInstance.from_config(str(dagster_home))
    try:
        return list(instance.get_runs())
    finally:
        instance.dispose()


# ------------------------------------------------------------------------------------------ vergelijken
def _is_getal(soort: str) -> bool:
    return soort in ("DOUBLE", "FLOAT", "REAL")


def _tabellen(con: duckdb.DuckDBPyConnection, catalogus: str, schema: str) -> list[str]:
    return [
        f"{schema}.{t}"
        for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? ORDER BY 1",
            [catalogus, schema],
        ).fetchall()
    ]


def _verschillen(links: Path, rechts: Path, tabellen: list[str]) -> list[str]:
    """Per tabel: zelfde kolommen, zelfde aantal rijen en rij voor rij dezelfde waarden. Doubles tot op 1e-9
    (relatief): DuckDB telt parallel op, de laatste bit van een som hangt af van de volgorde (zie
    tests/test_incrementeel.py). Tijdstempels (ontvangen_op) verschillen tussen twee gegevensmappen en tellen
    niet mee."""
    con = duckdb.connect()
    fouten: list[str] = []
    try:
        con.execute("ATTACH ? AS l (READ_ONLY)", [str(links)])
        con.execute("ATTACH ? AS r (READ_ONLY)", [str(rechts)])
        for tabel in tabellen:
            schema, naam = tabel.split(".")
            kolommen = {
                db: con.execute(
                    "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? "
                    "AND schema_name = ? AND table_name = ? ORDER BY column_index",
                    [db, schema, naam],
                ).fetchall()
                for db in ("l", "r")
            }
            if kolommen["l"] != kolommen["r"] or not kolommen["l"]:
                fouten.append(f"{tabel}: andere kolommen {kolommen}")
                continue
            mee = [(k, s) for k, s in kolommen["l"] if not s.startswith("TIMESTAMP")]
            lijst = ", ".join(f'"{k}"' for k, _ in mee)
            volgorde = ", ".join(
                f'round("{k}", 6)' if _is_getal(s) else f'"{k}"'
                for k, s in sorted(mee, key=lambda ks: _is_getal(ks[1]))
            )
            rijen = {
                db: con.execute(f'SELECT {lijst} FROM {db}.{schema}."{naam}" ORDER BY {volgorde}').fetchall()
                for db in ("l", "r")
            }
            if len(rijen["l"]) != len(rijen["r"]):
                fouten.append(f"{tabel}: {len(rijen['l'])} tegen {len(rijen['r'])} rijen")
                continue
            for i, (a, b) in enumerate(zip(rijen["l"], rijen["r"], strict=True)):
                for (kolom, _), x, y in zip(mee, a, b, strict=True):
                    if isinstance(x, float) and isinstance(y, float):
                        gelijk = math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12) or (
                            math.isnan(x) and math.isnan(y)
                        )
                    else:
                        gelijk = x == y
                    if not gelijk:
                        fouten.append(f"{tabel} rij {i} kolom {kolom}: {x!r} tegen {y!r}")
                        break
                if len(fouten) > 20:
                    return fouten
    finally:
        con.close()
    return fouten


# ================================================================================= 1. vijftig tegelijk
def _sensor_tick(instance, home: Path, cursor: str | None) -> tuple[list[dg.RunRequest], str | None]:
    ctx = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"basismonitor": BasismonitorResource(home=str(home))}
    )
    uitkomst = inbox_sensor(ctx)
    return ([] if isinstance(uitkomst, dg.SkipReason) else list(uitkomst)), ctx.cursor


STAP_KLAAR = (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE)


def _is_fout(e) -> bool:
    return bool(e.dagster_event and e.dagster_event.is_failure and e.dagster_event.event_specific_data.error)


def _meld_mislukte_run(run_id: str, teksten: list[str], vensters: dict[str, tuple[float, float]]) -> None:
    begin, eind = vensters[run_id]
    tegelijk = [r for r, (b, e) in vensters.items() if r != run_id and b <= eind and begin <= e]
    lockfout = any(LOCKFOUT.search(t) for t in teksten)
    raise AssertionError(
        f"run {run_id} mislukt"
        + (f" op de DuckDB-vergrendeling (tegelijk met {tegelijk})" if lockfout else "")
        + ":\n"
        + "\n".join(t for t in teksten if t)[-4000:]
    )


def test_vijftig_leveringen_tegelijk_worden_allemaal_precies_een_keer_verwerkt(tmp_path):
    home = tmp_path / "home"
    inst = laad_instellingen({"BASISMONITOR_HOME": str(home), "BASISMONITOR_PSEUDONIEM_SLEUTEL": SLEUTEL})
    inst.maak_mappen()
    dagster_home = prepare_dagster_home(inst)  # dezelfde dagster.yaml als `basismonitor dagster`
    instance = dg.DagsterInstance.from_config(str(dagster_home))
    try:
        # Eerste golf: 46 bestanden van vier bronnen tegelijk; de sensor ziet ze in één tick.
        golf1 = [_bevolking(inst.inbox, GEMEENTEN, range(2016, 2025), "bevolking_2016_2024.csv")]
        for code in GEMEENTEN:
            golf1 += [_deelname(inst.inbox, code, jaar) for jaar in range(2016, 2023)]
            golf1 += [_vrijwilligers(inst.inbox, code), _mantelzorg(inst.inbox, code)]
        verzoeken, cursor = _sensor_tick(instance, home, None)
        # Het uploaden duurt langer dan een tick: nog vier bestanden, waarvan twee met dezelfde inhoud als een
        # eerder bestand (een gemeente die opnieuw stuurt). De tweede tick vraagt runs aan voor dezelfde bronnen.
        golf2 = [_deelname(inst.inbox, "GM0014", 2023), _deelname(inst.inbox, "GM0193", 2023)]
        for origineel, kopie in (
            ("deelname/deelname_GM0014_2016.csv", "deelname/deelname_GM0014_2016_herzending.csv"),
            ("vrijwilligers/vrijwilligers_GM0150.csv", "vrijwilligers/vrijwilligers_GM0150_kopie.csv"),
        ):
            golf2.append(Path(shutil.copyfile(inst.inbox / origineel, inst.inbox / kopie)))
        tweede, cursor = _sensor_tick(instance, home, cursor)
        bestanden = golf1 + golf2
        assert len(bestanden) == 50
        sha = {f"{p.parent.name}/{p.name}": _sha(p) for p in bestanden}
        rijen = {
            _sha(p): (p.parent.name, len(p.read_text(encoding="utf-8").splitlines()) - 1) for p in bestanden
        }

        # De sensor: één verzoek per bron per tick, elk bestand precies één keer gezien (cursor op inhoud).
        assert sorted(v.tags["basismonitor/bron"] for v in verzoeken) == [
            "bevolking",
            "deelname",
            "mantelzorg",
            "vrijwilligers",
        ]
        assert sorted(v.tags["basismonitor/bron"] for v in tweede) == ["deelname", "vrijwilligers"]
        assert {k: v[2] for k, v in json.loads(cursor).items()} == sha

        # Alle zes runs tegelijk starten, elk in een eigen proces zoals Dagsters runlaunchers dat doen
        # (`dagster api execute_run`), op dezelfde instantie: ze wedijveren om de pool `warehouse`.
        repo = ReconstructableRepository.for_module(
            "orchestratie.definitions", "defs", working_directory=str(ROOT)
        )
        job = repo.get_reconstructable_job("inbox_verwerken")
        job_def = job.get_definition()
        runs = []
        for verzoek in verzoeken + tweede:
            selectie = set(verzoek.asset_selection)
            runs.append(
                instance.create_run_for_job(
                    job_def=job_def.get_subset(asset_selection=selectie),
                    asset_selection=selectie,
                    run_config={},
                    tags={**verzoek.tags, "dagster/sensor_name": "inbox_sensor"},
                    job_code_origin=job.get_python_origin(),
                )
            )
        processen = []
        for run in runs:
            args = ExecuteRunArgs(
                job_origin=job.get_python_origin(),
                run_id=run.run_id,
                instance_ref=instance.get_ref(),
                set_exit_code_on_failure=True,
            )
            log = tmp_path / f"run_{run.run_id}.log"
            with log.open("wb") as uit:
                processen.append(
                    (
                        subprocess.Popen(
                            [sys.executable, "-m", "dagster", "api", "execute_run", dg.serialize_value(args)],
                            env=_omgeving(home),
                            cwd=ROOT,
                            stdout=uit,
                            stderr=subprocess.STDOUT,
                            start_new_session=True,
                        ),
                        log,
                    )
                )
        einde = time.monotonic() + 900
        try:
            for proc, _ in processen:
                proc.wait(timeout=max(1, einde - time.monotonic()))
        finally:
            for proc, _ in processen:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
        uitvoer = {log.name: log.read_text(encoding="utf-8", errors="replace") for _, log in processen}

        # Per run: het venster van de ingest-stap, of de run op de pool moest wachten, en alle meldingen.
        vensters, geblokkeerd, teksten, gewacht = {}, 0, {}, {}
        for run in runs:
            logs = instance.all_logs(run.run_id)
            teksten[run.run_id] = [uitvoer[f"run_{run.run_id}.log"]] + [
                str(e.dagster_event.event_specific_data.error) if _is_fout(e) else e.message or ""
                for e in logs
            ]
            begin = [e.timestamp for e in logs if e.dagster_event_type == dg.DagsterEventType.STEP_START]
            eind = [e.timestamp for e in logs if e.dagster_event_type in STAP_KLAAR]
            assert len(begin) == len(eind) == 1, (run.run_id, uitvoer)
            vensters[run.run_id] = (begin[0], eind[0])
            geblokkeerd += any(
                f"blocked by limit for pool {WAREHOUSE_POOL}" in (e.message or "") for e in logs
            )
            gewacht[run.run_id] = any(WACHT_OP_WAREHOUSE in (e.message or "") for e in logs)
        mislukt = {
            r.run_id for r in runs if instance.get_run_by_id(r.run_id).status != dg.DagsterRunStatus.SUCCESS
        }
        for run_id in sorted(mislukt):
            _meld_mislukte_run(run_id, teksten[run_id], vensters)

        # Geen run mislukt, geen lock-fout of foutmelding in een run; de pool zette de ingest-stappen achter
        # elkaar, of - als Dagster twee runs tegelijk de plek gaf - een van beide wachtte op de
        # OS-vergrendeling; en er werd echt om gewedijverd (minstens één run wachtte op de pool).
        assert all(proc.returncode == 0 for proc, _ in processen), uitvoer
        treffers = [t for ts in teksten.values() for t in ts if LOCKFOUT.search(t)]
        assert not treffers, treffers[:5]
        for run in runs:
            fouten = [e.message for e in instance.all_logs(run.run_id) if e.level >= 40 or _is_fout(e)]
            assert not fouten, (run.run_id, fouten)
        volgorde = sorted(vensters.items(), key=lambda kv: kv[1])
        for i, (a, (_, eind_a)) in enumerate(volgorde):
            for b, (begin_b, _) in volgorde[i + 1 :]:
                if begin_b < eind_a:  # tegelijk als Dagster-stap: dan moet er een op de vergrendeling wachten
                    assert gewacht[a] or gewacht[b], (
                        f"twee ingest-stappen tegelijk in het warehouse: {volgorde}"
                    )
        assert geblokkeerd >= 1, "geen enkele run heeft op de pool gewacht: de runs wedijverden niet"
        assert instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL).active_run_ids == set()
    finally:
        instance.dispose()

    # Niets meer in de inbox, niets in quarantaine, alle 50 bestanden in het archief.
    assert not _bestanden(inst.inbox), _bestanden(inst.inbox)
    assert not _bestanden(inst.quarantaine)
    assert len(_bestanden(inst.archief)) == 50

    con = duckdb.connect(str(inst.warehouse), read_only=True)
    try:
        grootboek = con.execute(
            "SELECT levering_id, bron, bestandsnaam, sha256, status, rijen FROM kwaliteit.leveringen"
        ).fetchall()
        raw = {
            b: con.execute(f"SELECT count(*) FROM raw.{b}").fetchone()[0]
            for b in ("deelname", "vrijwilligers", "mantelzorg", "bevolking")
        }
    finally:
        con.close()

    # Elk bestand precies één regel in het grootboek; per inhoud precies één keer geaccepteerd, de herhalingen
    # als dubbel; elke regel verwijst naar een bestand in het archief met dezelfde inhoud.
    assert len(grootboek) == 50
    assert sorted(f"{b}/{naam}" for _, b, naam, _, _, _ in grootboek) == sorted(sha)
    per_inhoud: dict[str, list[str]] = {}
    for levering_id, bron, naam, inhoud, status, _ in grootboek:
        assert inhoud == sha[f"{bron}/{naam}"], naam
        per_inhoud.setdefault(inhoud, []).append(status)
        map_ = inst.archief / bron / ("dubbel" if status == "dubbel" else "")
        gearchiveerd = map_ / f"{levering_id}__{naam}"
        assert gearchiveerd.is_file() and _sha(gearchiveerd) == inhoud, gearchiveerd
    for inhoud, statussen in per_inhoud.items():
        aantal = sum(1 for s in sha.values() if s == inhoud)
        assert sorted(statussen) == sorted(["geaccepteerd"] + ["dubbel"] * (aantal - 1)), (inhoud, statussen)
    assert sum(len(s) == 2 for s in per_inhoud.values()) == 2  # de twee herzendingen

    # Niets dubbel geladen: de ruwe tabellen hebben precies de rijen van de verschillende bestanden.
    verwacht: Counter[str] = Counter()
    for bron, n in rijen.values():  # per verschillende inhoud
        verwacht[bron] += n
    assert raw == dict(verwacht)


# ================================================================================= 2. SIGKILL en opnieuw
class PoolBlijftBezet(AssertionError):
    """De nieuwe verwerking wacht op een plek in de pool die een afgebroken (dood) proces vasthoudt."""


def _wacht_op_herstart(run: Verwerk, afgebroken: set[str], timeout: float = 900) -> None:
    """Wacht tot de nieuwe verwerking klaar is. Houdt een run van het gedode proces de pool `warehouse` vast
    terwijl de nieuwe run erop wacht, en blijft dat zo, dan hangt de verwerking voor altijd: stop en meld het."""
    instance = dg.DagsterInstance.from_config(str(run.home / "dagster"))
    begin, vast_sinds = time.monotonic(), None
    try:
        while run.loopt():
            if time.monotonic() - begin > timeout:
                run.kill()
                raise AssertionError(f"de nieuwe verwerking duurde langer dan {timeout} s:\n{run.uitvoer()}")
            info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
            wachtend = {s.run_id for s in info.pending_steps if s.assigned_timestamp is None}
            if info.active_run_ids & afgebroken and wachtend - afgebroken:
                vast_sinds = vast_sinds or time.monotonic()
                if time.monotonic() - vast_sinds > 20:
                    run.kill()  # SIGTERM helpt niet: Dagster vangt het af terwijl de stap op de pool wacht
                    raise PoolBlijftBezet(
                        f"de pool '{WAREHOUSE_POOL}' wordt vastgehouden door run(s) "
                        f"{sorted(info.active_run_ids & afgebroken)} van het gedode proces; de nieuwe run "
                        f"{sorted(wachtend)} wacht daar eeuwig op (en gebruikt ondertussen een hele CPU-kern)"
                    )
            else:
                vast_sinds = None
            time.sleep(2)
    finally:
        instance.dispose()
    assert run.proc.returncode == 0, f"de nieuwe verwerking mislukte:\n{run.uitvoer()}"


def test_sigkill_midden_in_de_lading_en_opnieuw_geeft_dezelfde_marts(referentie, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(referentie.bron_inbox, home / "inbox")
    totaal = len(_bestanden(home / "inbox"))
    inhoud = {p.name: _sha(p) for p in _bestanden(home / "inbox")}
    bron_van = {p.name: p.parent.name for p in _bestanden(home / "inbox")}

    # Verwerken (naast de ononderbroken referentie) en hard afbreken zodra de voordeur een deel, maar nog niet
    # alles, heeft geladen en gearchiveerd: de eerste bron is binnen, de volgende worden nog geladen.
    eerste = Verwerk(home, naam="afgebroken")
    try:
        while eerste.loopt():
            gearchiveerd = len(_bestanden(home / "archief"))
            if 0 < gearchiveerd < totaal:
                os.killpg(eerste.proc.pid, signal.SIGKILL)
                break
            assert gearchiveerd < totaal, "de voordeur was al klaar: niet midden in de lading afgebroken"
            time.sleep(0.01)
        eerste.proc.wait(timeout=60)
    finally:
        eerste.kill()
    assert eerste.proc.returncode == -signal.SIGKILL, f"niet afgebroken:\n{eerste.uitvoer()}"

    # Toestand na de kill. Geen bestand kwijt of half verplaatst: elk bestand staat óf in de inbox óf in het
    # archief. Het grootboek (op een kopie, met de WAL die DuckDB achterliet) bevat alleen complete
    # leveringen: wat gearchiveerd is, is geladen.
    inbox_na_kill = {p.name for p in _bestanden(home / "inbox")}
    archief_na_kill = {p.name.split("__", 1)[1] for p in _bestanden(home / "archief")}
    assert not inbox_na_kill & archief_na_kill
    assert inbox_na_kill | archief_na_kill == set(inhoud)
    assert 0 < len(archief_na_kill) < totaal
    kopie = tmp_path / "na_kill"
    kopie.mkdir()
    for pad in home.glob("warehouse.duckdb*"):
        shutil.copy(pad, kopie / pad.name)
    con = duckdb.connect(str(kopie / "warehouse.duckdb"))
    try:
        geladen = {
            sha: naam
            for naam, sha in con.execute(
                "SELECT bestandsnaam, sha256 FROM kwaliteit.leveringen WHERE status = 'geaccepteerd'"
            ).fetchall()
        }
    finally:
        con.close()
    assert {inhoud[n] for n in archief_na_kill} <= set(geladen), "gearchiveerd maar niet in het grootboek"
    # Na de COMMIT, vóór het archiveren afgebroken: geladen maar nog in de inbox. De nieuwe verwerking ziet
    # dezelfde naam en inhoud als geaccepteerde levering zonder archiefbestand, en maakt het archiveren af
    # (niet nog eens geladen, geen tweede grootboekregel).
    geladen_in_inbox = {n for n in inbox_na_kill if inhoud[n] in geladen}
    afgebroken = {
        r.run_id
        for r in _gemaakte_runs(home / "dagster")
        if r.status in (dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED)
    }
    assert afgebroken, "de gedode verwerking liet geen run achter: is er wel iets afgebroken?"

    # Opnieuw verwerken: moet gewoon slagen.
    _wacht_op_herstart(Verwerk(home, naam="opnieuw"), afgebroken)
    ref = referentie.wacht()

    assert not _bestanden(home / "inbox") and not _bestanden(home / "quarantaine")
    assert not list(home.glob(".publicatie.duckdb.nieuw-*")), "een halve publicatie is blijven staan"
    assert (home / "warehouse.duckdb.wal").exists() == (ref / "warehouse.duckdb.wal").exists()
    instance = dg.DagsterInstance.from_config(str(home / "dagster"))
    try:
        info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
        assert not info.active_run_ids and not info.pending_steps, "de pool is na afloop nog bezet"
        gedood = [instance.get_run_by_id(r) for r in afgebroken]
        assert all(r.is_finished for r in gedood), f"de gedode run staat nog als lopend: {gedood}"
    finally:
        instance.dispose()

    # Dezelfde ruwe tabellen (niets kwijt, niets dubbel geladen), dezelfde marts en herkomst, dezelfde
    # publicatie als de ononderbroken verwerking.
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        marts = _tabellen(con, "warehouse", "marts")
        raw = _tabellen(con, "warehouse", "raw")
        grootboek = con.execute(
            "SELECT bron, status, count(*) FROM kwaliteit.leveringen GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()
    con = duckdb.connect(str(ref / "warehouse.duckdb"), read_only=True)
    try:
        assert _tabellen(con, "warehouse", "marts") == marts and len(marts) >= 8
        assert _tabellen(con, "warehouse", "raw") == raw
        grootboek_ref = con.execute(
            "SELECT bron, status, count(*) FROM kwaliteit.leveringen GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()
    assert _verschillen(home / "warehouse.duckdb", ref / "warehouse.duckdb", raw) == []
    assert (
        _verschillen(home / "warehouse.duckdb", ref / "warehouse.duckdb", [*marts, "kwaliteit.herkomst"])
        == []
    )
    # hetzelfde grootboek als de ononderbroken verwerking: ook geen regel 'dubbel' voor wat na de COMMIT
    # nog in de inbox lag; dat staat nu in het archief onder zijn eigen levering
    assert grootboek == grootboek_ref
    archief = {p.name.split("__", 1)[1]: p for p in _bestanden(home / "archief") if "__" in p.name}
    for naam in geladen_in_inbox:
        assert naam in archief and archief[naam].parent.name == bron_van[naam], naam
    assert (
        _verschillen(home / "publicatie.duckdb", ref / "publicatie.duckdb", [*marts, "kwaliteit.herkomst"])
        == []
    )


# ================================================================================= 3. analisten
ANALIST = r"""
import json, sys, time
from pathlib import Path
import duckdb

publicatie, uitvoer, stop, vragen = sys.argv[1:5]
vragen = json.loads(Path(vragen).read_text(encoding="utf-8"))
with open(uitvoer, "a", encoding="utf-8") as uit:
    while not Path(stop).exists():
        try:
            con = duckdb.connect(publicatie, read_only=True)
            try:
                van, tot = con.execute(
                    "SELECT min(gepubliceerd_op), max(gepubliceerd_op) FROM kwaliteit.publicatie"
                ).fetchone()
                manifest = con.execute("SELECT tabel, rijen FROM kwaliteit.publicatie").fetchall()
                echt = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t, _ in manifest}
                per_jaar = con.execute("SELECT jaar, count(*) FROM marts.fct_indicator_jaar GROUP BY 1").fetchall()
                antwoorden = [len(con.execute(sql).fetchall()) for sql in vragen]
            finally:
                con.close()
            regel = {"t": time.time(), "van": str(van), "tot": str(tot), "manifest": dict(manifest), "echt": echt,
                     "per_jaar": {str(j): n for j, n in per_jaar}, "vragen": len(antwoorden)}
        except Exception as e:
            regel = {"t": time.time(), "fout": repr(e)}
        uit.write(json.dumps(regel) + "\n")
        uit.flush()
        time.sleep(0.3)
"""


def _analistenvragen() -> list[str]:
    tekst = VRAGEN.read_text(encoding="utf-8")
    return [
        re.findall(r"```sql\n(.*?)```", blok, flags=re.S)[0]
        for blok in re.split(r"^## ", tekst, flags=re.M)[1:]
    ]


def _stand(con: duckdb.DuckDBPyConnection) -> tuple[str, dict[str, int]]:
    """Welke publicatie (tijdstip) en hoeveel rijen fct_indicator_jaar per jaar."""
    (op,) = con.execute("SELECT max(gepubliceerd_op) FROM kwaliteit.publicatie").fetchone()
    per_jaar = con.execute("SELECT jaar, count(*) FROM marts.fct_indicator_jaar GROUP BY 1").fetchall()
    return str(op), {str(j): n for j, n in per_jaar}


def _stand_van(publicatie: Path) -> tuple[str, dict[str, int]]:
    con = duckdb.connect(str(publicatie), read_only=True)
    try:
        return _stand(con)
    finally:
        con.close()


class LangeSessie(threading.Thread):
    """Eén analist die zijn sessie de hele tijd openhoudt en blijft vragen."""

    def __init__(self, publicatie: Path) -> None:
        super().__init__(daemon=True)
        self.publicatie = publicatie
        self.stop = threading.Event()
        self.standen: list[tuple[float, tuple[str, dict[str, int]]]] = []
        self.fouten: list[BaseException] = []

    def run(self) -> None:
        try:
            con = duckdb.connect(str(self.publicatie), read_only=True)
            try:
                while not self.stop.is_set():
                    self.standen.append((time.time(), _stand(con)))
                    time.sleep(0.2)
            finally:
                con.close()
        except BaseException as e:  # noqa: BLE001 - de test meldt elke fout van de analist
            self.fouten.append(e)


class Analisten:
    """Een proces dat de publicatie steeds opnieuw opent, de analistenvragen stelt en sluit (zoals een analist
    met DuckDB, DBeaver of R), en een lange sessie in dit proces. Apart proces: DuckDB deelt binnen één proces
    de database van een pad zolang er een verbinding open is, dan zou een nieuwe verbinding nooit de nieuwe
    publicatie zien."""

    def __init__(self, publicatie: Path, map_: Path, vragen: Path) -> None:
        self.uitvoer, self.stopbestand = map_ / "analist.jsonl", map_ / "analist.stop"
        self.stderr = map_ / "analist.stderr"
        with self.stderr.open("wb") as fout:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    ANALIST,
                    str(publicatie),
                    str(self.uitvoer),
                    str(self.stopbestand),
                    str(vragen),
                ],
                stderr=fout,
            )
        self.lang = LangeSessie(publicatie)
        self.lang.start()

    def regels(self) -> list[dict]:
        if not self.uitvoer.exists():
            return []
        return [json.loads(r) for r in self.uitvoer.read_text(encoding="utf-8").splitlines() if r.strip()]

    def wacht_tot(self, voorwaarde, timeout: float = 120) -> None:
        einde = time.monotonic() + timeout
        while not voorwaarde(self.regels()):
            assert self.proc.poll() is None, self.stderr.read_text(encoding="utf-8", errors="replace")
            assert time.monotonic() < einde, f"de analist kwam niet verder: {self.regels()[-3:]}"
            time.sleep(0.2)

    def wacht_op_lange_sessie(self, aantal: int, timeout: float = 120, na: float = 0.0) -> None:
        """Tot de lange sessie `aantal` keer gevraagd heeft, waarvan de laatste keer na tijdstip `na`."""
        einde = time.monotonic() + timeout
        while len(self.lang.standen) < aantal or self.lang.standen[-1][0] <= na:
            assert not self.lang.fouten and self.lang.is_alive(), self.lang.fouten
            assert time.monotonic() < einde, "de lange sessie kwam niet verder"
            time.sleep(0.1)

    def stoppen(self) -> None:
        self.stopbestand.touch()
        self.proc.wait(timeout=60)
        self.lang.stop.set()
        self.lang.join(timeout=60)


def test_analisten_lezen_de_publicatie_tijdens_ladingen_zonder_fouten(referentie, tmp_path):
    vragen = tmp_path / "vragen.json"
    vragen.write_text(json.dumps(_analistenvragen()), encoding="utf-8")
    assert len(json.loads(vragen.read_text(encoding="utf-8"))) >= 8
    start = referentie.wacht()
    # Twee gegevensmappen met de publicatie van de referentie, naast elkaar: in de ene komen nieuwe leveringen
    # binnen (nieuw jaar, nieuwe gemeente), de andere wordt volledig herberekend (`verwerk --volledig`).
    scenario = {}
    for naam in ("nieuw", "volledig"):
        home = tmp_path / naam / "home"
        shutil.copytree(start, home)
        oud = _stand_van(home / "publicatie.duckdb")
        scenario[naam] = (home, oud, Analisten(home / "publicatie.duckdb", home.parent, vragen))
    try:
        for _, _, analisten in scenario.values():  # de analisten zijn al aan het werk vóór de lading begint
            analisten.wacht_tot(lambda r: sum("van" in x for x in r) >= 5)
            analisten.wacht_op_lange_sessie(5)
        _nieuwe_leveringen(scenario["nieuw"][0] / "inbox")
        verwerkingen = [Verwerk(scenario["nieuw"][0]), Verwerk(scenario["volledig"][0], "--volledig")]
        for v in verwerkingen:
            v.wacht()
        klaar = time.time()
        for _, oud, analisten in scenario.values():  # en gaan door na de wissel, met de nieuwe publicatie
            analisten.wacht_tot(lambda r, op=oud[0]: sum(x.get("van") not in (None, op) for x in r) >= 5)
            analisten.wacht_op_lange_sessie(10, na=klaar)  # en de lange sessie vraagt ook na de wissel nog
    finally:
        for _, _, analisten in scenario.values():
            analisten.stoppen()

    for naam, (home, oud, analisten) in scenario.items():
        # De lange sessie is dicht: een nieuwe verbinding in dit proces ziet nu de nieuwe publicatie.
        nieuw = _stand_van(home / "publicatie.duckdb")
        assert nieuw[0] != oud[0], f"{naam}: de publicatie is niet vervangen"
        if naam == "nieuw":  # de nieuwe leveringen veranderen elk jaar (nieuwe gemeente) en voegen 2025 toe
            assert "2025" in nieuw[1] and "2025" not in oud[1]
            assert all(nieuw[1][str(j)] > oud[1][str(j)] for j in range(2016, 2025)), (oud, nieuw)
        else:  # volledig herberekend: andere publicatie, dezelfde cijfers
            assert nieuw[1] == oud[1]
        # Het proces dat steeds opnieuw opent: nul fouten, alleen de oude en de nieuwe complete publicatie, in
        # die volgorde, en elke keer klopt de inhoud met het eigen overzicht (kwaliteit.publicatie).
        regels = analisten.regels()
        assert not [r for r in regels if "fout" in r], [r for r in regels if "fout" in r][:3]
        assert [r["van"] for r in regels] == sorted(r["van"] for r in regels)
        assert {r["van"] for r in regels} == {oud[0], nieuw[0]}
        for r in regels:
            assert r["van"] == r["tot"], r
            assert r["echt"] == r["manifest"], f"publicatie klopt niet met haar eigen overzicht: {r}"
            assert r["per_jaar"] == (oud if r["van"] == oud[0] else nieuw)[1], r
            assert r["vragen"] == len(json.loads(vragen.read_text(encoding="utf-8")))
        assert sum(r["van"] == oud[0] for r in regels) >= 5 and sum(r["van"] == nieuw[0] for r in regels) >= 5
        # De lange sessie: nul fouten, de hele tijd door gevraagd, en houdt haar eigen (oude, complete) versie.
        lang = analisten.lang
        assert not lang.fouten, lang.fouten
        assert len(lang.standen) >= 10 and lang.standen[-1][0] > klaar
        assert all(stand == oud for _, stand in lang.standen)
