"""Dekking, gepoolde perioden en 'gevoelig voor één jaar' in het gemeenterapport (HTML en PDF).

Tegen de gedeelde kleine publicatie (`synthetische_publicatie.py`): Leeuwarden (GM0080) heeft twee jaren die maar
een deel van de gemeente beschrijven, een trend die gevoelig is voor één jaar en gepoolde perioden over
onderdrukte jaren (één gepubliceerd, één onderdrukt met vergif); Goeree-Overflakkee heeft perioden zonder
onderdrukte jaren (mantelzorg: niet in het rapport) en met (vrijwilligerswerk: wel).
"""

from __future__ import annotations

import re
from datetime import datetime

import polars as pl
import pypdf
import pytest
from synthetische_publicatie import GIF_TEKSTEN, LEEUWARDEN

from rapportages.dekking import (
    Dekking,
    coverage_percent,
    format_years,
    municipality_names,
    notes_per_years,
    parse_predecessors,
)
from rapportages.gemeenterapport import (
    _build_context,
    read_publication,
    render_municipality_report,
    trend_text,
)
from rapportages.grafieken import Jaarpunt, Periodebalk, split_runs, trajectory_chart
from rapportages.pdf import render_municipality_pdf

NAMEN = {"GM0009": "Ten Boer", "GM0017": "Haren", "GM0014": "Groningen"}


# ------------------------------------------------------------------------------------------ dekking in woorden


def test_voorgangers_uit_dim_gemeente():
    assert parse_predecessors("GM0009 Ten Boer, GM0017 Haren") == [
        ("GM0009", "Ten Boer"),
        ("GM0017", "Haren"),
    ]
    # een voorganger zonder naam (zoals in de publicatie: "GM0478 "), en een komma in een naam
    assert parse_predecessors("GM0478 , GM0424 Muiden, Weesp e.o.") == [
        ("GM0478", None),
        ("GM0424", "Muiden, Weesp e.o."),
    ]
    assert parse_predecessors(None) == [] and parse_predecessors("  ") == []
    gemeenten = pl.DataFrame(
        {
            "gemeentecode": ["GM0014", "GM0080"],
            "gemeentenaam": ["Groningen", "Leeuwarden"],
            "voorgangers": ["GM0009 Ten Boer, GM0017 Haren", "GM0081 Leeuwarderadeel, GM0478 "],
        }
    )
    assert municipality_names(gemeenten) == {
        "GM0009": "Ten Boer",
        "GM0017": "Haren",
        "GM0081": "Leeuwarderadeel",
        "GM0014": "Groningen",
        "GM0080": "Leeuwarden",
    }


@pytest.mark.parametrize(
    ("dekking", "verwacht"),
    [(0.977013, 97.7), (0.99996, 99.9), (1.0, 100.0), (0.9129, 91.2), (0.0, 0.0), (None, None)],
)
def test_dekkingspercentage_wordt_naar_beneden_afgerond(dekking, verwacht):
    # een deel van de gemeente is nooit "100,0"
    assert coverage_percent(dekking) == verwacht


def test_dekkingsnoot():
    assert Dekking(1.0, ()).note(NAMEN) is None and not Dekking(1.0, ()).deels
    assert Dekking.of({"dekking": 1.0, "dekking_ontbrekend": None}).note(NAMEN) is None
    # namen op alfabet, dan codes zonder naam
    deel = Dekking(0.977013, ("GM0017", "GM9998", "GM0009"))
    assert (
        deel.note(NAMEN)
        == "alleen het deel dat leverde (zonder Haren, Ten Boer en GM9998; 97,7% van de inwoners)"
    )
    assert deel.missing_label(NAMEN) == "Haren (GM0017), Ten Boer (GM0009) en GM9998"
    onbekend = Dekking(None, ("GM0009",))
    assert (
        onbekend.note(NAMEN)
        == "alleen het deel dat leverde (zonder Ten Boer; aandeel van de inwoners onbekend)"
    )
    # een dekking onder 1 zonder codes is ook een deel; een heel klein deel wordt geen "0,0%"
    assert Dekking(0.96, ()).note(NAMEN) == "alleen het deel dat leverde (96,0% van de inwoners)"
    assert Dekking(0.0004, ("GM0009",)).share_text() == "minder dan 0,1% van de inwoners"


