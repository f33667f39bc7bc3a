"""Event-gedreven met een echte `dagster dev`: een bestand in de inbox leidt zonder klik tot bijgewerkte marts,
een nieuwe publicatie en nieuwe rapporten. Meet ook hoe lang dat duurt (zichtbaar met `pytest -s`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import duckdb

from orchestratie.cli import run_graph
from orchestratie.instellingen import laad_instellingen

SLEUTEL = "dagster-dev-test-sleutel-0123456789abcdef"
KOP = "gemeentecode;wijkcode;activiteit_id;activiteit;aanbieder;periode_start;periode_eind;aantal_deelnames\n"
BEVOLKING = "gemeentecode;jaar;inwoners;inwoners_18plus\nGM0014;2025;{inw};{volw}\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, timeout: float, stap: float = 1.0) -> bool:
    einde = time.monotonic() + timeout
    while time.monotonic() < einde:
        if predicate():
            return True
        time.sleep(stap)
    return False


def _deelnames_2025(publicatie) -> tuple | None:
    """De teller van deelnames per 1.000 voor Groningen 2025 in de publicatie (None zolang die er niet is)."""
    try:
        con = duckdb.connect(str(publicatie), read_only=True)
    except duckdb.Error:  # de publicatie wordt net atomair vervangen
        return None
    try:
        return con.execute(
            "SELECT teller FROM marts.fct_indicator_jaar WHERE gemeentecode = 'GM0014' AND jaar = 2025 "
            "AND indicator_code = 'i_deelnames_per_1000'"
        ).fetchone()
    finally:
        con.close()


def test_bestand_in_inbox_ververst_marts_publicatie_en_rapport(tmp_path, monkeypatch):
    monkeypatch.setenv("BASISMONITOR_HOME", str(tmp_path))
    monkeypatch.setenv("BASISMONITOR_PSEUDONIEM_SLEUTEL", SLEUTEL)
    inst = laad_instellingen()
    inst.maak_mappen()
    # Beginstand: bevolking en deelname van Groningen voor 2024, in dit proces verwerkt (dezelfde DAGSTER_HOME).
    (inst.inbox / "bevolking" / "b2024.csv").write_text(
        BEVOLKING.replace("2025", "2024").format(inw=236000, volw=200000)
    )
    (inst.inbox / "deelname" / "d2024.csv").write_text(
        KOP + "GM0014;;A1;Taalcafé;Welzijn;01-01-2024;31-03-2024;300\n"
    )
    assert all(r.success for r in run_graph(inst))
    rapport = inst.rapportages / "gemeenterapport_GM0014.html"
    assert rapport.exists()

    poort = _free_port()
    log = open(tmp_path / "dagster.log", "wb")  # noqa: SIM115 - blijft open zolang dagster draait
    proc = subprocess.Popen(
        [sys.executable, "-m", "orchestratie.cli", "dagster", "--poort", str(poort)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # dagster dev negeert SIGINT/SIGTERM als de ouder ze negeert: standaardafhandeling herstellen.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:

        def webserver_up() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{poort}/server_info", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        assert _wait(webserver_up, 180), (tmp_path / "dagster.log").read_text()[-3000:]
        pub_voor, rapport_voor = inst.publicatie.stat().st_mtime, rapport.stat().st_mtime
        time.sleep(20)  # de daemon en sensoren opstarten; er is niets nieuws, dus er mag niets veranderen
        assert inst.publicatie.stat().st_mtime == pub_voor

        t0 = time.monotonic()
        (inst.inbox / "bevolking" / "b2025.csv").write_text(BEVOLKING.format(inw=237000, volw=201000))
        (inst.inbox / "deelname" / "d2025.csv").write_text(
            KOP + "GM0014;;A1;Taalcafé;Welzijn;01-01-2025;31-03-2025;321\n"
        )
        assert _wait(lambda: not any(inst.inbox.rglob("*.csv")), 240), (tmp_path / "dagster.log").read_text()[
            -3000:
        ]
        t_ingest = time.monotonic() - t0
        # De sensor kan de twee bestanden in verschillende ticks oppakken; dan komt er eerst een publicatie met
        # alleen de bevolking. Wacht daarom op de publicatie waarin de nieuwe deelname staat.
        assert _wait(lambda: _deelnames_2025(inst.publicatie) == (321.0,), 420), (
            tmp_path / "dagster.log"
        ).read_text()[-3000:]
        t_pub = time.monotonic() - t0
        pub_met_2025 = inst.publicatie.stat().st_mtime
        assert pub_met_2025 > pub_voor
        assert _wait(lambda: rapport.stat().st_mtime > max(rapport_voor, pub_met_2025), 180)
        t_rapport = time.monotonic() - t0
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        log.close()

    assert _deelnames_2025(inst.publicatie) == (321.0,)
    assert "2025" in rapport.read_text(encoding="utf-8")
    print(
        f"\nlatentie vanaf bestand in inbox: ingest klaar {t_ingest:.0f} s, publicatie {t_pub:.0f} s, "
        f"rapport {t_rapport:.0f} s"
    )
