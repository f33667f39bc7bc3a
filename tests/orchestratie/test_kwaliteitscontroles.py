"""Kwaliteitsregels als Dagster-assetcontroles op de marts: een `fout` blokkeert de publicatie (en alles wat
ervan afhangt), een `waarschuwing` is zichtbaar maar blokkeert niets. Op een kopie van het warehouse van de keten,
met een regelbestand dat op de echte cijfers faalt."""

from __future__ import annotations

import shutil

import duckdb
import pytest
import yaml

from bronnen.kwaliteit import REGELBESTAND
from orchestratie.cli import run_graph
from orchestratie.instellingen import laad_instellingen

STRENG = {
    "regel_id": "marts.fct_indicator_jaar.proef_hooguit_een",
    "tabel": "marts.fct_indicator_jaar",
    "toelichting": "Proefregel die op echte cijfers faalt: elke waarde hooguit 1.",
    "expectation": "ExpectColumnValuesToBeBetween",
    "argumenten": {"column": "waarde", "max_value": 1},
}


def _materialised(results) -> set[str]:
    return {e.asset_key.to_user_string() for r in results for e in r.get_asset_materialization_events()}


def _checks(results) -> dict[str, tuple[bool, str]]:
    uit = {}
    for r in results:
        for e in r.get_asset_check_evaluations():
            uit[f"{e.asset_key.to_user_string()}:{e.check_name}"] = (e.passed, e.severity.value)
    return uit


@pytest.mark.parametrize(("ernst", "gepubliceerd"), [("fout", False), ("waarschuwing", True)])
def test_fout_blokkeert_de_publicatie_en_een_waarschuwing_niet(
    keten, tmp_path, monkeypatch, ernst, gepubliceerd
):
    bron = keten[0]
    regels = yaml.safe_load(REGELBESTAND.read_text(encoding="utf-8"))
    regels["marts"].append({**STRENG, "ernst": ernst})
    pad = tmp_path / "regels.yml"
    pad.write_text(yaml.safe_dump(regels, allow_unicode=True), encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(bron.warehouse, home / "warehouse.duckdb")
    shutil.copy(bron.publicatie, home / "publicatie.duckdb")
    monkeypatch.setenv("BASISMONITOR_HOME", str(home))
    monkeypatch.setenv("BASISMONITOR_KWALITEITSREGELS", str(pad))
    inst = laad_instellingen()
    voor = inst.publicatie.stat().st_mtime_ns

    results = run_graph(inst, volledig=True)

    controles = _checks(results)
    assert controles["marts/fct_indicator_jaar:kwaliteitsregels"] == (
        False,
        "ERROR" if ernst == "fout" else "WARN",
    )
    assert controles["marts/fct_vergelijking:kwaliteitsregels"] == (True, "ERROR")
    gemaakt = _materialised(results)
    assert "marts/fct_indicator_jaar" in gemaakt
    assert ("publicatie/publicatie" in gemaakt) is gepubliceerd
    assert ("rapportages/gemeenterapporten" in gemaakt) is gepubliceerd
    assert (inst.publicatie.stat().st_mtime_ns > voor) is gepubliceerd  # bij een fout blijft de oude staan
    con = duckdb.connect(str(inst.warehouse), read_only=True)
    vastgelegd = con.execute(
        "SELECT ernst, geslaagd, afwijkend > 0 FROM kwaliteit.validaties WHERE regel_id = ?",
        [STRENG["regel_id"]],
    ).fetchall()
    con.close()
    assert vastgelegd == [(ernst, False, True)]


def test_regels_aan_de_deur_als_assetcontrole_op_het_grootboek(tmp_path, monkeypatch):
    """Een afgewezen levering (fout) en een aannemelijkheidswaarschuwing staan in de controle `kwaliteitsregels`
    op kwaliteit/leveringen; de goede levering gaat gewoon door."""
    import dagster as dg

    from orchestratie.assets import LEDGER_KEY, ingest
    from orchestratie.resources import BasismonitorResource

    monkeypatch.setenv("BASISMONITOR_PSEUDONIEM_SLEUTEL", "deur-controle-sleutel-0123456789abcdef")
    inbox = tmp_path / "inbox"
    (inbox / "deelname").mkdir(parents=True)
    (inbox / "vrijwilligers").mkdir(parents=True)
    (inbox / "deelname" / "d.csv").write_text(
        "gemeentecode;wijkcode;activiteit_id;activiteit;aanbieder;periode_start;periode_eind;aantal_deelnames\n"
        "GM0014;;ZZ1;Festival;Welzijn;01-01-2025;31-03-2025;25000\n"
    )
    (inbox / "vrijwilligers" / "v.csv").write_text(
        "vrijwilliger_id;gemeentecode;organisatie;soort_inzet;startdatum\nVC-1;GM0363;Buurthuis;af en toe;01-01-2023\n"
    )
    result = dg.materialize([ingest], resources={"basismonitor": BasismonitorResource(home=str(tmp_path))})
    assert result.success
    [controle] = [e for e in result.get_asset_check_evaluations() if e.asset_key == LEDGER_KEY]
    assert controle.check_name == "kwaliteitsregels"
    assert not controle.passed and controle.severity == dg.AssetCheckSeverity.ERROR
    assert controle.metadata["fouten"].text == "vrijwilligers.soort_inzet.toegestaan (1 leveringen, 1 rijen)"
    assert (
        controle.metadata["waarschuwingen"].text
        == "deelname.aantal_deelnames.aannemelijk (1 leveringen, 1 rijen)"
    )
    gemaakt = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "raw/deelname" in gemaakt and "raw/vrijwilligers" not in gemaakt
