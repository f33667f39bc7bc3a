"""De Dagster-definities van Basismonitor (`dagster dev -m orchestratie.definitions`)."""

from __future__ import annotations

import dagster as dg

from orchestratie.assets import (
    exporten,
    gemeenterapporten,
    ingest,
    kwaliteitsregels_marts,
    landelijk,
    publicatie,
)
from orchestratie.dbt import build_dbt_assets, dbt_resource
from orchestratie.resources import BasismonitorResource
from orchestratie.sensors import inbox_sensor, inbox_verwerken, maandelijkse_build, volledige_build
from orchestratie.voortgang import voortgang_logger


def build_definitions(home: str | None = None) -> dg.Definitions:
    """Bouwt de definities; `home` zet een vaste BASISMONITOR_HOME (tests), anders leest de run de omgeving."""
    dbt_modellen = build_dbt_assets()
    return dg.Definitions(
        assets=[ingest, dbt_modellen, publicatie, gemeenterapporten, landelijk, exporten],
        asset_checks=[kwaliteitsregels_marts],
        sensors=[
            inbox_sensor,
            dg.AutomationConditionSensorDefinition(
                "automatisering",
                target=dg.AssetSelection.all(),
                default_status=dg.DefaultSensorStatus.RUNNING,
                minimum_interval_seconds=15,
                description="Werkt dbt-modellen, publicatie en rapporten bij zodra hun invoer is bijgewerkt.",
            ),
        ],
        schedules=[maandelijkse_build],
        jobs=[inbox_verwerken, volledige_build],
        loggers={"voortgang": voortgang_logger},
        resources={"basismonitor": BasismonitorResource(home=home), "dbt": dbt_resource()},
        executor=dg.in_process_executor,
    )


defs = build_definitions()
