"""Landelijke benchmark: heel Nederland (342 gemeenten, 2015–2024) op één gewone machine.

    uv run python benchmarks/landelijk.py [--werkmap MAP] [--schaal 1.0] [--zonder-peer]

Stappen, allemaal in één run en na elkaar (nooit twee metingen tegelijk):
1. De leveringen maken met `benchmarks/landelijk_genereren.py` (eenmalig; hergebruikt zolang seed en schaal
   gelijk zijn).
2. Volledige build: `basismonitor verwerk` in een eigen proces op een lege gegevensmap met alle leveringen in de
   inbox: voordeur, dbt, kwaliteitsregels, publicatie en alle rapporten. Gemeten: wandtijd en piekgeheugen
   van de hele procesboom (som van het RSS van het proces en al zijn kinderen, elke 0,1 s uit /proc), en de
   tijd per stap uit het gebeurtenissenlogboek van Dagster.
3. Vloeren: DuckDB leest dezelfde ruwe bestanden zelf in (`read_csv`; .sav via pyreadstat), en één
   handgeschreven SQL-script rekent daaruit dezelfde jaarindicatoren (`benchmarks/vloer.py`).
4. Peer: dezelfde jaarindicatoren in gewone pandas, zoals een analist het zou schrijven. Vloer en peer
   worden cel voor cel vergeleken met marts.fct_indicator_jaar van de volledige build.
5. Incrementeel: één nieuwe kwartaallevering deelname voor één gemeente (Utrecht, 4e kwartaal 2024) in de
   inbox en opnieuw `basismonitor verwerk`: tijd tot haar marts en rapport (HTML en PDF) vernieuwd zijn, en
   tot de hele run klaar is.
De tabel komt op het scherm en in `<werkmap>/resultaat.md` (en `.json`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SLEUTEL = "benchmark-sleutel-0123456789abcdef0123456789"  # vaste sleutel: alleen voor de benchmark
GIB = 1024**3

# De stappen van de assetgraaf (stapsleutel in Dagster) per onderdeel van de tabel.
STAPPEN = {
    "ingest": "voordeur",
    "dbt_modellen": "dbt",
    "kwaliteitsregels_marts": "controles",
    "publicatie__publicatie": "publicatie",
    "rapportages__gemeenterapporten": "rapporten",
    "rapportages__landelijk": "rapporten",
    "rapportages__exporten": "rapporten",
}


# ------------------------------------------------------------------------------------------- meten
def _children() -> dict[int, list[int]]:
    kinderen: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", encoding="ascii", errors="replace") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        kinderen.setdefault(ppid, []).append(int(d))
    return kinderen


def tree_rss(pid: int) -> int:
    """Som van het RSS (bytes) van `pid` en al zijn nakomelingen."""
    kinderen = _children()
    totaal, stapel = 0, [pid]
    pagina = os.sysconf("SC_PAGE_SIZE")
    while stapel:
        p = stapel.pop()
        try:
            with open(f"/proc/{p}/statm", encoding="ascii") as f:
                totaal += int(f.read().split()[1]) * pagina
        except (OSError, IndexError, ValueError):
            pass
        stapel.extend(kinderen.get(p, []))
    return totaal


class Meting:
    """Start een opdracht en volgt wandtijd en piekgeheugen van de hele procesboom."""

    def __init__(self, cmd: list[str], env: dict[str, str], log: Path):
        self.log = log.open("w", encoding="utf-8")
        self.start = time.monotonic()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.piek = 0
        self.monsters: list[tuple[float, int]] = []  # (unix-tijd, RSS van de procesboom)
        self._klaar = threading.Event()
        self._draad = threading.Thread(target=self._volg, daemon=True)
        self._draad.start()

    def _volg(self) -> None:
        while not self._klaar.is_set():
            rss = tree_rss(self.proc.pid)
            self.piek = max(self.piek, rss)
            self.monsters.append((time.time(), rss))
            self._klaar.wait(0.1)

    def wacht(self) -> tuple[float, int]:
        rc = self.proc.wait()
        duur = time.monotonic() - self.start
        self._klaar.set()
        self._draad.join()
        self.log.close()
        if rc != 0:
            raise SystemExit(f"De opdracht faalde (code {rc}); zie {self.log.name}.")
        return duur, self.piek


def step_windows(dagster_home: Path, sinds: float) -> list[tuple[str, float, float]]:
    """(stap, begin, einde) in unix-tijd van de Dagster-runs die na `sinds` begonnen, uit het
    gebeurtenissenlog."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(dagster_home))
    try:
        vensters: list[tuple[str, float, float]] = []
        for run in instance.get_runs():
            start: dict[str, float] = {}
            for e in instance.all_logs(run.run_id):
                if e.timestamp < sinds or e.dagster_event is None:
                    continue
                soort, stap = e.dagster_event.event_type_value, e.step_key
                if soort == "STEP_START":
                    start[stap] = e.timestamp
                elif soort == "STEP_SUCCESS" and stap in start:
                    vensters.append((stap, start[stap], e.timestamp))
        return vensters
    finally:
        instance.dispose()


