"""De voordeur: accepteren, afwijzen met een Nederlands rapport, dubbel, vervangen en pseudonimiseren."""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

import duckdb
import pytest

from bronnen.contracten import CONTRACTEN, DUCKDB_TYPE, alle_kolommen
from bronnen.levering import process_inbox
from bronnen.pseudoniem import pseudonymise_value
from bronnen.referentie import GemeenteRegister
from bronnen.warehouse import connect, ensure_schema

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
SLEUTEL = b"test-sleutel-die-lang-genoeg-is-0123456789"

KOP = "gemeentecode;wijkcode;activiteit_id;activiteit;aanbieder;periode_start;periode_eind;aantal_deelnames\n"


@pytest.fixture()
def omgeving(tmp_path: Path):
    inbox = tmp_path / "inbox"
    con = connect(tmp_path / "warehouse.duckdb")
    register = GemeenteRegister.from_csv(SEEDS / "ref_gemeenten_per_jaar.csv")

    def verwerk(bron: str):
        return process_inbox(
            con, bron, inbox / bron, tmp_path / "archief", tmp_path / "quarantaine", SLEUTEL, register
        )

    def lever(bron: str, naam: str, inhoud: str | bytes) -> Path:
        pad = inbox / bron / naam
        pad.parent.mkdir(parents=True, exist_ok=True)
        pad.write_bytes(inhoud.encode("utf-8") if isinstance(inhoud, str) else inhoud)
        return pad

    yield con, lever, verwerk, tmp_path
    con.close()


def _checksum(con: duckdb.DuckDBPyConnection, tabel: str) -> tuple:
    return con.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {tabel} t").fetchone()


def test_goede_levering_wordt_geladen_en_gearchiveerd(omgeving):
    con, lever, verwerk, tmp = omgeving
    lever(
        "deelname",
        "d.csv",
        KOP + "363;WK036300;A1;Taalcafé;Welzijn;01-01-2023;31-01-2023;120\n"
        "GM0363;;A2;Koffie-inloop;Welzijn;2023-02-01;2023-02-28;80\n",
    )
    [r] = verwerk("deelname")
    assert r.status == "geaccepteerd" and r.rijen == 2
    rows = con.execute(
        "SELECT gemeentecode, activiteit, periode_start::varchar, aantal_deelnames, rij "
        "FROM raw.deelname ORDER BY rij"
    ).fetchall()
    assert rows == [
        ("GM0363", "Taalcafé", "2023-01-01", 120, 2),
        ("GM0363", "Koffie-inloop", "2023-02-01", 80, 3),
    ]
    assert not (tmp / "inbox" / "deelname" / "d.csv").exists()
    assert (tmp / "archief" / "deelname" / f"{r.levering_id}__d.csv").exists()


def test_foute_levering_in_quarantaine_met_rij_en_kolom(omgeving):
    con, lever, verwerk, tmp = omgeving
    lever("deelname", "goed.csv", KOP + "0363;;A1;Taalcafé;Welzijn;01-01-2023;31-01-2023;120\n")
    verwerk("deelname")
    voor = _checksum(con, "raw.deelname")
    lever(
        "deelname",
        "fout.csv",
        KOP + "0363;;A1;Taalcafé;Welzijn;01-01-2023;31-01-2023;120\n"
        "0363;;A2;Inloop;Welzijn;01-02-2023;28-02-2023;-4\n",
    )
    [r] = verwerk("deelname")
    assert r.status == "afgewezen"
    assert _checksum(con, "raw.deelname") == voor
    rapport = r.rapport.read_text(encoding="utf-8")
    assert "fout.csv" in rapport
    assert "| 3 | aantal_deelnames | -4 | deelname.aantal_deelnames.bereik |" in rapport
    assert (tmp / "quarantaine" / "deelname" / f"{r.levering_id}__fout.csv").exists()
    status = con.execute(
        "SELECT status, reden FROM kwaliteit.leveringen WHERE levering_id = ?", [r.levering_id]
    ).fetchone()
    assert status[0] == "afgewezen" and "aantal_deelnames" in status[1]


def test_onbekende_gemeente_in_het_leveringsjaar(omgeving):
    con, lever, verwerk, _ = omgeving
    # Weesp bestond op 1-1-2022 nog, op 1-1-2023 niet meer.
    lever("deelname", "weesp2022.csv", KOP + "0457;;A1;Inloop;Welzijn;01-01-2022;31-01-2022;10\n")
    lever("deelname", "weesp2023.csv", KOP + "0457;;A1;Inloop;Welzijn;01-01-2023;31-01-2023;10\n")
    r2022, r2023 = verwerk("deelname")
    assert r2022.status == "geaccepteerd"
    assert r2023.status == "afgewezen" and "GM0457 bestond niet in 2023" in r2023.reden


