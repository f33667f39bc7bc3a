"""Het gemeenterapport als PDF (Typst), tegen een kleine publicatie die de test zelf opbouwt."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import warnings
from datetime import datetime
from pathlib import Path

import duckdb
import pypdf
import pytest
import typst
from synthetische_publicatie import (
    GEMEENTEN,
    PERIODEN,
    SCHEMA,
    VERHALEN,
    indicator_schema,
    indicatoren_met,
    schrijf_publicatie,
)

import rapportages.pdf as pdf_module
from rapportages.gemeenterapport import (
    OnvolledigePublicatie,
    read_publication,
    render_all_reports,
    report_codes,
)
from rapportages.pdf import render_all_municipalities, render_all_pdfs, render_municipality_pdf

JAREN = range(2018, 2024)  # 2018..2023
ONDERDRUKT_JAAR = 2021
# Noemer en n van het onderdrukte jaar: deze getallen mogen nergens in de PDF staan.
ONDERDRUKTE_NOEMER = 98_765.0
ONDERDRUKTE_N = 83

# Een verhaal vol tekens die in Typst-opmaak iets betekenen: het moet letterlijk op papier komen.
SPECIAAL_VERHAAL = r'Prijs #1: $5 *vet* _schuin_ @buurt <b>[x]</b> \n \\ // "citaat" {a} `c` ~ =kop'

SCHEMA = {**SCHEMA, "marts.dim_indicator": indicator_schema("schaal VARCHAR, intervalmethode VARCHAR")}

INDICATOREN = indicatoren_met(
    {
        "p_mantelzorg_geven": ("aandeel", "wilson"),
        "g_vrijwilligerswerk": ("aandeel", "wilson"),
        "i_deelnames_per_1000": ("per 1000", "poisson"),
    }
)

LEVERINGEN = [
    (
        "lev-enq-1",
        "enquete",
        "burgerpeiling_goeree.sav",
        "a" * 64,
        datetime(2024, 3, 5, 10),
        1234,
        "geaccepteerd",
    ),
    (
        "lev-dln-1",
        "deelname",
        "deelname_goeree_2023.csv",
        "b" * 64,
        datetime(2024, 2, 1, 9),
        56789,
        "geaccepteerd",
    ),
    (
        "lev-ams-1",
        "enquete",
        "burgerpeiling_amsterdam.sav",
        "c" * 64,
        datetime(2024, 3, 6),
        999,
        "geaccepteerd",
    ),
    ("lev-kapot", "deelname", "kapot_bestand.csv", "d" * 64, datetime(2024, 1, 1), 0, "afgewezen"),
]

# Zoals in de gedeelde publicatie, maar met het verhaal vol Typst-tekens.
VERHALEN = [(*VERHALEN[0][:6], SPECIAAL_VERHAAL), *VERHALEN[1:]]


def _cijfers() -> list[tuple]:
    rijen = []
    for code, lev in (("GM1924", "lev-enq-1"), ("GM0363", "lev-ams-1")):
        for k, jaar in enumerate(JAREN):
            w = 45.67 + k  # 45,67 -> "45,7"
            rijen.append(
                (
                    code,
                    jaar,
                    "p_mantelzorg_geven",
                    523.4 + k,
                    1146.0,
                    1146,
                    w,
                    1.4,
                    w - 2.8,
                    w + 2.8,
                    False,
                    [lev],
                )
            )
            if jaar == ONDERDRUKT_JAAR and code == "GM1924":
                # Te weinig respondenten: de mart laat waarde, interval en teller leeg.
                rijen.append(
                    (code, jaar, "g_vrijwilligerswerk", None, ONDERDRUKTE_NOEMER, ONDERDRUKTE_N)
                    + (None, None, None, None, True, [lev])
                )
            else:
                w = 30.25 + k / 2
                rijen.append(
                    (
                        code,
                        jaar,
                        "g_vrijwilligerswerk",
                        400.0,
                        1200.0,
                        1200,
                        w,
                        1.3,
                        w - 2.6,
                        w + 2.6,
                        False,
                        [lev],
                    )
                )
        if code == "GM1924":
            for k, jaar in enumerate(JAREN):
                teller = 123_456.7 if jaar == 2023 else 40_000.0 + 1000 * k
                w = teller / 51_000 * 1000
                rijen.append(
                    (
                        code,
                        jaar,
                        "i_deelnames_per_1000",
                        teller,
                        51_000.0,
                        int(teller),
                        w,
                        10.0,
                        w - 20,
                        w + 20,
                    )
                    + (False, ["lev-dln-1"])
                )
    return rijen


def _meerjarig(cijfers: list[tuple]) -> list[tuple]:
    """Driejaarswaarden en trend zoals de mart ze levert (onderdrukt zodra een jaar in het venster dat is)."""
    rijen = []
    per_reeks: dict[tuple[str, str], dict[int, tuple]] = {}
    for r in cijfers:
        per_reeks.setdefault((r[0], r[2]), {})[r[1]] = r
    for (code, indicator), jaren in per_reeks.items():
        for jaar in sorted(jaren):
            venster = [jaren[j] for j in range(jaar - 2, jaar + 1) if j in jaren]
            onderdrukt = any(v[10] for v in venster)
            waarde = None if onderdrukt else sum(v[6] for v in venster) / len(venster)
            trend_jaren = jaar - min(jaren) + 1
            trend = "stijgend" if trend_jaren >= 4 else "onvoldoende gegevens"
            helling = (1.0, 0.4, 1.6) if trend_jaren >= 4 else (None, None, None)
            rijen.append(
                (code, indicator, jaar, len(venster), None if onderdrukt else 3000)
                + (waarde, None if onderdrukt else 0.9)
                + ((None, None) if onderdrukt else (waarde - 1.8, waarde + 1.8))
                + (onderdrukt, min(jaren), jaar, trend_jaren)
                + helling
                + (trend,)
            )
    return rijen


def _vergelijking(cijfers: list[tuple]) -> list[tuple]:
    rijen = []
    for r in cijfers:
        if r[1] != max(JAREN) or r[10]:
            continue
        code, jaar, indicator, w = r[0], r[1], r[2], r[6]
        for referentie, groep, n in (
            ("vergelijkingsgroep", "50.000-100.000; weinig stedelijk", 12),
            ("landelijk", None, 14),
        ):
            rijen.append(
                (code, jaar, indicator, referentie, groep, w, r[8], r[9], w - 1.5, n)
                + (w - 6, w + 3, w - 9, w + 6, 1.4, None, None, "eigen referentie", "binnen", "binnen")
            )
    return rijen


def maak_publicatie(pad: Path, zonder: str | None = None) -> Path:
    cijfers = _cijfers()
    inhoud = {
        "marts.dim_gemeente": GEMEENTEN,
        "marts.dim_indicator": INDICATOREN,
        "marts.fct_indicator_jaar": cijfers,
        "marts.fct_indicator_meerjarig": _meerjarig(cijfers),
        "marts.fct_indicator_periode": PERIODEN,
        "marts.fct_vergelijking": _vergelijking(cijfers),
        "marts.fct_verhalen": VERHALEN,
        "kwaliteit.leveringen": LEVERINGEN,
    }
    return schrijf_publicatie(pad, inhoud, schema=SCHEMA, zonder=zonder)


def _teksten(pad: Path) -> list[str]:
    """De tekst per pagina, zoals een lezer hem kopieert of doorzoekt."""
    return [pagina.extract_text() for pagina in pypdf.PdfReader(pad).pages]


def _zonder_tijd(tekst: str) -> str:
    """Tekst zonder het tijdstip van maken ("om 07:43")."""
    return re.sub(r"om \d{2}:\d{2}", "om UU:MM", tekst)


def _regels(tekst: str) -> list[str]:
    return [re.sub(r"\s+", " ", r).strip() for r in tekst.splitlines() if r.strip()]


def _pagina_met(teksten: list[str], kop: str) -> int:
    """Index van de pagina waarop een indicator- of sfeerkop als eigen regel staat."""
    paginas = [i for i, t in enumerate(teksten) if kop in _regels(t)]
    assert paginas, f"{kop!r} staat in geen enkele pagina als kop"
    return paginas[0]


def _sfeer_tekst(teksten: list[str], titel: str) -> str:
    """De tekst van alle pagina's van een sfeer (tot de volgende sfeer of het colofon)."""
    begin = _pagina_met(teksten, titel)
    koppen = ("Persoonlijke sfeer", "Gemeenschappelijke sfeer", "Institutionele sfeer", "Colofon")
    volgende = [i for i in range(begin + 1, len(teksten)) if set(_regels(teksten[i])[1:2]) & set(koppen)]
    return "\n".join(teksten[begin : volgende[0] if volgende else len(teksten)])