def test_jaren_en_noten_per_jaar():
    assert format_years([2015, 2016, 2017, 2018]) == "2015–2018"
    assert format_years([2021, 2015, 2017, 2019]) == "2015, 2017, 2019 en 2021"
    assert format_years([2015, 2016, 2019]) == "2015, 2016 en 2019"
    assert notes_per_years([(2015, "a"), (2016, "a"), (2017, "a"), (2018, None), (2019, "b")]) == [
        {"jaren": "2015–2017", "noot": "a"},
        {"jaren": "2019", "noot": "b"},
    ]


# ---------------------------------------------------------------------------------------------- grafiek


def test_stukken_splitsen_waar_de_dekking_verandert():
    deels = {2016, 2017}
    reeks = [2015, 2016, 2017, 2018, None, 2020, 2021]
    assert split_runs(reeks, lambda j: j in deels) == [
        (True, [2015, 2016, 2017, 2018]),  # elke verbinding raakt een deels gedekt jaar
        (False, [2020, 2021]),
    ]
    assert split_runs([2014, 2015, 2016, 2018, 2019], lambda j: j == 2016) == [
        (False, [2014, 2015]),
        (True, [2015, 2016, 2018]),
        (False, [2018, 2019]),
    ]
    assert split_runs([None, 2016, None], lambda j: j == 2016) == [(True, [2016])]


def test_grafiek_deel_van_de_gemeente_open_rondje_met_legenda():
    noot = "alleen het deel dat leverde (zonder Haren; 97,7% van de inwoners)"
    punten = [
        Jaarpunt(2015, 20.0, 18.0, 22.0, False, noot),
        Jaarpunt(2016, 21.0, 19.0, 23.0, False, noot),
        Jaarpunt(2017, 22.0, 20.0, 24.0, False),
        Jaarpunt(2018, 23.0, 21.0, 25.0, False),
    ]
    svg = str(trajectory_chart(punten, titel="T", eenheid="percentage", decimals=1))
    open_rondjes = re.findall(r'<circle class="punt-deel"[^>]*>', svg)
    assert len(open_rondjes) == 2 and all('fill="#ffffff"' in c for c in open_rondjes)
    assert svg.count('<circle class="punt" ') == 2
    # gestippelde lijn tot en met 2017 (de verbinding met een deels gedekt jaar), doorgetrokken daarna
    assert re.search(r'<path class="lijn-deel"[^>]*stroke-dasharray="2 3"', svg)
    assert svg.count('class="lijn"') == 1
    assert ">deel van de gemeente<" in svg and 'class="legenda-deel"' in svg
    assert f"2015: 20,0% (95%-interval 18,0 tot 22,0); {noot}" in svg  # tooltip
    assert (
        "Open rondjes: het cijfer beschrijft alleen het deel van de gemeente dat leverde, in 2015, 2016."
        in svg
    )
    # zonder deels gedekte jaren: geen legenda-item, geen open rondje
    heel = str(trajectory_chart(punten[2:], titel="T", eenheid="percentage"))
    assert "deel van de gemeente" not in heel and "punt-deel" not in heel


