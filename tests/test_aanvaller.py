"""Een aanvaller op de publicatie: geen onderdrukte cel is terug te rekenen (docs/methoden.md, "Onthullingscontrole").

De aanvaller (tests/aanvaller.py) leest alleen `publicatie.duckdb` en probeert elke route: overlappende vensters
en gepoolde perioden verschillen (n en waarde), een waarde op de rand van het bereik, gemeente tegen haar wijken,
een referentie tegen haar leden, en teller, noemer en n samen. Elke bewering wordt tegen het warehouse vóór
onderdrukking gehouden; alleen een kloppende bewering telt als terugrekening.

Drie publicaties:
* de voorbeeldpublicatie van de gedeelde keten;
* een publicatie vol kleine cellen: dezelfde keten, maar de ruwe leveringen in een kopie van het warehouse zijn per
  gemeente uitgedund (enquêtes tot een paar tientallen respondenten, registers tot een handvol personen, een paar
  activiteiten), zodat er veel onderdrukte cellen van elke soort zijn en dbt alles opnieuw berekent;
* een kleine, met de hand gemaakte publicatie met precies de lekken van vroeger: daar moet de aanvaller ze vinden
  (anders bewijst een nul niets).
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from orchestratie.dbt import run_dbt
from rapportages.publicatie import publish
from tests.aanvaller import Aanvaller, terugrekeningen, waarheid


def _aanval(publicatie: Path, warehouse: Path):
    a = Aanvaller(publicatie)
    beweringen = a.aanval()
    return a, beweringen, terugrekeningen(beweringen, *waarheid(warehouse))


def test_voorbeeldpublicatie_geeft_geen_onderdrukte_cel_prijs(keten):
    inst = keten[0]
    a, beweringen, terug = _aanval(inst.publicatie, inst.warehouse)
    assert len(a.onderdrukt) >= 20, "de voorbeelddata horen onderdrukte jaarcellen te hebben"
    assert terug == {}, f"{len(terug)} onderdrukte cellen terug te rekenen: {sorted(terug.items())[:5]}"
    assert a.referentielekken == []


# ---------------------------------------------------------------------------------- publicatie vol kleine cellen

# Per gemeente (hash van de code, Amsterdam apart) hoeveel er overblijft: enquête in promille van de respondenten,
# registers en activiteiten als verwacht aantal personen of activiteiten per gemeente.
UITDUNNEN = """
CREATE TEMP TABLE gemeente_klasse AS
SELECT DISTINCT gemeentecode,
       CASE WHEN gemeentecode = 'GM0363' THEN 4 ELSE cast(hash(gemeentecode) % 4 AS BIGINT) END AS klasse FROM (
    SELECT gemeentecode FROM raw.enquete UNION SELECT gemeentecode FROM raw.vrijwilligers
    UNION SELECT gemeentecode FROM raw.mantelzorg UNION SELECT gemeentecode FROM raw.deelname
);

-- Amsterdam houdt alle respondenten, maar 85% woont nu in drie wijken: die wijken worden gepubliceerd, de
-- overige (kleine) niet, en het verschil met de gemeente vraagt secundaire onderdrukking.
UPDATE raw.enquete AS e SET wijkcode = g.wijken[cast(1 + hash(e.respondent_pseudoniem) % 3 AS BIGINT)]
FROM (
    SELECT gemeentecode, jaar, list(wijkcode ORDER BY wijkcode)[1:3] AS wijken
    FROM (SELECT DISTINCT gemeentecode, jaar, wijkcode FROM raw.enquete WHERE wijkcode IS NOT NULL)
    GROUP BY ALL
) AS g
WHERE e.gemeentecode = 'GM0363' AND g.gemeentecode = e.gemeentecode AND g.jaar = e.jaar
  AND hash(e.levering_id, e.respondent_pseudoniem, 'wijk') % 100 < 85;

DELETE FROM raw.enquete AS e USING gemeente_klasse AS k
WHERE k.gemeentecode = e.gemeentecode
  AND hash(e.levering_id, e.respondent_pseudoniem) % 1000
      >= [60, 150, 290, 400, 1000][k.klasse + 1];