@pytest.fixture(scope="module")
def publicatie(tmp_path_factory) -> Path:
    return maak_publicatie(tmp_path_factory.mktemp("pub") / "publicatie.duckdb")


@pytest.fixture(scope="module")
def rapport(publicatie, tmp_path_factory) -> Path:
    uit = tmp_path_factory.mktemp("uit")
    with warnings.catch_warnings(record=True) as meldingen:
        warnings.simplefilter("always")
        pad = render_municipality_pdf(publicatie, "GM1924", uit)
    # Typst meldt niets (geen ontbrekend lettertype, geen ontbrekende alt-tekst, geen lay-outprobleem).
    assert not [str(m.message) for m in meldingen if isinstance(m.message, typst.TypstWarning)]
    return pad


@pytest.fixture(scope="module")
def teksten(rapport) -> list[str]:
    return _teksten(rapport)


# ----------------------------------------------------------------------------------------------- de PDF


def test_pdf_is_a4_heeft_paginas_en_nederlandse_tekst(rapport, teksten):
    assert rapport.name == "gemeenterapport_GM1924.pdf"
    assert rapport.read_bytes().startswith(b"%PDF-")
    lezer = pypdf.PdfReader(rapport)
    # voorblad + drie sferen (elk op een eigen pagina) + colofon
    assert len(lezer.pages) >= 5
    for pagina in lezer.pages:
        assert abs(float(pagina.mediabox.width) - 595.28) < 1
        assert abs(float(pagina.mediabox.height) - 841.89) < 1
    assert str(lezer.trailer["/Root"]["/Lang"]).lower().startswith("nl")
    assert "Goeree-Overflakkee" in lezer.metadata.title
    # Bladwijzers: de sferen (met hun indicatoren eronder) en het colofon.
    bladwijzers = [b.title for b in lezer.outline if not isinstance(b, list)]
    assert bladwijzers == [
        "Persoonlijke sfeer",
        "Gemeenschappelijke sfeer",
        "Institutionele sfeer",
        "Colofon",
    ]
    alles = "\n".join(teksten)
    for tekst in (
        "Goeree-Overflakkee",
        "Persoonlijke sfeer",
        "Gemeenschappelijke sfeer",
        "Institutionele sfeer",
    ):
        assert tekst in alles
    assert "Over dit rapport" in teksten[0] and "geen ranglijsten" in teksten[0]
    # De tekstlaag is gewone tekst: geen zachte afbreekstreepjes of vervangingstekens.
    assert "\u00ad" not in alles and "\ufffd" not in alles