def per_part(vensters: list[tuple[str, float, float]], monsters: list[tuple[float, int]]) -> dict[str, dict]:
    """Per onderdeel van de tabel (STAPPEN): de duur (s) en het piekgeheugen van de procesboom (bytes)
    binnen de vensters van zijn stappen."""
    uit: dict[str, dict] = {}
    for stap, begin, einde in vensters:
        deel = uit.setdefault(STAPPEN.get(stap, "overig"), {"duur": 0.0, "piek": 0})
        deel["duur"] += einde - begin
        deel["piek"] = max([deel["piek"], *(rss for t, rss in monsters if begin <= t <= einde)])
    return uit


def dbt_profile(home: Path, n: int = 8) -> list[tuple[str, float]]:
    """De traagste knopen van de laatste dbt-run van de installatie in `home` (run_results.json in de vaste
    target-map, orchestratie.dbt.dbt_target)."""
    from orchestratie.dbt import dbt_target
    from orchestratie.instellingen import laad_instellingen

    pad = dbt_target(laad_instellingen(_env(home))) / "run_results.json"
    if not pad.exists():
        return []
    res = json.loads(pad.read_text(encoding="utf-8"))["results"]
    return sorted(((r["unique_id"], r["execution_time"]) for r in res), key=lambda t: -t[1])[:n]


# ------------------------------------------------------------------------------------------- stappen
def generate(werkmap: Path, seed: int, schaal: float) -> Path:
    bron = werkmap / "bron"
    manifest = bron / "manifest.json"
    if manifest.exists():
        m = json.loads(manifest.read_text(encoding="utf-8"))
        if m.get("seed") == seed and float(m.get("schaal")) == schaal:
            print(f"Leveringen hergebruiken uit {bron}", flush=True)
            return bron
    shutil.rmtree(bron, ignore_errors=True)
    from landelijk_genereren import generate_national

    print(f"Leveringen maken in {bron} (seed {seed}, schaal {schaal}) ...", flush=True)
    t = time.monotonic()
    generate_national(bron, seed=seed, schaal=schaal)
    print(f"  klaar in {time.monotonic() - t:.0f} s", flush=True)
    return bron


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, BASISMONITOR_HOME=str(home), BASISMONITOR_PSEUDONIEM_SLEUTEL=SLEUTEL)


def _verwerk_cmd() -> list[str]:
    return [sys.executable, "-m", "orchestratie.cli", "verwerk"]


def full_build(bron: Path, home: Path) -> dict:
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(bron / "inbox", home / "inbox")
    print("Volledige build (basismonitor verwerk) ...", flush=True)
    sinds = time.time()
    meting = Meting(_verwerk_cmd(), _env(home), home.parent / "volledig.log")
    duur, piek = meting.wacht()
    vensters = step_windows(home / "dagster", sinds)
    delen = per_part(vensters, meting.monsters)
    return {
        "wandtijd": duur,
        "piek": piek,
        "stappen": {k: d["duur"] for k, d in delen.items()},
        "piek_per_onderdeel": {k: d["piek"] for k, d in delen.items()},
        "per_stap": {stap: einde - begin for stap, begin, einde in vensters},
    }


def incremental(bron: Path, home: Path, gemeente: str) -> dict:
    nieuw = sorted((bron / "incrementeel" / "deelname").iterdir())
    rapporten = [home / "rapportages" / f"gemeenterapport_{gemeente}.{ext}" for ext in ("html", "pdf")]
    for pad in nieuw:
        shutil.copy(pad, home / "inbox" / "deelname" / pad.name)
    print(f"Incrementeel: {', '.join(p.name for p in nieuw)} ...", flush=True)
    sinds = time.time()
    meting = Meting(_verwerk_cmd(), _env(home), home.parent / "incrementeel.log")
    rapport_klaar = None
    while meting.proc.poll() is None:
        if rapport_klaar is None and all(p.exists() and p.stat().st_mtime > sinds for p in rapporten):
            rapport_klaar = time.monotonic() - meting.start
        time.sleep(0.1)
    duur, piek = meting.wacht()
    if rapport_klaar is None and all(p.stat().st_mtime > sinds for p in rapporten):
        rapport_klaar = max(p.stat().st_mtime for p in rapporten) - sinds
    if rapport_klaar is None:
        raise SystemExit(f"Het rapport van {gemeente} is niet vernieuwd.")
    vensters = step_windows(home / "dagster", sinds)
    import duckdb

    with duckdb.connect(str(home / "publicatie.duckdb"), read_only=True) as con:
        q4 = con.execute(
            "SELECT count(*) FROM kwaliteit.leveringen WHERE bestandsnaam = ? AND status = 'geaccepteerd'",
            [nieuw[0].name],
        ).fetchone()[0]
    if q4 != 1:
        raise SystemExit("De kwartaallevering staat niet als geaccepteerd in de publicatie.")
    return {
        "rapport": rapport_klaar,
        "wandtijd": duur,
        "piek": piek,
        "per_stap": {stap: einde - begin for stap, begin, einde in vensters},
        "piek_per_onderdeel": {k: d["piek"] for k, d in per_part(vensters, meting.monsters).items()},
    }


