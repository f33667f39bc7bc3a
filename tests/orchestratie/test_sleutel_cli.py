"""De sleutelcontrole op de opdrachtregel en in Dagster: één Nederlandse regel bij een andere sleutel, en
`basismonitor herpseudonimiseer`."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from bronnen.levering import process_inboxes
from bronnen.pseudoniem import key_fingerprint
from bronnen.referentie import GemeenteRegister
from bronnen.warehouse import connect
from orchestratie.assets import ingest
from orchestratie.cli import SLEUTEL_GEWEIGERD, main
from orchestratie.resources import BasismonitorResource

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
SLEUTEL_A = "cli-sleutel-a-die-lang-genoeg-is-0123456789"
SLEUTEL_B = "cli-sleutel-b-die-lang-genoeg-is-9876543210"
VRIJWILLIGERS = "vrijwilliger_id;gemeentecode;organisatie;soort_inzet;startdatum\n"


def _lever(home: Path, naam: str, gemeente: str) -> Path:
    pad = home / "inbox" / "vrijwilligers" / naam
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_text(VRIJWILLIGERS + f"VC-1;{gemeente};Voedselbank;structureel;01-03-2022\n", encoding="utf-8")
    return pad


@pytest.fixture()
def home(tmp_path: Path, monkeypatch) -> Path:
    """Een gegevensmap met een warehouse dat met sleutel A gepseudonimiseerd is; daarna staat sleutel B
    ingesteld en ligt er een nieuwe levering in de inbox."""
    _lever(tmp_path, "v1.csv", "0363")
    con = connect(tmp_path / "warehouse.duckdb")
    try:
        [r] = process_inboxes(
            con,
            {"vrijwilligers": tmp_path / "inbox" / "vrijwilligers"},
            tmp_path / "archief",
            tmp_path / "quarantaine",
            SLEUTEL_A.encode(),
            GemeenteRegister.from_csv(SEEDS / "ref_gemeenten_per_jaar.csv"),
        )["vrijwilligers"]
        assert r.status == "geaccepteerd"
    finally:
        con.close()
    _lever(tmp_path, "v2.csv", "0344")
    monkeypatch.setenv("BASISMONITOR_HOME", str(tmp_path))
    monkeypatch.setenv("BASISMONITOR_PSEUDONIEM_SLEUTEL", SLEUTEL_B)
    monkeypatch.setenv("BASISMONITOR_VOORDEUR_WERKPROCESSEN", "0")
    return tmp_path


def _grootboek(home: Path) -> list[tuple]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute("SELECT * FROM kwaliteit.leveringen ORDER BY levering_id").fetchall()
    finally:
        con.close()


def test_verwerk_met_een_andere_sleutel_geeft_een_regel_en_een_foutcode(home, capsys):
    grootboek = _grootboek(home)
    assert main(["verwerk"]) == SLEUTEL_GEWEIGERD != 0
    uit = capsys.readouterr()
    regels = [r for r in uit.err.splitlines() if r.strip()]
    assert len(regels) == 1, uit.err
    [regel] = regels
    assert regel.startswith("Dit warehouse is gepseudonimiseerd met een andere sleutel")
    assert (
        key_fingerprint(SLEUTEL_A.encode())[:8] in regel and key_fingerprint(SLEUTEL_B.encode())[:8] in regel
    )
    assert "`basismonitor herpseudonimiseer`" in regel and "Traceback" not in uit.err + uit.out
    assert (home / "inbox" / "vrijwilligers" / "v2.csv").exists()
    assert _grootboek(home) == grootboek
    # status zegt het ook
    assert main(["status"]) == 0
    assert "de ingestelde sleutel is een ANDERE" in capsys.readouterr().out


def test_de_ingest_in_dagster_faalt_met_dezelfde_nederlandse_regel(home):
    grootboek = _grootboek(home)
    result = dg.materialize(
        [ingest], resources={"basismonitor": BasismonitorResource(home=str(home))}, raise_on_error=False
    )
    assert not result.success
    [mislukt] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    melding = mislukt.step_failure_data.user_failure_data.description
    assert (
        melding.startswith("Dit warehouse is gepseudonimiseerd met een andere sleutel")
        and "\n" not in melding
    )
    assert (home / "inbox" / "vrijwilligers" / "v2.csv").exists()
    assert _grootboek(home) == grootboek


def test_herpseudonimiseer_daarna_past_de_sleutel(home, capsys):
    assert main(["herpseudonimiseer", "--zonder-verwerken"]) == 0
    uit = capsys.readouterr().out
    assert "Opnieuw gepseudonimiseerd" in uit and "vrijwilligers" in uit
    assert "reservekopie" in uit and "basismonitor verwerk --volledig" in uit
    assert len(list(home.glob("warehouse.voor-herpseudonimisering-*.duckdb"))) == 1
    assert main(["status"]) == 0
    assert "de ingestelde sleutel is deze sleutel" in capsys.readouterr().out
    assert main(["herpseudonimiseer", "--zonder-verwerken"]) == 0
    assert "al met deze sleutel gepseudonimiseerd" in capsys.readouterr().out


def test_geen_nieuwe_sleutel_naast_een_gepseudonimiseerd_warehouse(home, monkeypatch, capsys):
    monkeypatch.delenv("BASISMONITOR_PSEUDONIEM_SLEUTEL")
    assert main(["verwerk"]) == 2
    fout = capsys.readouterr().err
    assert "er is geen pseudonimiseringssleutel" in fout and "er wordt geen nieuwe gemaakt" in fout
    assert not (home / "pseudoniem.sleutel").exists()
    assert (home / "inbox" / "vrijwilligers" / "v2.csv").exists()
