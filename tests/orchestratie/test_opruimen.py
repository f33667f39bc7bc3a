"""Afgebroken verwerkingen opruimen: runs van een gestopt proces geven hun plek in de pool vrij, ook als de pid
inmiddels bij een ander proces hoort; runs van een levend proces blijven staan."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid

import dagster as dg
from dagster._core.storage.dagster_run import DagsterRun

from orchestratie.cli import (
    HOST_TAG,
    PID_TAG,
    START_TAG,
    prepare_dagster_home,
    process_start,
    release_dead_runs,
)
from orchestratie.instellingen import laad_instellingen


def _run(instance, tags: dict[str, str]) -> str:
    run_id = uuid.uuid4().hex
    instance.add_run(
        DagsterRun(job_name="inbox_verwerken", run_id=run_id, status=dg.DagsterRunStatus.STARTED, tags=tags)
    )
    return run_id


def test_alleen_runs_van_gestopte_of_vervangen_processen_worden_opgeruimd(tmp_path):
    inst = laad_instellingen(
        {"BASISMONITOR_HOME": str(tmp_path), "BASISMONITOR_PSEUDONIEM_SLEUTEL": "x" * 32}
    )
    instance = dg.DagsterInstance.from_config(str(prepare_dagster_home(inst)))
    try:
        host = socket.gethostname()
        eigen_pid = os.getpid()
        eigen_start = process_start(eigen_pid)
        assert eigen_start is not None and eigen_start.isdigit()
        dood = subprocess.Popen([sys.executable, "-c", "pass"])
        dood.wait()
        levend = _run(instance, {PID_TAG: str(eigen_pid), HOST_TAG: host, START_TAG: eigen_start})
        # een oudere run zonder starttijd: alleen de pid telt
        oud_levend = _run(instance, {PID_TAG: str(eigen_pid), HOST_TAG: host})
        gestopt = _run(instance, {PID_TAG: str(dood.pid), HOST_TAG: host})
        # dezelfde pid als een levend proces, maar een andere starttijd: de pid is hergebruikt
        hergebruikt = _run(
            instance, {PID_TAG: str(eigen_pid), HOST_TAG: host, START_TAG: str(int(eigen_start) - 1)}
        )
        andere_machine = _run(instance, {PID_TAG: str(dood.pid), HOST_TAG: host + "-elders"})

        opgeruimd = release_dead_runs(instance)

        assert sorted(opgeruimd) == sorted([gestopt, hergebruikt])
        status = {r: instance.get_run_by_id(r).status for r in (levend, oud_levend, gestopt, hergebruikt)}
        assert status[gestopt] == status[hergebruikt] == dg.DagsterRunStatus.FAILURE
        assert status[levend] == status[oud_levend] == dg.DagsterRunStatus.STARTED
        assert instance.get_run_by_id(andere_machine).status == dg.DagsterRunStatus.STARTED
        assert release_dead_runs(instance) == []  # niets dubbel
    finally:
        instance.dispose()