def test_grafiek_gepoolde_periode_als_balk_en_lange_legenda_op_twee_regels():
    punten = [Jaarpunt(j, None, None, None, True) for j in (2018, 2019, 2020)] + [
        Jaarpunt(2021, 19.2, 11.4, 27.0, False, "alleen het deel dat leverde (96,0% van de inwoners)")
    ]
    perioden = [Periodebalk(2018, 2020, 18.25, 14.13, 22.87)]
    svg = str(
        trajectory_chart(punten, titel="T", eenheid="per 1.000 inwoners", decimals=1, perioden=perioden)
    )
    assert svg.count('<g class="periode" data-periode="2018–2020">') == 1
    assert svg.count('class="periode-balk"') == 1 and svg.count('class="periode-interval"') == 1
    assert "Gepoolde periode 2018–2020: 18,3 per 1.000 inw. (95%-interval 14,1 tot 22,9)" in svg
    assert ">gepoolde periode<" in svg
    # zes legenda-items passen niet op één regel naast de eenheid: twee regels, en de grafiek wordt hoger
    hoogte = int(re.search(r'viewBox="0 0 640 (\d+)"', svg).group(1))
    assert hoogte == 236 + 14
    assert sorted({y for y in re.findall(r'<text x="[\d.]+" y="(14|28)" fill="#444444">', svg)}) == [
        "14",
        "28",
    ]
    # een onderdrukte periode komt er nooit in: de grafiek krijgt alleen gepubliceerde perioden
    zonder = str(trajectory_chart(punten, titel="T", eenheid="per 1.000 inwoners"))
    assert "periode" not in zonder


# -------------------------------------------------------------------------------------------- trendzin


def test_trendzin_gevoelig_voor_een_jaar():
    rij = {
        "trend": "stijgend",
        "trend_jaar_van": 2020,
        "trend_jaar_tot": 2023,
        "trend_jaren": 4,
        "helling": 1.5,
        "helling_ci_onder": 0.3,
        "helling_ci_boven": 2.7,
        "trend_gevoelig": True,
    }
    assert trend_text(rij, "percentage", "hoger") == (
        "Stijgend over 2020–2023 (hoger is gunstig): gemiddeld +1,5 procentpunt per jaar (95%-interval 0,3 tot "
        "2,7); gevoelig voor één jaar: zonder een van de jaren valt het oordeel anders uit."
    )
    stabiel = {**rij, "trend": "stabiel", "helling_ci_onder": -0.3}
    assert trend_text(stabiel, "percentage").endswith(
        "; gevoelig voor één jaar: zonder een van de jaren valt het oordeel anders uit."
    )
    for waarde in (False, None):
        assert "gevoelig" not in trend_text({**rij, "trend_gevoelig": waarde}, "percentage")


# ----------------------------------------------------------------------------------------------- rapport


@pytest.fixture(scope="module")
def leeuwarden(publicatie_sjabloon, tmp_path_factory) -> str:
    uit = tmp_path_factory.mktemp("leeuwarden")
    return render_municipality_report(publicatie_sjabloon, LEEUWARDEN, uit).read_text(encoding="utf-8")


def _blok(html: str, code: str) -> str:
    m = re.search(rf'<article class="indicator" id="indicator-{code}">(.*?)</article>', html, re.S)
    assert m, code
    return m.group(1)


