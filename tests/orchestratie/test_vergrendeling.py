"""De OS-vergrendeling van het warehouse: een tweede schrijver wacht, en een gestopt proces geeft haar vrij."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

from orchestratie.instellingen import laad_instellingen
from orchestratie.resources import WACHT_OP_WAREHOUSE, warehouse_lock

HOUDER = """
import sys, time
from orchestratie.instellingen import laad_instellingen
from orchestratie.resources import warehouse_lock
inst = laad_instellingen({"BASISMONITOR_HOME": sys.argv[1], "BASISMONITOR_PSEUDONIEM_SLEUTEL": "x" * 32})
with warehouse_lock(inst):
    print("vast", flush=True)
    time.sleep(600)
"""


class Log:
    def __init__(self):
        self.regels: list[str] = []

    def info(self, tekst: str) -> None:
        self.regels.append(tekst)


def test_tweede_schrijver_wacht_tot_een_gestopt_proces_de_vergrendeling_loslaat(tmp_path):
    inst = laad_instellingen(
        {"BASISMONITOR_HOME": str(tmp_path), "BASISMONITOR_PSEUDONIEM_SLEUTEL": "x" * 32}
    )
    houder = subprocess.Popen(
        [sys.executable, "-c", HOUDER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert houder.stdout.readline().strip() == "vast"
        log = Log()
        binnen = threading.Event()

        def schrijver():
            with warehouse_lock(inst, log):
                binnen.set()

        t = threading.Thread(target=schrijver, daemon=True)
        t.start()
        # zolang de houder leeft, komt de tweede schrijver er niet in, en hij meldt dat hij wacht
        assert not binnen.wait(1.5)
        assert any(WACHT_OP_WAREHOUSE in r for r in log.regels), log.regels
        # SIGKILL: geen kans om op te ruimen; het besturingssysteem geeft de vergrendeling vrij
        houder.send_signal(signal.SIGKILL)
        houder.wait(10)
        t0 = time.monotonic()
        assert binnen.wait(10), "vergrendeling niet vrijgegeven na SIGKILL"
        assert time.monotonic() - t0 < 5
        t.join(5)
    finally:
        if houder.poll() is None:
            houder.kill()
            houder.wait()


def test_zonder_andere_schrijver_direct_en_zonder_melding(tmp_path):
    inst = laad_instellingen(
        {"BASISMONITOR_HOME": str(tmp_path), "BASISMONITOR_PSEUDONIEM_SLEUTEL": "x" * 32}
    )
    log = Log()
    with warehouse_lock(inst, log):
        pass
    with warehouse_lock(inst, log):  # na het loslaten weer vrij
        pass
    assert log.regels == []
    assert (tmp_path / "warehouse.lock").exists()
