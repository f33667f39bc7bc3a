"""Kwaliteitsregels uit één bestand: ernst per regel, Great Expectations aan de deur en op de marts, uitkomsten
in kwaliteit.regels, kwaliteit.validaties en kwaliteit.afwijkingen (persoonsnummers gemaskeerd)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml

from bronnen.kwaliteit import (
    GEMASKEERD,
    REGELBESTAND,
    RegelbestandFout,
    load_rules,
    validate_marts,
)
from bronnen.levering import process_inbox
from bronnen.referentie import GemeenteRegister
from bronnen.warehouse import connect

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
SLEUTEL = b"test-sleutel-die-lang-genoeg-is-0123456789"
KOP = "gemeentecode;wijkcode;activiteit_id;activiteit;aanbieder;periode_start;periode_eind;aantal_deelnames\n"
VRIJWILLIGERS = "vrijwilliger_id;gemeentecode;organisatie;soort_inzet;startdatum\n"


def _rules_file(tmp_path: Path, wijzig) -> Path:
    inhoud = yaml.safe_load(REGELBESTAND.read_text(encoding="utf-8"))
    wijzig(inhoud)
    pad = tmp_path / "regels.yml"
    pad.write_text(yaml.safe_dump(inhoud, allow_unicode=True), encoding="utf-8")
    return pad


@pytest.fixture()
def deur(tmp_path: Path):
    con = connect(tmp_path / "warehouse.duckdb")
    register = GemeenteRegister.from_csv(SEEDS / "ref_gemeenten_per_jaar.csv")

    def lever(bron: str, naam: str, inhoud: str, regels: Path | None = None):
        pad = tmp_path / "inbox" / bron / naam
        pad.parent.mkdir(parents=True, exist_ok=True)
        pad.write_text(inhoud, encoding="utf-8")
        [r] = process_inbox(
            con,
            bron,
            pad.parent,
            tmp_path / "archief",
            tmp_path / "quarantaine",
            SLEUTEL,
            register,
            regelset=load_rules(regels),
            run_id="run-1",
        )
        return r

    yield con, lever
    con.close()


def _validatie(con, levering_id: str, regel_id: str) -> tuple:
    return con.execute(
        "SELECT ernst, geslaagd, getoetst, afwijkend, laag, run_id FROM kwaliteit.validaties "
        "WHERE object = ? AND regel_id = ?",
        [levering_id, regel_id],
    ).fetchone()


def test_het_regelbestand_is_geldig_en_elke_id_uniek():
    regels = load_rules()
    ids = [r.regel_id for b in ("deelname", "vrijwilligers", "enquete") for r in regels.door_rules(b)]
    ids += [r.regel_id for r in regels.marts]
    assert len(ids) == len(set(ids))
    assert {r.ernst for r in regels.marts} == {"fout", "waarschuwing"}
    assert {r.ernst for r in regels.extra_voordeur} == {"waarschuwing"}


@pytest.mark.parametrize(
    ("wijzig", "melding"),
    [
        (lambda d: d["marts"].append(dict(d["marts"][0])), "komt meer dan eens voor"),
        (lambda d: d["marts"][0].update(ernst="ernstig"), "toegestaan: fout, waarschuwing"),
        (
            lambda d: d["marts"][0].update(expectation="ExpectNiets"),
            "onbekende Great Expectations-expectation",
        ),
        (lambda d: d["marts"][0].update(tabel="fct_indicator_jaar"), "schema.tabel"),
        (
            lambda d: d["voordeur"]["ernst"].update({"deelname.bestaat.niet": "fout"}),
            "onbekende contractregel",
        ),
        (
            lambda d: d["voordeur"]["regels"][0]["argumenten"].update(column="aantal_bezoekers"),
            "niet in het contract van deelname",
        ),
        (lambda d: d["marts"][0].pop("toelichting"), "mist toelichting"),
    ],
)
def test_ongeldig_regelbestand_geeft_een_duidelijke_fout(tmp_path, wijzig, melding):
    with pytest.raises(RegelbestandFout, match=melding):
        load_rules(_rules_file(tmp_path, wijzig))


def test_waarschuwing_aan_de_deur_laat_de_levering_door_en_wordt_vastgelegd(deur):
    con, lever = deur
    r = lever("deelname", "d.csv", KOP + "GM0363;;A1;Festival;Welzijn;01-06-2023;30-06-2023;25000\n")
    assert r.status == "geaccepteerd"
    assert _validatie(con, r.levering_id, "deelname.aantal_deelnames.aannemelijk") == (
        "waarschuwing",
        False,
        1,
        1,
        "voordeur",
        "run-1",
    )
    assert _validatie(con, r.levering_id, "deelname.aantal_deelnames.bereik")[:2] == ("fout", True)
    assert con.execute(
        "SELECT rij, kolom, waarde FROM kwaliteit.afwijkingen WHERE object = ?", [r.levering_id]
    ).fetchall() == [(2, "aantal_deelnames", "25000")]


def test_fout_aan_de_deur_houdt_de_levering_tegen_en_wordt_vastgelegd(deur):
    con, lever = deur
    r = lever("vrijwilligers", "v.csv", VRIJWILLIGERS + "VC-1;GM0363;Buurthuis;af en toe;01-01-2023\n")
    assert r.status == "afgewezen"
    assert _validatie(con, r.levering_id, "vrijwilligers.soort_inzet.toegestaan")[:4] == ("fout", False, 1, 1)
    # alle regels zijn vastgelegd, ook de geslaagde
    assert _validatie(con, r.levering_id, "vrijwilligers.gemeentecode.verplicht")[:2] == ("fout", True)
    regel = con.execute(
        "SELECT laag, object, kolom, ernst FROM kwaliteit.regels WHERE regel_id = 'vrijwilligers.soort_inzet.toegestaan'"
    ).fetchone()
    assert regel == ("voordeur", "vrijwilligers", "soort_inzet", "fout")


def test_ernst_uit_het_regelbestand_maakt_van_een_fout_een_waarschuwing(deur, tmp_path):
    con, lever = deur
    regels = _rules_file(
        tmp_path,
        lambda d: d["voordeur"].update(ernst={"vrijwilligers.soort_inzet.toegestaan": "waarschuwing"}),
    )
    r = lever(
        "vrijwilligers", "v.csv", VRIJWILLIGERS + "VC-1;GM0363;Buurthuis;af en toe;01-01-2023\n", regels
    )
    assert r.status == "geaccepteerd"
    assert _validatie(con, r.levering_id, "vrijwilligers.soort_inzet.toegestaan")[:2] == (
        "waarschuwing",
        False,
    )
    assert con.execute(
        "SELECT ernst FROM kwaliteit.regels WHERE regel_id = 'vrijwilligers.soort_inzet.toegestaan'"
    ).fetchone() == ("waarschuwing",)


def test_persoonsnummers_worden_in_de_afwijkingen_gemaskeerd(deur):
    con, lever = deur
    r = lever(
        "vrijwilligers",
        "v.csv",
        VRIJWILLIGERS + "VC-0001-123456;GM0363;Buurthuis;structureel;01-01-2023\n"
        "VC-0001-123456;GM0363;Buurthuis;incidenteel;01-01-2023\n",
    )
    assert r.status == "afgewezen"
    waarden = con.execute(
        "SELECT kolom, waarde FROM kwaliteit.afwijkingen WHERE regel_id = 'vrijwilligers.vrijwilliger_id.dubbele_sleutel'"
    ).fetchall()
    assert waarden and all(w == GEMASKEERD for _, w in waarden)
    alles = con.execute("SELECT string_agg(coalesce(waarde, ''), '|') FROM kwaliteit.afwijkingen").fetchone()[
        0
    ]
    assert "123456" not in alles


def test_marts_worden_getoetst_met_fout_en_waarschuwing(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("CREATE SCHEMA marts")
    con.execute(
        "CREATE TABLE marts.fct_indicator_jaar AS SELECT * FROM (VALUES "
        "('GM0001', 2022, 'p_x', 10.0, 8.0, 12.0, false, ['L1']), "
        "('GM0001', 2022, 'p_x', 10.0, 11.0, 12.0, false, ['L1']), "  # dubbele sleutel en ondergrens te hoog
        "('GM0002', 2022, 'p_x', NULL, NULL, NULL, true, ['L2']), "
        "('GM0003', 2022, 'p_x', NULL, NULL, NULL, true, ['L3'])) "
        "AS t(gemeentecode, jaar, indicator_code, waarde, ci_onder, ci_boven, onderdrukt, bron_leveringen)"
    )
    regels = load_rules(
        _rules_file(
            tmp_path,
            lambda d: d.update(marts=[m for m in d["marts"] if "fct_indicator_jaar." in m["regel_id"]]),
        )
    )
    [toetsing] = validate_marts(con, regels, "run-2", data_docs=tmp_path / "data_docs")
    assert toetsing.tabel == "marts.fct_indicator_jaar"
    assert {u.regel.regel_id for u in toetsing.fouten} == {
        "marts.fct_indicator_jaar.sleutel_uniek",
        "marts.fct_indicator_jaar.ondergrens_onder_waarde",
    }
    assert [u.regel.regel_id for u in toetsing.waarschuwingen] == [
        "marts.fct_indicator_jaar.weinig_onderdrukt"
    ]
    vastgelegd = con.execute(
        "SELECT regel_id, ernst, geslaagd, afwijkend FROM kwaliteit.validaties WHERE run_id = 'run-2' AND NOT geslaagd "
        "ORDER BY regel_id"
    ).fetchall()
    assert vastgelegd == [
        ("marts.fct_indicator_jaar.ondergrens_onder_waarde", "fout", False, 1),
        ("marts.fct_indicator_jaar.sleutel_uniek", "fout", False, 2),
        ("marts.fct_indicator_jaar.weinig_onderdrukt", "waarschuwing", False, 2),
    ]
    assert con.execute(
        "SELECT rij FROM kwaliteit.afwijkingen WHERE regel_id = 'marts.fct_indicator_jaar.ondergrens_onder_waarde'"
    ).fetchall() == [(2,)]

    con.close()
    # Great Expectations Data Docs van dezelfde toetsing: een index, de suite en de validatie van de mart
    index = tmp_path / "data_docs" / "index.html"
    assert index.exists()
    html = index.read_text(encoding="utf-8")
    assert "basismonitor.marts.fct_indicator_jaar" in html
    validaties = list((tmp_path / "data_docs" / "validations").rglob("*.html"))
    assert len(validaties) == 1
    pagina = validaties[0].read_text(encoding="utf-8")
    assert "Eén cijfer per gemeente, jaar en indicator." in pagina  # de toelichting van de regel
    assert "2 unexpected values found" in " ".join(re.sub(r"<[^>]+>", " ", pagina).split())