# ------------------------------------------------------------------------------------------- tabel
def _s(x: float) -> str:
    return f"{x:,.1f} s".replace(",", "X").replace(".", ",").replace("X", ".")


def _gib(x: int) -> str:
    return f"{x / GIB:.2f} GiB".replace(".", ",")


def _r(x: float) -> str:
    return f"{x:.1f}×".replace(".", ",")


def machine() -> str:
    cpu = "onbekend"
    try:
        for regel in Path("/proc/cpuinfo").read_text().splitlines():
            if regel.startswith("model name"):
                cpu = regel.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    geheugen = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    return f"{os.cpu_count()} kernen ({cpu}), {geheugen:.0f} GiB geheugen, {platform.system()} {platform.release()}"


def _part(v: dict, deel: str) -> str:
    """Duur van een onderdeel, met zijn piekgeheugen als dat gemeten is."""
    tekst = _s(v["stappen"].get(deel, 0))
    piek = v.get("piek_per_onderdeel", {}).get(deel)
    return f"{tekst} (piek {_gib(piek)})" if piek else tekst


def table(r: dict) -> str:
    v, i, vl = r["volledig"], r["incrementeel"], r["vloer"]
    st = v["stappen"]
    rijen = [
        (
            "Volledige build: wandtijd (voordeur + dbt + controles + publicatie + rapporten)",
            _s(v["wandtijd"]),
            "< 15 min",
        ),
        ("Volledige build: piekgeheugen procesboom", _gib(v["piek"]), "< 6 GiB"),
        ("  voordeur (controleren, pseudonimiseren, laden)", _part(v, "voordeur"), ""),
        ("  dbt (staging, intermediate, marts, dbt-tests)", _part(v, "dbt"), ""),
        ("  controles (kwaliteitsregels op de marts, Great Expectations)", _part(v, "controles"), ""),
        ("  publicatie (publicatie.duckdb vervangen)", _part(v, "publicatie"), ""),
        ("  rapporten (342× HTML en PDF, landelijk, exporten)", _part(v, "rapporten"), ""),
        ("  overig (opstarten Dagster, plannen)", _s(v["wandtijd"] - sum(st.values())), ""),
        (
            "Incrementeel: kwartaallevering tot marts en rapport van de gemeente vernieuwd",
            _s(i["rapport"]),
            "< 60 s",
        ),
        ("Incrementeel: hele run (ook alle andere rapporten en exporten)", _s(i["wandtijd"]), ""),
        ("Incrementeel: piekgeheugen procesboom", _gib(i["piek"]), ""),
        ("Vloer voordeur: DuckDB read_csv/COPY van dezelfde bestanden", _s(vl["ingest"]), ""),
        ("Vloer dbt: handgeschreven DuckDB-SQL, dezelfde jaarindicatoren", _s(vl["indicatoren"]), ""),
        ("Peer: dezelfde jaarindicatoren in pandas", _s(r["peer"]) if r.get("peer") else "–", ""),
        ("Verhouding voordeur / vloer voordeur", _r(st.get("voordeur", 0) / vl["ingest"]), "≤ 3×"),
        ("Verhouding dbt / vloer indicatoren", _r(st.get("dbt", 0) / vl["indicatoren"]), "≤ 2×"),
        ("Verhouding peer / dbt", _r(r["peer"] / st["dbt"]) if r.get("peer") else "–", "≥ 3×"),
    ]
    for sleutel, naam in (("vergelijking_vloer", "vloer"), ("vergelijking_peer", "peer")):
        if sleutel in r:
            c = r[sleutel]
            rijen.append(
                (
                    f"Cellen van fct_indicator_jaar die de {naam} gelijk berekent (1e-6)",
                    f"{c['matching']} van {c['cells']}",
                    "alle",
                )
            )
    breed = max(len(a) for a, _, _ in rijen)
    uit = [f"| {'meting':<{breed}} | waarde | doel |", f"|{'-' * (breed + 2)}|---:|---|"]
    uit += [f"| {a:<{breed}} | {b} | {c} |" for a, b, c in rijen]
    return "\n".join(uit)


