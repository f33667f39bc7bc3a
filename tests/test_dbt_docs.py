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