CREATE TEMP TABLE vrijwilligers_omvang AS
SELECT gemeentecode, count(DISTINCT vrijwilliger_pseudoniem) AS personen FROM raw.vrijwilligers GROUP BY 1;
DELETE FROM raw.vrijwilligers AS v USING gemeente_klasse AS k, vrijwilligers_omvang AS o
WHERE k.gemeentecode = v.gemeentecode AND o.gemeentecode = v.gemeentecode
  AND hash(v.gemeentecode, v.vrijwilliger_pseudoniem) % 1000000
      >= 1000000 * [8, 14, 22, 40, 90][k.klasse + 1] / o.personen;

CREATE TEMP TABLE mantelzorg_omvang AS
SELECT gemeentecode, count(DISTINCT mantelzorger_pseudoniem) AS personen FROM raw.mantelzorg GROUP BY 1;
DELETE FROM raw.mantelzorg AS m USING gemeente_klasse AS k, mantelzorg_omvang AS o
WHERE k.gemeentecode = m.gemeentecode AND o.gemeentecode = m.gemeentecode
  AND hash(m.gemeentecode, m.mantelzorger_pseudoniem) % 1000000
      >= 1000000 * [6, 12, 20, 35, 80][k.klasse + 1] / o.personen;

CREATE TEMP TABLE activiteiten_omvang AS
SELECT gemeentecode, count(DISTINCT activiteit_id) AS activiteiten FROM raw.deelname GROUP BY 1;
DELETE FROM raw.deelname AS d USING gemeente_klasse AS k, activiteiten_omvang AS o
WHERE k.gemeentecode = d.gemeentecode AND o.gemeentecode = d.gemeentecode
  AND hash(d.gemeentecode, d.activiteit_id) % 1000000
      >= 1000000 * [3, 5, 8, 12, 40][k.klasse + 1] / o.activiteiten;