def test_deels_gedekte_jaren_met_teken_voetnoot_en_open_rondje(leeuwarden):
    blok = _blok(leeuwarden, "g_vrijwilligerswerk")
    for jaar, noot in (
        (
            2018,
            "alleen het deel dat leverde (zonder Leeuwarderadeel en Littenseradiel; aandeel van de inwoners onbekend)",
        ),
        (2019, "alleen het deel dat leverde (zonder Littenseradiel en GM9998; 91,2% van de inwoners)"),
    ):
        rij = re.search(rf'<tr data-jaar="{jaar}" class="deel-gemeente">(.*?)</tr>', blok, re.S).group(1)
        assert f'<a href="#dekking-g_vrijwilligerswerk" aria-label="{noot}">‡</a>' in rij
        assert re.search(r'<td class="getal waarde">\d+,\d<sup>', rij)  # het cijfer zelf staat er
    for jaar in (2020, 2023):
        assert f'<tr data-jaar="{jaar}">' in blok  # volledige dekking: geen teken
    voetnoot = re.search(
        r'<p class="voetnoot dekking" id="dekking-g_vrijwilligerswerk">(.*?)</p>', blok, re.S
    )
    tekst = re.sub(r"<[^>]+>", "", voetnoot.group(1))
    assert (
        "‡ 2018: alleen het deel dat leverde (zonder Leeuwarderadeel en Littenseradiel; aandeel van de inwoners onbekend)."
        in tekst
    )
    assert (
        "‡ 2019: alleen het deel dat leverde (zonder Littenseradiel en GM9998; 91,2% van de inwoners)."
        in tekst
    )
    svg = re.search(r'<svg [^>]*data-grafiek="traject".*?</svg>', blok, re.S).group(0)
    assert svg.count('class="punt-deel"') == 2 and svg.count('class="punt" ') == 4
    assert ">deel van de gemeente<" in svg
    assert "Open rondjes: alleen het deel van de gemeente dat leverde" in blok  # onderschrift
    # een indicator zonder deels gedekte jaren heeft niets van dat al
    mantelzorg = _blok(leeuwarden, "p_mantelzorg_geven")
    assert "‡" not in mantelzorg and "punt-deel" not in mantelzorg
    colofon = leeuwarden[leeuwarden.index('<footer class="colofon"') :]
    assert '<h3 id="dekking">Dekking: cijfers voor een deel van de gemeente</h3>' in colofon
    assert re.search(r"Jaarwaarden voor een deel van de gemeente</th>\s*<td>2 ", colofon)


def test_driejaarswaarde_zonder_periode_verwijst_niet_naar_een_periode(leeuwarden):
    blok = _blok(leeuwarden, "g_vrijwilligerswerk")
    # 2020 rust op 2018 en 2019 (deels gedekt): niet getoond; er is geen periode voor deze indicator
    assert re.search(r'<tr data-jaar="2020">.*?<td class="getal driejaars">–<sup>', blok, re.S)
    assert (
        "Driejaarswaarde niet getoond: een jaar in het venster is onderdrukt of beschrijft maar een deel van de "
        "gemeente." in blok
    )
    assert "gepoolde periode" not in blok and 'class="cijfers perioden"' not in blok
    assert "Waarde over drie jaar.</strong>\n30,5% over 2021–2023" in blok


def test_trend_gevoelig_voor_een_jaar_in_het_rapport(leeuwarden):
    trend = re.search(r'<p class="trend"[^>]*>.*?</p>', _blok(leeuwarden, "g_vrijwilligerswerk"), re.S).group(
        0
    )
    assert 'data-trend="stijgend" data-gevoelig="ja"' in trend
    assert "Stijgend over 2020–2023 (hoger is gunstig)" in trend  # de deels gedekte jaren tellen niet mee
    assert "; gevoelig voor één jaar: zonder een van de jaren valt het oordeel anders uit." in trend
    assert '<a href="#trend-gevoelig" class="uitleg">' in trend
    assert '<p id="trend-gevoelig"><strong>Gevoelig voor één jaar.</strong>' in leeuwarden
    assert "data-gevoelig" not in _blok(leeuwarden, "p_mantelzorg_geven")


