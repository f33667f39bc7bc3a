"""De koppeling met dbt: project, manifest, vertaling naar Dagster-assets en de dbt-assets zelf."""

import importlib.metadata
import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from packaging import version

from orchestratie.instellingen import Instellingen
from orchestratie.resources import BasismonitorResource, project_root, warehouse_lock

DBT_PROJECT_DIR = project_root() / "dbt_project"
WAREHOUSE_POOL = "warehouse"
VOLLEDIGE_BUILD = "volledige_build"
# Runtag: deze run herbouwt alles, ook de incrementele dbt-modellen (`dbt build --full-refresh`).
VOLLEDIG_TAG = "basismonitor/volledig"

# Automatisch bijwerken zodra een bovenliggende asset is bijgewerkt (en alle bovenliggende assets minstens
# één keer bestaan: een model op een bron die nog nooit is geleverd, wacht op die eerste levering).
EAGER = dg.AutomationCondition.eager()
# Het model van de geldige leveringen hangt aan het grootboek, dat bij elke levering verandert; de
# stagingmodellen van een bron filteren erop, maar een nieuwe levering van bron A verandert niets aan bron B
# (een correctie vervangt alleen een levering van dezelfde bron, en daarmee verandert ook raw van die bron).
# Een levering deelname herbouwt dus alleen het deelnamepad, niet vrijwilligers, mantelzorg en de enquête.
GELDIGE_LEVERINGEN = dg.AssetKey(["staging", "stg_kwaliteit__geldige_leveringen"])
EAGER_DBT = EAGER.ignore(dg.AssetSelection.assets(GELDIGE_LEVERINGEN))


def dbt_executable() -> str:
    """dbt uit de eigen omgeving (werkt ook zonder geactiveerde virtualenv)."""
    return str(Path(sys.executable).parent / "dbt")


def dbt_vars(inst: Instellingen) -> list[str]:
    return ["--vars", json.dumps({"warehouse": str(inst.warehouse)})]


def run_dbt(*args: str, warehouse: Path, target_path: Path) -> subprocess.CompletedProcess:
    """Draait dbt op een gegeven warehouse buiten Dagster (tests, benchmarks), met een eigen target-map zodat
    het manifest van het project niet wordt aangeraakt. Stopt met CalledProcessError als dbt faalt."""
    return subprocess.run(
        [
            dbt_executable(),
            *args,
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target_path),
            "--vars",
            json.dumps({"warehouse": str(warehouse)}),
        ],
        check=True,
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
    )


def dbt_build_args(inst: Instellingen, volledig: bool = False) -> list[str]:
    """`dbt build`; volledig herbouwt ook de incrementele modellen (na een wijziging in de referentie).

    Zonder de dbt unit tests: die rekenen de SQL na met verzonnen invoer, veranderen niet met de gegevens en
    draaien in de testsuite (tests/test_dbt_unit.py), zoals dbt aanraadt; de datatests draaien wel, als
    Dagster asset checks."""
    return [
        "build",
        *dbt_vars(inst),
        "--exclude-resource-type",
        "unit_test",
        *(["--full-refresh"] if volledig else []),
    ]


def dbt_target(inst: Instellingen) -> Path:
    """Vaste target-map van dbt per installatie (in plaats van een nieuwe per run). Daar blijft
    partial_parse.msgpack staan, zodat dbt het project na de eerste run niet opnieuw helemaal inleest (gemeten
    4-6 s per run): dat kan alleen als het pad van het warehouse (variabele en profiel) gelijk blijft, en dat is
    per installatie zo. De runs die dbt draaien staan achter elkaar (pool en warehouse_lock)."""
    return inst.dagster_home / "dbt"


def _newest_source_mtime(project_dir: Path) -> float:
    paden = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for sub in ("models", "seeds", "macros", "tests"):
        paden += [p for p in (project_dir / sub).rglob("*") if p.is_file()]
    return max(p.stat().st_mtime for p in paden if p.exists())


def ensure_manifest(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    """Draait `dbt parse` als het manifest ontbreekt of ouder is dan de dbt-bestanden."""
    manifest = project_dir / "target" / "manifest.json"
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime(project_dir):
        subprocess.run(
            [
                dbt_executable(),
                "parse",
                "--quiet",
                "--project-dir",
                str(project_dir),
                "--profiles-dir",
                str(project_dir),
            ],
            check=True,
            cwd=project_dir,
        )
    return manifest


class BasismonitorTranslator(DagsterDbtTranslator):
    """Asset-sleutels [schema, naam], groepen per laag, en declaratieve automatisering voor elk dbt-model."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        schema = dbt_resource_props.get("config", {}).get("schema") or dbt_resource_props["schema"]
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return None
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"

    def get_automation_condition(
        self, dbt_resource_props: Mapping[str, Any]
    ) -> dg.AutomationCondition | None:
        return EAGER_DBT


def dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def build_dbt_assets() -> dg.AssetsDefinition:
    manifest = ensure_manifest()
    translator = BasismonitorTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    @dbt_assets(
        manifest=manifest,
        project=dbt_project(),
        dagster_dbt_translator=translator,
        pool=WAREHOUSE_POOL,
        name="dbt_modellen",
    )
    def dbt_modellen(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, basismonitor: BasismonitorResource
    ):
        inst = basismonitor.instellingen()
        # De maandelijkse volledige build en `basismonitor verwerk --volledig` herbouwen ook de incrementele
        # modellen vanaf nul.
        volledig = context.run.tags.get(VOLLEDIG_TAG) == "ja"
        with warehouse_lock(inst, context.log):
            yield from dbt.cli(
                dbt_build_args(inst, volledig), context=context, target_path=dbt_target(inst)
            ).stream()

    return dbt_modellen


class BasismonitorDbtResource(DbtCliResource):
    """DbtCliResource zonder twee dingen die dagster-dbt vóór elke dbt-run doet en die wij niet nodig hebben
    (samen ca. 4 s per dbt-stap, gemeten op deze machine):

    - `dbt --version` in een eigen proces (2,2 s) om de versie te weten: dbt komt uit dezelfde omgeving
      (`dbt_executable`), dus de versie van het geïnstalleerde pakket dbt-core is dezelfde;
    - de dbt-adapter in het stapproces laden (1,8 s): die gebruikt dagster-dbt alleen voor rijtellingen en
      kolommetadata (`fetch_row_counts`, `fetch_column_metadata`), en die vragen we niet op. Zonder adapter
      (None) slaat dagster-dbt dat over; de gebeurtenissen van dbt komen gewoon door.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


def dbt_resource() -> DbtCliResource:
    return BasismonitorDbtResource(
        project_dir=str(DBT_PROJECT_DIR), profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable()
    )