def test_voorblad_met_kenmerken_herindeling_en_inhoud(teksten):
    voorblad = re.sub(r"\s+", " ", teksten[0])
    for tekst in (
        "GM1924",
        "Zuid-Holland",
        "50 000 tot 100 000 inwoners",
        "Weinig stedelijk",
        "51.000",
        "2018–2023",
    ):
        assert tekst in voorblad
    assert "Ontstaan uit Dirksland (GM0499), Goedereede (GM0511) en Middelharnis (GM0580)" in voorblad
    # Inhoud met de paginanummers waarop de sferen echt beginnen.
    for titel in ("Persoonlijke sfeer", "Gemeenschappelijke sfeer", "Institutionele sfeer"):
        m = re.search(rf"{titel} \(1 indicator, \d verha\w+\)[ .]*(\d+)", voorblad)
        assert m, f"{titel} ontbreekt in de inhoud"
        assert int(m.group(1)) == _pagina_met(teksten, titel) + 1


def test_elke_sfeer_op_een_nieuwe_pagina_met_kop_en_paginanummers(teksten):
    paginas = [
        _pagina_met(teksten, t)
        for t in ("Persoonlijke sfeer", "Gemeenschappelijke sfeer", "Institutionele sfeer")
    ]
    assert paginas == sorted(paginas) and len(set(paginas)) == 3 and paginas[0] >= 1
    colofon = _pagina_met(teksten, "Colofon")
    assert colofon > paginas[-1]
    totaal = len(teksten)
    for nummer, tekst in enumerate(teksten, start=1):
        regels = _regels(tekst)
        assert f"pagina {nummer} van {totaal}" in regels
        if nummer > 1:
            # Kopregel met de gemeente; de sfeer of het colofon begint direct daaronder.
            assert "Goeree-Overflakkee (GM1924)" in regels[0]
            if nummer - 1 in (*paginas, colofon):
                assert regels[1] in (
                    "Persoonlijke sfeer",
                    "Gemeenschappelijke sfeer",
                    "Institutionele sfeer",
                    "Colofon",
                )


