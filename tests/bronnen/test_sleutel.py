"""De vingerafdruk van de pseudonimiseringssleutel: vastgelegd bij de eerste pseudonimisering, een andere sleutel
geweigerd vóór er iets geladen wordt, en bewust herpseudonimiseren uit het archief."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from bronnen.herpseudonimisering import HerpseudonimiseringFout, repseudonymise
from bronnen.levering import process_inboxes
from bronnen.pseudoniem import key_fingerprint, pseudonymise_value
from bronnen.referentie import GemeenteRegister
from bronnen.warehouse import (
    BESTAAND_WAREHOUSE,
    EERSTE_PSEUDONIMISERING,
    HERPSEUDONIMISERING,
    SleutelFout,
    connect,
)

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
SLEUTEL_A = b"sleutel-a-die-lang-genoeg-is-0123456789"
SLEUTEL_B = b"sleutel-b-die-lang-genoeg-is-9876543210"
PERSOONSKOLOM = {
    "vrijwilligers": ("vrijwilliger_id", "vrijwilliger_pseudoniem"),
    "mantelzorg": ("mantelzorger_id", "mantelzorger_pseudoniem"),
    "enquete": ("respondent", "respondent_pseudoniem"),
}
DEELNAME = (
    "gemeentecode;wijkcode;activiteit_id;activiteit;aanbieder;periode_start;periode_eind;aantal_deelnames\n"
)
VRIJWILLIGERS = "vrijwilliger_id;gemeentecode;organisatie;soort_inzet;startdatum;einddatum;uren_per_maand\n"
MANTELZORG = (
    "mantelzorger_id;gemeentecode;registratiedatum;ondersteuningsvorm;contactdatum;ervaren_belasting\n"
)
SLEUTELS = "SELECT vingerafdruk, in_gebruik_sinds, aanleiding FROM kwaliteit.sleutel ORDER BY volgnummer"
ENQUETE = "respondent;gemnr;jr;kw;weging;wijknr;zw06_0;zw06_3\n"


def _vrijwilligers(gemeente: str, ids: list[str]) -> str:
    return VRIJWILLIGERS + "".join(
        f"{i};{gemeente};Voedselbank;structureel;01-03-2022;;{n + 2}\n" for n, i in enumerate(ids)
    )


def _lever(inbox: Path, bron: str, naam: str, inhoud: str) -> Path:
    pad = inbox / bron / naam
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_text(inhoud, encoding="utf-8")
    return pad


def _eerste_leveringen(inbox: Path) -> None:
    """Van elke bron met persoonsnummers een levering (vrijwilligers ook een correctie, een dubbele en een
    afgewezen), en deelname (zonder persoonsnummers)."""
    _lever(inbox, "vrijwilligers", "v1_amsterdam.csv", _vrijwilligers("0363", ["VC-1", "VC-2", "VC-3"]))
    _lever(inbox, "vrijwilligers", "v2_utrecht.csv", _vrijwilligers("0344", ["VC-1", "VU-7"]))
    # zelfde leverancier: vervangt v1 (die blijft in raw, met status 'vervangen')
    _lever(inbox, "vrijwilligers", "v3_amsterdam_correctie.csv", _vrijwilligers("0363", ["VC-1", "VC-2"]))
    _lever(inbox, "vrijwilligers", "v4_kopie.csv", _vrijwilligers("0344", ["VC-1", "VU-7"]))
    _lever(inbox, "vrijwilligers", "v5_fout.csv", VRIJWILLIGERS + "VC-9;0363;X;af en toe;01-03-2022;;2\n")
    _lever(
        inbox,
        "mantelzorg",
        "m1.csv",
        MANTELZORG
        + "MZ-1;0014;01-02-2023;respijtzorg;03-02-2023;zwaar\n"
        + "MZ-1;0014;01-02-2023;cursus;10-03-2023;matig\n"
        + "MZ-2;0014;15-02-2023;informatie_advies;;\n",
    )
    _lever(inbox, "enquete", "e1.csv", ENQUETE + "1;363;2024;1;1,02;WK036300;1;3\n2;363;2024;1;0,98;;2;\n")
    _lever(inbox, "deelname", "d1.csv", DEELNAME + "0363;;A1;Taalcafé;Welzijn;01-01-2023;31-01-2023;120\n")


@pytest.fixture()
def thuis(tmp_path: Path):
    register = GemeenteRegister.from_csv(SEEDS / "ref_gemeenten_per_jaar.csv")

    def verwerk(sleutel: bytes, bronnen=("vrijwilligers", "mantelzorg", "enquete", "deelname")):
        con = connect(tmp_path / "warehouse.duckdb")
        try:
            return process_inboxes(
                con,
                {b: tmp_path / "inbox" / b for b in bronnen},
                tmp_path / "archief",
                tmp_path / "quarantaine",
                sleutel,
                register,
            )
        finally:
            con.close()

    return tmp_path, verwerk


def _lees(warehouse: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _toestand(warehouse: Path) -> dict[str, tuple]:
    """Aantal rijen en een controlegetal van elke tabel in het warehouse."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tabellen = con.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
        return {
            t: con.execute(f"SELECT count(*), coalesce(sum(hash(x)), 0) FROM {t} AS x").fetchone()
            for (t,) in tabellen
        }
    finally:
        con.close()


