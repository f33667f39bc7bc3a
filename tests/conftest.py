"""Gedeelde fixtures: de hele keten op de voorbeelddata, één keer per testsessie opgebouwd.

Voorbeeldleveringen -> voordeur -> dbt -> publicatie -> rapporten, in dit proces, onder een tijdelijke map.
Tijdens de tweede lading houdt een analist een sessie open op de publicatie.
"""

from __future__ import annotations

import threading
import time

import duckdb
import pytest

from bronnen.voorbeeld import generate_samples
from orchestratie.cli import run_graph
from orchestratie.instellingen import laad_instellingen

SLEUTEL = "end-to-end-test-sleutel-0123456789abcdef"


@pytest.fixture(scope="session")
def keten(tmp_path_factory):
    home = tmp_path_factory.mktemp("basismonitor")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BASISMONITOR_PSEUDONIEM_SLEUTEL", SLEUTEL)
        mp.setenv("BASISMONITOR_HOME", str(home))
        yield _build(laad_instellingen())


def _build(inst):
    inst.maak_mappen()
    generate_samples(inst.inbox)
    # Een analist houdt de hele tijd een sessie open op de publicatie en blijft vragen stellen.
    stop = threading.Event()
    fouten: list[BaseException] = []
    vragen = [0]

    def analist():
        while not inst.publicatie.exists() and not stop.is_set():
            time.sleep(0.05)
        try:
            con = duckdb.connect(str(inst.publicatie), read_only=True)
            while not stop.is_set():
                con.execute("SELECT count(*) FROM marts.fct_indicator_jaar").fetchone()
                vragen[0] += 1
                time.sleep(0.01)
            con.close()
        except BaseException as e:  # noqa: BLE001 - de test meldt elke fout van de analist
            fouten.append(e)

    t = threading.Thread(target=analist, daemon=True)
    eerste = run_graph(inst)
    t.start()
    # Een tweede lading terwijl de analist zijn sessie open heeft: een correctie van een deelnamelevering
    # (zelfde gemeente en periode, één rij uit het midden minder).
    origineel = sorted((inst.archief / "deelname").glob("*.csv"))[0]
    regels = origineel.read_bytes().splitlines(keepends=True)
    del regels[len(regels) // 2]
    (inst.inbox / "deelname" / ("correctie_" + origineel.name.split("__", 1)[1])).write_bytes(
        b"".join(regels)
    )
    tweede = run_graph(inst)
    stop.set()
    t.join(timeout=10)
    return inst, eerste, tweede, fouten, vragen[0]