def _save(werkmap: Path, r: dict) -> None:
    """Tussenstand na elke meting (een latere fout laat de eerdere cijfers staan)."""
    (werkmap / "resultaat.json").write_text(json.dumps(r, indent=2, default=str), encoding="utf-8")


def _summary(vergelijking: dict) -> dict:
    """Hoeveel gepubliceerde cellen van fct_indicator_jaar vloer of peer binnen 1e-6 gelijk berekent."""
    return {k: vergelijking[k] for k in ("cells", "matching", "all_match")}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Landelijke benchmark van Basismonitor (zie docs/benchmarks.md).")
    p.add_argument("--werkmap", type=Path, default=Path("/tmp/basismonitor-benchmark"), help="werkmap")
    p.add_argument("--schaal", type=float, default=1.0, help="omvang t.o.v. landelijk (standaard 1)")
    p.add_argument("--seed", type=int, default=20241231, help="startwaarde van de generator")
    p.add_argument("--bron", type=Path, help="al gemaakte leveringen (uitvoer van landelijk_genereren.py)")
    p.add_argument("--zonder-peer", action="store_true", help="de pandas-peer overslaan")
    p.add_argument(
        "--hervat",
        action="store_true",
        help="de volledige build uit <werkmap>/resultaat.json overnemen (als een latere meting faalde)",
    )
    args = p.parse_args(argv)
    werkmap = args.werkmap.resolve()
    werkmap.mkdir(parents=True, exist_ok=True)
    bron = args.bron.resolve() if args.bron else generate(werkmap, args.seed, args.schaal)
    manifest = json.loads((bron / "manifest.json").read_text(encoding="utf-8"))
    gemeente = manifest.get("benchmarkgemeente", "GM0344")
    home = werkmap / "home"

    import vloer

    r: dict = {
        "machine": machine(),
        "datum": datetime.now().isoformat(timespec="minutes"),
        "manifest": manifest,
    }
    vorig = werkmap / "resultaat.json"
    if args.hervat and vorig.exists() and (home / "warehouse.duckdb").exists():
        eerder = json.loads(vorig.read_text(encoding="utf-8"))
        r.update({k: eerder[k] for k in ("datum", "volledig", "profiel_dbt")})
        print(f"Volledige build van {r['datum']} overgenomen.", flush=True)
    else:
        r["volledig"] = full_build(bron, home)
        r["profiel_dbt"] = dbt_profile(home)  # vóór de incrementele run die run_results.json overschrijft
    print(f"  {_s(r['volledig']['wandtijd'])}, piek {_gib(r['volledig']['piek'])}", flush=True)
    _save(werkmap, r)

    # Vloer en peer vóór het incrementele pad: ze vergelijken met het warehouse van de volledige build
    # (zonder de kwartaallevering, die ze niet inlezen).
    print("Vloer: DuckDB leest de bestanden zelf ...", flush=True)
    db = werkmap / "vloer.duckdb"
    db.unlink(missing_ok=True)
    ingest = vloer.floor_ingest(bron / "inbox", db)
    print("Vloer: handgeschreven SQL voor de jaarindicatoren ...", flush=True)
    ind = vloer.floor_indicators(db)
    r["vloer"] = {"ingest": ingest["total_seconds"], "indicatoren": ind["seconds"], "ingest_detail": ingest}
    r["vergelijking_vloer"] = _summary(vloer.compare(ind["result"], home / "warehouse.duckdb"))
    _save(werkmap, r)
    if not args.zonder_peer:
        print("Peer: pandas ...", flush=True)
        peer = vloer.peer_pandas(bron / "inbox")
        r["peer"] = peer["seconds"]
        r["vergelijking_peer"] = _summary(vloer.compare(peer["result"], home / "warehouse.duckdb"))
        _save(werkmap, r)

    r["incrementeel"] = incremental(bron, home, gemeente)
    print(f"  rapport na {_s(r['incrementeel']['rapport'])}", flush=True)
    _save(werkmap, r)

    tekst = table(r)
    print("\n" + tekst + "\n")
    print(f"Machine: {r['machine']}")
    (werkmap / "resultaat.md").write_text(tekst + "\n", encoding="utf-8")
    _save(werkmap, r)
    print(f"Volledig resultaat: {werkmap / 'resultaat.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