def test_zelfde_bestand_twee_keer_is_dubbel(omgeving):
    con, lever, verwerk, _ = omgeving
    inhoud = KOP + "0363;;A1;Taalcafé;Welzijn;01-01-2023;31-01-2023;120\n"
    lever("deelname", "d.csv", inhoud)
    verwerk("deelname")
    voor = _checksum(con, "raw.deelname")
    lever("deelname", "d_nogmaals.csv", inhoud)
    [r] = verwerk("deelname")
    assert r.status == "dubbel"
    assert _checksum(con, "raw.deelname") == voor


def test_correctie_vervangt_de_vorige_levering(omgeving):
    con, lever, verwerk, _ = omgeving
    lever("deelname", "d.csv", KOP + "0363;;A1;Taalcafé;Welzijn;01-01-2023;31-01-2023;120\n")
    [eerste] = verwerk("deelname")
    lever("deelname", "d_correctie.csv", KOP + "0363;;A1;Taalcafé;Welzijn;01-01-2023;31-01-2023;125\n")
    [tweede] = verwerk("deelname")
    assert tweede.status == "geaccepteerd" and tweede.vervangt == eerste.levering_id
    statussen = dict(con.execute("SELECT levering_id, status FROM kwaliteit.leveringen").fetchall())
    assert statussen == {eerste.levering_id: "vervangen", tweede.levering_id: "geaccepteerd"}


def test_persoonsnummers_worden_gepseudonimiseerd(omgeving):
    con, lever, verwerk, _ = omgeving
    lever(
        "vrijwilligers",
        "v.csv",
        "vrijwilliger_id,gemeentecode,organisatie,soort_inzet,startdatum,einddatum,uren_per_maand\n"
        'VC-123,0363,Voedselbank,structureel,2022-03-01,,"12,5"\n',
    )
    [r] = verwerk("vrijwilligers")
    assert r.status == "geaccepteerd"
    pseudo, uren = con.execute(
        "SELECT vrijwilliger_pseudoniem, uren_per_maand FROM raw.vrijwilligers"
    ).fetchone()
    # het pseudoniem is de eerste 128 bits van HMAC-SHA256(sleutel, "bron\x1fnummer"), als getal
    volledig = hmac.new(SLEUTEL, b"vrijwilligers\x1fVC-123", hashlib.sha256).digest()
    assert (
        pseudo
        == int.from_bytes(volledig[:16], "big")
        == pseudonymise_value(SLEUTEL, "VC-123", "vrijwilligers")
    )
    assert con.execute(
        "SELECT data_type FROM information_schema.columns "
        "WHERE table_name = 'vrijwilligers' AND column_name = 'vrijwilliger_pseudoniem'"
    ).fetchone() == ("UHUGEINT",)
    assert uren == 12.5
    alles = con.execute("SELECT string_agg(CAST(t AS VARCHAR), '|') FROM raw.vrijwilligers t").fetchone()[0]
    assert "VC-123" not in alles
    # zelfde nummer bij een andere bron: een ander pseudoniem (niet koppelbaar)
    assert pseudonymise_value(SLEUTEL, "VC-123", "mantelzorg") != pseudo


