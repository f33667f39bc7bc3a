"""Verhalen van inwoners van de deur tot in het gemeenterapport: elk verhaal één keer, in gewoon Nederlands.

Een klein warehouse met echte onderdelen: leveringen door de voordeur (met Deduce), een levering zoals een oudere
voordeur haar opsloeg (met de ruwe labels van Deduce in raw), dan dbt (`+fct_verhalen`, met de datatests), en
het gemeenterapport (HTML en PDF) met de verhalen uit die mart. Vroeger stond hier hetzelfde verhaal tot vier
keer in één rapport (twee keer in een bestand, een correctie die de eerste levering niet vervangt, dezelfde
tekst uit een samengevoegde voorganger), stond een verhaal van een gesplitste gemeente bij elke opvolger, en
stonden er labels als [EMAILADRES-1] in de tekst.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pypdf
import pytest

from bronnen.deidentificatie import _deduce, make_readable
from bronnen.levering import process_inbox
from bronnen.referentie import GemeenteRegister
from bronnen.warehouse import connect
from orchestratie.dbt import run_dbt

HIER = Path(__file__).resolve().parent
SEEDS = HIER.parent / "dbt_project" / "seeds"
SLEUTEL = b"verhalen-test-sleutel-0123456789abcdef"
KOP = "gemeentecode;wijkcode;jaar;sfeer;titel;tekst;toestemming\n"
RUW_LABEL = re.compile(r"\[[A-Z][A-Z_+]*(-[0-9]+)?\]")

MANTELZORG = "Sinds mijn moeder dementie heeft, zorg ik dag en nacht. Mail gerust naar ans.jansen@example.nl."
BUURT = "Met een paar buren begonnen we met opruimen op zaterdag."
OUD = "Mijn buurvrouw Fatima El Amrani nam me mee naar de koffie-inloop. Bel haar op 06-12345678."
HELVOIRT = "De dorpsondersteuner kwam gewoon langs."
HAAREN = "Het dorpshuis bleef open dankzij vrijwilligers."

# (bestandsnaam, inhoud), in deze volgorde geleverd; geen levering vervangt een andere (andere gemeenten of
# periode), zoals bij een aanvulling of een correctie voor één gemeente.
LEVERINGEN = [
    (
        "verhalen_2021_2022.csv",
        KOP
        + f"GM0363;;2022;persoonlijk;Even op adem;{MANTELZORG};ja\n"
        + f"GM0363;;2022;persoonlijk;Even op adem;{MANTELZORG};ja\n"  # twee keer in hetzelfde bestand
        # dezelfde tekst (andere witruimte) uit Weesp, sinds 2022 Amsterdam
        + f"GM0457;;2021;persoonlijk;;{MANTELZORG.replace(', ', ',  ')};ja\n"
        + f"GM0014;;2022;gemeenschappelijk;Samen de buurt schoon;{BUURT};ja\n",
    ),
    # een correctie van de titel, alleen voor Amsterdam: een andere leveringssleutel, dus geen vervanging
    ("verhalen_2022_amsterdam.csv", KOP + f"GM0363;;2022;persoonlijk;Even op adem komen;{MANTELZORG};ja\n"),
    # Haaren (GM0788) is in 2021 gesplitst over Oisterwijk, Vught, Boxtel en Tilburg
    (
        "verhalen_haaren_2020.csv",
        KOP
        + f"GM0788;WK086503;2020;institutioneel;;{HELVOIRT};ja\n"  # wijk Helvoirt ligt nu in Vught
        + f"GM0788;;2020;institutioneel;Het dorpshuis;{HAAREN};ja\n",
    ),
    # geladen door een oudere voordeur: in raw staan de ruwe labels van Deduce (zie `warehouse`)
    ("verhalen_2019_groningen.csv", KOP + f"GM0014;;2019;persoonlijk;Niet meer alleen;{OUD};ja\n"),
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("verhalen")
    pad = tmp / "warehouse.duckdb"
    register = GemeenteRegister.from_csv(SEEDS / "ref_gemeenten_per_jaar.csv")
    con = connect(pad)
    try:
        for naam, inhoud in LEVERINGEN:
            (tmp / "inbox" / "verhalen").mkdir(parents=True, exist_ok=True)
            (tmp / "inbox" / "verhalen" / naam).write_text(inhoud, encoding="utf-8")
            [r] = process_inbox(
                con,
                "verhalen",
                tmp / "inbox" / "verhalen",
                tmp / "archief",
                tmp / "quarantaine",
                SLEUTEL,
                register,
            )
            assert r.status == "geaccepteerd" and r.vervangt is None, r
        # Zoals een oudere voordeur deze levering opsloeg: met de ruwe uitvoer van Deduce.
        oud_titel, oud_tekst = (_deduce().deidentify(t).deidentified_text for t in ("Niet meer alleen", OUD))
        con.execute(
            "UPDATE raw.verhalen SET titel = ?, tekst = ? WHERE levering_id = ?",
            [oud_titel, oud_tekst, r.levering_id],
        )
        raw = con.execute("SELECT levering_id, tekst FROM raw.verhalen ORDER BY levering_id, rij").fetchall()
    finally:
        con.close()
    doel = tmp / "target"
    run_dbt(
        "build",
        "--select",
        "+fct_verhalen",
        "--indirect-selection",
        "cautious",
        "--exclude",
        "test_type:unit",
        warehouse=pad,
        target_path=doel,
    )
    resultaten = json.loads((doel / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {"pad": pad, "tmp": tmp, "raw": raw, "oud": oud_tekst, "resultaten": resultaten}


def _verhalen(pad: Path) -> list[tuple]:
    con = duckdb.connect(str(pad), read_only=True)
    try:
        return con.execute(
            "SELECT gemeentecode, wijkcode, jaar, sfeer, titel, tekst FROM marts.fct_verhalen ORDER BY gemeentecode, jaar"
        ).fetchall()
    finally:
        con.close()


def test_de_deur_slaat_nieuwe_verhalen_leesbaar_op(warehouse):
    nieuw = [t for lev, t in warehouse["raw"] if MANTELZORG.split(",")[0] in t]
    assert len(nieuw) == 4
    for tekst in nieuw:
        assert "Mail gerust naar [e-mailadres verwijderd]." in tekst and "example.nl" not in tekst
        assert not RUW_LABEL.search(tekst)
    assert RUW_LABEL.search(warehouse["oud"]), "de nagebootste oude levering heeft ruwe labels in raw"


def test_elk_verhaal_staat_een_keer_bij_een_gemeente(warehouse):
    mantelzorg = MANTELZORG.replace("ans.jansen@example.nl", "[e-mailadres verwijderd]")
    assert _verhalen(warehouse["pad"]) == [
        # Groningen: twee verschillende verhalen; het oude in gewoon Nederlands
        (
            "GM0014",
            None,
            2019,
            "persoonlijk",
            "Niet meer alleen",
            "Mijn buurvrouw [naam verwijderd] nam me mee naar de koffie-inloop. Bel haar op [telefoonnummer verwijderd].",
        ),
        ("GM0014", None, 2022, "gemeenschappelijk", "Samen de buurt schoon", BUURT),
        # Amsterdam: vier keer geleverd (ook uit Weesp), één keer gepubliceerd, zoals in de nieuwste levering
        ("GM0363", None, 2022, "persoonlijk", "Even op adem komen", mantelzorg),
        # Haaren: zonder wijk naar de opvolger met het grootste aandeel (Oisterwijk), met wijk naar Vught
        ("GM0824", None, 2020, "institutioneel", "Het dorpshuis", HAAREN),
        ("GM0865", "WK086503", 2020, "institutioneel", None, HELVOIRT),
    ]


def test_staging_vertaalt_oude_labels_zoals_de_deur(warehouse):
    """De deur (Python) en het stagingmodel (SQL) geven voor dezelfde ruwe tekst dezelfde leesbare tekst."""
    teksten = [
        warehouse["oud"],
        "[PATIENT] en [PERSOON-2] op [DATUM-1] ([LEEFTIJD-1]), [LOCATIE-1], [ZIEKENHUIS-1], [ZORGINSTELLING-1], "
        "[INSTELLING-1], [BSN-1], [ID-1], [TELEFOONNUMMER-1], [EMAILADRES-1], [URL-1]",
        "Onbekend [NIEUWLABEL-1], [STRAAT+HUISNUMMERLETTER-2]; geen label [SIC] [Sic-1] [PERSOON-].",
        "Al leesbaar: [naam verwijderd].",
    ]
    pad = warehouse["tmp"] / "vergelijk.duckdb"
    shutil.copy(warehouse["pad"], pad)
    con = duckdb.connect(str(pad))
    try:
        con.execute("DELETE FROM raw.verhalen")
        lev = warehouse["raw"][0][0]
        for i, t in enumerate(teksten):
            con.execute(
                "INSERT INTO raw.verhalen (levering_id, rij, gemeentecode, jaar, sfeer, titel, tekst, toestemming) "
                "VALUES (?, ?, 'GM0363', 2022, 'persoonlijk', ?, ?, 'ja')",
                [lev, i + 2, t, t],
            )
        uit = con.execute("SELECT titel, tekst FROM staging.stg_verhalen__verhalen ORDER BY rij").fetchall()
    finally:
        con.close()
    assert uit == [(make_readable(t), make_readable(t)) for t in teksten]
    assert "[gegevens verwijderd]" not in uit[1][1] and not RUW_LABEL.search(uit[1][1])
    assert (
        uit[2][1]
        == "Onbekend [gegevens verwijderd], [gegevens verwijderd]; geen label [SIC] [Sic-1] [PERSOON-]."
    )


def test_datatests_van_de_verhalen_slagen(warehouse):
    resultaten = {r["unique_id"].split(".")[2]: r["status"] for r in warehouse["resultaten"]}
    for test in ("fct_verhalen_een_keer", "fct_verhalen_leesbare_labels"):
        assert resultaten[test] == "pass", test
    assert any(t.startswith("unique_fct_verhalen_verhaal_id") and s == "pass" for t, s in resultaten.items())
    assert all(s in ("pass", "success") for s in resultaten.values()), resultaten


def test_datatests_vangen_een_dubbel_verhaal_en_een_ruw_label(warehouse):
    pad = warehouse["tmp"] / "kapot.duckdb"
    shutil.copy(warehouse["pad"], pad)
    con = duckdb.connect(str(pad))
    try:
        # hetzelfde verhaal nog eens (andere sleutel, hoofdletters en jaar) en een verhaal met een ruw label
        con.execute(
            "INSERT INTO marts.fct_verhalen SELECT 'x', gemeentecode, wijkcode, jaar + 1, sfeer, titel, upper(tekst) "
            "FROM marts.fct_verhalen WHERE gemeentecode = 'GM0363'"
        )
        con.execute(
            "INSERT INTO marts.fct_verhalen VALUES "
            "('y', 'GM0014', NULL, 2023, 'persoonlijk', NULL, 'Bel [TELEFOONNUMMER-1].')"
        )
    finally:
        con.close()
    doel = warehouse["tmp"] / "target_kapot"
    with pytest.raises(subprocess.CalledProcessError):
        run_dbt("test", "--select", "fct_verhalen", warehouse=pad, target_path=doel)
    resultaten = json.loads((doel / "run_results.json").read_text(encoding="utf-8"))["results"]
    mislukt = {r["unique_id"].split(".")[2] for r in resultaten if r["status"] == "fail"}
    assert {"fct_verhalen_een_keer", "fct_verhalen_leesbare_labels"} <= mislukt


def _synthetische_publicatie(pad: Path) -> Path:
    spec = importlib.util.spec_from_file_location(
        "synthetische_publicatie", HIER / "rapportages" / "synthetische_publicatie.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.maak_publicatie(pad)


def test_gemeenterapport_toont_elk_verhaal_een_keer_in_gewoon_nederlands(warehouse, tmp_path):
    from rapportages.gemeenterapport import render_municipality_report
    from rapportages.pdf import render_municipality_pdf

    # de kleine publicatie van de rapporttests, met de verhalen uit de mart die dbt hierboven maakte
    publicatie = _synthetische_publicatie(tmp_path / "publicatie.duckdb")
    con = duckdb.connect(str(publicatie))
    try:
        con.execute(f"ATTACH '{warehouse['pad']}' AS wh (READ_ONLY)")
        con.execute("DELETE FROM marts.fct_verhalen")
        con.execute("INSERT INTO marts.fct_verhalen BY NAME SELECT * FROM wh.marts.fct_verhalen")
    finally:
        con.close()
    html = render_municipality_report(publicatie, "GM0363", tmp_path).read_text(encoding="utf-8")
    pdf = pypdf.PdfReader(render_municipality_pdf(publicatie, "GM0363", tmp_path))
    pdf_tekst = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    for inhoud in (html, pdf_tekst):
        assert inhoud.count("Sinds mijn moeder dementie heeft") == 1
        assert inhoud.count("Even op adem komen") == 1 and "Even op adem<" not in inhoud
        assert "Mail gerust naar [e-mailadres verwijderd]." in inhoud
        assert not RUW_LABEL.search(inhoud)
        assert HAAREN not in inhoud and BUURT not in inhoud  # verhalen van andere gemeenten niet
    assert html.count('<article class="verhaal">') == 1
