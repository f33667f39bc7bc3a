"""De dbt unit tests (verzonnen invoer, vaste uitkomsten) draaien hier, niet bij elke verwerking."""

from __future__ import annotations

import json
import shutil

from orchestratie.dbt import dbt_target, run_dbt


def test_alle_dbt_unit_tests_slagen(keten, tmp_path):
    inst = keten[0]
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(inst.warehouse, warehouse)  # niet het bestand van de keten vergrendelen
    doel = tmp_path / "target"
    run_dbt("test", "--select", "test_type:unit", warehouse=warehouse, target_path=doel)
    manifest = json.loads((doel / "manifest.json").read_text(encoding="utf-8"))
    verwacht = {k for k in manifest["unit_tests"]}
    resultaten = json.loads((doel / "run_results.json").read_text(encoding="utf-8"))["results"]
    assert len(verwacht) >= 20
    assert {r["unique_id"] for r in resultaten} == verwacht
    assert all(r["status"] == "pass" for r in resultaten), [r for r in resultaten if r["status"] != "pass"]


def test_verwerking_draait_datatests_maar_geen_unit_tests(keten):
    """`basismonitor verwerk` (via Dagster) bouwt modellen en draait de datatests, zonder de unit tests; de
    artefacten staan in de vaste target-map van de installatie (partial parsing tussen runs)."""
    inst = keten[0]
    resultaten = json.loads((dbt_target(inst) / "run_results.json").read_text(encoding="utf-8"))["results"]
    soorten = {r["unique_id"].split(".")[0] for r in resultaten}
    assert "unit_test" not in soorten
    assert {"model", "test"} <= soorten
    assert (dbt_target(inst) / "partial_parse.msgpack").exists()
