"""Een bank van echte, kapotte leveringsbestanden: elk wordt in zijn geheel afgewezen met de verwachte regel,
rij en kolom in het Nederlandse quarantainerapport, en geen enkele raw-tabel verandert."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from bronnen.contracten import CONTRACTEN
from bronnen.levering import process_inbox
from bronnen.referentie import GemeenteRegister
from bronnen.warehouse import connect

BANK = Path(__file__).with_name("slechte_leveringen")
SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
SLEUTEL = b"slechte-leveringen-sleutel-0123456789abcdef"

GOED = {
    "deelname": "gemeentecode;activiteit_id;activiteit;aanbieder;periode_start;periode_eind;aantal_deelnames\n"
    "0363;A1;Taalcafé;Welzijn;01-01-2022;31-01-2022;120\n",
    "vrijwilligers": "vrijwilliger_id;gemeentecode;organisatie;soort_inzet;startdatum\nVC-9;0363;Zonnebloem;structureel;"
    "01-01-2020\n",
    "mantelzorg": "mantelzorger_id;gemeentecode;registratiedatum;ondersteuningsvorm\nMZ-9;0363;01-01-2020;waardering\n",
    "enquete": "respondent;gemnr;jr;kw;weging;zw06_0\n1;363;2022;1;1,0;2\n",
    "verhalen": "gemeentecode;jaar;sfeer;tekst;toestemming\n0363;2022;persoonlijk;Fijn buurthuis;ja\n",
    "bevolking": "gemeentecode;jaar;inwoners\nGM0363;2022;882633\n",
}


def _verwachtingen() -> list[dict[str, str]]:
    with (BANK / "verwachtingen.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter=";"))


def test_de_bank_is_groot_genoeg_en_compleet():
    verwacht = {v["bestand"] for v in _verwachtingen()}
    aanwezig = {str(p.relative_to(BANK)) for p in BANK.rglob("*") if p.is_file() and p.parent != BANK}
    assert verwacht == aanwezig
    assert len(verwacht) >= 25


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bank")
    con = connect(tmp / "warehouse.duckdb")
    register = GemeenteRegister.from_csv(SEEDS / "ref_gemeenten_per_jaar.csv")
    for bron, inhoud in GOED.items():
        (tmp / "inbox" / bron).mkdir(parents=True)
        (tmp / "inbox" / bron / "goed.csv").write_text(inhoud, encoding="utf-8")
        [r] = process_inbox(
            con, bron, tmp / "inbox" / bron, tmp / "archief", tmp / "quarantaine", SLEUTEL, register
        )
        assert r.status == "geaccepteerd", r.reden
    yield con, register, tmp
    con.close()


def _checksums(con) -> dict[str, tuple]:
    tabellen = [c.raw_tabel for c in CONTRACTEN.values()] + ["raw.enquete_waardelabels"]
    return {
        t: con.execute(f"SELECT count(*), coalesce(sum(hash(x)), 0) FROM {t} x").fetchone() for t in tabellen
    }


def _report_rows(tekst: str) -> list[dict[str, str]]:
    rows = []
    for regel in tekst.splitlines():
        if regel.startswith("| ") and not regel.startswith("| rij "):
            delen = [d.strip() for d in regel.strip("|").split(" | ")]
            assert len(delen) == 6, regel  # rij, kolom, waarde, regel, toelichting, hint
            rows.append({"rij": delen[0], "kolom": delen[1], "regel": delen[3], "toelichting": delen[4]})
    return rows


@pytest.mark.parametrize("verwachting", _verwachtingen(), ids=lambda v: v["bestand"])
def test_slechte_levering_gaat_in_quarantaine(warehouse, verwachting):
    con, register, tmp = warehouse
    bron = verwachting["bestand"].split("/")[0]
    inbox = tmp / "inbox" / bron
    shutil.copy(BANK / verwachting["bestand"], inbox / Path(verwachting["bestand"]).name)
    voor = _checksums(con)
    [r] = process_inbox(con, bron, inbox, tmp / "archief", tmp / "quarantaine", SLEUTEL, register)
    assert r.status == "afgewezen"
    assert _checksums(con) == voor
    assert (tmp / "quarantaine" / bron / f"{r.levering_id}__{Path(verwachting['bestand']).name}").exists()
    rapport = r.rapport.read_text(encoding="utf-8")
    assert Path(verwachting["bestand"]).name in rapport
    gevonden = _report_rows(rapport)
    passend = [
        g
        for g in gevonden
        # structurele bevindingen dragen de soort als regel, contractregels hun id <bron>.<kolom>.<soort>
        if g["regel"] in (verwachting["regel"], f"{bron}.{g['kolom']}.{verwachting['regel']}")
        and (not verwachting["kolom"] or g["kolom"] == verwachting["kolom"])
        and (not verwachting["rij"] or g["rij"] == verwachting["rij"])
    ]
    assert passend, f"verwacht {verwachting}, gevonden {gevonden}"
    # elke toelichting is een korte Nederlandse zin, geen doorgegeven object of tabel
    assert all(g["toelichting"] and "shape: (" not in g["toelichting"] for g in gevonden), gevonden