def test_nederlandse_getallen_uit_de_marts(teksten):
    persoonlijk = teksten[_pagina_met(teksten, "Geeft mantelzorg")]
    # Jaar, waarde, interval, teller, noemer, n (en eventueel de driejaarswaarde erachter).
    assert any(r.startswith("2018 45,7 42,9 tot 48,5 523,4 1.146 1.146") for r in _regels(persoonlijk))
    institutioneel = teksten[_pagina_met(teksten, "Deelnames aan activiteiten per 1.000 inwoners")]
    assert any(
        r.startswith("2023 2.420,7 2.400,7 tot 2.440,7 123.456,7 51.000 123.456")
        for r in _regels(institutioneel)
    )
    # Geen Engelse notatie van dezelfde getallen.
    alles = "\n".join(teksten)
    assert "45.67" not in alles and "123,456.7" not in alles and "2420.7" not in alles


def test_onderdrukt_jaar_is_een_streepje_met_voetnoot_en_lekt_niets(teksten):
    pagina = teksten[_pagina_met(teksten, "Doet vrijwilligerswerk")]
    rij = [r for r in _regels(pagina) if r.startswith(f"{ONDERDRUKT_JAAR} ")]
    assert len(rij) == 1, rij
    # Waarde "–*", interval, teller en noemer "–", n "< 100"; een driejaarswaarde erachter is ook "–".
    assert re.fullmatch(rf"{ONDERDRUKT_JAAR} – ?\* – – – < 100( – ?†?)?", rij[0]), rij[0]
    assert "Niet getoond: minder dan 100 waarnemingen in dat jaar" in re.sub(r"\s+", " ", pagina)
    alles = "\n".join(teksten)
    assert "98.765" not in alles and "98765" not in alles  # noemer van het onderdrukte jaar
    assert not re.search(rf"(?<![\d.,]){ONDERDRUKTE_N}(?![\d.,])", alles)  # n van het onderdrukte jaar
    # De regel staat in het colofon.
    colofon = re.sub(r"\s+", " ", teksten[_pagina_met(teksten, "Colofon")])
    assert (
        "Cijfers op minder dan n waarnemingen (minimum per indicator, zie catalogus) worden niet getoond"
        in colofon
    )


def test_grafieken_staan_als_vector_met_leesbare_tekst_in_de_pdf(rapport, teksten):
    # De jaartallen van de x-as staan op één regel: dat kan alleen uit de grafiek komen (de tabel heeft
    # een jaar per regel), dus de SVG-tekst is echt gezet.
    as_regel = " ".join(str(j) for j in JAREN)
    for kop in (
        "Geeft mantelzorg",
        "Doet vrijwilligerswerk",
        "Deelnames aan activiteiten per 1.000 inwoners",
    ):
        assert as_regel in _regels(teksten[_pagina_met(teksten, kop)]), kop
    # Legenda van de grafiek met een onderdrukt jaar.
    assert "onderdrukt" in teksten[_pagina_met(teksten, "Doet vrijwilligerswerk")]
    # Alle lettertypen zitten in de PDF zelf (ook die van de grafieken): hij ziet er overal hetzelfde uit.
    lezer = pypdf.PdfReader(rapport)
    for pagina in lezer.pages:
        for font in pagina["/Resources"]["/Font"].values():
            font = font.get_object()
            beschrijvingen = [font.get("/FontDescriptor")] + [
                d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])
            ]
            beschrijvingen = [b.get_object() for b in beschrijvingen if b is not None]
            assert beschrijvingen and all(
                any(k in b for k in ("/FontFile", "/FontFile2", "/FontFile3")) for b in beschrijvingen
            ), font.get("/BaseFont")
    # Geen afbeeldingen als pixels: de grafieken zijn vectoren.
    for pagina in lezer.pages:
        xobjecten = pagina["/Resources"].get("/XObject", {})
        assert not [x for x in xobjecten.values() if x.get_object().get("/Subtype") == "/Image"]


