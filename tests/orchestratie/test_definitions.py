"""De Dagster-definities laden; de assetgraaf, de pool, de automatisering en de sensor."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest

from orchestratie.definitions import build_definitions
from orchestratie.resources import BasismonitorResource
from orchestratie.sensors import inbox_sensor

VERWACHTE_SLEUTELS = {
    "raw/deelname",
    "raw/vrijwilligers",
    "raw/mantelzorg",
    "raw/enquete",
    "raw/verhalen",
    "raw/bevolking",
    "kwaliteit/leveringen",
    "referentie/ref_gemeenten",
    "referentie/ref_gemeenten_per_jaar",
    "referentie/ref_herindelingen",
    "referentie/ref_bevolking_2022",
    "referentie/ref_wijken",
    "referentie/indicatoren",
    "referentie/deidentificatie_labels",
    "staging/stg_kwaliteit__geldige_leveringen",
    "staging/stg_deelname__deelnames",
    "staging/stg_vrijwilligers__inzet",
    "staging/stg_mantelzorg__contacten",
    "staging/stg_enquete__respondenten",
    "staging/stg_verhalen__verhalen",
    "staging/stg_bevolking__inwoners",
    "intermediate/int_gemeente_actueel",
    "intermediate/int_bevolking_jaar",
    "intermediate/int_enquete_respondenten",
    "intermediate/int_enquete_schattingen",
    "intermediate/int_enquete_schattingen_wijk",
    "intermediate/int_register_dekking",
    "intermediate/int_dekking",
    "intermediate/int_vrijwilligers_jaar",
    "intermediate/int_mantelzorgers_jaar",
    "intermediate/int_deelname_activiteit_jaar",
    "intermediate/int_indicator_waarnemingen",
    "marts/fct_indicator_jaar",
    "marts/fct_indicator_wijk_jaar",
    "marts/fct_indicator_meerjarig",
    "marts/fct_indicator_periode",
    "marts/fct_vergelijking",
    "marts/dim_indicator",
    "marts/dim_gemeente",
    "marts/dim_wijk",
    "marts/fct_verhalen",
    "kwaliteit/herkomst",
    "publicatie/publicatie",
    "rapportages/gemeenterapporten",
    "rapportages/landelijk",
    "rapportages/exporten",
}


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    return build_definitions()


def _graph(defs: dg.Definitions):
    return defs.resolve_asset_graph()


def test_definities_laden_met_de_verwachte_assets(defs):
    sleutels = {k.to_user_string() for k in _graph(defs).get_all_asset_keys()}
    assert sleutels == VERWACHTE_SLEUTELS


def test_dbt_bronnen_hangen_aan_de_ingest_assets(defs):
    graph = _graph(defs)
    stg = graph.get(dg.AssetKey(["staging", "stg_deelname__deelnames"]))
    assert dg.AssetKey(["raw", "deelname"]) in stg.parent_keys
    assert (
        dg.AssetKey(["kwaliteit", "leveringen"])
        in graph.get(dg.AssetKey(["staging", "stg_kwaliteit__geldige_leveringen"])).parent_keys
    )
    pub = graph.get(dg.AssetKey(["publicatie", "publicatie"]))
    assert dg.AssetKey(["marts", "fct_indicator_jaar"]) in pub.parent_keys


def test_dbt_tests_zijn_asset_checks(defs):
    checks = {c.asset_key.to_user_string() + ":" + c.name for c in _graph(defs).asset_check_keys}
    assert any(c.startswith("marts/dim_indicator:unique_") for c in checks)
    assert any(c.startswith("marts/fct_indicator_jaar:not_null_") for c in checks)
    # ook de eigen (singular) dbt-tests, ook als ze meer dan één model lezen
    assert {
        "marts/fct_indicator_jaar:fct_indicator_jaar_bereik",
        "marts/fct_indicator_jaar:fct_indicator_jaar_deelnemers",
        "marts/fct_indicator_meerjarig:fct_indicator_meerjarig_intervallen",
        "marts/fct_vergelijking:fct_vergelijking_grenzen",
        "marts/fct_verhalen:fct_verhalen_een_keer",
        "marts/fct_verhalen:fct_verhalen_leesbare_labels",
    } <= checks


def test_alles_wat_het_warehouse_raakt_zit_in_een_pool(defs):
    graph = _graph(defs)
    for key in (
        "raw/deelname",
        "marts/fct_indicator_jaar",
        "referentie/indicatoren",
        "publicatie/publicatie",
    ):
        node = graph.get(dg.AssetKey.from_user_string(key))
        assert node.pools == {"warehouse"}, key


def test_automatisering_staat_aan_en_dekt_dbt_publicatie_en_rapporten(defs):
    sensoren = {s.name: s for s in defs.sensors}
    assert sensoren["inbox_sensor"].default_status == dg.DefaultSensorStatus.RUNNING
    assert sensoren["automatisering"].default_status == dg.DefaultSensorStatus.RUNNING
    graph = _graph(defs)
    for key in ("marts/fct_indicator_jaar", "publicatie/publicatie", "rapportages/gemeenterapporten"):
        assert graph.get(dg.AssetKey.from_user_string(key)).automation_condition is not None, key
    schema = next(iter(defs.schedules))
    assert schema.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schema.cron_schedule == "0 3 1 * *"


def _tick(tmp_path: Path, cursor: str | None):
    ctx = dg.build_sensor_context(
        cursor=cursor, resources={"basismonitor": BasismonitorResource(home=str(tmp_path))}
    )
    result = inbox_sensor(ctx)
    verzoeken = [] if isinstance(result, dg.SkipReason) else list(result)
    return verzoeken, ctx.cursor


def test_sensor_een_verzoek_per_nieuw_bestand_en_daarna_geen(tmp_path):
    pad = tmp_path / "inbox" / "deelname" / "d.csv"
    pad.parent.mkdir(parents=True)
    pad.write_text("a;b\n1;2\n")
    verzoeken, cursor = _tick(tmp_path, None)
    assert len(verzoeken) == 1
    assert set(verzoeken[0].asset_selection) == {
        dg.AssetKey(["raw", "deelname"]),
        dg.AssetKey(["kwaliteit", "leveringen"]),
    }
    verzoeken, cursor = _tick(tmp_path, cursor)
    assert verzoeken == []
    pad.write_text("a;b\n1;3\n")  # andere inhoud
    verzoeken, cursor = _tick(tmp_path, cursor)
    assert len(verzoeken) == 1
    assert json.loads(cursor)["deelname/d.csv"][2]  # de cursor bewaart de sha256
    verzoeken, cursor = _tick(tmp_path, cursor)
    assert verzoeken == []