def test_gepoolde_perioden_bij_onderdrukte_jaren(leeuwarden):
    blok = _blok(leeuwarden, "p_mantelzorg_geven")
    tabel = re.search(r'<table class="cijfers perioden">(.*?)</table>', blok, re.S).group(1)
    rijen = {
        p: [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for p, r in re.findall(r'<tr data-periode="([^"]+)"[^>]*>(.*?)</tr>', tabel, re.S)
    }
    assert rijen == {
        "2018–2020": [
            "2018–2020",
            "18,3",
            "14,1 tot 22,9",
            "312",
            "3 jaren met gegevens, waarvan 3 afzonderlijk niet getoond",
        ],
        "2021–2023": [
            "2021–2023",
            "–*",
            "–",
            "–",
            "3 jaren met gegevens, waarvan 2 afzonderlijk niet getoond",
        ],
    }
    assert '<tr data-periode="2021–2023" class="onderdrukt">' in tabel
    # in de samenvatting de laatste gepubliceerde periode, en de driejaarswaarde verwijst ernaar
    assert (
        "<strong>Gepoolde periode.</strong> 18,3% over 2018–2020 (95%-interval 14,1 tot 22,9; 3 jaren met "
        "gegevens, waarvan 3 afzonderlijk niet getoond)." in blok
    )
    assert (
        "2021–2023: niet getoond: een jaar in het venster is onderdrukt of beschrijft maar een deel van de "
        "gemeente; zie de gepoolde periode" in blok
    )
    # in de grafiek: alleen de gepubliceerde periode, als balk met interval
    svg = re.search(r'<svg [^>]*data-grafiek="traject".*?</svg>', blok, re.S).group(0)
    assert re.findall(r'data-periode="([^"]+)"', svg) == ["2018–2020"]
    assert "Paarse balken: gepoolde perioden." in blok
    assert '<h3 id="perioden">Gepoolde perioden</h3>' in leeuwarden


@pytest.mark.parametrize("gemeentecode", [LEEUWARDEN, "GM1924"])
def test_geen_onderdrukt_getal_van_jaar_venster_of_periode(publicatie_sjabloon, tmp_path, gemeentecode):
    uit = tmp_path / "uit"
    html = render_municipality_report(publicatie_sjabloon, gemeentecode, uit).read_text(encoding="utf-8")
    assert not [t for t in GIF_TEKSTEN if t in html]
    pdf = render_municipality_pdf(publicatie_sjabloon, gemeentecode, uit)
    tekst = "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    assert not [t for t in GIF_TEKSTEN if t in tekst]


def test_perioden_alleen_bij_indicatoren_met_onderdrukte_jaren(publicatie_sjabloon):
    context = _build_context(read_publication(publicatie_sjabloon, "GM1924"), "GM1924", datetime(2025, 2, 3))
    blokken = {i["code"]: i for s in context["sferen"] for i in s["indicatoren"]}
    # mantelzorg heeft perioden in de mart, maar geen onderdrukte jaren: niets toe te voegen
    assert blokken["p_mantelzorg_geven"]["perioden"] == []
    assert blokken["p_mantelzorg_geven"]["periode_samenvatting"] is None
    vrijwilligers = blokken["g_vrijwilligerswerk"]
    assert [(p["periode"], p["onderdrukt"], p["waarde"]) for p in vrijwilligers["perioden"]] == [
        ("2018–2020", False, "30,8"),
        ("2021–2023", True, "–"),
    ]
    assert vrijwilligers["driejaars_reden"].endswith("; zie de gepoolde periode")


def test_pdf_volgt_het_html_rapport(publicatie_sjabloon, tmp_path):
    pad = render_municipality_pdf(publicatie_sjabloon, LEEUWARDEN, tmp_path)
    tekst = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in pypdf.PdfReader(pad).pages))
    assert (
        "‡ 2018: alleen het deel dat leverde (zonder Leeuwarderadeel en Littenseradiel; aandeel van de inwoners onbekend)."
        in tekst
    )
    assert "gevoelig voor één jaar: zonder een van de jaren valt het oordeel anders uit." in tekst
    assert "Gepoolde periode. 18,3% over 2018–2020 (95%-interval 14,1 tot 22,9;" in tekst
    assert "2018–2020 18,3 14,1 tot 22,9 312" in tekst  # de periodetabel
    assert (
        "Driejaarswaarde niet getoond: een jaar in het venster is onderdrukt of beschrijft maar een deel"
        in tekst
    )
    assert "Gevoelig voor één jaar: de trend is ook bepaald zonder elk jaar om de beurt" in tekst
    assert "Dekking: cijfers voor een deel van de gemeente" in tekst
    assert "Jaarcijfers voor een deel van Leeuwarden (een voorganger leverde niet) 2" in tekst
    assert "minder dan 100 waarnemingen in de drie jaren" not in tekst
