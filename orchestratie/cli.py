"""De opdrachtregel `basismonitor`."""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time
from pathlib import Path

from orchestratie.instellingen import Instellingen, InstellingenFout, laad_instellingen

DAGSTER_YAML = """\
# Gemaakt door basismonitor. Alle stappen die het warehouse aanraken delen de pool 'warehouse':
# er schrijft nooit meer dan één proces tegelijk naar warehouse.duckdb.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


def prepare_dagster_home(inst: Instellingen) -> Path:
    inst.dagster_home.mkdir(parents=True, exist_ok=True)
    yaml = inst.dagster_home / "dagster.yaml"
    if not yaml.exists():
        yaml.write_text(DAGSTER_YAML, encoding="utf-8")
    return inst.dagster_home


class _Melder:
    """Meldingen van `warehouse_lock` (wachten op een andere stap) op de terminal."""

    def info(self, tekst: str) -> None:
        print(tekst, file=sys.stderr)


def _warehouse_fingerprint(inst: Instellingen) -> str | None:
    """De vingerafdruk van de sleutel waarmee het warehouse gepseudonimiseerd is (bronnen.warehouse); None als
    er nog geen warehouse of vingerafdruk is. Gelezen onder de vergrendeling van het warehouse."""
    import duckdb

    from bronnen.warehouse import stored_fingerprint
    from orchestratie.resources import warehouse_lock

    if not inst.warehouse.exists():
        return None
    with warehouse_lock(inst, _Melder()):
        con = duckdb.connect(str(inst.warehouse), read_only=True)
        try:
            return stored_fingerprint(con)
        finally:
            con.close()


def _ensure_key(inst: Instellingen) -> bool:
    """Maakt een lokaal sleutelbestand als er nog geen sleutel is; True als het nieuw is. Nooit als het
    warehouse al gepseudonimiseerd is: een nieuwe sleutel zou iedereen een ander pseudoniem geven."""
    if inst.pseudoniem_sleutel_env or inst.sleutelbestand.exists():
        return False
    if (vingerafdruk := _warehouse_fingerprint(inst)) is not None:
        raise InstellingenFout(
            f"er is geen pseudonimiseringssleutel ({inst.sleutelbestand} bestaat niet), maar het warehouse is al "
            f"gepseudonimiseerd (vingerafdruk {vingerafdruk[:8]}…). Zet de oorspronkelijke sleutel terug "
            "(BASISMONITOR_PSEUDONIEM_SLEUTEL of het sleutelbestand); er wordt geen nieuwe gemaakt."
        )
    if not inst.maak_sleutelbestand():
        return False
    print(
        f"Nieuwe lokale pseudonimiseringssleutel gemaakt: {inst.sleutelbestand} (alleen leesbaar voor u, "
        "modus 0600). Gebruik in productie BASISMONITOR_PSEUDONIEM_SLEUTEL uit een geheimenkluis.",
    )
    return True


SLEUTEL_GEWEIGERD = 3  # afsluitcode van `verwerk` als de sleutel niet die van het warehouse is


def _refused_key(inst: Instellingen) -> str | None:
    """De Nederlandse melding (bronnen.warehouse.SleutelFout) als de ingestelde sleutel niet de sleutel van het
    warehouse is; None als zij past of er nog geen vingerafdruk is. Vóór Dagster start, zodat er één regel op
    de terminal komt; de voordeur vergelijkt zelf nog eens vóór het laden."""
    from bronnen.pseudoniem import key_fingerprint
    from bronnen.warehouse import SleutelFout

    opgeslagen = _warehouse_fingerprint(inst)
    huidig = key_fingerprint(inst.pseudoniem_sleutel())
    return str(SleutelFout(opgeslagen, huidig)) if opgeslagen not in (None, huidig) else None


def cmd_voorbeeld(args: argparse.Namespace, inst: Instellingen) -> int:
    from bronnen.voorbeeld import generate_samples

    inst.maak_mappen()
    _ensure_key(inst)
    print(f"Voorbeeldleveringen schrijven naar {inst.inbox} (seed {args.seed}) ...")
    paden = generate_samples(inst.inbox, seed=args.seed)
    per_bron: dict[str, int] = {}
    for p in paden:
        per_bron[p.parent.name] = per_bron.get(p.parent.name, 0) + 1
    for bron, n in sorted(per_bron.items()):
        print(f"  {bron:<14} {n:>4} bestanden")
    print(f"Klaar: {len(paden)} bestanden. Verwerk ze met `basismonitor verwerk`.")
    return 0


PID_TAG = "basismonitor/pid"
HOST_TAG = "basismonitor/host"
# Starttijd van het proces (klokticks sinds het opstarten van de machine): een pid kan na het stoppen van de
# verwerking aan een ander proces zijn gegeven, de combinatie pid + starttijd niet.
START_TAG = "basismonitor/proces_start"


def process_start(pid: int) -> str | None:
    """Starttijd van proces `pid` uit /proc/<pid>/stat (veld 22); None als die niet te lezen is (geen Linux, of
    het proces bestaat niet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # na de naam tussen haakjes: veld 3 is index 0


def _process_alive(pid: int, start: str | None = None) -> bool:
    """Bestaat het proces nog, en is het hetzelfde proces (zelfde starttijd, als die bekend is)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # bestaat, maar van een andere gebruiker
        pass
    if start is None:
        return True
    nu = process_start(pid)
    return nu is None or nu == start


def release_dead_runs(instance) -> list[str]:
    """Runs van een `basismonitor verwerk` op deze machine waarvan het proces niet meer bestaat (bijvoorbeeld
    gestopt met SIGKILL of door een stroomstoring), staan nog op STARTED en houden hun plek in de pool
    `warehouse` vast: elke volgende verwerking zou daar eeuwig op wachten. Zulke runs worden als mislukt gemeld
    en hun plekken vrijgegeven. Een run waarvan de pid inmiddels bij een ander proces hoort (andere starttijd),
    telt ook als afgebroken. Geeft de run-id's terug."""
    import dagster as dg

    host = socket.gethostname()
    opgeruimd = []
    runs = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[
                dg.DagsterRunStatus.STARTED,
                dg.DagsterRunStatus.STARTING,
                dg.DagsterRunStatus.NOT_STARTED,
            ],
            tags={HOST_TAG: host},
        )
    )
    for run in runs:
        pid = run.tags.get(PID_TAG)
        if pid is None or not pid.isdigit() or _process_alive(int(pid), run.tags.get(START_TAG)):
            continue
        instance.report_run_failed(run, f"Het proces van deze verwerking (pid {pid}) bestaat niet meer.")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        opgeruimd.append(run.run_id)
    return opgeruimd


