"""De dbt-resource slaat twee voorbereidingen van dagster-dbt over (dbt --version in een eigen proces, de
adapter in het stapproces); de versie moet dan wel die van het dbt zijn dat werkelijk draait."""

from __future__ import annotations

import re
import subprocess

import dagster_dbt.core.resource as dagster_dbt_resource
import pytest

from orchestratie.dbt import dbt_executable, dbt_resource


def test_dbt_versie_zonder_eigen_proces_en_gelijk_aan_het_dbt_dat_draait(monkeypatch: pytest.MonkeyPatch):
    uitvoer = subprocess.run(
        [dbt_executable(), "--version"], capture_output=True, text=True, check=True
    ).stdout
    echte_versie = re.search(r"(\d+\.\d+\.\d+)", uitvoer).group(1)

    def geen_proces(*args, **kwargs):
        raise AssertionError(f"dbt werd als proces gestart: {args}")

    monkeypatch.setattr(dagster_dbt_resource, "check_output", geen_proces)
    resource = dbt_resource()
    assert str(resource._cli_version) == echte_versie
    # zonder adapter haalt dagster-dbt geen rijtellingen of kolommetadata op; de dbt-run zelf gaat gewoon door
    assert resource._initialize_dbt_core_adapter(["build"]) is None
