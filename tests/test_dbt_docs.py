"""`dbt docs generate` op het warehouse van de voorbeelddata: elke kolom van elke mart is beschreven."""

from __future__ import annotations

import json
import shutil

from orchestratie.dbt import run_dbt


def test_dbt_docs_beschrijft_elke_martkolom(keten, tmp_path):
    inst = keten[0]
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(inst.warehouse, warehouse)  # niet het bestand van de keten vergrendelen
    doel = tmp_path / "target"
    run_dbt("docs", "generate", warehouse=warehouse, target_path=doel)
    manifest = json.loads((doel / "manifest.json").read_text(encoding="utf-8"))
    catalogus = json.loads((doel / "catalog.json").read_text(encoding="utf-8"))
    marts = {
        k: n for k, n in manifest["nodes"].items() if n["resource_type"] == "model" and n["schema"] == "marts"
    }
    assert {
        "fct_indicator_jaar",
        "fct_indicator_meerjarig",
        "fct_vergelijking",
        "dim_gemeente",
        "dim_wijk",
    } <= {n["name"] for n in marts.values()}
    onbeschreven = []
    for sleutel, node in marts.items():
        assert node["description"], node["name"]
        kolommen = catalogus["nodes"][sleutel]["columns"]
        assert kolommen, node["name"]
        for kolom in kolommen:
            if not node["columns"].get(kolom.lower(), {}).get("description"):
                onbeschreven.append(f"{node['name']}.{kolom}")
    assert not onbeschreven, onbeschreven


def test_elk_model_heeft_een_eigen_yaml_met_zijn_tests(tmp_path):
    """Eén YAML per model, ernaast (x.sql -> x.yml), met de beschrijving, de kolommen, de datatests en de unit
    tests van dat model: wie een model leest, vindt alles op één plek."""
    run_dbt("parse", warehouse=tmp_path / "parse.duckdb", target_path=tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    yaml_van = {
        n["name"]: n["original_file_path"].removesuffix(".sql") + ".yml"
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model"
    }
    assert len(yaml_van) >= 25
    elders = [
        naam
        for naam, pad in yaml_van.items()
        if manifest["nodes"][f"model.basismonitor.{naam}"]["patch_path"] != f"basismonitor://{pad}"
    ]
    datatests = [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test" and (n.get("attached_node") or "").startswith("model.")
    ]
    assert len(datatests) >= 50
    elders += [
        n["name"]
        for n in datatests
        if n["original_file_path"].endswith(".yml")
        and n["original_file_path"] != yaml_van[n["attached_node"].split(".")[-1]]
    ]
    elders += [
        n["name"] for n in manifest["unit_tests"].values() if n["original_file_path"] != yaml_van[n["model"]]
    ]
    assert not elders, elders