def run_graph(inst: Instellingen, volledig: bool = False) -> list:
    """Verwerkt de inbox in dit proces via dezelfde assetgraaf als Dagster.

    Eerst de voordeur (job inbox_verwerken, alleen de ingest); daarna alleen wat daardoor veranderd is:
    alle assets stroomafwaarts van de bijgewerkte raw-tabellen (een levering deelname herbouwt niet de modellen
    van de andere bronnen) en van de herkomst, plus wat nog nooit gemaakt is (zoals de
    referentie-seeds bij de eerste keer). Met `volledig` telt elke bron als bijgewerkt en herbouwt dbt ook de
    incrementele modellen. Geeft de resultaten van de runs terug.
    """
    import dagster as dg

    from orchestratie.assets import INGEST_KEYS, LEDGER_KEY
    from orchestratie.dbt import GELDIGE_LEVERINGEN, VOLLEDIG_TAG
    from orchestratie.definitions import build_definitions

    prepare_dagster_home(inst)
    instance = dg.DagsterInstance.from_config(str(inst.dagster_home))
    defs = build_definitions(home=str(inst.home))
    job = defs.resolve_job_def("inbox_verwerken")
    graph = defs.resolve_asset_graph()
    config: dict = {"loggers": {"voortgang": {}}}
    eigen = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    if (start := process_start(os.getpid())) is not None:
        eigen[START_TAG] = start
    try:
        for run_id in release_dead_runs(instance):
            print(
                f"Afgebroken verwerking opgeruimd: run {run_id} (pool 'warehouse' vrijgegeven).",
                file=sys.stderr,
            )
        ingest = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            asset_selection=list(INGEST_KEYS),
            run_config={**config, "ops": {"ingest": {"config": {"volledig": volledig}}}},
            tags=eigen,
        )
        results = [ingest]
        bijgewerkt = {e.asset_key for e in ingest.get_asset_materialization_events()}
        if not ingest.success or not bijgewerkt:
            return results
        # Vanaf de bijgewerkte raw-tabellen; van het grootboek alleen wat er direct van afhangt (herkomst),
        # niet via de geldige leveringen naar elke bron (zie GELDIGE_LEVERINGEN).
        start = bijgewerkt - {LEDGER_KEY}
        if LEDGER_KEY in bijgewerkt:
            start |= graph.get(LEDGER_KEY).child_keys - {GELDIGE_LEVERINGEN}
        stroomaf = dg.AssetSelection.assets(*start).downstream().resolve(graph) - set(INGEST_KEYS)
        nodig = set(stroomaf)
        for key in dg.AssetSelection.assets(*stroomaf).upstream().resolve(graph) - set(INGEST_KEYS):
            if key not in nodig and instance.get_latest_materialization_event(key) is None:
                nodig.add(key)
        if nodig:
            results.append(
                job.execute_in_process(
                    instance=instance,
                    raise_on_error=False,
                    asset_selection=sorted(nodig),
                    run_config=config,
                    # --volledig: dbt herbouwt ook de incrementele modellen (--full-refresh)
                    tags={**eigen, VOLLEDIG_TAG: "ja"} if volledig else eigen,
                )
            )
        return results
    finally:
        instance.dispose()