def test_pseudoniemen_uit_een_ouder_warehouse_worden_omgezet_en_blijven_koppelbaar(omgeving):
    """Een warehouse van vóór de 128-bits pseudoniemen (tekstkolom met de volledige HMAC in hex) wordt bij de
    volgende verwerking omgezet; dezelfde vrijwilliger in een nieuwe levering krijgt hetzelfde pseudoniem."""
    con, lever, verwerk, _ = omgeving
    # de oude indeling: dezelfde kolommen, het pseudoniem als tekst
    kolommen = [f'"{k.raw_naam}" {DUCKDB_TYPE[k.type]}' for k in alle_kolommen(CONTRACTEN["vrijwilligers"])]
    con.execute("CREATE SCHEMA raw")
    con.execute(
        f"CREATE TABLE raw.vrijwilligers (levering_id VARCHAR NOT NULL, rij INTEGER NOT NULL, {', '.join(kolommen)})"
    )
    oud = hmac.new(SLEUTEL, b"vrijwilligers\x1fVC-7", hashlib.sha256).hexdigest()
    con.execute(
        "INSERT INTO raw.vrijwilligers BY NAME SELECT * FROM (VALUES ('L_oud', 2, ?), ('L_oud', 3, NULL)) "
        "AS t(levering_id, rij, vrijwilliger_pseudoniem)",
        [oud],
    )
    assert ensure_schema(con) == ["raw.vrijwilligers.vrijwilliger_pseudoniem"]
    assert ensure_schema(con) == []  # eenmalig
    lever(
        "vrijwilligers",
        "v.csv",
        "vrijwilliger_id,gemeentecode,organisatie,soort_inzet,startdatum,einddatum,uren_per_maand\n"
        "VC-7,0363,Voedselbank,structureel,2022-03-01,,4\n",
    )
    [r] = verwerk("vrijwilligers")
    assert r.status == "geaccepteerd"
    rijen = con.execute(
        "SELECT levering_id, vrijwilliger_pseudoniem FROM raw.vrijwilligers ORDER BY levering_id, rij"
    ).fetchall()
    nieuw = pseudonymise_value(SLEUTEL, "VC-7", "vrijwilligers")
    assert sorted(rijen, key=str) == sorted(
        [(r.levering_id, nieuw), ("L_oud", nieuw), ("L_oud", None)], key=str
    )
    assert nieuw == int(oud[:32], 16)


def test_omzetting_van_een_onleesbaar_oud_pseudoniem_laat_het_warehouse_ongemoeid(omgeving):
    con, *_ = omgeving
    con.execute("CREATE SCHEMA raw")
    con.execute(
        "CREATE TABLE raw.mantelzorg (levering_id VARCHAR NOT NULL, rij INTEGER NOT NULL, "
        "mantelzorger_pseudoniem VARCHAR)"
    )
    con.execute(
        "CREATE TABLE raw.vrijwilligers (levering_id VARCHAR NOT NULL, rij INTEGER NOT NULL, "
        "vrijwilliger_pseudoniem VARCHAR)"
    )
    con.execute("INSERT INTO raw.vrijwilligers VALUES ('L1', 2, ?)", ["ab" * 32])
    con.execute("INSERT INTO raw.mantelzorg VALUES ('L2', 2, 'geen-hex')")
    with pytest.raises(
        RuntimeError, match="raw.mantelzorg, kolom mantelzorger_pseudoniem: .* niet gewijzigd"
    ):
        ensure_schema(con)
    typen = con.execute(
        "SELECT table_name, data_type FROM information_schema.columns "
        "WHERE table_name IN ('mantelzorg', 'vrijwilligers') AND column_name LIKE '%pseudoniem' ORDER BY table_name"
    ).fetchall()
    assert typen == [("mantelzorg", "VARCHAR"), ("vrijwilligers", "VARCHAR")]
    assert con.execute("SELECT vrijwilliger_pseudoniem FROM raw.vrijwilligers").fetchall() == [("ab" * 32,)]


def test_kolom_met_directe_identificatie_wordt_afgewezen(omgeving):
    con, lever, verwerk, _ = omgeving
    lever(
        "vrijwilligers",
        "v.csv",
        "vrijwilliger_id;naam;gemeentecode;organisatie;soort_inzet;startdatum\n"
        "VC-1;Jan Jansen;0363;Voedselbank;structureel;01-03-2022\n",
    )
    [r] = verwerk("vrijwilligers")
    assert r.status == "afgewezen" and "directe persoonsgegevens" in r.reden
    assert con.execute("SELECT count(*) FROM raw.vrijwilligers").fetchone()[0] == 0


def test_verhalen_zonder_toestemming_worden_niet_opgeslagen(omgeving):
    con, lever, verwerk, _ = omgeving
    lever(
        "verhalen",
        "v.csv",
        "gemeentecode;jaar;sfeer;tekst;toestemming\n"
        "0363;2023;persoonlijk;Dankzij de inloop heb ik weer contact;ja\n"
        "0363;2023;gemeenschappelijk;Geheim verhaal zonder toestemming;nee\n",
    )
    [r] = verwerk("verhalen")
    assert r.status == "geaccepteerd" and r.rijen == 1
    teksten = [t for (t,) in con.execute("SELECT tekst FROM raw.verhalen").fetchall()]
    assert teksten == ["Dankzij de inloop heb ik weer contact"]