def test_verhaal_met_typst_tekens_komt_letterlijk_in_de_pdf(teksten):
    persoonlijk = _sfeer_tekst(teksten, "Persoonlijke sfeer")
    assert SPECIAAL_VERHAAL in [r.strip() for r in persoonlijk.splitlines()], persoonlijk
    assert "Koffie bij de buren" in persoonlijk
    assert "voetbalclub" in _sfeer_tekst(teksten, "Gemeenschappelijke sfeer")
    alles = "\n".join(teksten)
    assert "Een verhaal uit Amsterdam" not in alles
    institutioneel = re.sub(r"\s+", " ", _sfeer_tekst(teksten, "Institutionele sfeer"))
    assert "geen verhalen uit Goeree-Overflakkee" in institutioneel


def test_colofon_met_bronnen_leveringen_en_datums(teksten):
    colofon = re.sub(r"\s+", " ", "\n".join(teksten[_pagina_met(teksten, "Colofon") :]))
    assert "burgerpeiling_goeree.sav" in colofon and "deelname_goeree_2023.csv" in colofon
    assert "05-03-2024" in colofon and "56.789" in colofon and "1.234" in colofon
    assert "burgerpeiling_amsterdam.sav" not in colofon and "kapot_bestand.csv" not in colofon
    assert "Inwonersenquête" in colofon and "Deelnameregistraties" in colofon
    vandaag = datetime.now()
    assert f"Gemaakt op {vandaag.day} " in colofon and str(vandaag.year) in colofon
    assert "gepubliceerd op 2 april 2024" in colofon
    assert "Datakwaliteit" in colofon and "Leveringen gebruikt voor Goeree-Overflakkee 2" in colofon


def test_extra_onderdelen_van_de_context_komen_in_de_pdf(publicatie, tmp_path, monkeypatch):
    """Trendtekst, driejaarswaarde, vergelijking (tabel en grafiek) en kwaliteit worden getoond als ze er zijn."""
    echte_context = pdf_module._build_context
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 60" role="img">'
        "<title>Trechter &amp; stip</title><desc>Beschrijving #1</desc>"
        '<text x="10" y="30" font-family="sans-serif" font-size="12">Trechtergrafiek 42,0</text></svg>'
    )

    def met_extra(data, gemeentecode, gegenereerd_op):
        context = echte_context(data, gemeentecode, gegenereerd_op)
        blok = context["sferen"][0]["indicatoren"][0]
        blok["trend_tekst"] = "Stijgend over 2018–2023: gemiddeld +1,0 procentpunt per jaar [#x]."
        blok["waarde_3jaar_tekst"] = "49,7 % (95%-interval 47,9 tot 51,5) over 2021–2023"
        blok["vergelijking"] = [
            {
                "label": "Vergelijkingsgroep (50.000–100.000 inwoners; weinig stedelijk, 12 gemeenten)",
                "referentie_waarde": "49,2",
                "grenzen_95": "44,7 tot 53,7",
                "positie_tekst": "binnen de verwachte spreiding",
                "jaar": 2023,
            }
        ]
        blok["vergelijkingsgrafiek"] = svg
        context["kwaliteit"] = {
            "leveringen_per_status": {"geaccepteerd": 3, "afgewezen": 1},
            "gebruikte_leveringen": 2,
            "nieuwe_telling_x": 1234,
        }
        return context

    monkeypatch.setattr(pdf_module, "_build_context", met_extra)
    teksten = _teksten(render_municipality_pdf(publicatie, "GM1924", tmp_path))
    alles = re.sub(r"\s+", " ", "\n".join(teksten))
    assert "Stijgend over 2018–2023: gemiddeld +1,0 procentpunt per jaar [#x]." in alles
    assert "49,7 % (95%-interval 47,9 tot 51,5) over 2021–2023" in alles
    assert "Vergelijkingsgroep (50.000–100.000 inwoners; weinig stedelijk, 12 gemeenten)" in alles
    assert "49,2 44,7 tot 53,7 binnen de verwachte spreiding" in alles
    assert "Trechtergrafiek 42,0" in alles
    assert "Leveringen per status (alle gemeenten) geaccepteerd: 3; afgewezen: 1" in alles
    assert "Leveringen gebruikt voor Goeree-Overflakkee 2" in alles
    assert "Nieuwe telling x 1.234" in alles  # een onbekend onderdeel komt er ook in, Nederlands opgemaakt


