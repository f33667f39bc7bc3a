"""Dagster-resources: de toegang tot de instellingen, op het moment van draaien."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestratie.instellingen import Instellingen, laad_instellingen


class BasismonitorResource(dg.ConfigurableResource):
    """Geeft de instellingen. `home` overschrijft BASISMONITOR_HOME (voor tests en eenmalige runs)."""

    home: str | None = None

    def instellingen(self) -> Instellingen:
        inst = laad_instellingen()
        if self.home:
            env = {"BASISMONITOR_HOME": self.home}
            if inst.pseudoniem_sleutel_env:
                env["BASISMONITOR_PSEUDONIEM_SLEUTEL"] = inst.pseudoniem_sleutel_env
            if inst.kwaliteitsregels:
                env["BASISMONITOR_KWALITEITSREGELS"] = str(inst.kwaliteitsregels)
            inst = laad_instellingen(env)
        inst.maak_mappen()
        return inst


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]
