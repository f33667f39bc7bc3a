"""De voordeur met werkprocessen: lezen, toetsen en pseudonimiseren in een ander proces moet precies hetzelfde
warehouse, grootboek en quarantaine geven als alles in één proces, en een gestopt werkproces mag niets half
achterlaten."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import bronnen.levering as levering
from bronnen.levering import WerkprocesFout, mp_context, process_inbox, werkprocessen
from bronnen.referentie import GemeenteRegister
from bronnen.warehouse import connect

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
SLEUTEL = b"test-sleutel-die-lang-genoeg-is-0123456789"
KOP = "gemeentecode;wijkcode;activiteit_id;activiteit;aanbieder;periode_start;periode_eind;aantal_deelnames\n"
VRIJWILLIGERS = "vrijwilliger_id,gemeentecode,organisatie,soort_inzet,startdatum,einddatum,uren_per_maand\n"


class TellendePool(ProcessPoolExecutor):
    """Een pool van werkprocessen zoals `werkprocessen` die maakt, die telt hoeveel taken erheen gaan."""

    def __init__(self, aantal: int, **kwargs):
        super().__init__(aantal, mp_context=mp_context(), **kwargs)
        self.taken = 0

    def submit(self, *args, **kwargs):
        self.taken += 1
        return super().submit(*args, **kwargs)


def _rij(gemeente: str, activiteit: str, maand: int, aantal: int) -> str:
    return f"{gemeente};;{activiteit};Taalcafé;Welzijn;01-{maand:02d}-2023;28-{maand:02d}-2023;{aantal}\n"


def _lever_alles(inbox: Path) -> None:
    """Een inbox met goede, foute, onleesbare, dubbele en corrigerende leveringen door elkaar."""
    d = inbox / "deelname"
    d.mkdir(parents=True)
    for i in range(5):
        (d / f"a{i}.csv").write_text(
            KOP + "".join(_rij("0363", f"A{i}-{m}", m, 10 + m) for m in range(1, 3 + i))
        )
    (d / "b_fout.csv").write_text(KOP + _rij("0363", "B1", 1, 5) + _rij("0363", "B2", 2, -4))
    (d / "c_onleesbaar.csv").write_bytes(b"\x00\x01\x02 geen csv \xff\xfe")
    shutil.copy(d / "a1.csv", d / "d_kopie_van_a1.csv")
    shutil.copy(d / "b_fout.csv", d / "e_kopie_van_de_foute.csv")
    # correctie van a2: zelfde leverancier en periode
    (d / "f_correctie_a2.csv").write_text(
        KOP + "".join(_rij("0363", f"A2-{m}", m, 20 + m) for m in range(1, 5))
    )
    v = inbox / "vrijwilligers"
    v.mkdir(parents=True)
    for i, gemeente in enumerate(("0363", "0014", "0344")):  # elk een eigen leverancier: geen correcties
        (v / f"v{i}.csv").write_text(
            VRIJWILLIGERS
            + "".join(f"VC-{i}{n},{gemeente},Voedselbank,structureel,2022-03-01,,{n}\n" for n in range(4))
        )


def _verwerk(map_: Path, werkers) -> tuple[list, dict]:
    _lever_alles(map_ / "inbox")
    register = GemeenteRegister.from_csv(SEEDS / "ref_gemeenten_per_jaar.csv")
    con = connect(map_ / "warehouse.duckdb")
    try:
        resultaten = [
            (r.bestandsnaam, r.levering_id, r.status, r.rijen, r.reden, r.vervangt)
            for bron in ("deelname", "vrijwilligers")
            for r in process_inbox(
                con,
                bron,
                map_ / "inbox" / bron,
                map_ / "archief",
                map_ / "quarantaine",
                SLEUTEL,
                register,
                run_id="run",
                werkers=werkers,
            )
        ]
        toestand = {
            "grootboek": con.execute(
                "SELECT * EXCLUDE (ontvangen_op) FROM kwaliteit.leveringen ORDER BY levering_id"
            ).fetchall(),
            "deelname": con.execute("SELECT * FROM raw.deelname ORDER BY ALL").fetchall(),
            "vrijwilligers": con.execute("SELECT * FROM raw.vrijwilligers ORDER BY ALL").fetchall(),
            "validaties": con.execute(
                "SELECT * EXCLUDE (validatie_id, moment) FROM kwaliteit.validaties ORDER BY ALL"
            ).fetchall(),
            "afwijkingen": con.execute(
                "SELECT * EXCLUDE (validatie_id) FROM kwaliteit.afwijkingen ORDER BY ALL"
            ).fetchall(),
        }
    finally:
        con.close()
    toestand["bestanden"] = sorted(
        (str(p.relative_to(map_)), p.read_bytes())
        for p in map_.rglob("*")
        if p.is_file() and not p.name.startswith("warehouse.duckdb")
    )
    return resultaten, toestand


def test_werkprocessen_geven_hetzelfde_als_een_proces(tmp_path, monkeypatch):
    een_proces = _verwerk(tmp_path / "een", None)
    monkeypatch.setattr(levering, "TAAK_BYTES", 1)  # elke nieuwe levering een eigen taak: veel taken tegelijk
    with TellendePool(2) as pool:
        met_werkers = _verwerk(tmp_path / "werkers", pool)
    assert pool.taken == 8 + 3  # de nieuwe leveringen; kopieën worden op hun beurt in dit proces bekeken
    assert met_werkers == een_proces
    resultaten, toestand = met_werkers
    statussen = {naam: status for naam, _, status, *_ in resultaten}
    assert statussen == {
        **{f"a{i}.csv": "geaccepteerd" for i in range(5)},
        "b_fout.csv": "afgewezen",
        "c_onleesbaar.csv": "afgewezen",
        "d_kopie_van_a1.csv": "dubbel",
        "e_kopie_van_de_foute.csv": "afgewezen",  # de eerste met deze inhoud werd afgewezen: opnieuw getoetst
        "f_correctie_a2.csv": "geaccepteerd",
        **{f"v{i}.csv": "geaccepteerd" for i in range(3)},
    }
    vervangt = {naam: v for naam, _, _, _, _, v in resultaten if v}
    assert vervangt == {"f_correctie_a2.csv": next(lid for naam, lid, *_ in resultaten if naam == "a2.csv")}
    assert len(toestand["vrijwilligers"]) == 12
    # geen tijdelijke bestanden van de werkprocessen achtergebleven, de inbox is leeg
    assert not [n for n, _ in toestand["bestanden"] if ".voordeur-" in n or n.startswith("inbox")]
    assert any(n.endswith("b_fout.csv.rapport.md") for n, _ in toestand["bestanden"])


def test_een_taak_met_werkprocessen_draait_in_dit_proces(tmp_path):
    """Eén kleine levering (de incrementele verwerking): geen werkproces opstarten."""
    with TellendePool(2) as pool:
        _lever_alles(tmp_path / "inbox")
        register = GemeenteRegister.from_csv(SEEDS / "ref_gemeenten_per_jaar.csv")
        con = connect(tmp_path / "warehouse.duckdb")
        inbox = tmp_path / "inbox" / "vrijwilligers"
        r = process_inbox(
            con, "vrijwilligers", inbox, tmp_path / "a", tmp_path / "q", SLEUTEL, register, werkers=pool
        )
        con.close()
    assert [v.status for v in r] == ["geaccepteerd"] * 3
    assert pool.taken == 0


def test_gestopt_werkproces_laat_niets_half_achter(tmp_path, monkeypatch):
    """Stopt een werkproces (geheugengebrek, kill), dan volgt een Nederlandse fout. Wat nog niet geladen was
    staat niet in het warehouse en ligt nog in de inbox; de volgende verwerking laadt alles."""
    monkeypatch.setattr(levering, "TAAK_BYTES", 1)
    _lever_alles(tmp_path / "inbox")
    inbox = tmp_path / "inbox" / "deelname"
    voor = sorted(p.name for p in inbox.iterdir())
    register = GemeenteRegister.from_csv(SEEDS / "ref_gemeenten_per_jaar.csv")
    con = connect(tmp_path / "warehouse.duckdb")
    args = (con, "deelname", inbox, tmp_path / "archief", tmp_path / "quarantaine", SLEUTEL, register)
    # elk werkproces stopt meteen bij het opstarten, zoals bij een kill door de kernel
    with TellendePool(2, initializer=os._exit, initargs=(9,)) as kapot:
        with pytest.raises(
            WerkprocesFout, match="onverwacht gestopt.*bron 'deelname'.*liggen nog in de inbox"
        ):
            process_inbox(*args, werkers=kapot)
    assert sorted(p.name for p in inbox.iterdir()) == voor
    assert con.execute("SELECT count(*) FROM raw.deelname").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM kwaliteit.leveringen").fetchone()[0] == 0
    assert not list(tmp_path.glob(".voordeur-*"))
    with werkprocessen(2) as werkers:
        statussen = [r.status for r in process_inbox(*args, werkers=werkers)]
    assert statussen.count("geaccepteerd") == 6 and not list(inbox.iterdir())
    con.close()


def test_nul_werkprocessen_is_alles_in_dit_proces():
    with werkprocessen(0) as werkers:
        assert werkers is None