def test_lange_tabel_breekt_over_paginas_met_herhaalde_kopregel(publicatie, tmp_path, monkeypatch):
    echte_context = pdf_module._build_context

    def veel_leveringen(data, gemeentecode, gegenereerd_op):
        context = echte_context(data, gemeentecode, gegenereerd_op)
        context["leveringen"] = [
            {
                "bron": "deelname",
                "bestandsnaam": f"deelname_{i:03d}.csv",
                "ontvangen_op": "01-02-2024",
                "rijen": "1.000",
                "status": "geaccepteerd",
            }
            for i in range(120)
        ]
        return context

    monkeypatch.setattr(pdf_module, "_build_context", veel_leveringen)
    teksten = _teksten(render_municipality_pdf(publicatie, "GM1924", tmp_path))
    colofon = teksten[_pagina_met(teksten, "Colofon") :]
    met_leveringen = [t for t in colofon if "deelname_" in t]
    assert len(met_leveringen) >= 2  # de tabel loopt over meer dan één pagina
    for tekst in met_leveringen:
        assert "Bron Bestand Ontvangen op Rijen" in _regels(tekst)  # kopregel op elke pagina
    alles = "\n".join(colofon)
    assert all(f"deelname_{i:03d}.csv" in alles for i in range(120))


def test_gemeente_zonder_cijfers_krijgt_een_nette_pdf(publicatie, tmp_path):
    teksten = _teksten(render_municipality_pdf(publicatie, "GM0014", tmp_path))
    alles = re.sub(r"\s+", " ", "\n".join(teksten))
    assert "Groningen" in alles
    assert alles.count("zijn er (nog) geen cijfers voor deze indicator") == 3


def test_render_all_pdfs_een_per_gemeente_met_cijfers(publicatie, tmp_path):
    paden = render_all_pdfs(publicatie, tmp_path / "alle")
    assert [p.name for p in paden] == ["gemeenterapport_GM0363.pdf", "gemeenterapport_GM1924.pdf"]
    # Niets blijft achter naast de PDF's (eerst een tijdelijk bestand, dan in één keer vervangen).
    assert sorted(p.name for p in (tmp_path / "alle").iterdir()) == [p.name for p in paden]
    amsterdam = re.sub(r"\s+", " ", "\n".join(_teksten(paden[0])))
    assert "Amsterdam" in amsterdam and "Een verhaal uit Amsterdam" in amsterdam
    assert "burgerpeiling_amsterdam.sav" in amsterdam and "burgerpeiling_goeree.sav" not in amsterdam
    assert "Ontstaan uit" not in amsterdam


def test_opnieuw_maken_vervangt_de_pdf(publicatie, tmp_path):
    pad = tmp_path / "gemeenterapport_GM1924.pdf"
    pad.write_bytes(b"oude versie")
    assert render_municipality_pdf(publicatie, "GM1924", tmp_path) == pad
    assert pad.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == [pad.name]


# ------------------------------------------------------------------------------------------- foutpaden