def test_andere_leveringen_gaan_door_na_een_afwijzing(omgeving):
    con, lever, verwerk, _ = omgeving
    lever("deelname", "a_kapot.csv", b"\x00\x01\x02binair")
    lever("deelname", "b_goed.csv", KOP + "0363;;A1;Taalcafé;Welzijn;01-01-2023;31-01-2023;120\n")
    kapot, goed = verwerk("deelname")
    assert kapot.status == "afgewezen" and goed.status == "geaccepteerd"


def test_verhalen_worden_ontdaan_van_namen_adressen_en_contactgegevens(omgeving):
    con, lever, verwerk, _ = omgeving
    lever(
        "verhalen",
        "v.csv",
        "gemeentecode;jaar;sfeer;titel;tekst;toestemming\n"
        "0363;2023;persoonlijk;Hulp van Fatima El Amrani;Mijn buurvrouw Fatima El Amrani woont op de Dorpsstraat 12. "
        "Bel 06-12345678 of mail ans.jansen@example.nl als u ook wilt helpen.;ja\n",
    )
    [r] = verwerk("verhalen")
    assert r.status == "geaccepteerd"
    titel, tekst = con.execute("SELECT titel, tekst FROM raw.verhalen").fetchone()
    for geheim in ("Fatima", "El Amrani", "Dorpsstraat 12", "06-12345678", "ans.jansen@example.nl"):
        assert geheim not in tekst and geheim not in titel, geheim
    # de aanduidingen zijn gewoon Nederlands, geen labels van Deduce zoals [PERSOON-1]
    assert "Mijn buurvrouw [naam verwijderd]" in tekst and titel == "Hulp van [naam verwijderd]"
    assert "Bel [telefoonnummer verwijderd] of mail [e-mailadres verwijderd]" in tekst
    assert "[adres of plaats verwijderd]" in tekst and not re.search(r"\[[A-Z]+[-\]]", tekst)
    assert "als u ook wilt helpen" in tekst  # de rest van het verhaal blijft staan


def _deelname_rij(gemeente: str, activiteit: str, maand: int, aantal: int) -> str:
    return f"{gemeente};;{activiteit};Taalcafé;Welzijn;01-{maand:02d}-2023;28-{maand:02d}-2023;{aantal}\n"


def test_kleine_leveringen_samen_getoetst_maar_elk_apart_beoordeeld(omgeving):
    """Kleine leveringen gaan samen door één Great Expectations-run en één transactie. Een fout in één
    levering mag de andere niet tegenhouden en moet precies zo gemeld worden als bij een losse levering; de
    uitkomsten in kwaliteit.validaties staan per levering, met het aantal rijen van die levering."""
    con, lever, verwerk, tmp = omgeving
    for i in range(6):
        rijen = "".join(_deelname_rij("0363", f"A{i}-{m}", m, 10 + m) for m in range(1, 2 + i))
        lever("deelname", f"d{i}.csv", KOP + rijen)
    # d3x: zelfde sleutel als de andere leveringen, maar een negatief aantal op rij 3
    lever("deelname", "d3x.csv", KOP + _deelname_rij("0363", "B1", 1, 5) + _deelname_rij("0363", "B2", 2, -4))
    resultaten = verwerk("deelname")
    statussen = {r.bestandsnaam: r.status for r in resultaten}
    assert statussen == {
        **{f"d{i}.csv": "geaccepteerd" for i in range(6)},
        "d3x.csv": "afgewezen",
    }
    fout = next(r for r in resultaten if r.status == "afgewezen")
    rapport = fout.rapport.read_text(encoding="utf-8")
    assert "| 3 | aantal_deelnames | -4 | deelname.aantal_deelnames.bereik |" in rapport
    assert con.execute("SELECT count(*) FROM raw.deelname").fetchone()[0] == sum(range(1, 7))
    per_levering = dict(
        con.execute(
            "SELECT l.bestandsnaam, max(v.getoetst) FROM kwaliteit.validaties v "
            "JOIN kwaliteit.leveringen l ON l.levering_id = v.object GROUP BY ALL"
        ).fetchall()
    )
    assert per_levering == {**{f"d{i}.csv": i + 1 for i in range(6)}, "d3x.csv": 2}
    gefaald = con.execute(
        "SELECT l.bestandsnaam, v.regel_id, v.afwijkend FROM kwaliteit.validaties v "
        "JOIN kwaliteit.leveringen l ON l.levering_id = v.object WHERE NOT v.geslaagd"
    ).fetchall()
    assert gefaald == [("d3x.csv", "deelname.aantal_deelnames.bereik", 1)]
    assert not list((tmp / "inbox" / "deelname").iterdir())
    # Alleen goede leveringen: de gezamenlijke run slaagt en telt toch per levering.
    for i in range(3):
        lever(
            "deelname",
            f"e{i}.csv",
            KOP + "".join(_deelname_rij("0014", f"E{i}", m, 7) for m in range(1, 3 + i)),
        )
    assert {r.status for r in verwerk("deelname")} == {"geaccepteerd"}
    nieuw = con.execute(
        "SELECT l.bestandsnaam, count(*), bool_and(v.geslaagd), min(v.getoetst), max(v.getoetst) "
        "FROM kwaliteit.validaties v JOIN kwaliteit.leveringen l ON l.levering_id = v.object "
        "WHERE l.bestandsnaam LIKE 'e%' GROUP BY ALL ORDER BY 1"
    ).fetchall()
    regels = con.execute(
        "SELECT count(*) FROM kwaliteit.validaties v JOIN kwaliteit.leveringen l ON l.levering_id = v.object "
        "WHERE l.bestandsnaam = 'd0.csv'"
    ).fetchone()[0]
    assert nieuw == [(f"e{i}.csv", regels, True, i + 2, i + 2) for i in range(3)]