def _bestanden(map_: Path) -> list[str]:
    return sorted(str(p.relative_to(map_)) for p in map_.rglob("*") if p.is_file())


def _verwacht_pseudoniemen(thuis_: Path, sleutel: bytes) -> dict[tuple[str, str, int], int]:
    """(bron, levering_id, rij) -> pseudoniem, berekend uit de persoonsnummers in de gearchiveerde bestanden."""
    leveringen = _lees(
        thuis_ / "warehouse.duckdb",
        "SELECT bron, levering_id, bestandsnaam FROM kwaliteit.leveringen "
        "WHERE status IN ('geaccepteerd', 'vervangen') AND bron IN ('vrijwilligers', 'mantelzorg', 'enquete')",
    )
    uit = {}
    for bron, lid, naam in leveringen:
        pad = thuis_ / "archief" / bron / f"{lid}__{naam}"
        with pad.open(encoding="utf-8") as f:
            for rij, r in enumerate(csv.DictReader(f, delimiter=";"), start=2):  # rij 1 is de kopregel
                uit[(bron, lid, rij)] = pseudonymise_value(sleutel, r[PERSOONSKOLOM[bron][0]], bron)
    return uit


def _pseudoniemen(warehouse: Path) -> dict[tuple[str, str, int], int]:
    uit = {}
    for bron, (_, kolom) in PERSOONSKOLOM.items():
        for lid, rij, p in _lees(warehouse, f"SELECT levering_id, rij, {kolom} FROM raw.{bron}"):
            uit[(bron, lid, rij)] = int(p)
    return uit


def test_vingerafdruk_is_vast_niet_de_sleutel_en_geen_pseudoniem():
    a = key_fingerprint(SLEUTEL_A)
    assert a == key_fingerprint(SLEUTEL_A) and len(a) == 32 and int(a, 16) >= 0
    assert a != key_fingerprint(SLEUTEL_B)
    assert SLEUTEL_A.hex()[:32] != a and SLEUTEL_A.decode() not in a
    # geen pseudoniem van welk nummer dan ook: de tekst van een pseudoniem bevat altijd \x1f
    assert (
        f"{pseudonymise_value(SLEUTEL_A, 'vingerafdruk-pseudonimiseringssleutel/v1', 'basismonitor'):032x}"
        != a
    )