"""


@pytest.fixture(scope="module")
def kleine_cellen(keten, tmp_path_factory):
    inst = keten[0]
    map_ = tmp_path_factory.mktemp("kleine_cellen")
    warehouse = map_ / "warehouse.duckdb"
    shutil.copy(inst.warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(UITDUNNEN)
    finally:
        con.close()
    run_dbt("seed", warehouse=warehouse, target_path=map_ / "target")
    run_dbt("run", "--full-refresh", warehouse=warehouse, target_path=map_ / "target")
    publicatie = map_ / "publicatie.duckdb"
    publish(warehouse, publicatie)
    return publicatie, warehouse


def test_publicatie_vol_kleine_cellen_geeft_geen_onderdrukte_cel_prijs(kleine_cellen):
    publicatie, warehouse = kleine_cellen
    a, beweringen, terug = _aanval(publicatie, warehouse)
    con = duckdb.connect(str(publicatie), read_only=True)
    try:
        per_soort = dict(
            con.execute(
                """
                SELECT CASE WHEN i.indicator_code = 'g_inzetduur_mediaan' THEN 'mediaan'
                            WHEN i.indicator_code = 'i_gini_deelname_wijken' THEN 'gini'
                            WHEN i.bron = 'enquete' AND i.eenheid = 'percentage' THEN 'enquête-aandeel'
                            WHEN i.bron = 'enquete' THEN 'schaalscore'
                            WHEN i.eenheid LIKE 'per %' THEN 'registertelling per inwoner'
                            ELSE 'registeraandeel' END AS soort,
                       count(*) FILTER (WHERE f.onderdrukt)
                FROM marts.fct_indicator_jaar AS f JOIN marts.dim_indicator AS i USING (indicator_code)
                GROUP BY 1
                """
            ).fetchall()
        )
        wijk_onderdrukt, wijk_gepubliceerd = con.execute(
            "SELECT count(*) FILTER (WHERE onderdrukt), count(*) FILTER (WHERE NOT onderdrukt) "
            "FROM marts.fct_indicator_wijk_jaar"
        ).fetchone()
        gepoold = con.execute(
            "SELECT count(*) FROM marts.fct_indicator_periode WHERE NOT onderdrukt AND jaren_onderdrukt >= 2"
        ).fetchone()[0]
    finally:
        con.close()
    # de publicatie is er een vol kleine cellen van elke soort
    for soort in (
        "enquête-aandeel",
        "schaalscore",
        "registertelling per inwoner",
        "registeraandeel",
        "mediaan",
    ):
        assert per_soort.get(soort, 0) >= 10, (soort, per_soort)
    assert per_soort.get("gini", 0) >= 1, per_soort
    assert wijk_onderdrukt >= 100 and wijk_gepubliceerd >= 5, (wijk_onderdrukt, wijk_gepubliceerd)
    # poolen blijft mogelijk: perioden van onderdrukte jaren zijn gepubliceerd
    assert gepoold >= 5
    # de aanvaller heeft iets om op te rekenen, maar rekent niets terug
    assert len(a.onderdrukt) >= 100
    assert terug == {}, f"{len(terug)} onderdrukte cellen terug te rekenen: {sorted(terug.items())[:5]}"
    assert a.referentielekken == []


# ---------------------------------------------------------------------------------- de aanvaller zelf


def _handgemaakt(pad: Path) -> None:
    """Een publicatie met de lekken van vroeger: overlappende vensters over onderdrukte jaren, een venster van
    100 %, één onderdrukte wijk naast gepubliceerde wijken, een gepoold registeraandeel met één verborgen jaar en
    een referentie die een onderdrukte gemeente meetelt."""
    con = duckdb.connect(str(pad))
    con.execute("CREATE SCHEMA marts")
    con.execute(
        "CREATE TABLE marts.dim_indicator (indicator_code VARCHAR, eenheid VARCHAR, schaal DOUBLE, "
        "intervalmethode VARCHAR, minimum_n INTEGER, bron VARCHAR)"
    )
    con.execute(
        "INSERT INTO marts.dim_indicator VALUES "
        "('reg', 'per 1.000 inwoners', 1000, 'poisson', 10, 'vrijwilligers'), "
        "('aandeel', 'percentage', 100, 'wilson', 10, 'deelname'), "
        "('enq', 'percentage', 100, 'wilson', 100, 'enquete'), "
        "('behoud', 'percentage', 100, 'wilson', 10, 'vrijwilligers')"
    )
    con.execute(
        "CREATE TABLE marts.fct_indicator_jaar (gemeentecode VARCHAR, indicator_code VARCHAR, jaar INTEGER, "
        "teller DOUBLE, noemer DOUBLE, n BIGINT, waarde DOUBLE, se DOUBLE, onderdrukt BOOLEAN)"
    )
    leeg = (None, None, None, None, None, True)
    rijen = [
        # reg: 2017-2019 onderdrukt; venster 2018 = {2017, 2018}, venster 2019 = {2017, 2018, 2019}: 2019 is het
        # verschil (n én, met het gemiddelde van de jaarwaarden, de waarde)
        ("GM1", "reg", 2017, *leeg),
        ("GM1", "reg", 2018, *leeg),
        ("GM1", "reg", 2019, *leeg),
        # aandeel: 2018 en 2019 onderdrukt (100 %), 2020 gepubliceerd
        ("GM2", "aandeel", 2018, *leeg),
        ("GM2", "aandeel", 2019, *leeg),
        ("GM2", "aandeel", 2020, 12.0, 12.0, 12, 100.0, 0.0, False),
        # enq: gemeente gepubliceerd, wijk W2 onderdrukt
        ("GM3", "enq", 2020, 60.0, 300.0, 300, 20.0, 2.0, False),
        # behoud: 2019 gepubliceerd (20 van 40), 2020 onderdrukt (6 van 8); gepoolde periode 2018-2020 met
        # binomiale se: de noemer volgt uit waarde en se, het verborgen jaar uit het verschil
        ("GM4", "behoud", 2019, 20.0, 40.0, 40, 50.0, 7.9, False),
        ("GM4", "behoud", 2020, *leeg),
        # referentie: GM5 onderdrukt maar meegeteld
        ("GM5", "enq", 2020, *leeg),
        ("GM6", "enq", 2020, 50.0, 200.0, 200, 25.0, 3.0, False),
    ]
    con.executemany("INSERT INTO marts.fct_indicator_jaar VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rijen)
    con.execute(
        "CREATE TABLE marts.fct_indicator_meerjarig (gemeentecode VARCHAR, indicator_code VARCHAR, jaar INTEGER, "
        "n_3jaar BIGINT, waarde_3jaar DOUBLE, se_3jaar DOUBLE)"
    )
    con.executemany(
        "INSERT INTO marts.fct_indicator_meerjarig VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("GM1", "reg", 2018, 7, 3.5, 1.3),
            ("GM1", "reg", 2019, 12, 4.0, 1.2),
            ("GM2", "aandeel", 2019, 8, 100.0, 0.0),
        ],
    )
    con.execute(
        "CREATE TABLE marts.fct_indicator_periode (gemeentecode VARCHAR, indicator_code VARCHAR, "
        "periode_van INTEGER, periode_tot INTEGER, n BIGINT, waarde DOUBLE, se DOUBLE)"
    )
    # behoud 2019-2020 gepoold: 26 van 48, se = wortel(p(1-p)/48)
    p = 26 / 48
    con.execute(
        "INSERT INTO marts.fct_indicator_periode VALUES ('GM4', 'behoud', 2018, 2020, 48, ?, ?)",
        [100 * p, 100 * (p * (1 - p) / 48) ** 0.5],
    )
    con.execute(
        "CREATE TABLE marts.fct_indicator_wijk_jaar (wijkcode VARCHAR, gemeentecode VARCHAR, indicator_code VARCHAR, "
        "jaar INTEGER, teller DOUBLE, noemer DOUBLE, n BIGINT, waarde DOUBLE, onderdrukt BOOLEAN)"
    )
    con.executemany(
        "INSERT INTO marts.fct_indicator_wijk_jaar VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("W1", "GM3", "enq", 2020, 40.0, 220.0, 220, 40 / 220 * 100, False),
            ("W2", "GM3", "enq", 2020, None, None, None, None, True),
        ],
    )
    con.execute(
        "CREATE TABLE marts.fct_vergelijking (gemeentecode VARCHAR, jaar INTEGER, indicator_code VARCHAR, "
        "referentie VARCHAR, vergelijkingsgroep VARCHAR, waarde DOUBLE, referentie_waarde DOUBLE, "
        "referentie_gemeenten INTEGER)"
    )
    con.execute(
        "INSERT INTO marts.fct_vergelijking VALUES ('GM6', 2020, 'enq', 'landelijk', NULL, 25.0, 22.0, 2)"
    )
    con.close()


def test_aanvaller_vindt_de_lekken_van_vroeger(tmp_path):
    pad = tmp_path / "publicatie.duckdb"
    _handgemaakt(pad)
    waarheid_gemeente = {
        ("GM1", "reg", 2017): (3, 3.0),
        ("GM1", "reg", 2018): (4, 4.0),
        ("GM1", "reg", 2019): (5, 5.0),
        ("GM2", "aandeel", 2018): (5, 100.0),
        ("GM2", "aandeel", 2019): (3, 100.0),
        ("GM4", "behoud", 2020): (8, 75.0),
    }
    waarheid_wijk = {("W2", "enq", 2020): (80, 25.0)}
    a = Aanvaller(pad)
    terug = terugrekeningen(a.aanval(), waarheid_gemeente, waarheid_wijk)
    routes = Counter(r.split(":")[0] for rs in terug.values() for r in rs)
    assert set(terug) == {
        ("gemeente", "GM1", "reg", 2019),
        ("gemeente", "GM2", "aandeel", 2018),
        ("gemeente", "GM2", "aandeel", 2019),
        ("gemeente", "GM4", "behoud", 2020),
        ("wijk", "W2", "enq", 2020),
    }
    assert terug[("gemeente", "GM1", "reg", 2019)] == {"vensters:n", "vensters:waarde"}
    assert terug[("gemeente", "GM4", "behoud", 2020)] == {"vensters:n", "teller-noemer:waarde"}
    assert terug[("wijk", "W2", "enq", 2020)] == {"wijken:n", "wijken:waarde"}
    assert {"vensters", "grens", "wijken", "teller-noemer"} == set(routes)
    assert a.referentielekken == [(2020, "enq", "landelijk", None, "meer leden dan gepubliceerde cellen")]