def cmd_verwerk(args: argparse.Namespace, inst: Instellingen) -> int:
    inst.maak_mappen()
    _ensure_key(inst)
    if (melding := _refused_key(inst)) is not None:
        print(melding, file=sys.stderr)
        return SLEUTEL_GEWEIGERD
    start = time.monotonic()
    print(f"Inbox verwerken uit {inst.inbox} ...", file=sys.stderr)
    results = run_graph(inst, volledig=args.volledig)
    duur = time.monotonic() - start
    _print_ledger_summary(inst)
    if not all(r.success for r in results):
        print(f"\nDe verwerking is mislukt na {duur:.0f} s; zie de meldingen hierboven.", file=sys.stderr)
        return 1
    if len(results) == 1:
        print("\nGeen nieuwe of gewijzigde leveringen: marts, publicatie en rapporten zijn al bij.")
    print(f"\nKlaar in {duur:.0f} s.")
    print(f"  warehouse:   {inst.warehouse}")
    print(f"  publicatie:  {inst.publicatie}")
    print(f"  rapporten:   {inst.rapportages}")
    print(f"  exporten:    {inst.exporten}")
    print(f"  quarantaine: {inst.quarantaine}")
    return 0


def _print_ledger_summary(inst: Instellingen) -> None:
    import duckdb

    if not inst.warehouse.exists():
        return
    con = duckdb.connect(str(inst.warehouse), read_only=True)
    try:
        rows = con.execute(
            "SELECT bron, status, count(*), sum(rijen) FROM kwaliteit.leveringen GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()
    finally:
        con.close()
    if rows:
        print("\nGrootboek (alle leveringen tot nu toe):")
        for bron, status, n, rijen in rows:
            print(f"  {bron:<14} {status:<13} {n:>5} leveringen {rijen or 0:>10} rijen")


def cmd_status(args: argparse.Namespace, inst: Instellingen) -> int:
    import duckdb

    from bronnen.warehouse import key_history

    if not inst.warehouse.exists():
        print(f"Nog geen warehouse in {inst.home}: draai eerst `basismonitor verwerk`.")
        return 1
    con = duckdb.connect(str(inst.warehouse), read_only=True)
    try:
        leveringen = con.execute(
            "SELECT levering_id, bron, bestandsnaam, strftime(ontvangen_op, '%d-%m-%Y %H:%M'), rijen, status, "
            "coalesce(reden, '') FROM kwaliteit.leveringen ORDER BY ontvangen_op DESC, levering_id LIMIT ?",
            [args.aantal],
        ).fetchall()
        versheid = con.execute(
            "SELECT bron, count(*) FILTER (WHERE status = 'geaccepteerd'), max(ontvangen_op), "
            "date_diff('day', max(ontvangen_op), current_timestamp::timestamp) "
            "FROM kwaliteit.leveringen GROUP BY bron ORDER BY bron"
        ).fetchall()
        sleutels = key_history(con)
    finally:
        con.close()
    print(f"Leveringen (nieuwste {args.aantal}):")
    print(f"  {'levering':<36} {'bron':<13} {'ontvangen':<16} {'rijen':>8}  {'status':<12} reden")
    for lid, bron, naam, op, rijen, status, reden in leveringen:
        print(f"  {lid:<36} {bron:<13} {op:<16} {rijen or 0:>8}  {status:<12} {naam} {reden[:80]}")
    print("\nVersheid per bron:")
    bekend = {r[0] for r in versheid}
    for bron, n, laatst, dagen in versheid:
        vlag = "  (verouderd: langer dan 15 maanden geen levering)" if dagen > 456 else ""
        print(
            f"  {bron:<13} {n:>4} geldige leveringen, laatste ontvangen {laatst:%d-%m-%Y} ({dagen} dagen){vlag}"
        )
    from bronnen.contracten import BRONNEN

    for bron in BRONNEN:
        if bron not in bekend:
            print(f"  {bron:<13} nog nooit geleverd")
    _print_key_status(inst, sleutels)
    return 0


def _print_key_status(inst: Instellingen, sleutels: list) -> None:
    """De vingerafdruk van de sleutel van het warehouse (bronnen.warehouse.key_history) en of de ingestelde
    sleutel daarbij past."""
    from bronnen.pseudoniem import key_fingerprint

    print("\nPseudonimiseringssleutel:")
    if not sleutels:
        print("  nog geen vingerafdruk in het warehouse (er is nog niets gepseudonimiseerd)")
        return
    vingerafdruk, sinds, aanleiding = sleutels[0]
    print(f"  vingerafdruk {vingerafdruk[:8]}…, in gebruik sinds {sinds:%d-%m-%Y %H:%M} ({aanleiding})")
    try:
        huidig = key_fingerprint(inst.pseudoniem_sleutel())
    except InstellingenFout as e:
        print(f"  ingestelde sleutel: geen ({e})")
        return
    if huidig == vingerafdruk:
        print("  de ingestelde sleutel is deze sleutel")
    else:
        print(
            f"  de ingestelde sleutel is een ANDERE (vingerafdruk {huidig[:8]}…): `basismonitor verwerk` weigert; "
            "zet de oorspronkelijke sleutel terug of draai `basismonitor herpseudonimiseer`"
        )


def cmd_rapport(args: argparse.Namespace, inst: Instellingen) -> int:
    from rapportages.exporten import export_municipality_workbook
    from rapportages.gemeenterapport import render_municipality_report
    from rapportages.landelijk import render_national_report
    from rapportages.pdf import render_municipality_pdf

    if not inst.publicatie.exists():
        print(f"Nog geen publicatie in {inst.home}: draai eerst `basismonitor verwerk`.", file=sys.stderr)
        return 1
    code = args.gemeente.strip().upper()
    if not code.startswith("GM"):
        code = "GM" + code.zfill(4)
    stappen = (
        ("rapport (HTML)", lambda: render_municipality_report(inst.publicatie, code, inst.rapportages)),
        ("rapport (PDF)", lambda: render_municipality_pdf(inst.publicatie, code, inst.rapportages)),
        ("landelijke vergelijking", lambda: render_national_report(inst.publicatie, inst.rapportages, code)),
        ("Excel-werkmap", lambda: export_municipality_workbook(inst.publicatie, code, inst.exporten)),
    )
    for naam, stap in stappen:
        print(f"{naam} maken ...", file=sys.stderr)
        try:
            pad = stap()
        except ValueError as e:
            print(str(e), file=sys.stderr)
            return 1
        print(f"  {naam:<24} {pad}")
    return 0


def cmd_sleutel(args: argparse.Namespace, inst: Instellingen) -> int:
    from bronnen.pseudoniem import key_fingerprint

    if not _ensure_key(inst):
        if inst.pseudoniem_sleutel_env:
            print("De sleutel komt uit BASISMONITOR_PSEUDONIEM_SLEUTEL; er is geen bestand nodig.")
        else:
            print(f"Er is al een sleutelbestand: {inst.sleutelbestand}.")
    print(
        f"Vingerafdruk van de sleutel: {key_fingerprint(inst.pseudoniem_sleutel())[:8]}… "
        "(`basismonitor status` toont die van het warehouse)."
    )
    return 0


def cmd_herpseudonimiseer(args: argparse.Namespace, inst: Instellingen) -> int:
    """Pseudonimiseert het warehouse opnieuw met de ingestelde sleutel, uit het archief
    (bronnen.herpseudonimisering), en bouwt daarna alles opnieuw op (verwerk --volledig)."""
    from bronnen.herpseudonimisering import HerpseudonimiseringFout, repseudonymise
    from bronnen.pseudoniem import key_fingerprint
    from orchestratie.resources import warehouse_lock

    sleutel = inst.pseudoniem_sleutel()  # nooit een nieuwe maken: de nieuwe sleutel kiest u bewust
    if not inst.warehouse.exists():
        print(f"Nog geen warehouse in {inst.home}: er valt niets te herpseudonimiseren.", file=sys.stderr)
        return 1
    print(
        f"Het warehouse opnieuw pseudonimiseren met de ingestelde sleutel (vingerafdruk "
        f"{key_fingerprint(sleutel)[:8]}…), uit het archief ...",
        file=sys.stderr,
    )
    with warehouse_lock(inst, _Melder()):
        try:
            uit = repseudonymise(inst.warehouse, inst.archief, sleutel)
        except HerpseudonimiseringFout as e:
            print(str(e), file=sys.stderr)
            return 1
    if uit is None:
        print("Het warehouse is al met deze sleutel gepseudonimiseerd: er is niets te doen.")
        return 0
    oud = f"{uit.oude_vingerafdruk[:8]}…" if uit.oude_vingerafdruk else "onbekend"
    print(f"Opnieuw gepseudonimiseerd (vingerafdruk {oud} -> {uit.nieuwe_vingerafdruk[:8]}…):")
    for bron, n in uit.leveringen.items():
        print(f"  {bron:<14} {n:>5} leveringen {uit.rijen[bron]:>10} rijen")
    print("Het grootboek, de quarantaine en de bronnen zonder persoonsnummers zijn ongewijzigd overgenomen.")
    print(
        f"Het oude warehouse staat als reservekopie in {uit.reservekopie}; verwijder die zodra alles goed is "
        "(zij bevat de pseudoniemen van de oude sleutel)."
    )
    if args.zonder_verwerken:
        print(
            "Bouw nu alles opnieuw op met `basismonitor verwerk --volledig`: tot dan staan in de tussentabellen "
            "van dbt (intermediate) nog de oude pseudoniemen."
        )
        return 0
    print("\nAlles opnieuw opbouwen (zoals `basismonitor verwerk --volledig`) ...", file=sys.stderr)
    return cmd_verwerk(argparse.Namespace(volledig=True), inst)


def cmd_dagster(args: argparse.Namespace, inst: Instellingen) -> int:
    inst.maak_mappen()
    _ensure_key(inst)
    home = prepare_dagster_home(inst)
    env = dict(os.environ, DAGSTER_HOME=str(home), BASISMONITOR_HOME=str(inst.home))
    exe = str(Path(sys.executable).parent / "dagster")
    cmd = [exe, "dev", "-m", "orchestratie.definitions", "-h", args.host, "-p", str(args.poort)]
    print(f"Dagster starten op http://{args.host}:{args.poort} (DAGSTER_HOME={home}) ...")
    os.execve(exe, cmd, env)
    return 0  # pragma: no cover


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="basismonitor",
        description="Basismonitor: leveringen over de sociale basis controleren, laden en omzetten in meerjarige "
        "indicatoren en rapporten. De gegevensmap is BASISMONITOR_HOME (standaard ./data).",
    )
    sub = p.add_subparsers(dest="opdracht", required=True, metavar="opdracht")
    v = sub.add_parser("voorbeeld", help="schrijf voorbeeldleveringen van alle bronnen in de inbox")
    v.add_argument("--seed", type=int, default=20241231, help="startwaarde van de toevalsgenerator")
    v.set_defaults(func=cmd_voorbeeld)
    w = sub.add_parser("verwerk", help="verwerk de inbox één keer: voordeur, dbt, publicatie en rapporten")
    w.add_argument(
        "--volledig", action="store_true", help="alles opnieuw berekenen, ook zonder nieuwe levering"
    )
    w.set_defaults(func=cmd_verwerk)
    s = sub.add_parser("status", help="toon het grootboek van leveringen en de versheid per bron")
    s.add_argument("--aantal", type=int, default=30, help="hoeveel leveringen tonen (standaard 30)")
    s.set_defaults(func=cmd_status)
    r = sub.add_parser(
        "rapport",
        help="maak het meerjarige rapport van één gemeente (HTML en PDF), de landelijke vergelijking met die "
        "gemeente uitgelicht en haar Excel-werkmap",
    )
    r.add_argument("--gemeente", required=True, help="gemeentecode, bijv. GM0363 of 363")
    r.set_defaults(func=cmd_rapport)
    k = sub.add_parser("sleutel", help="maak een lokaal sleutelbestand voor pseudonimisering (modus 0600)")
    k.set_defaults(func=cmd_sleutel)
    h = sub.add_parser(
        "herpseudonimiseer",
        help="pseudonimiseer het warehouse bewust opnieuw met de ingestelde (nieuwe) sleutel, uit het archief, "
        "en bouw daarna alles opnieuw op",
    )
    h.add_argument(
        "--zonder-verwerken",
        action="store_true",
        help="alleen het warehouse opnieuw pseudonimiseren; daarna zelf `basismonitor verwerk --volledig`",
    )
    h.set_defaults(func=cmd_herpseudonimiseer)
    d = sub.add_parser("dagster", help="start Dagster (webinterface, sensoren en automatisering)")
    d.add_argument("--host", default="127.0.0.1", help="adres (standaard 127.0.0.1)")
    d.add_argument("--poort", type=int, default=3000, help="poort (standaard 3000)")
    d.set_defaults(func=cmd_dagster)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        inst = laad_instellingen()
        return args.func(args, inst)
    except InstellingenFout as e:
        print(f"Fout in de instellingen: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
