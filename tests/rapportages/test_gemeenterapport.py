"""Het meerjarige gemeenterapport, tegen een kleine publicatie die de test zelf opbouwt."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from rapportages.gemeenterapport import (
    OnvolledigePublicatie,
    render_all_reports,
    render_municipality_report,
)
from rapportages.grafieken import Jaarpunt, nice_ticks, trajectory_chart
from rapportages.opmaak import (
    format_count,
    format_date,
    format_interval,
    format_number,
    join_dutch,
)

JAREN = range(2018, 2024)  # 2018..2023
ONDERDRUKT_JAAR = 2021

SCHEMA = {
    "marts.dim_gemeente": """
        gemeentecode VARCHAR, gemeentenaam VARCHAR, provincie VARCHAR, gemeentegrootte VARCHAR,
        stedelijkheid VARCHAR, inwoners_2022 BIGINT, voorgangers VARCHAR""",
    "marts.dim_indicator": """
        indicator_code VARCHAR, naam VARCHAR, sfeer VARCHAR, bron VARCHAR, eenheid VARCHAR,
        teller_definitie VARCHAR, noemer_definitie VARCHAR, minimum_n INTEGER, richting_gunstig VARCHAR,
        toelichting VARCHAR""",
    "marts.fct_indicator_jaar": """
        gemeentecode VARCHAR, jaar INTEGER, indicator_code VARCHAR, teller DOUBLE, noemer DOUBLE, n BIGINT,
        waarde DOUBLE, se DOUBLE, ci_onder DOUBLE, ci_boven DOUBLE, onderdrukt BOOLEAN,
        bron_leveringen VARCHAR[]""",
    "marts.fct_verhalen": """
        verhaal_id VARCHAR, gemeentecode VARCHAR, wijkcode VARCHAR, jaar INTEGER, sfeer VARCHAR,
        titel VARCHAR, tekst VARCHAR""",
    "kwaliteit.leveringen": """
        levering_id VARCHAR, bron VARCHAR, bestandsnaam VARCHAR, sha256 VARCHAR, ontvangen_op TIMESTAMP,
        rijen BIGINT, status VARCHAR, reden VARCHAR, vervangt VARCHAR""",
}

GEMEENTEN = [
    (
        "GM1924",
        "Goeree-Overflakkee",
        "Zuid-Holland",
        "50 000 tot 100 000 inwoners",
        "Weinig stedelijk",
        51_000,
        "GM0499 Dirksland, GM0511 Goedereede, GM0580 Middelharnis",
    ),
    (
        "GM0363",
        "Amsterdam",
        "Noord-Holland",
        "100 000 inwoners of meer",
        "Zeer sterk stedelijk",
        882_633,
        None,
    ),
    # Een gemeente zonder cijfers: krijgt bij render_all_reports geen rapport.
    ("GM0014", "Groningen", "Groningen", "100 000 inwoners of meer", "Sterk stedelijk", 234_649, None),
]

INDICATOREN = [
    (
        "i_deelnames_per_1000",
        "Deelnames aan activiteiten per 1.000 inwoners",
        "institutioneel",
        "deelname",
        "per 1.000 inwoners",
        "Aantal deelnames",
        "Aantal inwoners",
        10,
        None,
        "Bezoeken aan activiteiten.",
    ),
    (
        "p_mantelzorg_geven",
        "Geeft mantelzorg",
        "persoonlijk",
        "enquete",
        "percentage",
        "Gewogen aantal mantelzorgers",
        "Gewogen aantal geldige antwoorden",
        100,
        None,
        "Aandeel volwassen inwoners dat mantelzorg geeft.",
    ),
    (
        "g_vrijwilligerswerk",
        "Doet vrijwilligerswerk",
        "gemeenschappelijk",
        "enquete",
        "percentage",
        "Gewogen aantal vrijwilligers",
        "Gewogen aantal geldige antwoorden",
        100,
        "hoger",
        "Aandeel volwassen inwoners dat vrijwilligerswerk doet.",
    ),
]

LEVERINGEN = [
    (
        "lev-enq-1",
        "enquete",
        "burgerpeiling_goeree.sav",
        "a" * 64,
        datetime(2024, 3, 5, 10, 0),
        1234,
        "geaccepteerd",
        None,
        None,
    ),
    (
        "lev-dln-1",
        "deelname",
        "deelname_goeree_2023.csv",
        "b" * 64,
        datetime(2024, 2, 1, 9, 30),
        56789,
        "geaccepteerd",
        None,
        None,
    ),
    (
        "lev-ams-1",
        "enquete",
        "burgerpeiling_amsterdam.sav",
        "c" * 64,
        datetime(2024, 3, 6),
        999,
        "geaccepteerd",
        None,
        None,
    ),
    (
        "lev-afgewezen",
        "deelname",
        "kapot_bestand.csv",
        "d" * 64,
        datetime(2024, 1, 1),
        0,
        "afgewezen",
        "kolom ontbreekt",
        None,
    ),
]

SCRIPT_VERHAAL = "Ik dacht <script>alert(1)</script> dat niemand kwam, maar de buurvrouw stond er."


def _cijfers() -> list[tuple]:
    rijen = []
    for code, lev in (("GM1924", "lev-enq-1"), ("GM0363", "lev-ams-1")):
        for k, jaar in enumerate(JAREN):
            # persoonlijk: percentage met decimalen (45,67 -> "45,7")
            waarde = 45.67 + k
            rijen.append(
                (
                    code,
                    jaar,
                    "p_mantelzorg_geven",
                    523.4 + k,
                    1146.0,
                    1146,
                    waarde,
                    1.4,
                    waarde - 2.8,
                    waarde + 2.8,
                    False,
                    [lev],
                )
            )
            # gemeenschappelijk: in ONDERDRUKT_JAAR te weinig respondenten -> alles NULL behalve n/noemer
            if jaar == ONDERDRUKT_JAAR and code == "GM1924":
                rijen.append(
                    (code, jaar, "g_vrijwilligerswerk", None, 4321.0, 37, None, None, None, None, True, [lev])
                )
            else:
                waarde = 30.25 + k / 2
                rijen.append(
                    (
                        code,
                        jaar,
                        "g_vrijwilligerswerk",
                        400.0,
                        1200.0,
                        1200,
                        waarde,
                        1.3,
                        waarde - 2.6,
                        waarde + 2.6,
                        False,
                        [lev],
                    )
                )
        if code == "GM1924":
            for k, jaar in enumerate(JAREN):
                teller = 123_456.7 if jaar == 2023 else 40_000.0 + 1000 * k
                waarde = teller / 51_000 * 1000
                rijen.append(
                    (
                        code,
                        jaar,
                        "i_deelnames_per_1000",
                        teller,
                        51_000.0,
                        int(teller),
                        waarde,
                        10.0,
                        waarde - 20,
                        waarde + 20,
                        False,
                        ["lev-dln-1"],
                    )
                )
    return rijen


VERHALEN = [
    ("v1", "GM1924", "WK192401", 2022, "persoonlijk", "Koffie bij de buren", SCRIPT_VERHAAL),
    (
        "v2",
        "GM1924",
        None,
        2023,
        "gemeenschappelijk",
        None,
        "Sinds ik bij de voetbalclub help, ken ik de wijk.",
    ),
    ("v3", "GM0363", None, 2023, "institutioneel", "Het buurthuis", "Een verhaal uit Amsterdam."),
]


def maak_publicatie(pad: Path, zonder: str | None = None) -> Path:
    con = duckdb.connect(str(pad))
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE SCHEMA kwaliteit")
    inhoud = {
        "marts.dim_gemeente": GEMEENTEN,
        "marts.dim_indicator": INDICATOREN,
        "marts.fct_indicator_jaar": _cijfers(),
        "marts.fct_verhalen": VERHALEN,
        "kwaliteit.leveringen": LEVERINGEN,
    }
    for tabel, kolommen in SCHEMA.items():
        if tabel == zonder:
            continue
        con.execute(f"CREATE TABLE {tabel} ({kolommen})")
        rijen = inhoud[tabel]
        plaatsen = ", ".join("?" * len(rijen[0]))
        con.executemany(f"INSERT INTO {tabel} VALUES ({plaatsen})", rijen)
    # Zoals rapportages.publicatie vastlegt wanneer deze versie is gepubliceerd (optioneel voor het rapport).
    con.execute("CREATE TABLE kwaliteit.publicatie (tabel VARCHAR, rijen BIGINT, gepubliceerd_op TIMESTAMP)")
    con.execute(
        "INSERT INTO kwaliteit.publicatie VALUES ('marts.dim_gemeente', 3, TIMESTAMP '2024-04-02 08:00')"
    )
    con.close()
    return pad


@pytest.fixture
def publicatie(tmp_path) -> Path:
    return maak_publicatie(tmp_path / "publicatie.duckdb")


@pytest.fixture
def rapport(publicatie, tmp_path) -> str:
    pad = render_municipality_report(publicatie, "GM1924", tmp_path / "uit")
    return pad.read_text(encoding="utf-8")


def _indicatorblok(html: str, code: str) -> str:
    m = re.search(rf'<article class="indicator" id="indicator-{code}">(.*?)</article>', html, re.S)
    assert m, f"indicator {code} ontbreekt"
    return m.group(1)


def _sectie(html: str, sfeer: str) -> str:
    m = re.search(
        rf'<section class="sfeer" id="sfeer-{sfeer}".*?(?=<section class="sfeer"|<footer)', html, re.S
    )
    assert m, f"sfeer {sfeer} ontbreekt"
    return m.group(0)


# ------------------------------------------------------------------------------------------------- opmaak


@pytest.mark.parametrize(
    ("waarde", "decimalen", "verwacht"),
    [
        (12.345, 1, "12,3"),
        (1234567, 0, "1.234.567"),
        (1234.5, 2, "1.234,50"),
        (999.95, 1, "1.000,0"),
        (0.05, 1, "0,1"),  # half naar boven, niet naar even
        (2.5, 0, "3"),
        (-1234.56, 1, "-1.234,6"),
        (-0.04, 1, "0,0"),  # geen "-0,0"
        (0, 0, "0"),
        (100, 1, "100,0"),
        (None, 1, "–"),
        (math.nan, 1, "–"),
        (math.inf, 0, "–"),
    ],
)
def test_format_number(waarde, decimalen, verwacht):
    assert format_number(waarde, decimals=decimalen) == verwacht


def test_format_number_standaard_zonder_decimalen():
    assert format_number(1234567) == "1.234.567"
    assert format_number(12.6) == "13"


def test_overige_opmaak():
    assert format_interval(41.234, 47.891, 1) == "41,2 tot 47,9"
    assert format_interval(None, 3.0) == "–"
    assert format_count(523.44) == "523,4"
    assert format_count(51000.0) == "51.000"
    assert format_count(None) == "–"
    assert format_date(datetime(2025, 2, 3, 14, 0)) == "3 februari 2025"
    assert join_dutch(["a", "b", "c"]) == "a, b en c"
    assert join_dutch(["a"]) == "a"


# ----------------------------------------------------------------------------------------------- grafieken


def test_nice_ticks_omvat_de_waarden_en_blijft_binnen_grenzen():
    ticks, decimalen = nice_ticks(42.9, 48.5, 5, 0.0, 100.0)
    assert ticks[0] <= 42.9 and ticks[-1] >= 48.5 and decimalen == 0
    ticks, decimalen = nice_ticks(0.12, 0.47)
    assert ticks[0] <= 0.12 and ticks[-1] >= 0.47 and decimalen >= 1
    ticks, _ = nice_ticks(96.0, 99.5, 5, 0.0, 100.0)
    assert ticks[-1] == 100.0


def test_grafiek_onderbreekt_lijn_en_band_bij_onderdrukt_jaar():
    punten = [
        Jaarpunt(2018, 10.5, 9.0, 12.0, False),
        Jaarpunt(2019, 11.5, 10.0, 13.0, False),
        Jaarpunt(2020, None, None, None, True),
        Jaarpunt(2021, 12.5, 11.0, 14.0, False),
        Jaarpunt(2022, 13.25, 12.0, 14.5, False),
    ]
    svg = str(trajectory_chart(punten, titel="Test <b>", eenheid="percentage", decimals=1, minimum_n=100))
    assert svg.count('class="lijn"') == 2 and svg.count('class="band"') == 2
    assert svg.count('class="punt"') == 4
    assert svg.count('class="onderdrukt-markering"') == 1
    assert "Test &lt;b&gt;" in svg and "<b>" not in svg
    assert "13,3" in svg  # tooltip van 2022 in Nederlandse notatie
    assert ">2020<" in svg and "2.020" not in svg  # jaartallen zonder duizendtalpunt
    assert "<script" not in svg


# ------------------------------------------------------------------------------------------------- rapport


def test_rapport_is_een_zelfstandig_html_bestand(publicatie, tmp_path):
    pad = render_municipality_report(publicatie, "GM1924", tmp_path / "uit")
    assert pad == tmp_path / "uit" / "gemeenterapport_GM1924.html"
    assert pad.is_file()
    html = pad.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert html.count("<html") == 1 and html.rstrip().endswith("</html>")
    assert '<html lang="nl">' in html
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert not re.search(r'src\s*=\s*"(https?:)?//', html)
    assert not re.search(r'href\s*=\s*"(https?:)?//', html)
    assert "@import" not in html and "url(" not in html
    assert "@page { size: A4; margin: 15mm; }" in html
    assert "break-before: page" in html
    # Niets blijft achter naast het rapport.
    assert sorted(p.name for p in (tmp_path / "uit").iterdir()) == ["gemeenterapport_GM1924.html"]


def test_kop_met_gemeente_klassen_en_voorgangers(rapport):
    assert "<h1>Goeree-Overflakkee</h1>" in rapport
    for tekst in ("GM1924", "Zuid-Holland", "50 000 tot 100 000 inwoners", "Weinig stedelijk", "51.000"):
        assert tekst in rapport
    assert "Ontstaan uit Dirksland (GM0499), Goedereede (GM0511) en Middelharnis (GM0580)" in rapport
    assert f"Gemaakt op</dt><dd>{format_date(datetime.now())}" in rapport


def test_sferen_in_vaste_volgorde_met_een_svg_per_indicator(rapport):
    posities = [
        rapport.index(f'id="sfeer-{s}"') for s in ("persoonlijk", "gemeenschappelijk", "institutioneel")
    ]
    assert posities == sorted(posities)
    assert rapport.count("<svg") == 3
    for code, punten in (("p_mantelzorg_geven", 6), ("g_vrijwilligerswerk", 5), ("i_deelnames_per_1000", 6)):
        blok = _indicatorblok(rapport, code)
        assert blok.count("<svg") == 1
        assert 'role="img"' in blok and "<title" in blok and "aria-label=" in blok
        assert '<path class="band"' in blok
        assert blok.count('<circle class="punt"') == punten
    # Okabe-Ito, geen rood/groen
    assert "#0072B2" in rapport
    assert "#ff0000" not in rapport.lower() and "#00ff00" not in rapport.lower()
    assert "geen ranglijsten" in rapport


def test_onderdrukt_jaar_toont_streepje_en_voetnoot_en_lekt_niets(rapport):
    blok = _indicatorblok(rapport, "g_vrijwilligerswerk")
    rij = re.search(rf'<tr class="onderdrukt" data-jaar="{ONDERDRUKT_JAAR}">(.*?)</tr>', blok, re.S)
    assert rij, "het onderdrukte jaar staat niet als onderdrukte rij in de tabel"
    cellen = re.findall(r"<td[^>]*>(.*?)</td>", rij.group(1), re.S)
    assert cellen[0].startswith("–") and 'href="#onderdrukking"' in cellen[0]
    assert cellen[1:4] == ["–", "–", "–"]
    assert cellen[4] == "&lt; 100"
    # n (37) en noemer (4321) van het onderdrukte jaar staan nergens in de rij of in de grafiek.
    assert "37" not in rij.group(1) and "4.321" not in blok and "4321" not in blok
    assert "Niet getoond: minder dan 100 waarnemingen" in blok
    # De grafiek markeert het jaar met een streepje en een grijze kolom, zonder punt.
    assert blok.count('class="onderdrukt-markering"') == 1
    assert blok.count('<path class="lijn"') == 2  # lijn onderbroken
    assert f"{ONDERDRUKT_JAAR}: niet getoond (minder dan 100 waarnemingen)" in blok
    # De regel staat in het colofon, waar de voetnoot naar verwijst.
    assert 'id="onderdrukking"' in rapport
    assert (
        "Cijfers op minder dan n waarnemingen (minimum per indicator, zie catalogus) worden niet getoond: –"
        in rapport
    )


def test_nederlandse_getallen_in_tabel_en_assen(rapport):
    blok = _indicatorblok(rapport, "p_mantelzorg_geven")
    assert ">45,7<" in blok  # waarde 45,67 met decimale komma
    assert "42,9 tot 48,5" in blok  # interval
    assert ">523,4<" in blok  # gewogen teller
    assert ">1.146<" in blok  # noemer en n met duizendtalpunt
    deelname = _indicatorblok(rapport, "i_deelnames_per_1000")
    assert ">123.456,7<" in deelname  # opvallende teller uit een niet-onderdrukte rij
    assert ">51.000<" in deelname
    assert ">2.420,7<" in deelname  # 123456,7 / 51000 * 1000
    # As-labels van de grafiek in Nederlandse notatie (duizendtallen met punt)
    as_labels = re.findall(r'class="as-label"[^>]*>([^<]+)<', deelname)
    assert as_labels and any("." in a for a in as_labels)
    assert not any(re.fullmatch(r"\d+\.\d+", a) and len(a.split(".")[1]) != 3 for a in as_labels)


def test_verhalen_staan_bij_hun_sfeer_en_worden_ge_escaped(rapport):
    assert "<script>alert(1)</script>" not in rapport
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rapport
    persoonlijk = _sectie(rapport, "persoonlijk")
    assert "Koffie bij de buren" in persoonlijk and "2022" in persoonlijk
    assert "voetbalclub" in _sectie(rapport, "gemeenschappelijk")
    institutioneel = _sectie(rapport, "institutioneel")
    assert "Een verhaal uit Amsterdam" not in rapport
    assert "geen verhalen uit Goeree-Overflakkee" in institutioneel


def test_colofon_noemt_alleen_de_gebruikte_leveringen(rapport):
    colofon = rapport[rapport.index('<footer class="colofon"') :]
    assert "burgerpeiling_goeree.sav" in colofon and "deelname_goeree_2023.csv" in colofon
    assert "05-03-2024" in colofon and "56.789" in colofon and "1.234" in colofon
    assert "burgerpeiling_amsterdam.sav" not in colofon and "kapot_bestand.csv" not in colofon
    assert "Inwonersenquête" in colofon and "Deelnameregistraties" in colofon
    assert "Gemaakt op" in colofon and "gepubliceerd op 2 april 2024" in colofon


def test_verbinding_is_na_het_rapport_gesloten(publicatie, tmp_path):
    render_municipality_report(publicatie, "GM1924", tmp_path / "uit")
    # Een open alleen-lezen verbinding in dit proces zou een schrijvende verbinding blokkeren.
    con = duckdb.connect(str(publicatie))
    con.execute("CREATE TABLE marts.proef (x INTEGER)")
    con.close()


def test_onbekende_gemeente_geeft_valueerror(publicatie, tmp_path):
    with pytest.raises(ValueError, match="Gemeente GM9999 komt niet voor in de publicatie"):
        render_municipality_report(publicatie, "GM9999", tmp_path / "uit")
    assert not (tmp_path / "uit" / "gemeenterapport_GM9999.html").exists()


@pytest.mark.parametrize("tabel", list(SCHEMA))
def test_ontbrekende_tabel_geeft_duidelijke_fout(tmp_path, tabel):
    pad = maak_publicatie(tmp_path / "onvolledig.duckdb", zonder=tabel)
    with pytest.raises(OnvolledigePublicatie, match=re.escape(tabel)) as fout:
        render_municipality_report(pad, "GM1924", tmp_path / "uit")
    assert "onvolledig" in str(fout.value)
    with pytest.raises(OnvolledigePublicatie, match=re.escape(tabel)):
        render_all_reports(pad, tmp_path / "uit")


def test_ontbrekende_publicatie_geeft_duidelijke_fout(tmp_path):
    with pytest.raises(FileNotFoundError, match="bestaat niet"):
        render_municipality_report(tmp_path / "nergens.duckdb", "GM1924", tmp_path / "uit")


def test_gemeente_zonder_cijfers_krijgt_toch_een_net_rapport(publicatie, tmp_path):
    html = render_municipality_report(publicatie, "GM0014", tmp_path / "uit").read_text(encoding="utf-8")
    assert "<svg" not in html
    assert html.count("zijn er (nog) geen cijfers voor deze indicator") == 3


def test_render_all_reports_een_per_gemeente_met_cijfers(publicatie, tmp_path):
    paden = render_all_reports(publicatie, tmp_path / "alle")
    assert [p.name for p in paden] == ["gemeenterapport_GM0363.html", "gemeenterapport_GM1924.html"]
    assert all(p.is_file() for p in paden)
    amsterdam = paden[0].read_text(encoding="utf-8")
    assert "<h1>Amsterdam</h1>" in amsterdam and "Een verhaal uit Amsterdam" in amsterdam
    assert "burgerpeiling_amsterdam.sav" in amsterdam and "burgerpeiling_goeree.sav" not in amsterdam
    assert "Ontstaan uit" not in amsterdam
    # Amsterdam heeft geen deelnamecijfers: de indicator staat er wel, zonder grafiek.
    assert amsterdam.count("<svg") == 2


def test_rapportages_importeert_geen_orchestratie_of_dagster():
    code = (
        "import sys, rapportages.gemeenterapport\n"
        "verboden = [m for m in sys.modules if m.split('.')[0] in ('dagster', 'orchestratie', 'bronnen')]\n"
        "assert not verboden, verboden\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