def test_eerste_pseudonimisering_legt_de_vingerafdruk_vast_en_dezelfde_sleutel_werkt_daarna(thuis):
    map_, verwerk = thuis
    wh = map_ / "warehouse.duckdb"
    # alleen deelname (geen persoonsnummers): nog niets gepseudonimiseerd, dus nog geen vingerafdruk
    _lever(
        map_ / "inbox",
        "deelname",
        "d1.csv",
        DEELNAME + "0363;;A1;Taalcafé;Welzijn;01-01-2023;31-01-2023;12\n",
    )
    verwerk(SLEUTEL_A, ("deelname",))
    assert _lees(wh, SLEUTELS) == []
    _lever(map_ / "inbox", "vrijwilligers", "v1.csv", _vrijwilligers("0363", ["VC-1"]))
    [r] = verwerk(SLEUTEL_A)["vrijwilligers"]
    assert r.status == "geaccepteerd"
    [(vingerafdruk, _, aanleiding)] = _lees(wh, SLEUTELS)
    assert vingerafdruk == key_fingerprint(SLEUTEL_A) and aanleiding == EERSTE_PSEUDONIMISERING
    # een volgende levering met dezelfde sleutel: geaccepteerd, dezelfde persoon hetzelfde pseudoniem
    _lever(map_ / "inbox", "vrijwilligers", "v2.csv", _vrijwilligers("0344", ["VC-1"]))
    [r2] = verwerk(SLEUTEL_A)["vrijwilligers"]
    assert r2.status == "geaccepteerd"
    assert len(_lees(wh, SLEUTELS)) == 1
    assert _lees(wh, "SELECT count(DISTINCT vrijwilliger_pseudoniem), count(*) FROM raw.vrijwilligers") == [
        (1, 2)
    ]


def test_bestaand_warehouse_zonder_vingerafdruk_krijgt_die_bij_de_volgende_verwerking(thuis):
    map_, verwerk = thuis
    wh = map_ / "warehouse.duckdb"
    _lever(map_ / "inbox", "vrijwilligers", "v1.csv", _vrijwilligers("0363", ["VC-1"]))
    verwerk(SLEUTEL_A)
    # een warehouse van vóór de vingerafdruk: pseudoniemen, maar geen tabel kwaliteit.sleutel
    con = duckdb.connect(str(wh))
    con.execute("DROP TABLE kwaliteit.sleutel")
    con.close()
    verwerk(SLEUTEL_A)  # een lege inbox: toch wordt de vingerafdruk vastgelegd
    [(vingerafdruk, _, aanleiding)] = _lees(wh, SLEUTELS)
    assert vingerafdruk == key_fingerprint(SLEUTEL_A) and aanleiding == BESTAAND_WAREHOUSE


def test_andere_sleutel_wordt_geweigerd_zonder_iets_te_laden_of_te_verplaatsen(thuis):
    map_, verwerk = thuis
    wh = map_ / "warehouse.duckdb"
    _eerste_leveringen(map_ / "inbox")
    verwerk(SLEUTEL_A)
    # nieuwe leveringen, met én zonder persoonsnummers, en een kapotte
    _lever(map_ / "inbox", "vrijwilligers", "v9.csv", _vrijwilligers("0014", ["VG-1"]))
    _lever(
        map_ / "inbox", "deelname", "d9.csv", DEELNAME + "0014;;A1;Inloop;Welzijn;01-01-2023;31-01-2023;7\n"
    )
    _lever(map_ / "inbox", "mantelzorg", "m9_fout.csv", "kapot\n")
    voor, bestanden, inhoud = _toestand(wh), _bestanden(map_), wh.read_bytes()
    with pytest.raises(SleutelFout) as fout:
        verwerk(SLEUTEL_B)
    melding = str(fout.value)
    assert "\n" not in melding
    assert key_fingerprint(SLEUTEL_A)[:8] in melding and key_fingerprint(SLEUTEL_B)[:8] in melding
    for stuk in (
        "gepseudonimiseerd met een andere sleutel",
        "Er is niets geladen en de inbox is niet aangeraakt",
        "BASISMONITOR_PSEUDONIEM_SLEUTEL",
        "BASISMONITOR_PSEUDONIEM_SLEUTELBESTAND",
        "`basismonitor herpseudonimiseer`",
    ):
        assert stuk in melding
    assert _bestanden(map_) == bestanden  # alles nog in de inbox, niets gearchiveerd of in quarantaine
    assert (map_ / "inbox" / "vrijwilligers" / "v9.csv").exists()
    assert _toestand(wh) == voor
    assert wh.read_bytes() == inhoud
    # met de goede sleutel gaat het gewoon verder
    uit = verwerk(SLEUTEL_A)
    assert [r.status for r in uit["vrijwilligers"]] == ["geaccepteerd"]
    assert [r.status for r in uit["mantelzorg"]] == ["afgewezen"]


