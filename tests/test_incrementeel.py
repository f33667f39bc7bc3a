"""Incrementele dbt-modellen: na een lading met een correctie is het resultaat gelijk aan een volledige herbouw,
en zonder nieuwe leveringen wordt niets opnieuw berekend."""

from __future__ import annotations

import json
import shutil

import duckdb

from orchestratie.dbt import run_dbt

MODEL = "intermediate.int_deelname_activiteit_jaar"


def _verschillen(links, rechts, tabel: str, sleutel: list[str]) -> list[tuple]:
    """Rijen die verschillen tussen twee warehouses: tekst en lijsten exact, getallen tot op 1e-9 (relatief).

    Getallen exact vergelijken kan niet: DuckDB telt parallel op, dus de laatste bit van een som van doubles
    hangt af van de volgorde, ook tussen twee volledige builds."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{links}' AS l (READ_ONLY)")
        con.execute(f"ATTACH '{rechts}' AS r (READ_ONLY)")
        schema, naam = tabel.split(".")
        kolommen = con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'l' AND schema_name = ? "
            "AND table_name = ? AND column_name <> 'laatst_ontvangen'",
            [schema, naam],
        ).fetchall()
        voorwaarden = []
        for kolom, soort in kolommen:
            if kolom in sleutel:
                continue
            if soort in ("DOUBLE", "FLOAT") or soort.startswith("DECIMAL"):
                voorwaarden.append(
                    f"NOT (a.{kolom} IS NULL AND b.{kolom} IS NULL) AND (a.{kolom} IS NULL OR b.{kolom} IS NULL "
                    f"OR abs(a.{kolom} - b.{kolom}) > 1e-9 * greatest(1, abs(a.{kolom})))"
                )
            else:
                voorwaarden.append(f"a.{kolom} IS DISTINCT FROM b.{kolom}")
        op = " AND ".join(f"a.{k} IS NOT DISTINCT FROM b.{k}" for k in sleutel)
        aantallen = con.execute(
            f"SELECT (SELECT count(*) FROM l.{tabel}), (SELECT count(*) FROM r.{tabel})"
        ).fetchone()
        assert aantallen[0] == aantallen[1], (tabel, aantallen)
        return con.execute(
            f"SELECT {', '.join('coalesce(a.' + k + ', b.' + k + ')' for k in sleutel)} "
            f"FROM l.{tabel} AS a FULL JOIN r.{tabel} AS b ON {op} "
            f"WHERE a.{sleutel[0]} IS NULL OR b.{sleutel[0]} IS NULL OR {' OR '.join('(' + v + ')' for v in voorwaarden)}"
        ).fetchall()
    finally:
        con.close()


def test_incrementeel_na_correctie_gelijk_aan_volledige_herbouw(keten, tmp_path):
    inst, _eerste, tweede, _fouten, _vragen = keten
    # De tweede lading van de keten bevatte een correctie die een deelnamelevering vervangt; dbt bouwde
    # int_deelname_activiteit_jaar toen incrementeel bij.
    assert any(r.success for r in tweede)
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(inst.warehouse, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    vervangen = con.execute(
        "SELECT count(*) FROM kwaliteit.leveringen WHERE bron = 'deelname' AND status = 'vervangen'"
    ).fetchone()[0]
    in_model = con.execute(
        f"SELECT count(*) FROM {MODEL} WHERE list_contains(bron_leveringen, "
        "(SELECT any_value(levering_id) FROM kwaliteit.leveringen WHERE status = 'vervangen' AND bron = 'deelname'))"
    ).fetchone()[0]
    con.close()
    assert vervangen == 1
    assert in_model == 0, "de vervangen levering telt nog mee"

    # Niets nieuw: de macro vindt geen partities om opnieuw te berekenen.
    uit = run_dbt(
        "show",
        "--inline",
        "{{ gewijzigde_partities('deelname', ref('int_deelname_activiteit_jaar')) }}",
        "--output",
        "json",
        warehouse=warehouse,
        target_path=tmp_path / "target_show",
    )
    assert json.loads(uit.stdout)["show"] == []

    volledig = tmp_path / "volledig.duckdb"
    shutil.copy(warehouse, volledig)
    run_dbt("build", "--full-refresh", warehouse=volledig, target_path=tmp_path / "target_vol")
    sleutels = {
        MODEL: ["gemeentecode", "jaar", "activiteit_id", "wijkcode"],
        "marts.fct_indicator_jaar": ["gemeentecode", "jaar", "indicator_code"],
        "marts.fct_vergelijking": ["gemeentecode", "jaar", "indicator_code", "referentie"],
    }
    for tabel, sleutel in sleutels.items():
        assert _verschillen(warehouse, volledig, tabel, sleutel) == [], tabel


def test_levering_deelname_herbouwt_alleen_het_deelnamepad(keten):
    """Een correctie van een deelnamelevering verandert het grootboek (waar alle stagingmodellen op filteren),
    maar herbouwt alleen wat van deelname afhangt: niet de modellen van vrijwilligers, mantelzorg en enquête.
    De marts, de herkomst, de publicatie en de rapporten worden wel bijgewerkt."""
    _inst, eerste, tweede, _fouten, _vragen = keten
    gemaakt = {"/".join(e.asset_key.path) for r in tweede for e in r.get_asset_materialization_events()}
    for model in (
        "staging/stg_deelname__deelnames",
        "intermediate/int_deelname_activiteit_jaar",
        "intermediate/int_indicator_waarnemingen",
        "marts/fct_indicator_jaar",
        "kwaliteit/herkomst",
        "publicatie/publicatie",
        "rapportages/gemeenterapporten",
    ):
        assert model in gemaakt, model
    for model in (
        "staging/stg_vrijwilligers__inzet",
        "intermediate/int_vrijwilligers_jaar",
        "intermediate/int_mantelzorgers_jaar",
        "intermediate/int_enquete_respondenten",
        "intermediate/int_enquete_schattingen",
        "intermediate/int_enquete_schattingen_wijk",
    ):
        assert model not in gemaakt, model
    # de rapporten komen vóór de exporten en de landelijke vergelijking (na de publicatie)
    starts = [e.step_key for r in tweede for e in r.all_events if e.event_type_value == "STEP_START"]
    assert starts.index("rapportages__gemeenterapporten") < starts.index("rapportages__exporten")
    assert starts.index("rapportages__gemeenterapporten") < starts.index("rapportages__landelijk")
    # bij de eerste lading was alles nieuw
    eerst = {"/".join(e.asset_key.path) for r in eerste for e in r.get_asset_materialization_events()}
    assert "intermediate/int_vrijwilligers_jaar" in eerst
