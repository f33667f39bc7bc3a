"""Het meerjarige gemeenterapport, tegen een kleine publicatie die de test zelf opbouwt.

De publicatie komt uit `synthetische_publicatie.py` (gedeeld met test_chromium.py); daar staat welk geval
in welke gemeente en indicator zit.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from synthetische_publicatie import (
    GIF_TEKSTEN,
    ONDERDRUKT_JAAR,
    SCHEMA,
    maak_publicatie,
)

from rapportages.gemeenterapport import (
    VEREISTE_TABELLEN,
    OnvolledigePublicatie,
    _build_context,
    group_label,
    position_text,
    read_publication,
    render_all_reports,
    render_municipality_report,
    slope_unit,
    trend_text,
)
from rapportages.grafieken import (
    Driejaarspunt,
    Jaarpunt,
    Vergelijkingsrij,
    comparison_chart,
    nice_ticks,
    trajectory_chart,
)
from rapportages.opmaak import (
    format_count,
    format_date,
    format_interval,
    format_number,
    join_dutch,
)


@pytest.fixture
def rapport(publicatie, tmp_path) -> str:
    pad = render_municipality_report(publicatie, "GM1924", tmp_path / "uit")
    return pad.read_text(encoding="utf-8")


def _indicatorblok(html: str, code: str) -> str:
    m = re.search(rf'<article class="indicator" id="indicator-{code}">(.*?)</article>', html, re.S)
    assert m, f"indicator {code} ontbreekt"
    return m.group(1)


def _vergelijkingsblok(html: str, code: str) -> str:
    m = re.search(r'<section class="vergelijking".*?</section>', _indicatorblok(html, code), re.S)
    assert m, f"vergelijking bij {code} ontbreekt"
    return m.group(0)


def _svgs(html: str, soort: str) -> list[str]:
    return re.findall(rf'<svg [^>]*data-grafiek="{soort}".*?</svg>', html, re.S)


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


def test_nice_ticks_bij_waarden_die_alleen_in_de_laatste_bits_verschillen():
    # Een gemeente die als enige in de monitor haar eigen referentie is: waarde en referentie verschillen
    # 3e-16. Dat gaf een as die nooit rond kwam (het rapport hing en at het geheugen op).
    ticks, decimalen = nice_ticks(1.3544303797468353, 1.3544303797468356, 6, 0.0, None)
    assert 2 <= len(ticks) <= 12
    assert ticks[0] <= 1.3544303797468353 and ticks[-1] >= 1.3544303797468356
    assert ticks == sorted(set(ticks)) and decimalen <= 6


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


def _meerjarenpunten() -> tuple[list[Jaarpunt], list[Driejaarspunt]]:
    punten = [Jaarpunt(j, 10.0 + i, 9.0 + i, 11.0 + i, False) for i, j in enumerate(range(2016, 2024))]
    driejaars = [
        Driejaarspunt(2016, None, None, None, False),  # minder dan 2 jaren in het venster: leeg
        Driejaarspunt(2017, 10.5, 9.5, 11.5, False),
        Driejaarspunt(2018, 11.0, 10.0, 12.0, False),
        Driejaarspunt(2019, 11.5, 10.5, 12.5, False),
        Driejaarspunt(2020, None, None, None, True),  # onderdrukt venster
        Driejaarspunt(2021, 13.5, 12.5, 14.5, False),
        Driejaarspunt(2022, 14.25, 13.0, 15.5, False),
        Driejaarspunt(2023, None, None, None, True),
    ]
    return punten, driejaars


def test_driejaarslijn_is_gestreept_en_onderbroken_bij_onderdrukt_venster():
    punten, driejaars = _meerjarenpunten()
    svg = str(trajectory_chart(punten, titel="T", eenheid="percentage", decimals=1, driejaars=driejaars))
    # 2017–2019 en 2021–2022: twee stukken; 2016 (leeg), 2020 en 2023 (onderdrukt) breken de lijn.
    assert svg.count('class="lijn-3jaar"') == 2
    assert svg.count('class="punt-3jaar"') == 5
    lijn = re.search(r'<path class="lijn-3jaar"[^>]*>', svg).group(0)
    assert 'stroke-dasharray="6 4"' in lijn and 'stroke="#D55E00"' in lijn  # Okabe-Ito vermiljoen
    assert 'stroke="#0072B2"' in re.search(r'<path class="lijn"[^>]*>', svg).group(0)
    # eigen legenda-item, en de tooltip noemt het venster
    assert ">driejaarswaarde<" in svg
    assert "Driejaarswaarde 2020–2022: 14,3%" in svg
    # voor een onderdrukt venster staat er niets: geen punt, geen tooltip met dat venster
    assert "2018–2020" not in svg and "2021–2023" not in svg
    assert "voor de vensters tot en met 2020, 2023" in svg  # alleen in de beschrijving, zonder getal
    # De jaarlijn blijft heel, met band.
    assert svg.count('class="lijn"') == 1 and svg.count('class="band"') == 1


def test_zonder_driejaarswaarden_geen_legenda_item():
    punten, _ = _meerjarenpunten()
    svg = str(trajectory_chart(punten, titel="T", eenheid="percentage"))
    assert "driejaarswaarde" not in svg and "lijn-3jaar" not in svg


def _vergelijkingsrijen() -> list[Vergelijkingsrij]:
    return [
        Vergelijkingsrij(
            "Vergelijkingsgroep",
            "12 gemeenten",
            50.67,
            47.87,
            53.47,
            47.5,
            44.1,
            50.9,
            42.1,
            52.9,
            "binnen de verwachte spreiding",
        ),
        Vergelijkingsrij(
            "Nederland",
            "14 gemeenten",
            50.67,
            47.87,
            53.47,
            44.2,
            41.0,
            47.4,
            39.1,
            49.3,
            "duidelijk hoger (buiten de 99,8%-grenzen)",
        ),
    ]


def test_vergelijkingsgrafiek_tekent_trechter_referentie_en_gemeente():
    svg = str(
        comparison_chart(
            _vergelijkingsrijen(),
            titel="Geeft mantelzorg: <Goeree> in 2023",
            eenheid="percentage",
            decimals=1,
            gemeente="Goeree-Overflakkee",
            jaar=2023,
            grafiek_id="v 1",
        )
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="v-1-titel v-1-beschrijving"' in svg
    assert '<title id="v-1-titel">Geeft mantelzorg: &lt;Goeree&gt; in 2023</title>' in svg
    beschrijving = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
    assert "Goeree-Overflakkee in 2023: 50,7% (95%-interval 47,9 tot 53,5)." in beschrijving
    assert "Vergelijkingsgroep: referentiewaarde 47,5%, 95%-grenzen voor een gemeente van deze omvang " in (
        beschrijving
    )
    assert "44,1 tot 50,9, 99,8%-grenzen 42,1 tot 52,9; binnen de verwachte spreiding." in beschrijving
    assert "duidelijk hoger (buiten de 99,8%-grenzen)" in beschrijving
    # per referentie: twee trechterbanden, een referentiestreep, een punt met interval
    for klasse in ("grens-998", "grens-95", "referentie-streep", "gemeente-punt", "gemeente-interval"):
        assert svg.count(f'class="{klasse}"') == 2, klasse
    assert svg.index('class="grens-998"') < svg.index('class="grens-95"') < svg.index('class="gemeente-punt"')
    assert 'fill="#e4e4e4"' in svg and 'fill="#bdbdbd"' in svg  # licht (99,8%) en donkerder (95%)
    assert ">Vergelijkingsgroep<" in svg and ">Nederland<" in svg and ">12 gemeenten<" in svg
    # de 95%-band van de vergelijkingsgroep ligt binnen de 99,8%-band, en de gemeente rechts van de streep
    x = {k: float(re.search(rf'class="{k}" x="([\d.]+)"', svg).group(1)) for k in ("grens-998", "grens-95")}
    assert x["grens-998"] < x["grens-95"]
    streep = float(re.search(r'class="referentie-streep" x1="([\d.]+)"', svg).group(1))
    punt = float(re.search(r'class="gemeente-punt" cx="([\d.]+)"', svg).group(1))
    assert streep < punt
    assert "<script" not in svg


def test_vergelijkingsgrafiek_zonder_grenzen_en_zonder_waarde():
    zonder_grenzen = Vergelijkingsrij("Nederland", "13 gemeenten", 21.5, 19.1, 23.9, 19.4, *[None] * 4, "")
    svg = str(comparison_chart([zonder_grenzen], titel="T", eenheid="percentage"))
    assert 'class="gemeente-punt"' in svg and 'class="referentie-streep"' in svg
    assert "grens-95" not in svg and "grens-998" not in svg and "95%-grenzen" not in svg
    onderdrukt = Vergelijkingsrij("Nederland", "", None, None, None, 19.4, 18.0, 21.8, 17.0, 22.8, "")
    assert str(comparison_chart([onderdrukt], titel="T", eenheid="percentage")) == ""


def test_vergelijkingsgrafiek_zonder_interval_noemt_geen_interval():
    """Een indicator zonder interval (intervalmethode 'geen'): de legenda noemt geen 95%-interval en tekent
    geen intervalstreep; met een interval wel."""
    zonder = Vergelijkingsrij(
        "Gemeenten in de monitor", "14 van de 342 gemeenten", 62.0, None, None, 60.0, *[None] * 4, ""
    )
    svg = str(comparison_chart([zonder], titel="T", eenheid="percentage", gemeente="Tiel"))
    assert "95%-interval" not in svg and 'class="gemeente-interval"' not in svg
    assert ">Tiel<" in svg and 'class="gemeente-punt"' in svg
    met = str(comparison_chart(_vergelijkingsrijen(), titel="T", eenheid="percentage", gemeente="Tiel"))
    assert ">Tiel (95%-interval)<" in met


# ------------------------------------------------------------------------------------------- tekstdelen


def _trendrij(trend, helling=None, onder=None, boven=None, van=2015, tot=2024, jaren=10) -> dict:
    return {
        "trend": trend,
        "helling": helling,
        "helling_ci_onder": onder,
        "helling_ci_boven": boven,
        "trend_jaar_van": van,
        "trend_jaar_tot": tot,
        "trend_jaren": jaren,
    }


@pytest.mark.parametrize(
    ("rij", "eenheid", "richting", "verwacht"),
    [
        (
            _trendrij("stabiel", 0.12, -0.2, 0.4, van=2016),
            "percentage",
            None,
            "Stabiel over 2016–2024: de helling is 0,1 procentpunt per jaar (95%-interval −0,2 tot 0,4).",
        ),
        (
            _trendrij("stijgend", 1.31, 0.6, 2.04),
            "per 1.000 inwoners",
            None,
            "Stijgend over 2015–2024: gemiddeld +1,3 per 1.000 inwoners per jaar (95%-interval 0,6 tot 2,0).",
        ),
        (
            _trendrij("dalend", -0.8, -1.4, -0.2, van=2018, tot=2023),
            "percentage",
            "hoger",
            "Dalend over 2018–2023 (hoger is gunstig): gemiddeld −0,8 procentpunt per jaar "
            "(95%-interval −1,4 tot −0,2).",
        ),
        (
            # kleine helling van een schaalscore: meer decimalen, zodat er geen "0,0 tot 0,0" staat
            _trendrij("stabiel", 0.021, -0.004, 0.046),
            "schaalscore 0-10",
            "hoger",
            "Stabiel over 2015–2024: de helling is 0,02 punt per jaar (95%-interval 0,00 tot 0,05).",
        ),
        (
            # stijgend met een ondergrens vlak boven 0: de grens mag niet als 0 verschijnen
            _trendrij("stijgend", 0.3, 0.004, 0.6),
            "percentage",
            None,
            "Stijgend over 2015–2024: gemiddeld +0,300 procentpunt per jaar (95%-interval 0,004 tot 0,600).",
        ),
        (
            _trendrij("onvoldoende gegevens", jaren=3, van=2021, tot=2023),
            "percentage",
            "hoger",
            "Nog geen trend: daarvoor zijn minstens 4 gepubliceerde jaren nodig (nu 3).",
        ),
        (None, "percentage", None, "Nog geen trend: daarvoor zijn minstens 4 gepubliceerde jaren nodig."),
        (
            # een volkomen vlakke reeks: geen extra decimalen
            _trendrij("stabiel", 0.0, 0.0, 0.0),
            "percentage",
            "hoger",
            "Stabiel over 2015–2024: de helling is 0,0 procentpunt per jaar (95%-interval 0,0 tot 0,0).",
        ),
    ],
)
def test_trendtekst_per_klasse(rij, eenheid, richting, verwacht):
    assert trend_text(rij, eenheid, richting) == verwacht


def test_eenheid_van_de_helling():
    assert slope_unit("percentage") == "procentpunt"
    assert slope_unit("schaalscore 0-10") == "punt"
    assert slope_unit("per 10.000 inwoners") == "per 10.000 inwoners"
    assert slope_unit("contacten per mantelzorger") == "contacten per mantelzorger"


def test_vergelijkingsgroep_en_ligging_in_woorden():
    assert (
        group_label("50 000 tot 100 000 inwoners; Weinig stedelijk")
        == "50.000–100.000 inwoners; weinig stedelijk"
    )
    assert group_label("100 000 inwoners of meer; Zeer sterk stedelijk") == (
        "100.000 inwoners of meer; zeer sterk stedelijk"
    )
    assert position_text("binnen", "binnen") == "binnen de verwachte spreiding"
    assert position_text("boven", "binnen") == "hoger dan verwacht (buiten de 95%-grenzen)"
    assert position_text("boven", "boven") == "duidelijk hoger (buiten de 99,8%-grenzen)"
    assert position_text("onder", "binnen") == "lager dan verwacht (buiten de 95%-grenzen)"
    assert position_text("onder", "onder") == "duidelijk lager (buiten de 99,8%-grenzen)"
    assert position_text(None, None).startswith("niet te beoordelen")
    # neutraal: geen oordeel
    for positie in ("boven", "onder"):
        for woord in ("beter", "slechter", "goed", "slecht"):
            assert woord not in position_text(positie, positie)


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
    assert re.search(r"@page \{ size: A4; margin: [\d.]+mm", html)
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
    # per indicator een meerjarenlijn en een vergelijking
    assert len(_svgs(rapport, "traject")) == 3 and len(_svgs(rapport, "vergelijking")) == 3
    assert rapport.count("<svg") == 6
    for code, punten in (("p_mantelzorg_geven", 6), ("g_vrijwilligerswerk", 5), ("i_deelnames_per_1000", 6)):
        blok = _indicatorblok(rapport, code)
        assert blok.count("<svg") == 2
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


def test_synthetische_publicatie_heeft_alle_vereiste_tabellen():
    assert set(VEREISTE_TABELLEN) <= set(SCHEMA)
    assert {"marts.fct_indicator_meerjarig", "marts.fct_vergelijking"} <= set(VEREISTE_TABELLEN)


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
    assert [p.name for p in paden] == [
        "gemeenterapport_GM0080.html",
        "gemeenterapport_GM0363.html",
        "gemeenterapport_GM1924.html",
    ]
    assert all(p.is_file() for p in paden)
    amsterdam = paden[1].read_text(encoding="utf-8")
    assert "<h1>Amsterdam</h1>" in amsterdam and "Een verhaal uit Amsterdam" in amsterdam
    assert "burgerpeiling_amsterdam.sav" in amsterdam and "burgerpeiling_goeree.sav" not in amsterdam
    assert "Ontstaan uit" not in amsterdam
    # Amsterdam heeft geen deelnamecijfers: de indicator staat er wel, zonder grafiek.
    assert len(_svgs(amsterdam, "traject")) == 2 and len(_svgs(amsterdam, "vergelijking")) == 2
    assert "zijn er (nog) geen cijfers voor deze indicator" in _indicatorblok(
        amsterdam, "i_deelnames_per_1000"
    )


def test_rapportages_importeert_geen_orchestratie_of_dagster():
    code = (
        "import sys, rapportages.gemeenterapport\n"
        "verboden = [m for m in sys.modules if m.split('.')[0] in ('dagster', 'orchestratie', 'bronnen')]\n"
        "assert not verboden, verboden\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


# ----------------------------------------------------------------------------------- meerjarig en vergelijking


def test_trend_en_driejaarswaarde_per_indicator(rapport):
    mantelzorg = _indicatorblok(rapport, "p_mantelzorg_geven")
    assert (
        '<p class="trend" data-trend="stijgend"><strong>Trend.</strong> Stijgend over 2018–2023: gemiddeld '
        "+1,0 procentpunt per jaar (95%-interval 0,6 tot 1,4).</p>"
    ) in mantelzorg
    # driejaarswaarde 2021–2023: gemiddelde van 48,67, 49,67 en 50,67 met ±1,6
    assert "49,7% over 2021–2023 (95%-interval 48,1 tot 51,3)." in mantelzorg
    vrijwilligers = _indicatorblok(rapport, "g_vrijwilligerswerk")
    assert "Stabiel over 2018–2023: de helling is 0,1 procentpunt per jaar (95%-interval −0,2 tot 0,4)." in (
        vrijwilligers
    )
    deelname = _indicatorblok(rapport, "i_deelnames_per_1000")
    assert "Stijgend over 2018–2023: gemiddeld +260,4 per 1.000 inwoners per jaar" in deelname
    assert "gunstig" not in deelname.split("<table")[0].split("Trend.")[1]  # geen richting in de catalogus


def test_onderdrukte_driejaarswaarde_is_streepje_met_voetnoot(rapport):
    blok = _indicatorblok(rapport, "g_vrijwilligerswerk")
    driejaars = re.search(r'<p class="driejaars">(.*?)</p>', blok, re.S).group(1)
    assert '–<sup><a href="#onderdrukking"' in driejaars
    # De driejaarswaarde rust alleen op getoonde jaren: elk venster met 2021 (onderdrukt) is leeg, en de tekst
    # zegt waarom en verwijst naar de gepoolde periode (die staat erbij: de indicator heeft onderdrukte jaren).
    assert (
        "2021–2023: niet getoond: een jaar in het venster is onderdrukt of beschrijft maar een deel van de "
        "gemeente; zie de gepoolde periode" in driejaars
    )
    assert (
        "Driejaarswaarde niet getoond: een jaar in het venster is onderdrukt of beschrijft maar een deel van de "
        "gemeente; zie de gepoolde periode." in blok
    )
    assert "minder dan 100 waarnemingen in de drie jaren" not in blok
    # in de tabel: de kolom 'Drie jaar' van 2021, 2022 en 2023 is een streepje met sterretje, 2020 een getal
    for jaar in (2021, 2022, 2023):
        rij = re.search(rf'<tr[^>]*data-jaar="{jaar}">(.*?)</tr>', blok, re.S).group(1)
        assert re.search(r'<td class="getal driejaars">–<sup><a href="#onderdrukking"', rij), jaar
    rij_2020 = re.search(r'<tr data-jaar="2020">(.*?)</tr>', blok, re.S).group(1)
    assert re.search(r'<td class="getal driejaars">\d+,\d</td>', rij_2020)
    # 2018: nog geen venster van 2 jaren -> streepje zonder voetnoot
    rij_2018 = re.search(r'<tr data-jaar="2018">(.*?)</tr>', blok, re.S).group(1)
    assert '<td class="getal driejaars">–</td>' in rij_2018


def test_driejaarslijn_in_het_rapport_onderbroken_bij_onderdrukte_vensters(rapport):
    svg = _svgs(_indicatorblok(rapport, "g_vrijwilligerswerk"), "traject")[0]
    # vensters: 2018 leeg, 2019 en 2020 getoond, 2021–2023 onderdrukt (2021 is onderdrukt)
    assert svg.count('class="lijn-3jaar"') == 1
    vensters = re.findall(r"Driejaarswaarde (\d{4})–(\d{4}):", svg)
    assert [int(tot) for _, tot in vensters] == [2019, 2020]
    volledig = _svgs(_indicatorblok(rapport, "p_mantelzorg_geven"), "traject")[0]
    assert volledig.count('class="lijn-3jaar"') == 1 and volledig.count('class="punt-3jaar"') == 5


def test_vergelijking_tekst_en_grafiek(rapport):
    blok = _vergelijkingsblok(rapport, "p_mantelzorg_geven")
    assert "<h4>Vergelijking in 2023</h4>" in blok
    assert "Goeree-Overflakkee: 50,7% (95%-interval 47,9 tot 53,5)." in blok
    rijen = re.findall(r'<tr data-referentie="(\w+)"[^>]*>(.*?)</tr>', blok, re.S)
    assert [r for r, _ in rijen] == ["vergelijkingsgroep", "landelijk"]  # groep eerst
    cellen = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", inhoud, re.S) for _, inhoud in rijen]
    # de namen komen uit de mart: 'Nederland' alleen als elke gemeente een cijfer heeft
    assert cellen[0] == [
        "Vergelijkingsgroep in de monitor: 50.000–100.000 inwoners; weinig stedelijk (12 van de 40 gemeenten, "
        "30% van de inwoners)",
        "47,5%",
        "44,1 tot 50,9",
        "binnen de verwachte spreiding",
    ]
    assert cellen[1] == [
        "Gemeenten in de monitor (14 van de 342 gemeenten, 23% van de inwoners)<br>"
        '<span class="samenstelling">Andere gemeenten dan in 2022: 1 erbij en 1 eruit (een verschil met dat jaar '
        "is dus deels een verschil in gemeenten).</span>",
        "44,2%",
        "41,0 tot 47,4",
        "duidelijk hoger (buiten de 99,8%-grenzen)",
    ]
    assert "Nederland" not in blok
    # alleen het laatste jaar: de landelijke waarde van 2022 (43,21) staat er niet
    assert "43,2" not in _indicatorblok(rapport, "p_mantelzorg_geven")
    svg = _svgs(blok, "vergelijking")[0]
    assert svg.count('class="gemeente-punt"') == 2 and svg.count('class="grens-95"') == 2
    assert (
        "Geeft mantelzorg: Goeree-Overflakkee in 2023 naast de vergelijkingsgroep en de gemeenten in de monitor, "
        "met trechtergrenzen" in svg
    )
    assert ">Gemeenten in de monitor<" in svg and ">14 van de 342 gemeenten<" in svg
    assert ">12 van de 40 gemeenten<" in svg
    # overdispersie: per referentie in woorden
    assert (
        "Gemeenten in de monitor: verruimd voor verschillen tussen gemeenten die niet op toeval berusten"
        in blok
    )
    assert "Vergelijkingsgroep: niet verruimd voor verschillen tussen gemeenten" in blok

    vrijwilligers = _vergelijkingsblok(rapport, "g_vrijwilligerswerk")
    assert "lager dan verwacht (buiten de 95%-grenzen)" in vrijwilligers
    deelname = _vergelijkingsblok(rapport, "i_deelnames_per_1000")
    # geen groepsreferentie: de rij zegt waarom (uit de mart), en in de grafiek staat alleen de referentie
    assert re.findall(r'<tr data-referentie="(\w+)"', deelname) == ["vergelijkingsgroep", "landelijk"]
    groep = re.search(
        r'<tr data-referentie="vergelijkingsgroep" class="geen-referentie">(.*?)</tr>', deelname, re.S
    )
    assert re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", groep.group(1), re.S) == [
        "Vergelijkingsgroep 50.000–100.000 inwoners; weinig stedelijk",
        "–",
        "–",
        "geen vergelijking: minder dan 3 gemeenten uit dezelfde vergelijkingsgroep (50.000–100.000 inwoners; "
        "weinig stedelijk) hebben een cijfer voor 2023 (2 gemeenten)",
    ]
    assert "duidelijk hoger (buiten de 99,8%-grenzen)" in deelname
    assert ">Vergelijkingsgroep<" not in deelname


def test_vergelijking_valt_terug_op_laatste_getoonde_jaar(publicatie, tmp_path):
    html = render_municipality_report(publicatie, "GM0363", tmp_path / "uit").read_text(encoding="utf-8")
    blok = _vergelijkingsblok(html, "p_mantelzorg_geven")
    # 2023 is onderdrukt: de vergelijking van 2022, met uitleg; zonder trechtergrenzen geen oordeel
    assert "<h4>Vergelijking in 2022</h4>" in blok
    assert (
        "Voor 2023 is er geen getoonde waarde of geen vergelijking; 2022 is het laatste jaar met beide."
        in blok
    )
    # de reden komt uit de mart (reden_geen_grenzen)
    assert "niet te beoordelen: geen standaardfout voor deze gemeente: geen trechtergrenzen" in blok
    assert "grens-95" not in blok
    # zonder grenzen geen 'met trechtergrenzen' in de titel
    assert "naast de gemeenten in de monitor</title>" in blok
    mantelzorg = _indicatorblok(html, "p_mantelzorg_geven")
    assert "Nog geen trend: daarvoor zijn minstens 4 gepubliceerde jaren nodig (nu 2)." in mantelzorg
    vrijwilligers = _indicatorblok(html, "g_vrijwilligerswerk")
    assert "Dalend over 2018–2023 (hoger is gunstig): gemiddeld −0,8 procentpunt per jaar" in vrijwilligers
    assert "duidelijk lager (buiten de 99,8%-grenzen)" in vrijwilligers


@pytest.mark.parametrize("gemeentecode", ["GM1924", "GM0363"])
def test_geen_onderdrukt_getal_waar_dan_ook(publicatie, tmp_path, gemeentecode):
    html = render_municipality_report(publicatie, gemeentecode, tmp_path / "uit").read_text(encoding="utf-8")
    # De onderdrukte cellen in de publicatie bevatten vergif; geen vorm ervan mag in het rapport staan:
    # niet in tekst, tabel, grafiekdata, titel, beschrijving of tooltip.
    gevonden = [t for t in GIF_TEKSTEN if t in html]
    assert not gevonden, f"onderdrukte getallen in het rapport van {gemeentecode}: {gevonden}"


def test_context_voor_de_pdf_heeft_de_afgesproken_sleutels(publicatie):
    data = read_publication(publicatie, "GM1924")
    context = _build_context(data, "GM1924", datetime(2025, 2, 3, 14, 0))
    blok = next(i for s in context["sferen"] for i in s["indicatoren"] if i["code"] == "p_mantelzorg_geven")
    assert isinstance(blok["trend_tekst"], str) and blok["trend_tekst"].startswith("Stijgend")
    assert blok["waarde_3jaar_tekst"] == "49,7% over 2021–2023 (95%-interval 48,1 tot 51,3)"
    assert [v["label"] for v in blok["vergelijking"]] == [
        "Vergelijkingsgroep in de monitor: 50.000–100.000 inwoners; weinig stedelijk (12 van de 40 gemeenten, "
        "30% van de inwoners)",
        "Gemeenten in de monitor (14 van de 342 gemeenten, 23% van de inwoners)",
    ]
    eerste = blok["vergelijking"][0]
    assert (eerste["referentie_waarde"], eerste["grenzen_95"], eerste["jaar"]) == (
        "47,5%",
        "44,1 tot 50,9",
        2023,
    )
    assert eerste["positie_tekst"] == "binnen de verwachte spreiding"
    assert str(blok["vergelijkingsgrafiek"]).startswith("<svg")
    vrijwilligers = next(
        i for s in context["sferen"] for i in s["indicatoren"] if i["code"] == "g_vrijwilligerswerk"
    )
    assert vrijwilligers["waarde_3jaar_tekst"] == "–" and vrijwilligers["waarde_3jaar_onderdrukt"] is True
    # Zonder vergelijking: lege lijst en geen grafiek.
    leeg = read_publication(publicatie, "GM0014")
    context = _build_context(leeg, "GM0014", datetime(2025, 2, 3))
    for blok in (i for s in context["sferen"] for i in s["indicatoren"]):
        assert blok["vergelijking"] == [] and blok["vergelijkingsgrafiek"] is None
        assert blok["trend_tekst"] == "Nog geen trend: daarvoor zijn minstens 4 gepubliceerde jaren nodig."
        assert blok["waarde_3jaar_tekst"] == "–"


def test_colofon_met_datakwaliteit(rapport, publicatie):
    colofon = rapport[rapport.index('<footer class="colofon"') :]
    kwaliteit = re.search(
        r'<h3 id="datakwaliteit">Datakwaliteit</h3>\s*<table class="kwaliteit">(.*?)</table>', colofon, re.S
    )
    rijen = [
        [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rij, re.S)]
        for rij in re.findall(r"<tr>(.*?)</tr>", kwaliteit.group(1), re.S)
    ]
    assert rijen == [
        ["Leveringen in het grootboek", "5: 4 geaccepteerd en 1 afgewezen (in quarantaine)"],
        ["Gebruikt voor de cijfers van Goeree-Overflakkee", "2 leveringen"],
        ["Jaarwaarden van Goeree-Overflakkee", "18, waarvan 1 niet getoond wegens te weinig waarnemingen"],
        [
            "Jaarwaarden voor een deel van de gemeente",
            "0 (een gemeente die nu bij Goeree-Overflakkee hoort, leverde niet)",
        ],
        [
            "Driejaarswaarden niet getoond",
            "3 (een jaar in het venster is onderdrukt of beschrijft maar een deel van de gemeente)",
        ],
    ]
    context = _build_context(read_publication(publicatie, "GM1924"), "GM1924", datetime(2025, 2, 3))
    assert context["kwaliteit"] == {
        "leveringen_per_status": {"geaccepteerd": 4, "afgewezen (in quarantaine)": 1},
        "leveringen_totaal": 5,
        "gebruikte_leveringen": 2,
        "jaarwaarden": 18,
        "onderdrukte_jaarwaarden": 1,
        "deels_gedekte_jaarwaarden": 0,
        "onderdrukte_driejaarswaarden": 3,
    }
    assert "Onderdrukking van kleine aantallen" in colofon and "Gemaakt op" in colofon


def test_afdrukken_op_a4_met_een_pagina_per_sfeer(rapport):
    stijl = re.search(r"<style>(.*?)</style>", rapport, re.S).group(1)
    assert re.search(r"@page \{ size: A4; margin: \d+mm \d+mm \d+mm; \}", stijl)
    druk = stijl[stijl.index("@media print") :]
    assert re.search(r"\.sfeer \{ break-before: page;", druk)
    # grafieken en tabellen worden niet over twee pagina's verdeeld; kleuren blijven in druk
    assert re.search(r"figure, svg, table,[^{]*\{\s*break-inside: avoid;", druk)
    assert "print-color-adjust: exact" in druk


def test_ontbrekende_vergelijking_geeft_nederlandse_fout(tmp_path):
    pad = maak_publicatie(tmp_path / "onvolledig.duckdb", zonder="marts.fct_vergelijking")
    with pytest.raises(OnvolledigePublicatie) as fout:
        render_municipality_report(pad, "GM1924", tmp_path / "uit")
    assert str(fout.value) == (
        f"De publicatie {pad} is onvolledig: de tabel marts.fct_vergelijking ontbreekt. Het gemeenterapport "
        "heeft deze tabellen nodig; draai de keten opnieuw (`basismonitor verwerk`)."
    )
    assert not (tmp_path / "uit").exists()


def test_ontbrekende_kolom_geeft_nederlandse_fout(tmp_path):
    pad = maak_publicatie(
        tmp_path / "onvolledig.duckdb",
        zonder_kolommen={"marts.fct_indicator_meerjarig": ("helling", "trend")},
    )
    with pytest.raises(
        OnvolledigePublicatie,
        match=r"in marts\.fct_indicator_meerjarig ontbreken de kolommen "
        r"helling en trend\.",
    ):
        render_municipality_report(pad, "GM1924", tmp_path / "uit")


def test_overdispersiekolommen_zijn_optioneel(tmp_path):
    pad = maak_publicatie(
        tmp_path / "ouder.duckdb",
        zonder_kolommen={
            "marts.fct_vergelijking": (
                "se_referentie",
                "overdispersie_tau",
                "overdispersie_phi",
                "overdispersie_bron",
            )
        },
    )
    html = render_municipality_report(pad, "GM1924", tmp_path / "uit").read_text(encoding="utf-8")
    blok = _vergelijkingsblok(html, "p_mantelzorg_geven")
    assert "duidelijk hoger (buiten de 99,8%-grenzen)" in blok and "verruimd" not in blok


def test_nederland_alleen_als_de_mart_het_zegt(publicatie, tmp_path):
    """In 2023 heeft elke gemeente van de kaart een cijfer voor vrijwilligerswerk (volledig in de mart): dan en
    alleen dan staat er 'Nederland'."""
    html = render_municipality_report(publicatie, "GM0363", tmp_path / "uit").read_text(encoding="utf-8")
    blok = _vergelijkingsblok(html, "g_vrijwilligerswerk")
    assert '<th scope="row">Nederland (alle 342 gemeenten)</th>' in blok
    svg = _svgs(blok, "vergelijking")[0]
    assert ">Nederland<" in svg and ">alle 342 gemeenten<" in svg
    # dezelfde mart, maar zonder naam (bijv. een rij van een ouder model): dan nooit 'Nederland'
    con = duckdb.connect(str(publicatie))
    con.execute("UPDATE marts.fct_vergelijking SET referentie_naam = NULL, referentie_naam_kort = NULL")
    con.close()
    html = render_municipality_report(publicatie, "GM0363", tmp_path / "uit2").read_text(encoding="utf-8")
    blok = _vergelijkingsblok(html, "g_vrijwilligerswerk")
    assert "Nederland" not in blok and "Gemeenten in de monitor" in blok


def test_indicator_zonder_interval_noemt_geen_interval(publicatie, tmp_path):
    """Intervalmethode 'geen' (volledige telling): geen 95%-interval in titel, onderschrift of legenda, wel de
    verwijzing naar de toelichting; de vergelijking zegt waarom er geen trechtergrenzen zijn."""
    con = duckdb.connect(str(publicatie))
    con.execute("ALTER TABLE marts.dim_indicator ADD COLUMN intervalmethode VARCHAR")
    con.execute(
        "UPDATE marts.dim_indicator SET intervalmethode = CASE WHEN indicator_code = 'i_deelnames_per_1000' "
        "THEN 'geen' ELSE 'wilson' END"
    )
    con.execute(
        "UPDATE marts.fct_indicator_jaar SET ci_onder = NULL, ci_boven = NULL "
        "WHERE indicator_code = 'i_deelnames_per_1000'"
    )
    con.execute(
        "UPDATE marts.fct_indicator_meerjarig SET ci_onder_3jaar = NULL, ci_boven_3jaar = NULL "
        "WHERE indicator_code = 'i_deelnames_per_1000'"
    )
    reden = "geen toevalsmodel voor deze indicator: geen trechtergrenzen"
    con.execute(
        "UPDATE marts.fct_vergelijking SET ci_onder = NULL, ci_boven = NULL "
        "WHERE indicator_code = 'i_deelnames_per_1000'"
    )
    con.execute(
        "UPDATE marts.fct_vergelijking SET grens_95_onder = NULL, "
        "grens_95_boven = NULL, grens_998_onder = NULL, grens_998_boven = NULL, positie = NULL, "
        "positie_998 = NULL, reden_geen_grenzen = ? "
        "WHERE indicator_code = 'i_deelnames_per_1000' AND referentie_waarde IS NOT NULL",
        [reden],
    )
    con.close()
    html = render_municipality_report(publicatie, "GM1924", tmp_path / "uit").read_text(encoding="utf-8")
    blok = _indicatorblok(html, "i_deelnames_per_1000")
    traject = _svgs(blok, "traject")[0]
    assert "95%" not in traject and 'class="band"' not in traject
    assert "per jaar met driejaarswaarde" in traject
    assert "met driejaarswaarde. Geen interval: zie de toelichting.</figcaption>" in blok
    vergelijking = _vergelijkingsblok(html, "i_deelnames_per_1000")
    assert "95%-interval" not in vergelijking.split("<figure")[0]
    assert "95%-interval" not in _svgs(vergelijking, "vergelijking")[0]
    assert f"niet te beoordelen: {reden}" in vergelijking
    # een indicator met interval houdt het
    assert "95%-interval" in _svgs(_indicatorblok(html, "p_mantelzorg_geven"), "traject")[0]