@pytest.mark.parametrize("tabel", ["marts.dim_indicator", "marts.fct_indicator_jaar", "kwaliteit.leveringen"])
def test_ontbrekende_tabel_geeft_dezelfde_duidelijke_fout_als_html(tmp_path, tabel):
    pad = maak_publicatie(tmp_path / "onvolledig.duckdb", zonder=tabel)
    with pytest.raises(OnvolledigePublicatie, match=re.escape(tabel)) as fout:
        render_municipality_pdf(pad, "GM1924", tmp_path / "uit")
    assert "onvolledig" in str(fout.value)
    with pytest.raises(OnvolledigePublicatie, match=re.escape(tabel)):
        render_all_pdfs(pad, tmp_path / "uit")
    assert not (tmp_path / "uit").exists() or not list((tmp_path / "uit").iterdir())


def test_ontbrekende_publicatie_geeft_duidelijke_fout(tmp_path):
    with pytest.raises(FileNotFoundError, match="bestaat niet"):
        render_municipality_pdf(tmp_path / "nergens.duckdb", "GM1924", tmp_path / "uit")


def test_onbekende_gemeente_geeft_valueerror(publicatie, tmp_path):
    with pytest.raises(ValueError, match="Gemeente GM9999 komt niet voor in de publicatie"):
        render_municipality_pdf(publicatie, "GM9999", tmp_path)
    assert not list(tmp_path.iterdir())


def test_typst_fout_geeft_nederlandse_runtimeerror_met_gemeente(publicatie, tmp_path, monkeypatch):
    kapot = tmp_path / "kapot.typ"
    kapot.write_text(
        '#let g = json(bytes(sys.inputs.at("gegevens")))\n#g.gemeente.naam #onbekende_functie()\n'
    )
    monkeypatch.setattr(pdf_module, "SJABLOON", kapot)
    uit = tmp_path / "uit"
    with pytest.raises(RuntimeError, match=r"Goeree-Overflakkee \(GM1924\) kon niet worden gemaakt") as fout:
        render_municipality_pdf(publicatie, "GM1924", uit)
    assert "Typst meldt:" in str(fout.value) and "onbekende_functie" in str(fout.value)
    # Er staat geen (halve) PDF.
    assert not uit.exists() or not list(uit.iterdir())


def test_rapportages_pdf_importeert_geen_orchestratie_of_dagster():
    code = (
        "import sys, rapportages.pdf\n"
        "verboden = [m for m in sys.modules if m.split('.')[0] in ('dagster', 'orchestratie', 'bronnen')]\n"
        "assert not verboden, verboden\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_alle_rapporten_over_processen_nieuwste_levering_eerst(publicatie, tmp_path):
    """render_all_municipalities verdeelt HTML en PDF over processen; de uitvoer is dezelfde als één voor
    één, en de gemeente met de nieuwste levering komt eerst aan de beurt."""
    pad = tmp_path / "publicatie.duckdb"
    shutil.copy(publicatie, pad)
    with duckdb.connect(str(pad)) as con:
        con.execute("ALTER TABLE kwaliteit.leveringen ADD COLUMN gemeentecodes VARCHAR[]")
        con.execute("UPDATE kwaliteit.leveringen SET gemeentecodes = ['GM0363']")
        con.execute(
            "INSERT INTO kwaliteit.leveringen VALUES ('lev-nieuw', 'deelname', 'deelname_GM1924_2024Q4.csv', "
            "repeat('c', 64), TIMESTAMP '2030-01-01 09:00', 10, 'geaccepteerd', NULL, NULL, ['GM1924'])"
        )
    assert report_codes(read_publication(pad)) == ["GM1924", "GM0363"]
    parallel = render_all_municipalities(pad, tmp_path / "parallel", werkers=2)
    assert [p.name for p in parallel] == [
        "gemeenterapport_GM0363.html",
        "gemeenterapport_GM0363.pdf",
        "gemeenterapport_GM1924.html",
        "gemeenterapport_GM1924.pdf",
    ]
    los = {
        p.name: p
        for p in (*render_all_reports(pad, tmp_path / "los"), *render_all_pdfs(pad, tmp_path / "los"))
    }
    for p in parallel:  # twee runs kunnen over een minuutgrens heen liggen: het tijdstip telt niet mee
        if p.suffix == ".html":
            assert _zonder_tijd(p.read_text(encoding="utf-8")) == _zonder_tijd(
                los[p.name].read_text(encoding="utf-8")
            )
        else:
            assert [_zonder_tijd(t) for t in _teksten(p)] == [_zonder_tijd(t) for t in _teksten(los[p.name])]