def test_herpseudonimiseren_uit_het_archief(thuis):
    map_, verwerk = thuis
    wh = map_ / "warehouse.duckdb"
    _eerste_leveringen(map_ / "inbox")
    statussen = {b: [r.status for r in rs] for b, rs in verwerk(SLEUTEL_A).items()}
    assert statussen["vrijwilligers"] == [
        "geaccepteerd",
        "geaccepteerd",
        "geaccepteerd",
        "dubbel",
        "afgewezen",
    ]
    grootboek_sql = "SELECT * FROM kwaliteit.leveringen ORDER BY levering_id"
    grootboek = _lees(wh, grootboek_sql)
    assert {r[7] for r in grootboek} == {"geaccepteerd", "vervangen", "dubbel", "afgewezen"}
    voor = _toestand(wh)
    bestanden = _bestanden(map_)
    oude_pseudoniemen = _pseudoniemen(wh)
    assert oude_pseudoniemen == _verwacht_pseudoniemen(map_, SLEUTEL_A)

    uit = repseudonymise(wh, map_ / "archief", SLEUTEL_B)

    assert uit is not None
    assert uit.oude_vingerafdruk == key_fingerprint(SLEUTEL_A)
    assert uit.nieuwe_vingerafdruk == key_fingerprint(SLEUTEL_B)
    assert uit.leveringen == {"vrijwilligers": 3, "mantelzorg": 1, "enquete": 1}
    assert uit.rijen == {"vrijwilligers": 7, "mantelzorg": 3, "enquete": 2}
    # elk pseudoniem is dat van de nieuwe sleutel voor het persoonsnummer in het archief
    nieuw = _pseudoniemen(wh)
    assert nieuw == _verwacht_pseudoniemen(map_, SLEUTEL_B)
    assert set(nieuw.values()).isdisjoint(oude_pseudoniemen.values())
    # grootboek, aantallen per bron en alles zonder pseudoniemen ongewijzigd
    assert _lees(wh, grootboek_sql) == grootboek
    na = _toestand(wh)
    veranderd = {t for t in voor if na[t] != voor[t]}
    assert veranderd == {"raw.vrijwilligers", "raw.mantelzorg", "raw.enquete", "kwaliteit.sleutel"}
    assert all(na[t][0] == voor[t][0] for t in voor if t != "kwaliteit.sleutel")
    for bron, (_, kolom) in PERSOONSKOLOM.items():
        zonder = f"SELECT * EXCLUDE ({kolom}) FROM raw.{bron} ORDER BY levering_id, rij"
        assert _lees(wh, zonder) == _lees(uit.reservekopie, zonder)
    sleutels = _lees(wh, "SELECT vingerafdruk, aanleiding FROM kwaliteit.sleutel ORDER BY volgnummer")
    assert sleutels == [
        (key_fingerprint(SLEUTEL_A), EERSTE_PSEUDONIMISERING),
        (key_fingerprint(SLEUTEL_B), HERPSEUDONIMISERING),
    ]
    # het oude warehouse is de reservekopie; verder is er niets bijgekomen of weggehaald
    assert uit.reservekopie.parent == map_ and uit.reservekopie.name.startswith(
        "warehouse.voor-herpseudonimisering-"
    )
    assert _toestand(uit.reservekopie) == voor
    assert _bestanden(map_) == sorted([*bestanden, uit.reservekopie.name])

    # nogmaals met dezelfde sleutel: niets te doen
    assert repseudonymise(wh, map_ / "archief", SLEUTEL_B) is None
    # de oude sleutel wordt nu geweigerd, de nieuwe gewoon gebruikt; een bekende persoon houdt zijn pseudoniem
    _lever(map_ / "inbox", "vrijwilligers", "v6_utrecht.csv", _vrijwilligers("0344", ["VC-1", "VU-8"]))
    with pytest.raises(SleutelFout):
        verwerk(SLEUTEL_A)
    [r] = verwerk(SLEUTEL_B)["vrijwilligers"]
    assert r.status == "geaccepteerd" and r.vervangt is not None
    pseudo = _lees(
        wh,
        "SELECT vrijwilliger_pseudoniem FROM raw.vrijwilligers WHERE levering_id = ? AND rij = 2",
        [r.levering_id],
    )
    assert int(pseudo[0][0]) == pseudonymise_value(SLEUTEL_B, "VC-1", "vrijwilligers")
    assert int(pseudo[0][0]) in nieuw.values()


