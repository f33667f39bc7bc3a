"""End-to-end: voorbeeldleveringen -> voordeur -> dbt -> publicatie -> rapporten, in dit proces, onder tmp_path.

Eén keer per testsessie opgebouwd (de hele keten duurt tientallen seconden); de tests lezen het resultaat.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import duckdb

from orchestratie.cli import run_graph


def _materialised(results) -> set[str]:
    return {e.asset_key.to_user_string() for r in results for e in r.get_asset_materialization_events()}


def test_hele_graaf_slaagt(keten):
    inst, eerste, tweede, _, _ = keten
    assert all(r.success for r in eerste + tweede)
    gematerialiseerd = _materialised(eerste)
    for key in (
        "raw/deelname",
        "raw/enquete",
        "marts/fct_indicator_jaar",
        "publicatie/publicatie",
        "rapportages/gemeenterapporten",
    ):
        assert key in gematerialiseerd


def test_een_indicator_per_sfeer_in_de_mart(keten):
    inst = keten[0]
    con = duckdb.connect(str(inst.publicatie), read_only=True)
    rows = con.execute(
        "SELECT i.sfeer, count(DISTINCT f.gemeentecode), min(f.jaar), max(f.jaar) "
        "FROM marts.fct_indicator_jaar f JOIN marts.dim_indicator i USING (indicator_code) "
        "WHERE NOT f.onderdrukt GROUP BY 1 ORDER BY 1"
    ).fetchall()
    con.close()
    per_sfeer = {r[0]: r for r in rows}
    assert set(per_sfeer) == {"persoonlijk", "gemeenschappelijk", "institutioneel"}
    for sfeer, n_gemeenten, jaar_min, jaar_max in rows:
        assert n_gemeenten >= 12, sfeer
        assert jaar_min <= 2016 and jaar_max == 2024, sfeer


def test_herindeling_wordt_naar_de_huidige_kaart_omgerekend(keten):
    inst = keten[0]
    con = duckdb.connect(str(inst.publicatie), read_only=True)
    codes = {
        r[0] for r in con.execute("SELECT DISTINCT gemeentecode FROM marts.fct_indicator_jaar").fetchall()
    }
    jaren = {
        r[0]
        for r in con.execute(
            "SELECT jaar FROM marts.fct_indicator_jaar WHERE gemeentecode = 'GM1992' "
            "AND indicator_code = 'i_deelnames_per_1000'"
        ).fetchall()
    }
    con.close()
    assert not codes & {"GM0457", "GM0398", "GM0416", "GM0501", "GM0530", "GM0614"}
    assert {2015, 2020, 2024} <= jaren  # Voorne aan Zee bestaat pas sinds 2023, de reeks loopt terug


def test_rapport_per_gemeente(keten):
    inst = keten[0]
    rapporten = sorted(inst.rapportages.glob("gemeenterapport_GM*.html"))
    assert len(rapporten) >= 12
    html = (inst.rapportages / "gemeenterapport_GM0363.html").read_text(encoding="utf-8")
    assert "Amsterdam" in html and "<svg" in html


def test_publicatie_bevat_geen_persoonsgegevens(keten):
    inst = keten[0]
    con = duckdb.connect(str(inst.publicatie), read_only=True)
    kolommen = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns").fetchall()]
    schemas = {
        r[0] for r in con.execute("SELECT DISTINCT table_schema FROM information_schema.tables").fetchall()
    }
    con.close()
    assert not [k for k in kolommen if "pseudoniem" in k or "respondent" in k]
    assert "raw" not in schemas and "staging" not in schemas and "intermediate" not in schemas


def test_oorspronkelijke_persoonsnummers_staan_nergens(keten):
    """Geen enkel tekstveld in warehouse of publicatie bevat een oorspronkelijk vrijwilligers- of
    mantelzorgernummer (VC-..., MZ-...); respondentnummers bestaan alleen als pseudoniem."""
    inst = keten[0]
    for pad in (inst.warehouse, inst.publicatie):
        con = duckdb.connect(str(pad), read_only=True)
        kolommen = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE data_type LIKE 'VARCHAR%'"
        ).fetchall()
        assert kolommen
        for schema, tabel, kolom in kolommen:
            treffers = con.execute(
                f'SELECT count(*) FROM "{schema}"."{tabel}" '
                f"WHERE CAST(\"{kolom}\" AS VARCHAR) SIMILAR TO '.*(VC|MZ)-[0-9]{{4}}-[0-9]{{6}}.*'"
            ).fetchone()[0]
            assert treffers == 0, f"{pad.name}: {schema}.{tabel}.{kolom}"
        if pad == inst.warehouse:
            for tabel, kolom in (
                ("raw.vrijwilligers", "vrijwilliger_pseudoniem"),
                ("raw.mantelzorg", "mantelzorger_pseudoniem"),
                ("raw.enquete", "respondent_pseudoniem"),
            ):
                # een pseudoniem is een getal van 128 bits (de eerste 16 bytes van de HMAC), geen nummer
                typ = con.execute(f"SELECT typeof({kolom}) FROM {tabel} LIMIT 1").fetchone()[0]
                assert typ == "UHUGEINT", tabel
                waarden = [
                    r[0] for r in con.execute(f"SELECT DISTINCT {kolom} FROM {tabel} LIMIT 100").fetchall()
                ]
                assert waarden and all(0 <= w < 2**128 for w in waarden), tabel
                # verspreid over het hele bereik, niet een omgezet volgnummer
                assert max(waarden) > 2**120, tabel
            enquete_kolommen = {
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = 'enquete'"
                ).fetchall()
            }
            assert "respondent" not in enquete_kolommen
        con.close()


def test_analist_met_open_sessie_blokkeert_de_verwerking_niet(keten):
    inst, _, tweede, fouten, vragen = keten
    assert all(r.success for r in tweede)
    assert "publicatie/publicatie" in _materialised(tweede)
    assert not fouten, fouten
    assert vragen > 0
    con = duckdb.connect(str(inst.warehouse), read_only=True)
    statussen = dict(con.execute("SELECT status, count(*) FROM kwaliteit.leveringen GROUP BY 1").fetchall())
    con.close()
    assert statussen.get("vervangen") == 1  # de correctie verving de eerdere levering


def test_niets_nieuw_betekent_niets_te_doen(keten):
    inst = keten[0]
    before = inst.publicatie.stat().st_mtime_ns
    results = run_graph(inst)
    assert len(results) == 1 and results[0].success  # alleen de voordeur; niets stroomafwaarts
    assert not _materialised(results)
    assert inst.publicatie.stat().st_mtime_ns == before
    assert not any(Path(inst.inbox).rglob("*.csv"))


def test_cli_status_toont_grootboek_en_versheid(keten, capsys, monkeypatch):
    from orchestratie.cli import main

    inst = keten[0]
    monkeypatch.setenv("BASISMONITOR_HOME", str(inst.home))
    assert main(["status", "--aantal", "5"]) == 0
    uit = capsys.readouterr().out
    assert "Leveringen (nieuwste 5):" in uit and "Versheid per bron:" in uit
    for bron in ("deelname", "vrijwilligers", "mantelzorg", "enquete", "verhalen", "bevolking"):
        assert f"  {bron}" in uit


def test_herkomst_van_een_cijfer_noemt_precies_de_bijdragende_leveringen(keten):
    """Deelnames per 1.000 van Voorne aan Zee (GM1992, ontstaan in 2023) in 2020: de deelnameleveringen van
    Brielle, Hellevoetsluis en Westvoorne over 2020 en de bevolkingslevering, vastgesteld uit de ruwe rijen
    en het grootboek, niet uit de dbt-keten."""
    inst = keten[0]
    con = duckdb.connect(str(inst.warehouse), read_only=True)
    verwacht = {
        r[0]
        for r in con.execute(
            """
            SELECT DISTINCT d.levering_id FROM raw.deelname AS d
            JOIN kwaliteit.leveringen AS l USING (levering_id)
            WHERE l.status = 'geaccepteerd' AND d.gemeentecode IN ('GM0501', 'GM0530', 'GM0614')
              AND year(d.periode_start) = 2020
            UNION
            SELECT DISTINCT b.levering_id FROM raw.bevolking AS b
            JOIN kwaliteit.leveringen AS l USING (levering_id)
            WHERE l.status = 'geaccepteerd' AND b.gemeentecode IN ('GM0501', 'GM0530', 'GM0614') AND b.jaar = 2020
            """
        ).fetchall()
    }
    con.close()
    con = duckdb.connect(str(inst.publicatie), read_only=True)
    herkomst = con.execute(
        "SELECT levering_id, bron, bestandsnaam, sha256 FROM kwaliteit.herkomst "
        "WHERE gemeentecode = 'GM1992' AND jaar = 2020 AND indicator_code = 'i_deelnames_per_1000'"
    ).fetchall()
    con.close()
    assert {r[0] for r in herkomst} == verwacht
    assert {r[1] for r in herkomst} == {"deelname", "bevolking"}
    # (de tweede lading van de keten vervangt één deelnamelevering door een correctie met het voorvoegsel)
    namen = {r[2].removeprefix("correctie_") for r in herkomst if r[1] == "deelname"}
    assert namen == {"deelname_GM0501_2020.csv", "deelname_GM0530_2020.csv", "deelname_GM0614_2020.csv"}
    assert all(len(r[3]) == 64 for r in herkomst)


def test_demo_maakt_alle_rapporten_en_exporten(keten):
    """Na de keten: per gemeente met cijfers een HTML- en PDF-rapport en een werkmap, de landelijke vergelijking,
    de landelijke werkmap en een Parquet-bestand per mart."""
    inst = keten[0]
    con = duckdb.connect(str(inst.publicatie), read_only=True)
    codes = {
        c for (c,) in con.execute("SELECT DISTINCT gemeentecode FROM marts.fct_indicator_jaar").fetchall()
    }
    marts = {
        t
        for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'"
        ).fetchall()
    }
    con.close()
    assert len(codes) >= 12
    for code in codes:
        assert (inst.rapportages / f"gemeenterapport_{code}.html").exists(), code
        assert (inst.rapportages / f"gemeenterapport_{code}.pdf").read_bytes().startswith(b"%PDF"), code
        assert (inst.exporten / f"basismonitor_{code}.xlsx").exists(), code
    assert (inst.rapportages / "landelijk.html").exists()
    audit = (inst.kwaliteit / "auditrapport.html").read_text(encoding="utf-8")
    assert "Versheid" in audit and "kwaliteit.herkomst" in audit
    assert list(inst.kwaliteit.glob("auditrapport_*.html"))  # een kopie per run
    assert "basismonitor.marts.fct_indicator_jaar" in (inst.kwaliteit / "data_docs" / "index.html").read_text(
        encoding="utf-8"
    )
    assert (inst.exporten / "basismonitor_landelijk.xlsx").exists()
    assert {p.stem for p in (inst.exporten / "parquet").glob("*.parquet")} >= marts


def test_cli_rapport_voor_een_gemeente(keten, capsys, monkeypatch):
    from orchestratie.cli import main

    inst = keten[0]
    monkeypatch.setenv("BASISMONITOR_HOME", str(inst.home))
    pad = inst.rapportages / "gemeenterapport_GM1992.html"
    pad.unlink()
    pdf = inst.rapportages / "gemeenterapport_GM1992.pdf"
    landelijk = inst.rapportages / "landelijk_GM1992.html"
    werkmap = inst.exporten / "basismonitor_GM1992.xlsx"
    pdf.unlink()
    assert not landelijk.exists()
    assert main(["rapport", "--gemeente", "1992"]) == 0
    assert pad.exists() and "Voorne aan Zee" in pad.read_text(encoding="utf-8")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Voorne aan Zee" in landelijk.read_text(encoding="utf-8")
    assert werkmap.exists()
    uit = capsys.readouterr().out
    for bestand in (pad, pdf, landelijk, werkmap):
        assert str(bestand) in uit
    assert main(["rapport", "--gemeente", "GM9999"]) == 1
    assert "GM9999 komt niet voor" in capsys.readouterr().err


def test_alleen_gedeidentificeerde_verhalen_met_toestemming_in_de_publicatie(keten):
    import polars as pl

    inst = keten[0]
    geleverd = pl.concat(
        [pl.read_csv(p, separator=";", infer_schema=False) for p in (inst.archief / "verhalen").glob("*.csv")]
    )
    con = duckdb.connect(str(inst.publicatie), read_only=True)
    rijen = con.execute("SELECT gemeentecode, tekst FROM marts.fct_verhalen").fetchall()
    con.close()
    # Elk verhaal één keer: zoveel als er verschillende teksten (ongeacht hoofdletters en witruimte) met
    # toestemming geleverd zijn per gemeente op de huidige kaart; de voorbeelddata hebben geen gesplitste gemeente.
    con = duckdb.connect(str(inst.warehouse), read_only=True)
    kaart = dict(
        con.execute(
            "SELECT gemeentecode, actuele_gemeentecode FROM intermediate.int_gemeente_actueel"
        ).fetchall()
    )
    con.close()

    def sleutel(tekst: str) -> str:
        return " ".join(tekst.split()).lower()

    verschillend = {
        (kaart[g], sleutel(t))
        for g, t in geleverd.filter(pl.col("toestemming") == "ja").select("gemeentecode", "tekst").rows()
    }
    assert len(rijen) == len(verschillend) == len({(g, sleutel(t)) for g, t in rijen})
    alles = "\n".join(t for _, t in rijen)
    for geheim in ("Fatima", "El Amrani", "Jan de Vries", "Dorpsstraat 12", "06-12345678", "@example.nl"):
        assert geheim not in alles, geheim
    # de verwijderde gegevens staan er in gewoon Nederlands, zonder labels van Deduce zoals [PERSOON-1]
    assert "[naam verwijderd]" in alles and "[e-mailadres verwijderd]" in alles
    assert not re.search(r"\[[A-Z][A-Z_+]*(-[0-9]+)?\]", alles)


R_SURVEY = Path(__file__).parent / "fixtures" / "r_survey"


def _export_sql() -> str:
    spec = importlib.util.spec_from_file_location("exporteer", R_SURVEY / "exporteer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SQL


def test_enqueteschattingen_gelijk_aan_r_survey(keten):
    """Gewogen aandelen en schaalscores met hun standaardfouten zijn die van svyby/svymean in R survey
    (gestratificeerd naar aanleverende gemeente x jaar, met eindigepopulatiecorrectie fpc = volwassen inwoners
    van het stratum), tot op 1e-6, voor alle tien enquête-indicatoren. De R-uitvoer is gemaakt met
    tests/fixtures/r_survey/svymean.R op precies deze respondenten; de eerste controle bewaakt dat de vastgelegde
    invoer (populatie, respondentwaarden en gewichten) nog klopt."""
    import polars as pl

    inst = keten[0]
    con = duckdb.connect(str(inst.warehouse), read_only=True)
    try:
        nu = pl.from_arrow(con.sql(_export_sql()).to_arrow_table())
        ons = pl.from_arrow(
            con.sql(
                "SELECT indicator_code, gemeentecode, jaar::INTEGER AS jaar, schatting, se "
                "FROM intermediate.int_enquete_schattingen"
            ).to_arrow_table()
        )
        enquete_codes = {
            r[0]
            for r in con.execute("SELECT code FROM referentie.indicatoren WHERE bron = 'enquete'").fetchall()
        }
    finally:
        con.close()
    vastgelegd = pl.read_csv(R_SURVEY / "respondenten.csv.gz", schema=nu.schema)
    assert vastgelegd.height == nu.height
    sleutel = ["gemeentecode", "aanleverende_gemeentecode", "jaar"]
    assert vastgelegd.select(sleutel).equals(nu.select(sleutel))
    for kolom in vastgelegd.columns[3:]:
        verschil = (vastgelegd[kolom] - nu[kolom]).abs().max()
        assert verschil is None or verschil < 1e-9, kolom
        assert vastgelegd[kolom].null_count() == nu[kolom].null_count(), kolom

    r = pl.read_csv(R_SURVEY / "svymean_uitvoer.csv", schema_overrides={"jaar": pl.Int32})
    assert set(r["indicator_code"]) == enquete_codes and len(enquete_codes) == 10
    samen = r.join(ons, on=["indicator_code", "gemeentecode", "jaar"], how="full", suffix="_basismonitor")
    assert samen.height == r.height == ons.height > 900
    assert samen.null_count().sum_horizontal().item() == 0
    assert (samen["schatting"] - samen["schatting_basismonitor"]).abs().max() < 1e-6
    assert (samen["se"] - samen["se_basismonitor"]).abs().max() < 1e-6
    # schaalscores (0-10) doen mee, niet alleen aandelen
    assert samen.filter(pl.col("schatting") > 1).height > 300
    # de vergelijking raakt ook domeinen over twee strata (Dijk en Waard vóór 2022: Heerhugowaard + Langedijk)
    assert samen.filter((pl.col("gemeentecode") == "GM1980") & (pl.col("jaar") < 2022)).height > 0


def test_eindigepopulatiecorrectie_wezenlijk_waar_de_steekproeffractie_groot_is(keten):
    """De eindigepopulatiecorrectie (fpc) maakt de stratumvariantie kleiner met de factor 1 - n_h/N_h. In het
    stratum met de grootste steekproeffractie (in de voorbeelddata Schiermonnikoog: 121 van 782 volwassenen,
    15,5 %) is dat wezenlijk: de gemeente is daar één stratum, dus de standaardfout is die van R survey met fpc
    en precies sqrt(1 - n/N) maal die van R survey zonder fpc (n: respondenten met een geldige waarde). In het
    stratum met de kleinste fractie is het verschil verwaarloosbaar. De fractie komt hier uit de aangeleverde
    respondenten en inwoners (staging), niet uit de macro."""
    import polars as pl

    inst = keten[0]
    con = duckdb.connect(str(inst.warehouse), read_only=True)
    try:
        strata = pl.from_arrow(
            con.sql(
                """
                SELECT r.gemeentecode, r.jaar::INTEGER AS jaar, count(*) AS respondenten,
                       any_value(b.inwoners_18plus) AS volwassenen,
                       count(*) / any_value(b.inwoners_18plus) AS fractie
                FROM staging.stg_enquete__respondenten AS r
                JOIN staging.stg_bevolking__inwoners AS b ON b.gemeentecode = r.gemeentecode AND b.jaar = r.jaar
                GROUP BY ALL
                """
            ).to_arrow_table()
        ).sort("fractie", "gemeentecode", "jaar", descending=[True, False, False])
        grootste, kleinste = strata.row(0, named=True), strata.row(-1, named=True)
        # het stratum met de grootste fractie is een hele gemeente: één aanleverende gemeente, één opvolger
        koppeling = con.execute(
            "SELECT count(DISTINCT aanleverende_gemeentecode), count(DISTINCT gemeentecode) "
            "FROM intermediate.int_enquete_respondenten "
            "WHERE (gemeentecode = ? OR aanleverende_gemeentecode = ?) AND jaar = ?",
            [grootste["gemeentecode"], grootste["gemeentecode"], grootste["jaar"]],
        ).fetchall()[0]
        ons = pl.from_arrow(
            con.sql(
                "SELECT indicator_code, gemeentecode, jaar::INTEGER AS jaar, n, se "
                "FROM intermediate.int_enquete_schattingen"
            ).to_arrow_table()
        )
        kleinste_gemeente = con.execute(
            "SELECT DISTINCT gemeentecode FROM intermediate.int_enquete_respondenten "
            "WHERE aanleverende_gemeentecode = ? AND jaar = ?",
            [kleinste["gemeentecode"], kleinste["jaar"]],
        ).fetchall()
    finally:
        con.close()
    assert grootste["fractie"] > 0.10, grootste  # wezenlijk
    assert kleinste["fractie"] < 0.01, kleinste
    assert koppeling == (1, 1)

    r = pl.read_csv(R_SURVEY / "svymean_uitvoer.csv", schema_overrides={"jaar": pl.Int32})
    samen = r.join(ons, on=["indicator_code", "gemeentecode", "jaar"], suffix="_basismonitor")
    assert (samen["se"] <= samen["se_zonder_fpc"] + 1e-15).all()

    hier = samen.filter(
        (pl.col("gemeentecode") == grootste["gemeentecode"]) & (pl.col("jaar") == grootste["jaar"])
    ).with_columns(
        verhouding=pl.col("se_basismonitor") / pl.col("se_zonder_fpc"),
        verwacht=(1 - pl.col("n") / grootste["volwassenen"]).sqrt(),
    )
    assert hier.height == 10
    assert (hier["se_basismonitor"] - hier["se"]).abs().max() < 1e-6
    assert (hier["verhouding"] - hier["verwacht"]).abs().max() < 1e-9
    # zonder item-nonrespons is n de hele steekproef: de standaardfout is ruim 8 % kleiner
    volledig = hier.filter(pl.col("n") == grootste["respondenten"])
    assert volledig.height >= 5
    assert (volledig["verhouding"] - (1 - grootste["fractie"]) ** 0.5).abs().max() < 1e-9
    assert volledig["verhouding"].max() < 0.92

    elders = samen.filter(
        pl.col("gemeentecode").is_in([g for (g,) in kleinste_gemeente]) & (pl.col("jaar") == kleinste["jaar"])
    )
    assert elders.height >= 10
    assert (elders["se_basismonitor"] / elders["se_zonder_fpc"]).min() > 0.995


def test_elke_indicator_heeft_cijfers_voor_elke_gemeente_en_elk_geleverd_jaar(keten):
    """Elke indicator uit de catalogus heeft een rij (een waarde, of een onderdrukt cijfer) voor elke
    voorbeeldgemeente en elk jaar dat haar bron dekt; indicatoren die een vorig jaar nodig hebben (behoud) of
    twee (continuïteit) beginnen een of twee jaar later. De verwachte jaren komen rechtstreeks uit raw. Waar een
    voorganger niet leverde (Groningen 2015-2018, Leeuwarden 2015-2017) staan de cijfers er met hun dekking."""
    inst = keten[0]
    con = duckdb.connect(str(inst.warehouse), read_only=True)
    try:
        verwacht = con.execute(
            """
            WITH kaart AS (SELECT gemeentecode, actuele_gemeentecode FROM intermediate.int_gemeente_actueel),
            bron_jaren AS (
                SELECT 'enquete' AS bron, k.actuele_gemeentecode AS gemeentecode, e.jaar
                FROM raw.enquete e JOIN kaart k USING (gemeentecode)
                UNION SELECT 'deelname', k.actuele_gemeentecode, year(d.periode_start)
                FROM raw.deelname d JOIN kaart k USING (gemeentecode)
                UNION SELECT 'deelname_wijk', k.actuele_gemeentecode, year(d.periode_start)
                FROM raw.deelname d JOIN kaart k USING (gemeentecode) WHERE d.wijkcode IS NOT NULL
                UNION SELECT 'vrijwilligers', k.actuele_gemeentecode, j.jaar
                FROM raw.vrijwilligers v JOIN kaart k USING (gemeentecode), range(2015, 2025) j(jaar)
                UNION SELECT 'mantelzorg', k.actuele_gemeentecode, j.jaar
                FROM raw.mantelzorg m JOIN kaart k USING (gemeentecode), range(2015, 2025) j(jaar)
            )
            SELECT i.code, b.gemeentecode, b.jaar
            FROM referentie.indicatoren i
            JOIN bron_jaren b ON b.bron = CASE
                WHEN i.code IN ('i_wijken_met_activiteit', 'i_gini_deelname_wijken') THEN 'deelname_wijk'
                ELSE i.bron END
            WHERE i.code <> 'i_unieke_deelnemers_per_1000'
              AND NOT (i.code = 'g_vrijwilligers_behoud' AND b.jaar < 2016)
              AND NOT (i.code = 'i_continuiteit_activiteiten' AND b.jaar < 2017)
              -- een telling per inwoner vervalt als een deel van het gebied niet leverde en zijn inwoners
              -- onbekend zijn (docs/methoden.md, "Dekking")
              AND NOT (i.eenheid LIKE 'per %' AND EXISTS (
                  SELECT 1 FROM intermediate.int_dekking d
                  WHERE d.bron = i.bron AND d.gemeentecode = b.gemeentecode AND d.jaar = b.jaar
                    AND d.dekking IS NULL))
            """
        ).fetchall()
        aanwezig = set(
            con.execute("SELECT indicator_code, gemeentecode, jaar FROM marts.fct_indicator_jaar").fetchall()
        )
        catalogus = {r[0] for r in con.execute("SELECT code FROM referentie.indicatoren").fetchall()}
        per_indicator = dict(
            con.execute(
                "SELECT indicator_code, count(DISTINCT gemeentecode) FROM marts.fct_indicator_jaar "
                "WHERE NOT onderdrukt GROUP BY 1"
            ).fetchall()
        )
    finally:
        con.close()
    assert len(catalogus) >= 18
    ontbrekend = sorted(set(verwacht) - aanwezig)
    assert not ontbrekend, ontbrekend[:10]
    assert {code for code, _, _ in verwacht} == catalogus - {"i_unieke_deelnemers_per_1000"}
    # elke indicator heeft gepubliceerde (niet onderdrukte) waarden voor (bijna) alle gemeenten
    assert set(per_indicator) == catalogus
    assert all(n >= 10 for n in per_indicator.values()), per_indicator
