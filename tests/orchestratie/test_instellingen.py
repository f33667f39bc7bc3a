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


def test_opdrachtregel_en_dagster_lezen_dezelfde_instellingen(tmp_path, monkeypatch):
    """`basismonitor verwerk` bouwt de Definitions met een vaste map; de resource die de assets gebruiken, moet
    dan elke instelling precies zo lezen als de opdrachtregel (ook sleutelbestand en werkprocessen)."""
    from bronnen.pseudoniem import pseudonymise_value
    from orchestratie.resources import BasismonitorResource

    sleutelbestand = tmp_path / "elders" / "mijn.sleutel"
    sleutelbestand.parent.mkdir()
    sleutelbestand.write_text("een-sleutel-buiten-de-gegevensmap-0123456789abcdef\n")
    regels = tmp_path / "regels.yml"
    regels.write_text("regels: []\n")
    monkeypatch.delenv("BASISMONITOR_PSEUDONIEM_SLEUTEL", raising=False)
    monkeypatch.setenv("BASISMONITOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BASISMONITOR_PSEUDONIEM_SLEUTELBESTAND", str(sleutelbestand))
    monkeypatch.setenv("BASISMONITOR_VOORDEUR_WERKPROCESSEN", "1")
    monkeypatch.setenv("BASISMONITOR_KWALITEITSREGELS", str(regels))

    opdrachtregel = laad_instellingen()
    dagster = BasismonitorResource(home=str(opdrachtregel.home)).instellingen()
    assert dagster == opdrachtregel
    assert dagster.sleutelbestand == sleutelbestand.resolve()
    assert dagster.voordeur_werkprocessen == 1
    # zonder vaste map (dagster dev) ook
    assert BasismonitorResource().instellingen() == opdrachtregel
    # dezelfde persoon krijgt langs beide wegen hetzelfde pseudoniem; er is geen tweede sleutel gemaakt
    assert pseudonymise_value(
        dagster.pseudoniem_sleutel(), "123456789", "vrijwilligers"
    ) == pseudonymise_value(opdrachtregel.pseudoniem_sleutel(), "123456789", "vrijwilligers")
    assert not (opdrachtregel.home / "pseudoniem.sleutel").exists()