def test_dubbel_en_correctie_binnen_een_inbox(omgeving):
    """In één inbox: een kopie van een levering is dubbel, een correctie (zelfde leverancier en periode)
    vervangt de eerdere, ook als ze samen getoetst worden. Samen zijn de sleutels niet uniek; toch wordt geen
    van beide afgewezen."""
    con, lever, verwerk, _ = omgeving
    origineel = KOP + _deelname_rij("0363", "A1", 1, 120)
    lever("deelname", "a.csv", origineel)
    lever("deelname", "b_kopie.csv", origineel)
    lever("deelname", "c_correctie.csv", KOP + _deelname_rij("0363", "A1", 1, 125))
    a, b, c = verwerk("deelname")
    assert (a.status, b.status, c.status) == ("geaccepteerd", "dubbel", "geaccepteerd")
    assert c.vervangt == a.levering_id
    assert con.execute("SELECT list(aantal_deelnames ORDER BY levering_id) FROM raw.deelname").fetchone()[
        0
    ] in (
        [120, 125],
        [125, 120],
    )
    statussen = dict(con.execute("SELECT bestandsnaam, status FROM kwaliteit.leveringen").fetchall())
    assert statussen == {"a.csv": "vervangen", "b_kopie.csv": "dubbel", "c_correctie.csv": "geaccepteerd"}


def test_gestopt_tussen_laden_en_archiveren_maakt_het_archiveren_af(omgeving):
    """Stopt het proces na de COMMIT maar vóór het archiveren, dan ligt het bestand nog in de inbox. De volgende
    verwerking maakt het archiveren af: geen tweede grootboekregel, geen `dubbel`, en de levering telt als
    geaccepteerd (zodat dbt haar alsnog meeneemt)."""
    con, lever, verwerk, tmp = omgeving
    inhoud = KOP + "0363;;A1;Taalcafé;Welzijn;01-01-2023;31-01-2023;120\n"
    lever("deelname", "d.csv", inhoud)
    [eerste] = verwerk("deelname")
    archief = tmp / "archief" / "deelname" / f"{eerste.levering_id}__d.csv"
    # de toestand na een stop tussen COMMIT en archiveren: geladen en geboekt, bestand nog in de inbox
    archief.rename(tmp / "inbox" / "deelname" / "d.csv")
    voor = _checksum(con, "raw.deelname")
    [r] = verwerk("deelname")
    assert (r.status, r.levering_id, r.rijen) == ("geaccepteerd", eerste.levering_id, 1)
    assert "archiveren is afgemaakt" in r.reden
    assert archief.exists() and not (tmp / "inbox" / "deelname" / "d.csv").exists()
    assert _checksum(con, "raw.deelname") == voor
    assert con.execute("SELECT count(*) FROM kwaliteit.leveringen").fetchone()[0] == 1
    # dezelfde inhoud onder een andere naam blijft gewoon dubbel
    lever("deelname", "d_kopie.csv", inhoud)
    [kopie] = verwerk("deelname")
    assert kopie.status == "dubbel"
