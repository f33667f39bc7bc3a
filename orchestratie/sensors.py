"""De inbox-sensor en het vangnetschema."""

import json
from pathlib import Path

import dagster as dg

from bronnen.contracten import BRONNEN
from bronnen.levering import inbox_files, sha256_file
from orchestratie.assets import LEDGER_KEY, raw_key
from orchestratie.dbt import VOLLEDIG_TAG, VOLLEDIGE_BUILD
from orchestratie.resources import BasismonitorResource


def scan_inbox(inbox: Path, vorige: dict[str, list]) -> tuple[dict[str, list], dict[str, list[str]]]:
    """Bekijkt de inbox. Geeft de nieuwe cursor en per bron de bestanden met nieuwe inhoud.

    De cursor onthoudt per bestand [grootte, mtime_ns, sha256]; de hash wordt alleen opnieuw berekend als
    grootte of mtime veranderd is. Een bestand telt als nieuw als zijn inhoud (sha256) nieuw is voor dat pad.
    Bestanden die uit de inbox verdwenen zijn (verwerkt) vallen uit de cursor.
    """
    cursor: dict[str, list] = {}
    nieuw: dict[str, list[str]] = {}
    for bron in BRONNEN:
        for pad in inbox_files(inbox / bron):
            naam = f"{bron}/{pad.name}"
            st = pad.stat()
            oud = vorige.get(naam)
            if oud and oud[0] == st.st_size and oud[1] == st.st_mtime_ns:
                cursor[naam] = oud
                continue
            sha = sha256_file(pad)
            cursor[naam] = [st.st_size, st.st_mtime_ns, sha]
            if not oud or oud[2] != sha:
                nieuw.setdefault(bron, []).append(pad.name)
    return cursor, nieuw


@dg.sensor(
    name="inbox_sensor",
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
    asset_selection=[raw_key(b) for b in BRONNEN] + [LEDGER_KEY],
    description="Ziet nieuwe of gewijzigde bestanden in de inbox en start per bron de verwerking.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, basismonitor: BasismonitorResource):
    inst = basismonitor.instellingen()
    vorige = json.loads(context.cursor) if context.cursor else {}
    cursor, nieuw = scan_inbox(inst.inbox, vorige)
    verzoeken = [
        dg.RunRequest(
            asset_selection=[raw_key(bron), LEDGER_KEY],
            tags={"basismonitor/bron": bron, "basismonitor/bestanden": ",".join(namen)[:200]},
        )
        for bron, namen in sorted(nieuw.items())
    ]
    context.update_cursor(json.dumps(cursor, sort_keys=True))
    if not verzoeken:
        return dg.SkipReason("Geen nieuwe leveringen in de inbox.")
    return verzoeken


inbox_verwerken = dg.define_asset_job(
    "inbox_verwerken",
    selection=dg.AssetSelection.all(),
    description="De inbox één keer verwerken en alles wat daardoor verandert bijwerken (basismonitor verwerk).",
)

volledige_build = dg.define_asset_job(
    VOLLEDIGE_BUILD,
    selection=dg.AssetSelection.all(),
    description="Alles opnieuw: inbox, dbt (ook de incrementele modellen, --full-refresh), publicatie en rapporten.",
    config={"ops": {"ingest": {"config": {"volledig": True}}}},
    tags={VOLLEDIG_TAG: "ja"},
)

maandelijkse_build = dg.ScheduleDefinition(
    name="maandelijkse_build",
    job=volledige_build,
    cron_schedule="0 3 1 * *",
    execution_timezone="Europe/Amsterdam",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Vangnet: elke eerste van de maand om 03:00 de hele graaf opnieuw.",
)