def _zonder_wijziging(map_: Path, aanpassing, verwacht: str) -> None:
    """Na `aanpassing` weigert de herpseudonimisering met `verwacht` en is er niets veranderd."""
    wh = map_ / "warehouse.duckdb"
    aanpassing()
    voor, bestanden = _toestand(wh), _bestanden(map_)
    with pytest.raises(HerpseudonimiseringFout, match=verwacht):
        repseudonymise(wh, map_ / "archief", SLEUTEL_B)
    assert _toestand(wh) == voor
    assert _bestanden(map_) == bestanden  # geen reservekopie, geen halve kopie


def test_herpseudonimiseren_weigert_bij_een_onvolledig_archief(thuis):
    map_, verwerk = thuis
    _eerste_leveringen(map_ / "inbox")
    verwerk(SLEUTEL_A)
    [m1] = (map_ / "archief" / "mantelzorg").glob("*__m1.csv")
    [e1] = (map_ / "archief" / "enquete").glob("*__e1.csv")
    _zonder_wijziging(map_, m1.unlink, r"1 ontbreken \(bijv\. .*__m1\.csv\).*niet gewijzigd")
    _zonder_wijziging(
        map_,
        lambda: e1.write_text(e1.read_text() + "3;363;2024;1;1,00;;1;1\n"),
        r"1 hebben een andere inhoud dan in het grootboek",
    )


def test_herpseudonimiseren_toetst_dat_alleen_de_pseudoniemen_veranderen(thuis):
    map_, verwerk = thuis
    wh = map_ / "warehouse.duckdb"
    _eerste_leveringen(map_ / "inbox")
    verwerk(SLEUTEL_A)

    def wijzig(sql: str):
        def doe():
            con = duckdb.connect(str(wh))
            con.execute(sql)
            con.close()

        return doe

    # een andere waarde buiten de pseudoniemen dan wat het archief nu geeft (bijv. een gewijzigde lezer)
    _zonder_wijziging(
        map_,
        wijzig("UPDATE raw.mantelzorg SET ervaren_belasting = 'licht' WHERE rij = 2"),
        r"raw\.mantelzorg: de opnieuw ingelezen rijen wijken buiten de pseudoniemen af",
    )
    # (hersteld) en twee personen met één oud pseudoniem: geen één-op-één-vertaling
    _zonder_wijziging(
        map_,
        wijzig(
            "UPDATE raw.mantelzorg SET ervaren_belasting = 'zwaar' WHERE rij = 2; "
            "UPDATE raw.vrijwilligers SET vrijwilliger_pseudoniem = 1"
        ),
        r"raw\.vrijwilligers\.vrijwilliger_pseudoniem: de nieuwe pseudoniemen zijn geen één-op-één-vertaling",
    )
