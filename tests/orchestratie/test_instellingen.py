"""Instellingen uit de omgeving: het aantal werkprocessen van de voordeur."""

from __future__ import annotations

import pytest

from orchestratie.instellingen import InstellingenFout, laad_instellingen


def test_werkprocessen_van_de_voordeur(tmp_path):
    basis = {"BASISMONITOR_HOME": str(tmp_path)}
    assert laad_instellingen(basis).voordeur_werkprocessen is None  # standaard: kernen, hoogstens twee
    assert (
        laad_instellingen({**basis, "BASISMONITOR_VOORDEUR_WERKPROCESSEN": "0"}).voordeur_werkprocessen == 0
    )
    assert (
        laad_instellingen({**basis, "BASISMONITOR_VOORDEUR_WERKPROCESSEN": " 4 "}).voordeur_werkprocessen == 4
    )
    for fout in ("twee", "-1", "1.5"):
        with pytest.raises(
            InstellingenFout, match="BASISMONITOR_VOORDEUR_WERKPROCESSEN moet een geheel getal"
        ):
            laad_instellingen({**basis, "BASISMONITOR_VOORDEUR_WERKPROCESSEN": fout})
