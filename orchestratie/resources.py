"""Dagster-resources: de toegang tot de instellingen, op het moment van draaien."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from orchestratie.instellingen import Instellingen, laad_instellingen


class BasismonitorResource(dg.ConfigurableResource):
    """Geeft de instellingen. `home` overschrijft BASISMONITOR_HOME (voor tests en eenmalige runs)."""

    home: str | None = None

    def instellingen(self) -> Instellingen:
        # Dezelfde omgeving als de opdrachtregel, met alleen de map vervangen: elke andere instelling (ook het
        # sleutelbestand en het aantal werkprocessen) wordt op één plek en op dezelfde manier gelezen.
        env = dict(os.environ)
        if self.home:
            env["BASISMONITOR_HOME"] = self.home
        inst = laad_instellingen(env)
        inst.maak_mappen()
        return inst


WACHT_OP_WAREHOUSE = "Wacht tot een andere stap klaar is met het warehouse"


@contextmanager
def warehouse_lock(inst: Instellingen, log=None) -> Iterator[None]:
    """Exclusieve OS-vergrendeling (flock op <home>/warehouse.lock) zolang een stap in het warehouse schrijft.

    De pool `warehouse` van Dagster zet de schrijvende stappen al achter elkaar, maar met de SQLite-opslag
    (`dagster dev`, `basismonitor verwerk`) kunnen processen die op hetzelfde moment een plek claimen die plek
    allebei krijgen; de tweede liep dan op de vergrendeling van DuckDB en mislukte. Deze vergrendeling laat de
    tweede wachten. Het besturingssysteem geeft haar vrij als het proces stopt, ook bij SIGKILL."""
    pad = inst.home / "warehouse.lock"
    with open(pad, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if log is not None:
                log.info(f"{WACHT_OP_WAREHOUSE} ({pad}).")
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]
