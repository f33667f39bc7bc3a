"""Exports (Excel per gemeente en landelijk, Parquet van elke mart), tegen een publicatie die de test zelf opbouwt.

De test houdt een "warehouse-kant" bij met de echte waarden, ook van de cijfers die onderdrukt moeten worden.
De publicatie wordt daaruit gemaakt zoals dbt dat doet: bij een onderdrukte rij zijn waarde, interval, teller
en standaardfout leeg. Die echte waarden mogen in geen enkel exportbestand terechtkomen.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from synthetische_publicatie import (
    GEMEENTEN,
    LEVERINGEN,
    SCHEMA,
    VERHALEN,
    indicator_schema,
    indicatoren_met,
    schrijf_publicatie,
)

import rapportages.exporten as exporten
import rapportages.publicatielezer as publicatielezer
from rapportages.exporten import (
    KOPPEN_CIJFERS,
    OnderdrukkingGeschonden,
    export_all,
    export_municipality_workbook,
    export_national_workbook,
    export_parquet,
    write_text,
)
from rapportages.gemeenterapport import OnvolledigePublicatie

JAREN = range(2018, 2024)  # 2018..2023
ONDERDRUKT_JAAR = 2021  # g_vrijwilligerswerk in Goeree-Overflakkee: te weinig respondenten
ONDERDRUKT_3JAAR = 2022  # de driejaarswaarde 2020-2022 van dezelfde reeks

KWAADAARDIGE_NAAM = '=HYPERLINK("http://x","klik")'
KWAADAARDIGE_TITEL = "+1+1"
KWAADAARDIGE_TEKST = "@SUM(A1)"
KWAADAARDIGE_TOELICHTING = "-2+3"
KWAADAARDIG_BESTAND = "=cmd|' /C calc'!A0.csv"
KWAADAARDIGE_WIJK = "\t=1+1"
KWAADAARDIGE_GROEP = "\r=2+2"
KWAADAARDIG = [
    KWAADAARDIGE_NAAM,
    KWAADAARDIGE_TITEL,
    KWAADAARDIGE_TEKST,
    KWAADAARDIGE_TOELICHTING,
    KWAADAARDIG_BESTAND,
    KWAADAARDIGE_WIJK,
    KWAADAARDIGE_GROEP,
]
# Een losse regelterugloop (CR) wordt een regelovergang (LF), zoals XML hem toch leest.
GELEZEN = {t.replace("\r", "\n") for t in KWAADAARDIG}

# De echte waarden van het onderdrukte jaar (warehouse-kant). In de publicatie zijn ze leeg.
ECHT_ONDERDRUKT = {
    "teller": 2718.2818,
    "noemer": 4321.0,
    "n": 37,
    "waarde": 61.803398875,
    "se": 1.41421356,
    "ci_onder": 58.7182818,
    "ci_boven": 64.1421356,
}
ECHT_ONDERDRUKT_3JAAR = {
    "waarde_3jaar": 73.2050807,
    "ci_onder_3jaar": 70.0987654,
    "ci_boven_3jaar": 76.9876543,
}
# De gepoolde periode 2021–2023 van dezelfde reeks: één onderdrukt jaar naast twee gepubliceerde, dus onderdrukt.
ECHT_ONDERDRUKTE_PERIODE = {
    "n": 2437,
    "waarde": 57.2957795,
    "se": 0.8,
    "ci_onder": 55.5124,
    "ci_boven": 59.0791,
}
# Getallen die in geen enkele vorm in een werkmap mogen staan (ook n en noemer van het onderdrukte jaar).
VERBODEN_GETALLEN = [*ECHT_ONDERDRUKT.values(), *ECHT_ONDERDRUKT_3JAAR.values(),
                     *(v for k, v in ECHT_ONDERDRUKTE_PERIODE.items() if k != "se")]  # fmt: skip
VERBODEN_TEKST = ["61.8", "61,8", "2718", "2.718", "58.7", "58,7", "64.1", "64,1", "1.414", "1,414", "4321",
                  "4.321", "73.2", "73,2", "70.09", "70,1", "76.9", "77,0", "2437", "2.437", "57,3", "57.29",
                  "55,5", "59,08"]  # fmt: skip
# Goeree-Overflakkee 2018, mantelzorg: Goedereede leverde niet (alleen het deel dat leverde).
DEELS_GEDEKT = {"dekking": 0.977013, "dekking_ontbrekend": ["GM0511"]}

SCHEMA = {
    **SCHEMA,
    "marts.dim_indicator": indicator_schema("schaal DOUBLE"),
    "marts.dim_wijk": "wijkcode VARCHAR, wijknaam VARCHAR, gemeentecode VARCHAR",
}

GEMEENTEN = [
    *GEMEENTEN,  # Groningen (GM0014) heeft geen cijfers: krijgt bij export_all geen eigen werkmap.
    # Een naam die Excel als formule zou lezen.
    ("GM0999", KWAADAARDIGE_NAAM, "Utrecht", "20 000 tot 50 000 inwoners", "Matig stedelijk", 30_000, None),
]

_DEELNAMES, *_ENQUETE = indicatoren_met(
    {"i_deelnames_per_1000": (1000.0,), "p_mantelzorg_geven": (100.0,), "g_vrijwilligerswerk": (100.0,)}
)
INDICATOREN = [
    (*_DEELNAMES[:-1], KWAADAARDIGE_TOELICHTING),
    *_ENQUETE,
    ("i_gini_deelname_wijken", "Ongelijkheid van deelname tussen wijken", "institutioneel", "deelname",
     "Gini-coëfficiënt 0-1", 1.0, "Gini over wijken", "Wijken", 3, "lager", "Spreiding over wijken."),
]  # fmt: skip

LEVERINGEN = [
    *LEVERINGEN[:3],
    (
        "lev-999",
        "deelname",
        KWAADAARDIG_BESTAND,
        "e" * 64,
        datetime(2024, 3, 7),
        10,
        "geaccepteerd",
        None,
        None,
    ),
    *LEVERINGEN[3:],
]

VERHALEN = [
    (*VERHALEN[0][:6], "De buurvrouw\x07 stond er."),
    ("v2", "GM1924", KWAADAARDIGE_WIJK, 2023, "gemeenschappelijk", KWAADAARDIGE_TITEL, KWAADAARDIGE_TEKST),
    VERHALEN[2],
]


def _warehouse_cijfers() -> list[dict]:
    """De jaarcijfers zoals het warehouse ze kent, mét de echte waarden van het onderdrukte jaar."""
    rijen = []
    for code, lev in (("GM1924", "lev-enq-1"), ("GM0363", "lev-ams-1")):
        for k, jaar in enumerate(JAREN):
            waarde = 45.67 + k
            rijen.append(dict(gemeentecode=code, jaar=jaar, indicator_code="p_mantelzorg_geven",
                              teller=523.4 + k, noemer=1146.0, n=1146, waarde=waarde, se=1.4,
                              ci_onder=waarde - 2.8, ci_boven=waarde + 2.8, bron_leveringen=[lev],
                              **(DEELS_GEDEKT if (code, jaar) == ("GM1924", 2018) else {})))  # fmt: skip
            if code == "GM1924" and jaar == ONDERDRUKT_JAAR:
                rijen.append(dict(gemeentecode=code, jaar=jaar, indicator_code="g_vrijwilligerswerk",
                                  bron_leveringen=[lev], **ECHT_ONDERDRUKT))  # fmt: skip
            else:
                waarde = 30.25 + k / 2
                rijen.append(dict(gemeentecode=code, jaar=jaar, indicator_code="g_vrijwilligerswerk",
                                  teller=400.0, noemer=1200.0, n=1200, waarde=waarde, se=1.3,
                                  ci_onder=waarde - 2.6, ci_boven=waarde + 2.6, bron_leveringen=[lev]))  # fmt: skip
    for k, jaar in enumerate(JAREN):
        teller = 123_456.7 if jaar == 2023 else 40_000.0 + 1000 * k
        waarde = teller / 51_000 * 1000
        rijen.append(dict(gemeentecode="GM1924", jaar=jaar, indicator_code="i_deelnames_per_1000", teller=teller,
                          noemer=51_000.0, n=int(teller), waarde=waarde, se=10.0, ci_onder=waarde - 20,
                          ci_boven=waarde + 20, bron_leveringen=["lev-dln-1"]))  # fmt: skip
        rijen.append(dict(gemeentecode="GM1924", jaar=jaar, indicator_code="i_gini_deelname_wijken", teller=None,
                          noemer=12.0, n=12, waarde=0.3141 + k / 100, se=0.02, ci_onder=0.27, ci_boven=0.36,
                          bron_leveringen=["lev-dln-1"]))  # fmt: skip
    for jaar in (2022, 2023):
        rijen.append(dict(gemeentecode="GM0999", jaar=jaar, indicator_code="i_deelnames_per_1000", teller=900.0,
                          noemer=30_000.0, n=900, waarde=30.0, se=1.0, ci_onder=28.0, ci_boven=32.0,
                          bron_leveringen=["lev-999"]))  # fmt: skip
    for r in rijen:
        r["onderdrukt"] = r["n"] < {"p_mantelzorg_geven": 100, "g_vrijwilligerswerk": 100}.get(
            r["indicator_code"], 3
        )
        r.setdefault("dekking", 1.0)
        r.setdefault("dekking_ontbrekend", [])
    return rijen


def _warehouse_perioden() -> list[dict]:
    """Gepoolde perioden: Goeree-Overflakkee vrijwilligerswerk 2018–2020 gepubliceerd, 2021–2023 onderdrukt
    (met de echte waarden aan de warehouse-kant); mantelzorg 2021–2023 ook voor Amsterdam."""
    basis = dict(indicator_code="g_vrijwilligerswerk", jaren_met_gegevens=3)
    return [
        dict(basis, gemeentecode="GM1924", periode="2018–2020", periode_van=2018, periode_tot=2020,
             jaren_onderdrukt=0, n=3600, waarde=30.75, se=0.75, ci_onder=29.28, ci_boven=32.22, onderdrukt=False),
        dict(basis, gemeentecode="GM1924", periode="2021–2023", periode_van=2021, periode_tot=2023,
             jaren_onderdrukt=1, onderdrukt=True, **ECHT_ONDERDRUKTE_PERIODE),
        dict(gemeentecode="GM0363", indicator_code="p_mantelzorg_geven", periode="2021–2023", periode_van=2021,
             periode_tot=2023, jaren_met_gegevens=3, jaren_onderdrukt=0, n=3438, waarde=49.67, se=0.8,
             ci_onder=48.1, ci_boven=51.2, onderdrukt=False),
    ]  # fmt: skip


def _warehouse_meerjarig(cijfers: list[dict]) -> list[dict]:
    rijen = []
    for r in cijfers:
        sleutel = dict(gemeentecode=r["gemeentecode"], indicator_code=r["indicator_code"], jaar=r["jaar"])
        eerste = min(c["jaar"] for c in cijfers if c["gemeentecode"] == r["gemeentecode"])
        onderdrukt_3 = (
            r["gemeentecode"] == "GM1924"
            and r["indicator_code"] == "g_vrijwilligerswerk"
            and r["jaar"] == ONDERDRUKT_3JAAR
        )
        # De driejaarswaarde is een eigen cijfer; bij het onderdrukte jaar zelf is ze niet de jaarwaarde.
        w3 = 31.5 if r["onderdrukt"] else r["waarde"] + 5
        waarden = (
            ECHT_ONDERDRUKT_3JAAR
            if onderdrukt_3
            else dict(waarde_3jaar=w3, ci_onder_3jaar=w3 - 1, ci_boven_3jaar=w3 + 1)
        )
        jaren = r["jaar"] - eerste + 1
        # vrijwilligerswerk: het oordeel valt zonder één van de jaren anders uit (gevoelig voor één jaar)
        gevoelig = (r["indicator_code"] == "g_vrijwilligerswerk") if jaren >= 4 else None
        rijen.append(
            dict(**sleutel, jaren_in_venster=min(jaren, 3), n_3jaar=90 if onderdrukt_3 else 3000,
                 se_3jaar=0.5, onderdrukt_3jaar=onderdrukt_3, trend_jaar_van=eerste, trend_jaar_tot=r["jaar"],
                 trend_jaren=jaren, helling=0.1 if jaren >= 4 else None, helling_ci_onder=None,
                 helling_ci_boven=None, trend="stijgend" if jaren >= 4 else "onvoldoende gegevens",
                 trend_gevoelig=gevoelig, **waarden)
        )  # fmt: skip
    return rijen


def _warehouse_vergelijking(cijfers: list[dict]) -> list[dict]:
    rijen = []
    for r in cijfers:
        if r["indicator_code"] != "p_mantelzorg_geven" or r["gemeentecode"] != "GM1924":
            continue
        basis = dict(gemeentecode=r["gemeentecode"], jaar=r["jaar"], indicator_code=r["indicator_code"],
                     waarde=r["waarde"], ci_onder=r["ci_onder"], ci_boven=r["ci_boven"], referentie_gemeenten=40,
                     grens_95_onder=40.0, grens_95_boven=50.0, grens_998_onder=38.0, grens_998_boven=52.0)  # fmt: skip
        positie = "boven" if r["jaar"] == 2023 else "binnen"
        wijziging = "andere gemeenten dan in 2022: 1 erbij en 1 eruit" if r["jaar"] == 2023 else None
        rijen.append(dict(basis, referentie="vergelijkingsgroep", vergelijkingsgroep=KWAADAARDIGE_GROEP,
                          referentie_naam=KWAADAARDIGE_GROEP, referentie_waarde=44.25, positie=positie,
                          positie_998="binnen"))  # fmt: skip
        rijen.append(dict(basis, referentie="landelijk", vergelijkingsgroep=None, referentie_waarde=42.125,
                          referentie_naam=REFERENTIE_MONITOR, positie=positie, positie_998=positie,
                          samenstelling_gewijzigd=wijziging is not None,
                          samenstelling_wijziging=wijziging))  # fmt: skip
    # Vrijwilligerswerk 2023: geen groepsreferentie (de reden staat erbij) en geen trechtergrenzen landelijk
    for r in cijfers:
        if (r["indicator_code"], r["gemeentecode"], r["jaar"]) != ("g_vrijwilligerswerk", "GM1924", 2023):
            continue
        basis = dict(gemeentecode=r["gemeentecode"], jaar=r["jaar"], indicator_code=r["indicator_code"],
                     waarde=r["waarde"], ci_onder=r["ci_onder"], ci_boven=r["ci_boven"])  # fmt: skip
        rijen.append(dict(basis, referentie="vergelijkingsgroep", referentie_gemeenten=1,
                          referentie_naam="vergelijkingsgroep 50.000–100.000 inwoners; weinig stedelijk",
                          reden_geen_referentie=REDEN_GEEN_GROEP))  # fmt: skip
        rijen.append(dict(basis, referentie="landelijk", referentie_gemeenten=342, referentie_waarde=40.0,
                          referentie_naam="Nederland (alle 342 gemeenten)",
                          reden_geen_grenzen="geen standaardfout voor deze gemeente: geen trechtergrenzen"))  # fmt: skip
    return rijen


REFERENTIE_MONITOR = "gemeenten in de monitor (14 van de 342 gemeenten, 11% van de inwoners)"
REDEN_GEEN_GROEP = (
    "minder dan 3 gemeenten uit dezelfde vergelijkingsgroep (50.000–100.000 inwoners; weinig stedelijk) hebben "
    "een cijfer voor 2023 (alleen deze gemeente)"
)


def _publish_view(rijen: list[dict], vlag: str, kolommen: tuple[str, ...]) -> list[dict]:
    """Zoals dbt: bij een onderdrukte rij zijn de kolommen met de waarde leeg."""
    return [{**r, **dict.fromkeys(kolommen)} if r[vlag] else r for r in rijen]


def maak_publicatie(pad: Path, zonder: str | None = None, lek: bool = False) -> Path:
    """Bouwt publicatie.duckdb. ``lek=True`` vergeet de onderdrukking (om de weigering te testen)."""
    cijfers = _warehouse_cijfers()
    meerjarig = _warehouse_meerjarig(cijfers)
    vergelijking = _warehouse_vergelijking(cijfers)
    perioden = _warehouse_perioden()
    if not lek:
        cijfers = _publish_view(cijfers, "onderdrukt", ("teller", "waarde", "se", "ci_onder", "ci_boven"))
        meerjarig = _publish_view(
            meerjarig, "onderdrukt_3jaar", ("waarde_3jaar", "se_3jaar", "ci_onder_3jaar", "ci_boven_3jaar")
        )
        perioden = _publish_view(perioden, "onderdrukt", ("n", "waarde", "se", "ci_onder", "ci_boven"))
    inhoud = {
        "marts.dim_gemeente": GEMEENTEN,
        "marts.dim_indicator": INDICATOREN,
        "marts.dim_wijk": [("WK192401", "Dirksland", "GM1924"), ("WK036301", "Centrum", "GM0363")],
        "marts.fct_indicator_jaar": cijfers,
        "marts.fct_indicator_meerjarig": meerjarig,
        "marts.fct_indicator_periode": perioden,
        "marts.fct_vergelijking": vergelijking,
        "marts.fct_verhalen": VERHALEN,
        "kwaliteit.leveringen": LEVERINGEN,
    }
    return schrijf_publicatie(pad, inhoud, schema=SCHEMA, zonder=zonder, gepubliceerde_rijen=4)


@pytest.fixture
def publicatie(tmp_path) -> Path:
    return maak_publicatie(tmp_path / "publicatie.duckdb")


@pytest.fixture(scope="module")
def werkmap_goeree(tmp_path_factory) -> Path:
    """Eén werkmap voor de tests die haar alleen lezen."""
    map_ = tmp_path_factory.mktemp("goeree")
    return export_municipality_workbook(maak_publicatie(map_ / "publicatie.duckdb"), "GM1924", map_ / "uit")


def _xml_parts(pad: Path) -> dict[str, str]:
    with zipfile.ZipFile(pad) as z:
        return {
            n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml") or n.endswith(".rels")
        }


def _all_cells(wb):
    for ws in wb.worksheets:
        for rij in ws.iter_rows():
            for cel in rij:
                if cel.value is not None:
                    yield ws.title, cel


def _row_with(ws, **criteria) -> list:
    kolom = {k: KOPPEN_CIJFERS.index(k) for k in KOPPEN_CIJFERS}
    for rij in ws.iter_rows(min_row=2):
        if all(rij[kolom[k]].value == v for k, v in criteria.items()):
            return list(rij)
    raise AssertionError(f"geen rij met {criteria} in {ws.title}")


def _cell(rij: list, kop: str):
    return rij[KOPPEN_CIJFERS.index(kop)]


# -------------------------------------------------------------------------------------- formule-injectie


@pytest.mark.parametrize("tekst", KWAADAARDIG)
def test_write_text_houdt_gevaarlijke_tekst_als_tekst(tekst):
    ws = openpyxl.Workbook().active
    cel = write_text(ws["A1"], tekst)
    assert cel.value == tekst.replace("\r", "\n")
    assert cel.data_type == "s"
    assert cel.quotePrefix is True


@pytest.mark.parametrize("tekst", ["Amsterdam", "– ", "–", "2015–2024", "< 100", " =1+1"])
def test_write_text_laat_gewone_tekst_zonder_voorvoegsel(tekst):
    ws = openpyxl.Workbook().active
    cel = write_text(ws["A1"], tekst)
    assert cel.value == tekst and cel.data_type == "s"
    assert cel.quotePrefix is False  # "–" (en-dash) is geen "-"


def test_write_text_laat_stuurtekens_weg():
    ws = openpyxl.Workbook().active
    assert write_text(ws["A1"], "a\x07b\x00c").value == "abc"


def test_werkmap_opent_en_kwaadaardige_tekst_blijft_inert(publicatie, tmp_path):
    paden = [
        export_municipality_workbook(publicatie, "GM0999", tmp_path / "uit"),
        export_municipality_workbook(publicatie, "GM1924", tmp_path / "uit"),
        export_national_workbook(publicatie, tmp_path / "uit"),
    ]
    gevonden: set[str] = set()
    for pad in paden:
        wb = openpyxl.load_workbook(pad)  # opent zonder fout
        for _, cel in _all_cells(wb):
            assert cel.data_type != "f", f"formule in {pad.name}!{cel.coordinate}: {cel.value!r}"
            if isinstance(cel.value, str) and (
                cel.value in GELEZEN or cel.value.startswith(exporten.GEVAARLIJKE_BEGINTEKENS)
            ):
                assert cel.data_type == "s" and cel.quotePrefix, cel.coordinate
                gevonden.add(cel.value)
        for naam, xml in _xml_parts(pad).items():
            assert not re.search(r"<f[\s>/]", xml), f"<f>-element in {pad.name}:{naam}"
        assert 'quotePrefix="1"' in _xml_parts(pad)["xl/styles.xml"]
    assert GELEZEN <= gevonden  # elk kwaadaardig stuk tekst staat er, letterlijk, als tekst
    assert f"{KWAADAARDIGE_NAAM} (GM0999)" in gevonden  # ook samengestelde tekst (Verantwoording)


def test_kwaadaardige_gemeentenaam_in_eigen_werkmap(publicatie, tmp_path):
    wb = openpyxl.load_workbook(export_municipality_workbook(publicatie, "GM0999", tmp_path / "uit"))
    cel = wb["Institutioneel"]["A2"]
    assert cel.value == KWAADAARDIGE_NAAM and cel.data_type == "s" and cel.quotePrefix
    assert wb.properties.title == f"Basismonitor – {KWAADAARDIGE_NAAM} (GM0999)"
    verantwoording = [c.value for _, c in _all_cells(wb) if _ == "Verantwoording"]
    assert KWAADAARDIG_BESTAND in verantwoording


# ------------------------------------------------------------------------------------------ indeling


def test_werkmap_gemeente_indeling_en_eigenschappen(werkmap_goeree):
    assert werkmap_goeree.name == "basismonitor_GM1924.xlsx"
    wb = openpyxl.load_workbook(werkmap_goeree)
    assert wb.sheetnames == [
        "Persoonlijk",
        "Gemeenschappelijk",
        "Institutioneel",
        "Perioden",
        "Verhalen",
        "Indicatoren",
        "Verantwoording",
    ]
    assert wb.properties.creator == "Basismonitor"
    assert wb.properties.title == "Basismonitor – Goeree-Overflakkee (GM1924)"
    for blad in ("Persoonlijk", "Gemeenschappelijk", "Institutioneel"):
        ws = wb[blad]
        assert [c.value for c in ws[1]] == KOPPEN_CIJFERS
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
    # Kolommen zijn breed genoeg voor de langste indicatornaam (tot een maximum).
    assert wb["Institutioneel"].column_dimensions["C"].width >= len("Ongelijkheid van deelname tussen wijken")
    assert wb["Institutioneel"].column_dimensions["C"].width <= 45
    # Eén rij per indicator x jaar; het autofilter beslaat kop en rijen, niet de voetnoot.
    assert wb["Persoonlijk"].auto_filter.ref == f"A1:AA{1 + len(JAREN)}"
    assert wb["Institutioneel"].auto_filter.ref == f"A1:AA{1 + 2 * len(JAREN)}"
    # Niets blijft achter naast de werkmap.
    assert [p.name for p in werkmap_goeree.parent.iterdir()] == ["basismonitor_GM1924.xlsx"]


def test_getallen_zijn_getallen_met_opmaak_per_eenheid(werkmap_goeree):
    wb = openpyxl.load_workbook(werkmap_goeree)
    rij = _row_with(wb["Persoonlijk"], Jaar=2018)
    waarde = _cell(rij, "Waarde")
    assert waarde.data_type == "n" and waarde.value == pytest.approx(45.67)
    assert waarde.number_format == "#,##0.0"
    assert _cell(rij, "Ondergrens 95%").value == pytest.approx(42.87)
    assert _cell(rij, "Teller").value == pytest.approx(523.4)
    assert _cell(rij, "Teller").number_format == "#,##0.0"  # gewogen teller: één decimaal
    assert _cell(rij, "Noemer").value == 1146 and _cell(rij, "Noemer").number_format == "#,##0"
    assert _cell(rij, "n").value == 1146 and _cell(rij, "n").data_type == "n"
    jaar = _cell(rij, "Jaar")
    assert jaar.value == 2018 and jaar.data_type == "n" and jaar.number_format == "0"
    institutioneel = wb["Institutioneel"]
    deelname = _row_with(institutioneel, Indicatorcode="i_deelnames_per_1000", Jaar=2023)
    assert _cell(deelname, "Waarde").value == pytest.approx(123_456.7 / 51)
    assert _cell(deelname, "Teller").value == pytest.approx(123_456.7)
    gini = _row_with(institutioneel, Indicatorcode="i_gini_deelname_wijken", Jaar=2018)
    assert _cell(gini, "Waarde").number_format == "#,##0.00"
    assert _cell(gini, "Teller").value == "–"  # geen teller bij deze indicator, maar niet onderdrukt
    assert _cell(gini, "Opmerking").value is None


def test_driejaarswaarde_trend_en_vergelijking(werkmap_goeree):
    ws = openpyxl.load_workbook(werkmap_goeree)["Persoonlijk"]
    rij = _row_with(ws, Jaar=2023)
    assert _cell(rij, "Driejaarswaarde").value == pytest.approx(55.67)
    assert _cell(rij, "Trend").value == "stijgend" and _cell(rij, "Trendperiode").value == "2018–2023"
    assert _cell(rij, "Vergelijkingsgroep").value == "\n=2+2"  # CR gelezen als LF
    assert _cell(rij, "Waarde vergelijkingsgroep").value == pytest.approx(44.25)
    assert _cell(rij, "t.o.v. vergelijkingsgroep").value == "boven de 95%-grens"
    # de referentie heet naar wat ze is (uit de mart), met de wijziging van haar samenstelling ernaast
    assert _cell(rij, "Referentie").value == REFERENTIE_MONITOR
    assert _cell(rij, "Waarde referentie").value == pytest.approx(42.125)
    assert _cell(rij, "t.o.v. referentie").value == "boven de 99,8%-grens"
    assert _cell(rij, "Samenstelling referentie").value == "andere gemeenten dan in 2022: 1 erbij en 1 eruit"
    assert not any("Nederland" in str(c.value) for c in ws[1])  # geen kop noemt Nederland
    eerste = _row_with(ws, Jaar=2018)
    assert (
        _cell(eerste, "Trend").value == "onvoldoende gegevens"
        and _cell(eerste, "Trendperiode").value == "2018"
    )
    assert _cell(eerste, "t.o.v. referentie").value == "binnen de grenzen"
    assert _cell(eerste, "Samenstelling referentie").value == "–"
    # zonder groepsreferentie of zonder grenzen: de reden uit de mart
    vrijwilligers = _row_with(openpyxl.load_workbook(werkmap_goeree)["Gemeenschappelijk"], Jaar=2023)
    assert _cell(vrijwilligers, "t.o.v. vergelijkingsgroep").value == f"geen vergelijking: {REDEN_GEEN_GROEP}"
    assert _cell(vrijwilligers, "Waarde vergelijkingsgroep").value == "–"
    assert _cell(vrijwilligers, "Referentie").value == "Nederland (alle 342 gemeenten)"
    assert _cell(vrijwilligers, "t.o.v. referentie").value == (
        "geen standaardfout voor deze gemeente: geen trechtergrenzen"
    )


def test_onderdrukt_jaar_toont_streepje_met_voetnoot_en_lekt_niets(publicatie, tmp_path):
    for pad in (
        export_municipality_workbook(publicatie, "GM1924", tmp_path / "uit"),
        export_national_workbook(publicatie, tmp_path / "uit"),
    ):
        wb = openpyxl.load_workbook(pad)
        ws = wb["Gemeenschappelijk"]
        rij = _row_with(ws, Gemeentecode="GM1924", Jaar=ONDERDRUKT_JAAR)
        for kop in ("Waarde", "Ondergrens 95%", "Bovengrens 95%", "Teller", "Noemer"):
            assert _cell(rij, kop).value == "–", kop
        assert _cell(rij, "n").value == "< 100"
        assert _cell(rij, "Opmerking").value.startswith("Niet getoond: minder dan 100 waarnemingen")
        drie = _row_with(ws, Gemeentecode="GM1924", Jaar=ONDERDRUKT_3JAAR)
        assert _cell(drie, "Waarde").data_type == "n"  # het jaarcijfer zelf is er wel
        assert _cell(drie, "Driejaarswaarde").value == "–"
        assert "Driejaarswaarde niet getoond" in _cell(drie, "Opmerking").value
        # Voetnoot onder de tabel: de regel en het minimum per indicator.
        onder_tabel = [c.value for c in ws["A"][int(ws.auto_filter.ref.split(":AA")[1]) :] if c.value]
        assert onder_tabel[0] == (
            "– Cijfers op minder dan n waarnemingen (minimum per indicator, zie catalogus) worden niet getoond: –"
        )
        assert "Doet vrijwilligerswerk (g_vrijwilligerswerk): 100" in onder_tabel
        assert any("2 cijfers om die reden niet getoond" in t for t in onder_tabel)
        # De echte waarden van de onderdrukte cijfers staan nergens, in geen enkele vorm.
        for blad, cel in _all_cells(wb):
            if isinstance(cel.value, int | float) and not isinstance(cel.value, bool):
                assert all(cel.value != pytest.approx(v, abs=0.05) for v in VERBODEN_GETALLEN), (blad, cel)
            if isinstance(cel.value, str):
                assert not any(t in cel.value for t in VERBODEN_TEKST), (blad, cel.coordinate, cel.value)
        ruw = "".join(_xml_parts(pad).values())
        assert not any(t in ruw for t in VERBODEN_TEKST)


def test_dekking_per_jaar_met_wie_niet_leverde(werkmap_goeree):
    ws = openpyxl.load_workbook(werkmap_goeree)["Persoonlijk"]
    deels = _row_with(ws, Jaar=2018)
    # 97,7 (naar beneden afgerond: een deel is nooit 100), als getal met één decimaal
    assert _cell(deels, "Dekking (% inwoners)").value == pytest.approx(97.7)
    assert _cell(deels, "Dekking (% inwoners)").number_format == "0.0"
    assert (
        _cell(deels, "Niet geleverd door").value == "Goedereede (GM0511)"
    )  # naam uit dim_gemeente.voorgangers
    assert _cell(deels, "Opmerking").value == (
        "Alleen het deel dat leverde (zonder Goedereede; 97,7% van de inwoners)"
    )
    assert _cell(deels, "Waarde").value == pytest.approx(45.67)  # het cijfer zelf staat er gewoon
    volledig = _row_with(ws, Jaar=2019)
    assert _cell(volledig, "Dekking (% inwoners)").value == 100
    assert _cell(volledig, "Niet geleverd door").value is None and _cell(volledig, "Opmerking").value is None
    # De uitleg staat onder de tabel.
    assert any(str(c.value).startswith("Dekking (% inwoners): het deel van de inwoners") for c in ws["A"])


def test_dekking_onbekend_en_code_zonder_naam(publicatie, tmp_path):
    con = duckdb.connect(str(publicatie))
    con.execute(
        "UPDATE marts.fct_indicator_jaar SET dekking = NULL, dekking_ontbrekend = ['GM0511', 'GM9998'] "
        "WHERE gemeentecode = 'GM1924' AND jaar = 2020 AND indicator_code = 'p_mantelzorg_geven'"
    )
    con.close()
    ws = openpyxl.load_workbook(export_municipality_workbook(publicatie, "GM1924", tmp_path / "uit"))[
        "Persoonlijk"
    ]
    rij = _row_with(ws, Jaar=2020)
    assert _cell(rij, "Dekking (% inwoners)").value == "onbekend"
    assert _cell(rij, "Niet geleverd door").value == "Goedereede (GM0511) en GM9998"
    assert "(zonder Goedereede en GM9998; aandeel van de inwoners onbekend)" in _cell(rij, "Opmerking").value


def test_trend_gevoelig_voor_een_jaar_in_de_trendkolom(werkmap_goeree):
    wb = openpyxl.load_workbook(werkmap_goeree)
    vrijwilligers = _row_with(wb["Gemeenschappelijk"], Jaar=2023)
    assert _cell(vrijwilligers, "Trend").value == "stijgend (gevoelig voor één jaar)"
    mantelzorg = _row_with(wb["Persoonlijk"], Jaar=2023)
    assert _cell(mantelzorg, "Trend").value == "stijgend"  # trend_gevoelig onwaar
    assert _cell(_row_with(wb["Persoonlijk"], Jaar=2018), "Trend").value == "onvoldoende gegevens"
    assert any("'Gevoelig voor één jaar'" in str(c.value) for c in wb["Persoonlijk"]["A"])


def test_driejaarswaarde_zegt_waarom_en_verwijst_naar_de_periode(werkmap_goeree):
    ws = openpyxl.load_workbook(werkmap_goeree)["Gemeenschappelijk"]
    opmerking = _cell(_row_with(ws, Jaar=ONDERDRUKT_3JAAR), "Opmerking").value
    assert opmerking == (
        "Driejaarswaarde niet getoond: een jaar in het venster is onderdrukt of beschrijft maar een deel van "
        "de gemeente; zie de gepoolde periode (tabblad Perioden)"
    )
    assert "minder dan" not in opmerking


def test_perioden_blad(werkmap_goeree):
    ws = openpyxl.load_workbook(werkmap_goeree)["Perioden"]
    assert [c.value for c in ws[1]] == exporten.KOPPEN_PERIODEN
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:M3"
    koppen = exporten.KOPPEN_PERIODEN
    rijen = [{k: c for k, c in zip(koppen, r, strict=True)} for r in ws.iter_rows(min_row=2, max_row=3)]
    assert [r["Periode"].value for r in rijen] == ["2018–2020", "2021–2023"]  # alleen Goeree-Overflakkee
    gepubliceerd, onderdrukt = rijen
    assert (
        gepubliceerd["Waarde"].value == pytest.approx(30.75)
        and gepubliceerd["Waarde"].number_format == "#,##0.0"
    )
    assert gepubliceerd["n"].value == 3600 and gepubliceerd["Jaren met gegevens"].value == 3
    assert gepubliceerd["Opmerking"].value is None
    for kop in ("Waarde", "Ondergrens 95%", "Bovengrens 95%", "n"):
        assert onderdrukt[kop].value == "–", kop
    assert onderdrukt["Jaren afzonderlijk niet getoond"].value == 1
    assert onderdrukt["Opmerking"].value.startswith("Niet getoond: te weinig waarnemingen")
    assert any(str(c.value).startswith("Gepoolde perioden: de waarnemingen") for c in ws["A"])


def test_landelijke_werkmap_heeft_alle_perioden(publicatie, tmp_path):
    ws = openpyxl.load_workbook(export_national_workbook(publicatie, tmp_path / "uit"))["Perioden"]
    # op gemeente (alfabetisch), dan sfeer, indicator en periode
    rijen = [(r[0].value, r[3].value, r[5].value) for r in ws.iter_rows(min_row=2, max_row=4)]
    assert rijen == [
        ("Amsterdam", "p_mantelzorg_geven", "2021–2023"),
        ("Goeree-Overflakkee", "g_vrijwilligerswerk", "2018–2020"),
        ("Goeree-Overflakkee", "g_vrijwilligerswerk", "2021–2023"),
    ]


def test_verhalen_alleen_van_de_gemeente(werkmap_goeree):
    ws = openpyxl.load_workbook(werkmap_goeree)["Verhalen"]
    assert [c.value for c in ws[1]] == ["Titel", "Jaar", "Sfeer", "Wijkcode", "Tekst"]
    rijen = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert rijen == [
        ["Koffie bij de buren", 2022, "persoonlijk", "WK192401", "De buurvrouw stond er."],
        [KWAADAARDIGE_TITEL, 2023, "gemeenschappelijk", KWAADAARDIGE_WIJK, KWAADAARDIGE_TEKST],
    ]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E3"


def test_indicatoren_catalogus(werkmap_goeree):
    ws = openpyxl.load_workbook(werkmap_goeree)["Indicatoren"]
    koppen = [c.value for c in ws[1]]
    assert koppen[:3] == ["Code", "Naam", "Sfeer"] and "Minimum n" in koppen and "Toelichting" in koppen
    codes = [c.value for c in ws["A"][1:]]
    assert codes == [
        "p_mantelzorg_geven",
        "g_vrijwilligerswerk",
        "i_deelnames_per_1000",
        "i_gini_deelname_wijken",
    ]
    vrijwilligers = {k: c.value for k, c in zip(koppen, ws[3], strict=True)}
    assert vrijwilligers["Minimum n"] == 100 and vrijwilligers["Richting gunstig"] == "hoger"
    assert vrijwilligers["Tellerdefinitie"] == "Gewogen aantal vrijwilligers"


def test_verantwoording_noemt_publicatie_en_gebruikte_leveringen(werkmap_goeree):
    ws = openpyxl.load_workbook(werkmap_goeree)["Verantwoording"]
    waarden = [c.value for rij in ws.iter_rows() for c in rij if c.value is not None]
    tekst = " | ".join(str(w) for w in waarden)
    assert "Gepubliceerd op | 2 april 2024" in tekst
    assert "Goeree-Overflakkee (GM1924)" in tekst
    assert "burgerpeiling_goeree.sav" in tekst and "deelname_goeree_2023.csv" in tekst
    assert "a" * 64 in waarden and "b" * 64 in waarden
    assert datetime(2024, 3, 5, 10, 0) in waarden  # ontvangen op, als echte datum
    assert "burgerpeiling_amsterdam.sav" not in tekst and "kapot_bestand.csv" not in tekst
    assert "minder dan n waarnemingen" in tekst and "geen ranglijsten" in tekst


def test_landelijke_werkmap_alfabetisch_zonder_ranglijst(publicatie, tmp_path):
    pad = export_national_workbook(publicatie, tmp_path / "uit")
    assert pad == tmp_path / "uit" / "basismonitor_landelijk.xlsx"
    wb = openpyxl.load_workbook(pad)
    assert wb.sheetnames == [
        "Persoonlijk",
        "Gemeenschappelijk",
        "Institutioneel",
        "Perioden",
        "Gemeenten",
        "Indicatoren",
        "Verantwoording",
    ]
    ws = wb["Persoonlijk"]
    rijen = [
        (r[0].value, r[3].value, r[5].value) for r in ws.iter_rows(min_row=2, max_row=1 + 2 * len(JAREN))
    ]
    assert rijen == sorted(rijen, key=lambda r: (r[0].lower(), r[1], r[2]))
    assert [r[0] for r in rijen[:: len(JAREN)]] == ["Amsterdam", "Goeree-Overflakkee"]
    gemeenten = [[c.value for c in r] for r in wb["Gemeenten"].iter_rows(min_row=2)]
    assert [g[0] for g in gemeenten] == ["GM0999", "GM0363", "GM1924"]  # Groningen heeft geen cijfers
    assert gemeenten[1][5] == 882_633
    verantwoording = " ".join(str(c.value) for _, c in _all_cells(wb) if _ == "Verantwoording")
    assert "burgerpeiling_amsterdam.sav" in verantwoording and "kapot_bestand.csv" not in verantwoording
    assert not any(k in wb.sheetnames for k in ("Verhalen", "Rangorde"))


def test_gemeente_zonder_cijfers_krijgt_een_nette_werkmap(publicatie, tmp_path):
    wb = openpyxl.load_workbook(export_municipality_workbook(publicatie, "GM0014", tmp_path / "uit"))
    for blad in ("Persoonlijk", "Gemeenschappelijk", "Institutioneel"):
        assert wb[blad]["A2"].value == "Er zijn (nog) geen cijfers voor deze sfeer."
    assert wb["Verhalen"]["A2"].value == "Er zijn (nog) geen verhalen uit Groningen."


# ------------------------------------------------------------------------------------------------ Parquet


def test_parquet_van_elke_mart_gelijk_aan_de_publicatie(publicatie, tmp_path):
    paden = export_parquet(publicatie, tmp_path / "uit")
    assert sorted(p.name for p in paden) == sorted(
        [
            "dim_gemeente.parquet",
            "dim_indicator.parquet",
            "dim_wijk.parquet",  # niet hard gecodeerd: ontdekt in schema marts
            "fct_indicator_jaar.parquet",
            "fct_indicator_meerjarig.parquet",
            "fct_indicator_periode.parquet",
            "fct_vergelijking.parquet",
            "fct_verhalen.parquet",
            "leveringen.parquet",
        ]
    )
    assert all(p.parent == tmp_path / "uit" / "parquet" for p in paden)
    con = duckdb.connect(str(publicatie), read_only=True)
    try:
        for pad in paden:
            tabel = "kwaliteit.leveringen" if pad.stem == "leveringen" else f"marts.{pad.stem}"
            assert_frame_equal(pl.read_parquet(pad), con.sql(f"SELECT * FROM {tabel}").pl())
    finally:
        con.close()
    jaar = pl.read_parquet(tmp_path / "uit" / "parquet" / "fct_indicator_jaar.parquet")
    onderdrukt = jaar.filter(pl.col("onderdrukt"))
    assert onderdrukt.height == 1
    assert onderdrukt.select("waarde", "se", "ci_onder", "ci_boven", "teller").null_count().row(0) == (1,) * 5
    # Geen enkele getalkolom van geen enkel bestand bevat een echte onderdrukte waarde.
    verboden = [v for v in VERBODEN_GETALLEN if v not in (ECHT_ONDERDRUKT["n"], ECHT_ONDERDRUKT["noemer"])]
    for pad in paden:
        df = pl.read_parquet(pad)
        for kolom in df.select(pl.selectors.float()).columns:
            for v in verboden:
                assert df.filter((pl.col(kolom) - v).abs() < 1e-6).height == 0, (pad.name, kolom, v)


# --------------------------------------------------------------------------------------------- export_all


def test_export_all_leest_een_keer_en_schrijft_alles(publicatie, tmp_path, monkeypatch):
    verbindingen = []
    echt = duckdb.connect

    def tel(*args, **kwargs):
        verbindingen.append(args)
        return echt(*args, **kwargs)

    monkeypatch.setattr(publicatielezer.duckdb, "connect", tel)
    uit = tmp_path / "alles"
    paden = export_all(publicatie, uit)
    assert len(verbindingen) == 1
    namen = [str(p.relative_to(uit)) for p in paden]
    assert namen[:4] == [
        "basismonitor_landelijk.xlsx",
        "basismonitor_GM0363.xlsx",
        "basismonitor_GM0999.xlsx",
        "basismonitor_GM1924.xlsx",
    ]
    assert "basismonitor_GM0014.xlsx" not in namen  # Groningen heeft geen cijfers
    assert sum(n.startswith("parquet/") for n in namen) == 9
    assert all(p.is_file() for p in paden)
    alles = sorted(str(p.relative_to(uit)) for p in uit.rglob("*") if p.is_file())
    assert alles == sorted(namen)  # geen tijdelijke bestanden achtergebleven
    amsterdam = openpyxl.load_workbook(uit / "basismonitor_GM0363.xlsx")
    assert amsterdam["Verhalen"]["E2"].value == "Een verhaal uit Amsterdam."
    assert {c.value for c in amsterdam["Persoonlijk"]["B"][1 : 1 + len(JAREN)]} == {"GM0363"}


def test_bestaand_bestand_blijft_heel_als_schrijven_mislukt(publicatie, tmp_path, monkeypatch):
    uit = tmp_path / "uit"
    pad = export_municipality_workbook(publicatie, "GM1924", uit)
    voor = pad.read_bytes()

    def kapot(self, bestandsnaam):
        Path(bestandsnaam).write_bytes(b"half")
        raise OSError("schijf vol")

    monkeypatch.setattr(openpyxl.Workbook, "save", kapot)
    with pytest.raises(OSError, match="schijf vol"):
        export_municipality_workbook(publicatie, "GM1924", uit)
    assert pad.read_bytes() == voor
    assert [p.name for p in uit.iterdir()] == ["basismonitor_GM1924.xlsx"]


def test_verbinding_is_na_de_export_gesloten(publicatie, tmp_path):
    export_all(publicatie, tmp_path / "uit")
    con = duckdb.connect(str(publicatie))  # een open alleen-lezen verbinding zou dit blokkeren
    con.execute("CREATE TABLE marts.proef (x INTEGER)")
    con.close()


# ------------------------------------------------------------------------------------------------ fouten


def test_ontbrekende_publicatie_geeft_duidelijke_fout(tmp_path):
    for export in (
        lambda p: export_all(p, tmp_path / "uit"),
        lambda p: export_parquet(p, tmp_path / "uit"),
        lambda p: export_national_workbook(p, tmp_path / "uit"),
        lambda p: export_municipality_workbook(p, "GM1924", tmp_path / "uit"),
    ):
        with pytest.raises(FileNotFoundError, match="De publicatie .*nergens.duckdb bestaat niet"):
            export(tmp_path / "nergens.duckdb")
    assert not (tmp_path / "uit").exists()


def test_onbekende_gemeente_geeft_valueerror(publicatie, tmp_path):
    with pytest.raises(ValueError, match="Gemeente GM9999 komt niet voor in de publicatie"):
        export_municipality_workbook(publicatie, "GM9999", tmp_path / "uit")
    assert not (tmp_path / "uit").exists()


@pytest.mark.parametrize("tabel", list(exporten.VEREISTE_TABELLEN))
def test_ontbrekende_tabel_geeft_duidelijke_fout_en_schrijft_niets(tmp_path, tabel):
    pad = maak_publicatie(tmp_path / "onvolledig.duckdb", zonder=tabel)
    with pytest.raises(OnvolledigePublicatie, match=re.escape(tabel)) as fout:
        export_all(pad, tmp_path / "uit")
    assert "onvolledig" in str(fout.value)
    assert not (tmp_path / "uit").exists()


def test_parquet_zonder_leveringen_geeft_duidelijke_fout(tmp_path):
    pad = maak_publicatie(tmp_path / "onvolledig.duckdb", zonder="kwaliteit.leveringen")
    with pytest.raises(OnvolledigePublicatie, match="kwaliteit.leveringen ontbreekt"):
        export_parquet(pad, tmp_path / "uit")


def test_geschonden_onderdrukking_wordt_geweigerd(tmp_path):
    pad = maak_publicatie(tmp_path / "lek.duckdb", lek=True)
    for export in (export_all, export_parquet, export_national_workbook):
        with pytest.raises(OnderdrukkingGeschonden, match="onderdrukt hadden moeten zijn") as fout:
            export(pad, tmp_path / "uit")
        assert "marts.fct_indicator_jaar.waarde (1 rij)" in str(fout.value)
        assert "marts.fct_indicator_meerjarig.waarde_3jaar" in str(fout.value)
        assert "marts.fct_indicator_periode.waarde (1 rij)" in str(fout.value)
    assert not (tmp_path / "uit").exists()


def test_werkmap_kijkt_naar_de_vlag_niet_naar_lege_cellen(tmp_path, monkeypatch):
    """Tweede verdediging: ook als de controle vooraf zou ontbreken, toont de werkmap geen onderdrukt cijfer."""
    pad = maak_publicatie(tmp_path / "lek.duckdb", lek=True)
    monkeypatch.setattr(exporten, "_check_suppression", lambda data: None)
    werkmap = export_municipality_workbook(pad, "GM1924", tmp_path / "uit")
    wb = openpyxl.load_workbook(werkmap)
    rij = _row_with(wb["Gemeenschappelijk"], Jaar=ONDERDRUKT_JAAR)
    assert _cell(rij, "Waarde").value == "–" and _cell(rij, "n").value == "< 100"
    assert _cell(_row_with(wb["Gemeenschappelijk"], Jaar=ONDERDRUKT_3JAAR), "Driejaarswaarde").value == "–"
    for blad, cel in _all_cells(wb):
        if isinstance(cel.value, int | float) and not isinstance(cel.value, bool):
            assert all(cel.value != pytest.approx(v, abs=0.05) for v in VERBODEN_GETALLEN), (blad, cel)
    assert not any(t in "".join(_xml_parts(werkmap).values()) for t in VERBODEN_TEKST)


def test_exporten_importeert_geen_orchestratie_of_dagster():
    code = (
        "import sys, rapportages.exporten\n"
        "verboden = [m for m in sys.modules if m.split('.')[0] in ('dagster', 'orchestratie', 'bronnen')]\n"
        "assert not verboden, verboden\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_export_all_over_processen_geeft_dezelfde_werkmappen(publicatie, tmp_path):
    """Landelijk (343 werkmappen) verdeelt export_all de werkmappen over processen; de inhoud is dezelfde
    als in één proces, en de landelijke werkmap staat voorop."""
    los = export_all(publicatie, tmp_path / "los", werkers=1)
    parallel = export_all(publicatie, tmp_path / "parallel", werkers=2)
    assert [p.relative_to(tmp_path / "parallel") for p in parallel] == [
        p.relative_to(tmp_path / "los") for p in los
    ]
    assert parallel[0].name == "basismonitor_landelijk.xlsx"
    for a, b in zip(los, parallel, strict=True):
        if a.suffix != ".xlsx":
            continue
        wa, wb = openpyxl.load_workbook(a), openpyxl.load_workbook(b)
        assert wa.sheetnames == wb.sheetnames
        for blad in wa.sheetnames:
            assert _cells(wa[blad]) == _cells(wb[blad]), f"{a.name}: blad {blad}"


def _cells(ws) -> list[list[object]]:
    """De celwaarden van een blad, zonder de regel 'Gemaakt op' (tijd op de minuut)."""
    return [[c.value for c in r] for r in ws.iter_rows() if r[0].value != "Gemaakt op"]
