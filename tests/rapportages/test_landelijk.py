"""De landelijke vergelijking (trechterdiagrammen, trajecten per groep, tabellen), tegen een kleine publicatie
die de test zelf opbouwt: negen gemeenten met cijfers in drie vergelijkingsgroepen, één onderdrukt."""

from __future__ import annotations

import csv
import html
import io
import math
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest
from synthetische_publicatie import SCHEMA, indicator_schema, schrijf_publicatie

from rapportages.landelijk import (
    CSV_KOLOMMEN,
    OnvolledigePublicatie,
    csv_safe,
    main,
    render_national_report,
)
from rapportages.trechter import OKABE_ITO, group_styles, log_ticks

JAREN = (2021, 2022, 2023, 2024)
LAATSTE = 2024
KLEIN = ("20 000 tot 50 000 inwoners", "Weinig stedelijk")
MIDDEL = ("100 000 tot 150 000 inwoners", "Sterk stedelijk")
GROOT = ("250 000 inwoners of meer", "Zeer sterk stedelijk")

# (code, naam, klasse, omvang). Namen staan bewust niet in de volgorde van de waarden.
GEMEENTEN = [
    ("GM0001", "Zuiderdorp", KLEIN, 900),
    ("GM0002", "Bergdorp", KLEIN, 1_100),
    ("GM0003", "=SOM(1+1)", KLEIN, 1_000),  # een naam die een rekenblad als formule zou lezen
    ("GM0004", "Onderdrukt-aan-Zee", KLEIN, 800),
    ("GM0005", "Middelstad", MIDDEL, 4_000),
    ("GM0006", "Achterstad", MIDDEL, 4_400),
    ("GM0007", "Kanaalstad", MIDDEL, 3_600),
    ("GM0008", "'s-Hertogenbosch", MIDDEL, 5_000),
    ("GM0009", "Grootstad", GROOT, 20_000),
]
ZONDER_CIJFERS = ("GM0099", "Leegdorp", KLEIN)
ONDERDRUKT = "GM0004"  # in LAATSTE onderdrukt bij p_mantelzorg_geven
GAT = ("GM0001", 2022)  # onderdrukt jaar midden in de reeks
# Cijfers (i_gini) die alleen het deel van de gemeente beschrijven dat leverde: (dekking, ontbrekend). Middelstad
# is ontstaan uit Oudstad (GM0055); GM0066 en GM0067 hebben geen naam in de publicatie.
DEELS = {
    ("GM0005", "i_gini", LAATSTE): (0.91234, ["GM0055"]),
    ("GM0006", "i_gini", 2022): (None, ["GM0066", "GM0067"]),
}
VOORGANGERS = {"GM0005": "GM0055 Oudstad"}
# Wat de (kapotte) publicatie van de onderdrukte gemeente toch meelevert: mag nergens verschijnen.
LEK_WAARDE, LEK_ONDER, LEK_BOVEN, LEK_NOEMER = 987.65, 981.11, 993.33, 4321.0

# Alleen wat de landelijke vergelijking leest (en geen kwaliteit.publicatie).
SCHEMA = {
    **{
        t: SCHEMA[t]
        for t in (
            "marts.dim_gemeente",
            "marts.dim_indicator",
            "marts.fct_indicator_jaar",
            "marts.fct_vergelijking",
        )
    },
    "marts.dim_indicator": indicator_schema("schaal DOUBLE, intervalmethode VARCHAR"),
}

INDICATOREN = [
    # code, naam, sfeer, eenheid, schaal, methode, minimum_n, tau
    ("p_mantelzorg_geven", "Geeft mantelzorg", "persoonlijk", "percentage", 100.0, "wilson", 100, 1.2),
    (
        "i_deelnames_per_1000",
        "Deelnames per 1.000 inwoners",
        "institutioneel",
        "per 1.000 inwoners",
        1000.0,
        "poisson",
        10,
        0.0,
    ),
    # Zonder standaardfout: geen trechtergrenzen, de x-as wordt de noemer.
    ("i_gini", "Ongelijkheid over wijken", "institutioneel", "Gini-coëfficiënt 0-1", 1.0, "gegeven", 3, 0.0),
]


def _waarde(code: str, indicator: str, jaar: int) -> float:
    k = int(code[2:]) % 90
    t = jaar - JAREN[0]
    if indicator == "p_mantelzorg_geven":
        if code == "GM0002" and jaar == LAATSTE:
            return 31.25  # wordt 31,3 (half naar boven, decimale komma)
        return 20.0 + ((k * 7) % 9) * 1.5 + t * 0.25
    if indicator == "i_deelnames_per_1000":
        if code == "GM0009" and jaar == LAATSTE:
            return 1234.56  # wordt 1.234,6 in de tabel en 1234,6 in de CSV
        return 300.0 + ((k * 5) % 9) * 20 + t * 3
    return 0.3 + ((k * 3) % 9) * 0.05


def _se(indicator: str, omvang: int) -> float | None:
    if indicator == "p_mantelzorg_geven":
        return 40 / math.sqrt(omvang)
    if indicator == "i_deelnames_per_1000":
        return 300 / math.sqrt(omvang)
    return None


def _rijen() -> tuple[list[tuple], list[tuple]]:
    jaar_rijen: list[tuple] = []
    verg_rijen: list[tuple] = []
    klasse_van = {c: k for c, _, k, _ in GEMEENTEN}
    for code, _naam, _klasse, omvang in GEMEENTEN:
        for ind, *_rest in INDICATOREN:
            for jaar in JAREN:
                onderdrukt = (code == ONDERDRUKT and jaar == LAATSTE and ind == "p_mantelzorg_geven") or (
                    (code, jaar) == GAT and ind == "p_mantelzorg_geven"
                )
                if onderdrukt and code == ONDERDRUKT:
                    # Een kapotte publicatie die toch een waarde en noemer meelevert.
                    jaar_rijen.append(
                        (
                            code,
                            jaar,
                            ind,
                            31.0,
                            LEK_NOEMER,
                            37,
                            LEK_WAARDE,
                            1.0,
                            LEK_ONDER,
                            LEK_BOVEN,
                            True,
                            [],
                            1.0,
                            [],
                        )
                    )
                    continue
                if onderdrukt:
                    jaar_rijen.append(
                        (code, jaar, ind, None, None, 12, None, None, None, None, True, [], 1.0, [])
                    )
                    continue
                w = _waarde(code, ind, jaar)
                se = _se(ind, omvang)
                half = 1.96 * (se or 0.01)
                dekking = DEELS.get((code, ind, jaar), (1.0, []))
                jaar_rijen.append(
                    (
                        code,
                        jaar,
                        ind,
                        1.0,
                        float(omvang),
                        omvang,
                        w,
                        se,
                        w - half,
                        w + half,
                        False,
                        [],
                        *dekking,
                    )
                )
    # Vergelijking: referentiewaarde per jaar, grenzen rond die waarde met se_referentie en tau; de naam zoals
    # fct_vergelijking hem geeft (de kaart heeft ook Leegdorp, zonder cijfers: nooit 'Nederland').
    kaart = len(GEMEENTEN) + 1
    for ind, *_rest, tau in INDICATOREN:
        vorige: set[str] | None = None
        for jaar in JAREN:
            deelnemers = [
                # zoals de mart: alleen cijfers van de hele gemeente doen mee aan de vergelijking
                r
                for r in jaar_rijen
                if r[2] == ind
                and r[1] == jaar
                and not r[10]
                and r[6] is not None
                and (r[0], ind, jaar) not in DEELS
            ]
            codes = {r[0] for r in deelnemers}
            naam = (
                f"gemeenten in de monitor ({len(codes)} van de {kaart} gemeenten, "
                f"{round(100 * len(codes) / kaart)}% van de inwoners)",
                "Gemeenten in de monitor",
                kaart,
                100.0 * len(codes) / kaart,
                False,
                None if vorige is None else codes != vorige,
                None
                if vorige is None or codes == vorige
                else f"andere gemeenten dan in {jaar - 1}: {len(codes - vorige)} erbij en {len(vorige - codes)} eruit",
                None,
            )
            vorige = codes
            referentie = sum(r[6] * r[4] for r in deelnemers) / sum(r[4] for r in deelnemers)
            groepen: dict[tuple, list[tuple]] = {}
            for r in deelnemers:
                groepen.setdefault(klasse_van[r[0]], []).append(r)
            for r in deelnemers:
                code, _, _, _, noemer, _, w, se, lo, hi = r[:10]
                klasse = klasse_van[code]
                groepsrijen = groepen[klasse]
                sets = [("landelijk", None, referentie, len(deelnemers))]
                if len(groepsrijen) >= 3:
                    gref = sum(g[6] * g[4] for g in groepsrijen) / sum(g[4] for g in groepsrijen)
                    sets.append(("vergelijkingsgroep", f"{klasse[0]}; {klasse[1]}", gref, len(groepsrijen)))
                for soort, groep, ref, aantal in sets:
                    if se is None:
                        g95 = g998 = (None, None)
                        positie = None
                    else:
                        st = math.sqrt(se**2 + tau**2)
                        g95 = (max(ref - 1.96 * st, 0), ref + 1.96 * st)
                        g998 = (max(ref - 3.09 * st, 0), ref + 3.09 * st)
                        positie = "boven" if w > g95[1] else "onder" if w < g95[0] else "binnen"
                    verg_rijen.append(
                        (
                            code,
                            jaar,
                            ind,
                            soort,
                            groep,
                            w,
                            lo,
                            hi,
                            ref,
                            aantal,
                            *g95,
                            *g998,
                            se,
                            tau,
                            1.1,
                            "eigen referentie",
                            positie,
                            positie,
                            *(
                                naam
                                if soort == "landelijk"
                                else (f"vergelijkingsgroep {groep}", "Vergelijkingsgroep", *[None] * 6)
                            ),  # fmt: skip
                            None
                            if se is not None
                            else "geen standaardfout voor deze gemeente: geen trechtergrenzen",
                        )
                    )
    # Het lek in de vergelijking: een rij voor de onderdrukte gemeente (hoort er niet te zijn).
    verg_rijen.append(
        (
            ONDERDRUKT,
            LAATSTE,
            "p_mantelzorg_geven",
            "landelijk",
            None,
            LEK_WAARDE,
            LEK_ONDER,
            LEK_BOVEN,
            25.0,
            9,
            20.0,
            30.0,
            18.0,
            32.0,
            2.0,
            1.2,
            1.1,
            "eigen referentie",
            "boven",
            "boven",
        )
    )
    return jaar_rijen, verg_rijen


def maak_publicatie(
    pad: Path, zonder: str | None = None, zonder_kolom: tuple[str, str] | None = None
) -> Path:
    jaar_rijen, verg_rijen = _rijen()
    inhoud = {
        "marts.dim_gemeente": [
            (c, n, "Provincie", k[0], k[1], o * 10, VOORGANGERS.get(c)) for c, n, k, o in GEMEENTEN
        ]
        + [(ZONDER_CIJFERS[0], ZONDER_CIJFERS[1], "Provincie", *ZONDER_CIJFERS[2], 5_000, None)],
        "marts.dim_indicator": [
            (
                code,
                naam,
                sfeer,
                "bron",
                eenheid,
                schaal,
                methode,
                "teller",
                f"noemer van {code}",
                minimum,
                None,
                f"Toelichting bij {naam}.",
            )
            for code, naam, sfeer, eenheid, schaal, methode, minimum, _ in INDICATOREN
        ],
        "marts.fct_indicator_jaar": jaar_rijen,
        "marts.fct_vergelijking": verg_rijen,
    }
    return schrijf_publicatie(
        pad,
        inhoud,
        schema=SCHEMA,
        zonder=zonder,
        zonder_kolommen={zonder_kolom[0]: (zonder_kolom[1],)} if zonder_kolom else None,
        gepubliceerde_rijen=None,
    )


@pytest.fixture(scope="module")
def publicatie(tmp_path_factory) -> Path:
    return maak_publicatie(tmp_path_factory.mktemp("pub") / "publicatie.duckdb")


@pytest.fixture(scope="module")
def pagina(publicatie, tmp_path_factory) -> str:
    return render_national_report(publicatie, tmp_path_factory.mktemp("uit")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def uitgelicht(publicatie, tmp_path_factory) -> str:
    pad = render_national_report(publicatie, tmp_path_factory.mktemp("uit"), "GM0005")
    return pad.read_text(encoding="utf-8")


def _blok(html: str, code: str) -> str:
    m = re.search(rf'<article class="indicator" id="indicator-{code}">(.*?)</article>', html, re.S)
    assert m, f"indicator {code} ontbreekt"
    return m.group(1)


def _svg(blok: str, klasse: str) -> str:
    m = re.search(rf'<svg[^>]*class="{klasse}".*?</svg>', blok, re.S)
    assert m, f"geen {klasse}-grafiek"
    return m.group(0)


def _punten(svg: str) -> list[dict]:
    punten = []
    for m in re.finditer(r'<(circle|path) ([^>]*class="punt[^"]*"[^>]*)><title>([^<]*)</title>', svg):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(2)))
        attrs["titel"] = html.unescape(m.group(3))
        punten.append(attrs)
    return punten


def _csv(blok: str) -> tuple[str, list[list[str]]]:
    m = re.search(r'<a href="(data:text/csv;charset=utf-8,[^"]*)" download="([^"]+)"', blok)
    assert m, "geen CSV-downloadlink"
    tekst = unquote(m.group(1).split(",", 1)[1], encoding="utf-8")
    assert tekst.startswith("\ufeff"), "de CSV begint niet met een BOM"
    return m.group(2), list(csv.reader(io.StringIO(tekst[1:], newline=""), delimiter=";"))


def _tabelrijen(blok: str) -> list[list[str]]:
    tbody = re.search(r"<tbody>(.*?)</tbody>", blok, re.S).group(1)
    rijen = []
    for rij in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S):
        rijen.append(
            [
                html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rij, re.S)
            ]
        )
    return rijen


# ------------------------------------------------------------------------------------------------- bestand


def test_een_zelfstandig_html_bestand_atomair_geschreven(publicatie, tmp_path):
    pad = render_national_report(publicatie, tmp_path / "uit")
    assert pad == tmp_path / "uit" / "landelijk.html"
    html = pad.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert '<html lang="nl">' in html
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html)
    assert "@import" not in html and "url(" not in html.replace("url(#", "")
    uitgelicht = render_national_report(publicatie, tmp_path / "uit", "GM0005")
    assert uitgelicht.name == "landelijk_GM0005.html"
    # Geen tijdelijke bestanden achtergebleven.
    assert sorted(p.name for p in (tmp_path / "uit").iterdir()) == ["landelijk.html", "landelijk_GM0005.html"]


def test_geen_ranglijst_en_sferen_in_vaste_volgorde(pagina):
    assert "geen ranglijsten" in pagina
    posities = [
        pagina.index(f'id="sfeer-{s}"') for s in ("persoonlijk", "gemeenschappelijk", "institutioneel")
    ]
    assert posities == sorted(posities)
    assert "Voor deze sfeer staan (nog) geen indicatoren in de catalogus." in pagina  # gemeenschappelijk


# ------------------------------------------------------------------------------------------------ trechter


def test_een_trechter_per_indicator_met_een_punt_per_niet_onderdrukte_gemeente(pagina):
    assert pagina.count('class="trechter"') == len(INDICATOREN)
    alle = {c for c, *_ in GEMEENTEN}
    for code, *_ in INDICATOREN:
        svg = _svg(_blok(pagina, code), "trechter")
        assert 'role="img"' in svg and "<title" in svg
        # een onderdrukt cijfer en een cijfer voor een deel van de gemeente staan niet in de trechter
        verwacht = alle - {ONDERDRUKT} if code == "p_mantelzorg_geven" else alle
        verwacht -= {g for g, i, j in DEELS if i == code and j == LAATSTE}
        gemeenten = [p["data-gemeente"] for p in _punten(svg)]
        assert sorted(gemeenten) == sorted(verwacht)
    blok = _blok(pagina, "p_mantelzorg_geven")
    assert "Trechterdiagram 2024" in blok
    assert "Niet getoond: 1 gemeente met minder dan 100 waarnemingen in 2024." in blok


def test_kleur_en_vorm_per_vergelijkingsgroep_met_legenda(pagina):
    klasse_van = {c: k for c, _, k, _ in GEMEENTEN}
    svg = _svg(_blok(pagina, "i_deelnames_per_1000"), "trechter")
    stijl_per_groep: dict[tuple, set[tuple[str, str]]] = {}
    for p in _punten(svg):
        vorm = p["class"].replace("punt", "").strip()
        stijl_per_groep.setdefault(klasse_van[p["data-gemeente"]], set()).add((p["fill"], vorm))
    assert all(len(s) == 1 for s in stijl_per_groep.values()), "één stijl per groep"
    stijlen = [next(iter(s)) for s in stijl_per_groep.values()]
    assert len({k for k, _ in stijlen}) == 3 and len({v for _, v in stijlen}) == 3, (
        "kleur én vorm verschillen"
    )
    assert all(k in OKABE_ITO for k, _ in stijlen)
    # De legenda noemt elke groep (met gemeenten) één keer, onder elk trechterdiagram.
    legenda = _svg(_blok(pagina, "i_deelnames_per_1000"), "legenda")
    for klasse in (KLEIN, MIDDEL, GROOT):
        assert legenda.count(f"{klasse[0]}; {klasse[1]}") == 1
    assert "#ff0000" not in pagina.lower() and "#00ff00" not in pagina.lower()


def test_grenzen_lopen_door_de_punten_op_volgorde_van_precisie(pagina):
    svg = _svg(_blok(pagina, "p_mantelzorg_geven"), "trechter")
    # Omvang 800 tot 20.000: de precisie loopt over meer dan een factor tien, dus een logaritmische as.
    assert 'data-x-schaal="log"' in svg and "logaritmische schaal" in svg
    for klasse in ("grens-95", "grens-998"):
        paden = re.findall(rf'<path class="{klasse}" d="M([^"]+)"', svg)
        assert len(paden) == 2, f"{klasse}: een onder- en een bovengrens"
        for d in paden:
            xs = [float(p.split(",")[0]) for p in d.split()]
            assert len(xs) == len(GEMEENTEN) - 1
            assert xs == sorted(xs)
    assert svg.count('class="referentie"') == 1
    assert "precisie van het cijfer (1 / standaardfout²)" in svg


def test_zonder_standaardfout_noemer_als_x_as_en_geen_grenzen(pagina):
    blok = _blok(pagina, "i_gini")
    svg = _svg(blok, "trechter")
    assert "omvang (noemer)" in svg and "precisie" not in svg
    assert "grens-95" not in svg and "95%-grenzen" not in svg
    assert "geen trechtergrenzen" in blok
    assert "Omvang (noemer): noemer van i_gini." in blok


def test_overdispersie_in_het_onderschrift_alleen_als_tau_positief(pagina):
    met = _blok(pagina, "p_mantelzorg_geven")
    assert "Spiegelhalter" in met and "τ = 1,20 %." in met
    assert "Spiegelhalter" not in re.search(
        r"<figcaption>.*?</figcaption>", _blok(pagina, "i_deelnames_per_1000"), re.S
    ).group(0)


def test_uitgelichte_gemeente_groot_met_naam(uitgelicht):
    assert "<h1>Gemeenten vergeleken: Middelstad uitgelicht</h1>" in uitgelicht
    for code, *_ in INDICATOREN:
        blok = _blok(uitgelicht, code)
        svg = _svg(blok, "trechter")
        groot = [p for p in _punten(svg) if "uitgelicht" in p["class"]]
        if code == "i_gini":  # in 2024 een cijfer voor een deel van Middelstad: niet in de trechter
            assert groot == [] and "Middelstad staat niet in het diagram" in blok
            continue
        assert [p["data-gemeente"] for p in groot] == ["GM0005"]
        assert groot[0]["stroke"] == "#000000"
        assert re.search(r'<text class="label-uitgelicht"[^>]*>Middelstad</text>', svg)
        veelvouden = _svg(blok, "veelvouden")
        assert re.search(r'<path class="traject uitgelicht"[^>]*><title>Middelstad</title>', veelvouden)
        assert re.search(r'<tr data-gemeente="GM0005" class="uitgelicht">', blok)


def test_zonder_uitlichting_geen_uitgelicht_punt(pagina):
    assert "punt uitgelicht" not in pagina and "label-uitgelicht" not in pagina


def test_uitgelichte_onderdrukte_gemeente_krijgt_een_melding(publicatie, tmp_path):
    html = render_national_report(publicatie, tmp_path, ONDERDRUKT).read_text(encoding="utf-8")
    blok = _blok(html, "p_mantelzorg_geven")
    assert "Onderdrukt-aan-Zee staat niet in het diagram: minder dan 100 waarnemingen in 2024." in blok
    assert "punt uitgelicht" not in _svg(blok, "trechter")
    _controleer_geen_lek(html)


# ------------------------------------------------------------------------------------------- onderdrukking


def _controleer_geen_lek(tekst: str) -> None:
    for lek in ("987,65", "987,7", "987.65", "987.7", "981,1", "981.11", "993,3", "993.33", "4.321", "4321"):
        assert lek not in tekst, f"onderdrukt cijfer {lek} gelekt"


def test_onderdrukte_waarde_staat_nergens_in_html_of_csv(pagina, uitgelicht):
    _controleer_geen_lek(pagina)
    _controleer_geen_lek(uitgelicht)
    for code, *_ in INDICATOREN:
        _, rijen = _csv(_blok(pagina, code))
        _controleer_geen_lek("\n".join(";".join(r) for r in rijen))
    svg = _svg(_blok(pagina, "p_mantelzorg_geven"), "trechter")
    assert "Onderdrukt-aan-Zee" not in svg  # geen punt en geen tooltip
    rij = next(r for r in _tabelrijen(_blok(pagina, "p_mantelzorg_geven")) if r[0] == "Onderdrukt-aan-Zee")
    assert rij[2] == "–*" and rij[3] == "–" and rij[5] == "–"
    assert "Niet getoond: minder dan 100 waarnemingen." in _blok(pagina, "p_mantelzorg_geven")


# -------------------------------------------------------------------------------------- kleine veelvouden


def _panelen(veelvouden: str) -> dict[str, str]:
    delen = re.split(r'<g class="paneel[^"]*" data-groep="', veelvouden)[1:]
    return {d.split('"', 1)[0]: d for d in delen}


def test_kleine_veelvouden_een_paneel_per_groep_zonder_punten(pagina):
    veelvouden = _svg(_blok(pagina, "p_mantelzorg_geven"), "veelvouden")
    panelen = _panelen(veelvouden)
    assert list(panelen) == [f"{k[0]}; {k[1]}" for k in (KLEIN, MIDDEL, GROOT)]  # klein naar groot
    # Geen elementen per jaarpunt: hooguit één markering (de groepsvorm) per paneel, geen punten.
    assert 'class="punt' not in veelvouden and veelvouden.count("<circle") <= len(panelen)
    # Een lijn per gemeente; de groepswaarde alleen bij >= 3 gemeenten.
    klein = panelen[f"{KLEIN[0]}; {KLEIN[1]}"]
    lijnen = re.findall(r'<path d="([^"]+)"><title>([^<]+)</title>', klein)
    assert sorted(n for _, n in lijnen) == sorted(
        ["Zuiderdorp", "Bergdorp", "=SOM(1+1)", "Onderdrukt-aan-Zee"]
    )
    assert klein.count('class="groepswaarde"') == 1
    # Het onderdrukte jaar van Zuiderdorp breekt de lijn in twee stukken; 2024 van de onderdrukte gemeente ontbreekt.
    zuiderdorp = next(d for d, n in lijnen if n == "Zuiderdorp")
    assert zuiderdorp.count("M") == 2 and len(re.findall(r"[\d.]+,[\d.]+", zuiderdorp)) == len(JAREN) - 1
    onderdrukt = next(d for d, n in lijnen if n == "Onderdrukt-aan-Zee")
    assert onderdrukt.count("M") == 1 and len(re.findall(r"[\d.]+,[\d.]+", onderdrukt)) == len(JAREN) - 1
    assert 'class="groepswaarde"' not in panelen[f"{GROOT[0]}; {GROOT[1]}"]  # één gemeente: geen groepswaarde
    # Gedeelde y-as: alle panelen hebben dezelfde asverdeling.
    labels = [re.findall(r'class="as-label"[^>]*>([^<]+)<', p) for p in panelen.values()]
    assert labels[0] and all(labels[0] == lbl for lbl in labels)


# ------------------------------------------------------------------------------------------- tabel en CSV


def test_tabel_op_naam_met_nederlandse_getallen(pagina):
    blok = _blok(pagina, "p_mantelzorg_geven")
    rijen = _tabelrijen(blok)
    namen = [r[0] for r in rijen]
    assert namen == [
        "=SOM(1+1)",
        "Achterstad",
        "Bergdorp",
        "Grootstad",
        "'s-Hertogenbosch",  # bij de H
        "Kanaalstad",
        "Middelstad",
        "Onderdrukt-aan-Zee",
        "Zuiderdorp",
    ]
    waarden = [float(r[2].replace(",", ".")) for r in rijen if r[2] != "–*"]
    assert waarden != sorted(waarden) and waarden != sorted(waarden, reverse=True), (
        "niet op waarde gesorteerd"
    )
    bergdorp = next(r for r in rijen if r[0] == "Bergdorp")
    assert bergdorp[2] == "31,3"  # 31,25 half naar boven, decimale komma
    assert re.fullmatch(r"\d+,\d tot \d+,\d", bergdorp[3])
    assert bergdorp[5] in ("binnen", "boven", "onder")
    deelnames = next(r for r in _tabelrijen(_blok(pagina, "i_deelnames_per_1000")) if r[0] == "Grootstad")
    assert deelnames[2] == "1.234,6"
    tooltips = [p["titel"] for p in _punten(_svg(blok, "trechter"))]
    assert any(re.fullmatch(r"Bergdorp: 31,3 % \(95%-interval \d+,\d tot \d+,\d\)", t) for t in tooltips)


def test_csv_leest_terug_met_de_juiste_rijen(pagina, publicatie):
    naam, rijen = _csv(_blok(pagina, "p_mantelzorg_geven"))
    assert naam == "landelijk_p_mantelzorg_geven.csv"
    assert rijen[0] == list(CSV_KOLOMMEN)
    data = rijen[1:]
    assert len(data) == len(GEMEENTEN) * len(JAREN)
    # Op naam en jaar; elke rij heeft alle kolommen.
    assert all(len(r) == len(CSV_KOLOMMEN) for r in data)
    assert [r[3] for r in data[: len(JAREN)]] == [str(j) for j in JAREN]
    k = {naam: i for i, naam in enumerate(CSV_KOLOMMEN)}
    onderdrukt = [r for r in data if r[0] == ONDERDRUKT and r[3] == str(LAATSTE)]
    assert onderdrukt == [
        [
            ONDERDRUKT,
            "Onderdrukt-aan-Zee",
            "20 000 tot 50 000 inwoners; Weinig stedelijk",
            "2024",
            "",
            "",
            "",
            "100,0",  # de dekking gaat over het gebied: ook bij een onderdrukt jaar
            "",
            onderdrukt[0][k["referentiewaarde"]],
            "gemeenten in de monitor (8 van de 10 gemeenten, 80% van de inwoners)",
            "ja",
            "",
            "ja",
        ]
    ]
    assert re.fullmatch(r"\d+,\d", onderdrukt[0][k["referentiewaarde"]]), (
        "de referentiewaarde is geen cijfer van de gemeente"
    )
    # de referentie heet naar wat ze is, met of haar samenstelling veranderde (leeg in het eerste jaar)
    assert {r[k["referentie"]] for r in data if r[3] == str(JAREN[0])} == {
        "gemeenten in de monitor (9 van de 10 gemeenten, 90% van de inwoners)"
    }
    assert {r[k["samenstelling_gewijzigd"]] for r in data if r[3] == str(JAREN[0])} == {""}
    assert not any("Nederland" in c for r in data for c in r)
    gat = next(r for r in data if (r[0], r[3]) == (GAT[0], str(GAT[1])))
    assert gat[4:7] == ["", "", ""] and gat[k["onderdrukt"]] == "ja"
    bergdorp = next(r for r in data if r[1] == "Bergdorp" and r[3] == "2024")
    assert bergdorp[4] == "31,3" and bergdorp[k["onderdrukt"]] == "nee"
    assert bergdorp[k["positie"]] in ("binnen", "boven", "onder")
    # Waarden in de CSV zonder duizendtalpunt, met decimale komma.
    _, deelnames = _csv(_blok(pagina, "i_deelnames_per_1000"))
    assert next(r for r in deelnames if r[1] == "Grootstad" and r[3] == "2024")[4] == "1234,6"
    # Gelijk aan de publicatie: elke rij van fct_indicator_jaar van deze indicator staat erin.
    con = duckdb.connect(str(publicatie), read_only=True)
    sleutels = set(
        con.execute(
            "SELECT gemeentecode, jaar::VARCHAR FROM marts.fct_indicator_jaar WHERE indicator_code = 'p_mantelzorg_geven'"
        ).fetchall()
    )
    con.close()
    assert {(r[0], r[3]) for r in data} == sleutels


def test_csv_is_beschermd_tegen_formules(pagina):
    _, rijen = _csv(_blok(pagina, "p_mantelzorg_geven"))
    rij = next(r for r in rijen if r[0] == "GM0003")
    assert rij[1] == "'=SOM(1+1)"
    for begin in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_safe(f"{begin}1+1") == f"'{begin}1+1"
    assert csv_safe("Bergdorp") == "Bergdorp" and csv_safe("'s-Hertogenbosch") == "'s-Hertogenbosch"
    assert csv_safe(None) == ""
    # In de HTML gewoon als tekst (ge-escaped), zonder apostrof.
    assert '<th scope="row">=SOM(1+1)</th>' in pagina


def test_indicator_zonder_vergelijkingscijfers_houdt_trajecten_en_tabel(tmp_path):
    pad = maak_publicatie(tmp_path / "p.duckdb")
    con = duckdb.connect(str(pad))
    con.execute("DELETE FROM marts.fct_vergelijking WHERE indicator_code = 'i_gini'")
    con.close()
    blok = _blok(render_national_report(pad, tmp_path).read_text(encoding="utf-8"), "i_gini")
    assert 'class="trechter"' not in blok
    assert "Voor deze indicator zijn er geen vergelijkingscijfers." in blok
    assert 'class="veelvouden"' in blok
    assert len(_tabelrijen(blok)) == len(GEMEENTEN)
    _, rijen = _csv(blok)
    assert len(rijen) == 1 + len(GEMEENTEN) * len(JAREN)
    referentie = CSV_KOLOMMEN.index("referentiewaarde")
    assert {r[referentie] for r in rijen[1:]} == {""}  # geen landelijke waarde zonder vergelijking


# ------------------------------------------------------------------------------------------------- dekking


def test_csv_zegt_per_rij_welk_deel_van_de_gemeente_leverde(pagina):
    _, rijen = _csv(_blok(pagina, "i_gini"))
    k = {naam: i for i, naam in enumerate(rijen[0])}
    assert rijen[0][k["bovengrens_95"] + 1 : k["referentiewaarde"]] == [
        "dekking_procent_inwoners",
        "niet_geleverd_door",
    ]
    per_sleutel = {(r[0], r[3]): r for r in rijen[1:]}
    middelstad = per_sleutel[("GM0005", str(LAATSTE))]
    # 91,234% naar beneden afgerond (een deel is nooit 100,0), met de naam uit dim_gemeente.voorgangers
    assert middelstad[k["dekking_procent_inwoners"]] == "91,2"
    assert middelstad[k["niet_geleverd_door"]] == "Oudstad (GM0055)"
    assert middelstad[k["waarde"]] != ""  # het cijfer zelf staat er wel
    achterstad = per_sleutel[("GM0006", "2022")]
    assert achterstad[k["dekking_procent_inwoners"]] == ""  # onbekend
    assert achterstad[k["niet_geleverd_door"]] == "GM0066 en GM0067"  # geen naam in de publicatie: de codes
    volledig = per_sleutel[("GM0006", str(LAATSTE))]
    assert (volledig[k["dekking_procent_inwoners"]], volledig[k["niet_geleverd_door"]]) == ("100,0", "")


def test_tabel_en_trechter_zeggen_dat_een_cijfer_maar_een_deel_beschrijft(pagina):
    blok = _blok(pagina, "i_gini")
    rij = re.search(r'<tr data-gemeente="GM0005"[^>]*>(.*?)</tr>', blok, re.S).group(1)
    assert 'aria-label="alleen het deel dat leverde (zonder Oudstad; 91,2% van de inwoners)">‡</a>' in rij
    voetnoot = re.search(r'<p class="voetnoot dekking" id="dekking-i_gini">(.*?)</p>', blok, re.S).group(1)
    assert "Middelstad: alleen het deel dat leverde (zonder Oudstad; 91,2% van de inwoners)." in voetnoot
    assert "Achterstad" not in voetnoot  # 2022 staat niet in de tabel van 2024
    assert (
        "Niet in het diagram: Middelstad; het cijfer van 2024 beschrijft alleen het deel van de gemeente dat "
        "leverde, en de vergelijking gaat over hele gemeenten." in blok
    )
    # de andere indicatoren hebben volledige dekking: geen teken, geen voetnoot
    assert "‡" not in _blok(pagina, "p_mantelzorg_geven") and 'class="voetnoot dekking"' not in _blok(
        pagina, "p_mantelzorg_geven"
    )
    assert 'id="dekking"' in pagina[pagina.index('<footer class="colofon"') :]


def test_veelvouden_tekenen_een_deel_van_de_gemeente_gestippeld(pagina, uitgelicht):
    blok = _blok(pagina, "i_gini")
    veelvouden = _svg(blok, "veelvouden")
    deel = re.findall(r'<g class="trajecten-deel"[^>]*stroke-dasharray="2 2">(.*?)</g>', veelvouden, re.S)
    titels = sorted(t for g in deel for t in re.findall(r"<title>([^<]*)</title>", g))
    assert titels == ["Achterstad", "Middelstad"]
    assert "Gestippeld: een jaar waarvan het cijfer alleen het deel van de gemeente beschrijft" in blok
    assert "Gestippeld" not in _blok(pagina, "p_mantelzorg_geven").split("<figcaption>")[-1]
    # de uitgelichte gemeente: zwart, doorgetrokken waar ze heel is en gestippeld naar 2024
    zwart = _svg(_blok(uitgelicht, "i_gini"), "veelvouden")
    assert re.search(r'<path class="traject uitgelicht deel"[^>]*stroke-dasharray="3 2"', zwart)
    assert re.search(r'<path class="traject uitgelicht" ', zwart)


# ------------------------------------------------------------------------------------------------- fouten


def test_onbekende_gemeente_geeft_valueerror(publicatie, tmp_path):
    with pytest.raises(ValueError, match="Gemeente GM9999 komt niet voor in de publicatie"):
        render_national_report(publicatie, tmp_path / "uit", "GM9999")
    assert not (tmp_path / "uit").exists() or not any((tmp_path / "uit").iterdir())


@pytest.mark.parametrize("tabel", list(SCHEMA))
def test_ontbrekende_tabel_geeft_duidelijke_fout(tmp_path, tabel):
    pad = maak_publicatie(tmp_path / "onvolledig.duckdb", zonder=tabel)
    with pytest.raises(OnvolledigePublicatie, match=re.escape(tabel)) as fout:
        render_national_report(pad, tmp_path / "uit")
    assert "onvolledig" in str(fout.value) and "ontbreekt" in str(fout.value)


def test_ontbrekende_kolom_geeft_duidelijke_fout(tmp_path):
    pad = maak_publicatie(tmp_path / "oud.duckdb", zonder_kolom=("marts.fct_vergelijking", "se_referentie"))
    with pytest.raises(
        OnvolledigePublicatie, match="in marts.fct_vergelijking ontbreekt de kolom se_referentie"
    ):
        render_national_report(pad, tmp_path / "uit")


def test_ontbrekende_publicatie_geeft_duidelijke_fout(tmp_path):
    with pytest.raises(FileNotFoundError, match="bestaat niet"):
        render_national_report(tmp_path / "nergens.duckdb", tmp_path / "uit")


def test_verbinding_is_na_het_schrijven_gesloten(publicatie, tmp_path):
    render_national_report(publicatie, tmp_path)
    con = duckdb.connect(str(publicatie))  # zou falen als er nog een verbinding open stond
    con.execute("CREATE OR REPLACE TABLE marts.proef (x INTEGER)")
    con.execute("DROP TABLE marts.proef")
    con.close()


def test_opdrachtregel(publicatie, tmp_path, capsys):
    assert main([str(publicatie), str(tmp_path), "--gemeente", "GM0009"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "landelijk_GM0009.html")
    assert main([str(publicatie), str(tmp_path), "--gemeente", "GM9999"]) == 1
    assert "Fout: Gemeente GM9999 komt niet voor in de publicatie" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------- bouwstenen


def test_veel_groepen_kleur_is_grootte_en_vorm_is_stedelijkheid():
    groottes = [
        "minder dan 5 000 inwoners",
        "5 000 tot 10 000 inwoners",
        "10 000 tot 20 000 inwoners",
        "20 000 tot 50 000 inwoners",
        "50 000 tot 100 000 inwoners",
        "100 000 tot 150 000 inwoners",
        "150 000 tot 250 000 inwoners",
        "250 000 inwoners of meer",
    ]
    stedelijkheden = [
        "Niet stedelijk",
        "Zeer sterk stedelijk",
        "Matig stedelijk",
        "Sterk stedelijk",
        "Weinig stedelijk",
    ]
    indeling = group_styles(
        [(g, s) for g in reversed(groottes) for s in stedelijkheden] + [(None, "Sterk stedelijk")]
    )
    assert indeling.per_klasse
    assert len({(g.kleur, g.vorm) for g in indeling.groepen}) == len(indeling.groepen) == 41
    assert [g for g, _ in indeling.kleuren][: len(groottes)] == groottes  # klein naar groot
    assert [s for s, _ in indeling.vormen][:5] == [
        "Zeer sterk stedelijk",
        "Sterk stedelijk",
        "Matig stedelijk",
        "Weinig stedelijk",
        "Niet stedelijk",
    ]
    assert all(g.kleur in OKABE_ITO for g in indeling.groepen if g.gemeentegrootte)
    assert indeling.groepen[-1].label == "Klasse onbekend"


def test_log_ticks():
    assert log_ticks(0.056, 1.4) == [0.1, 0.2, 0.5, 1.0]
    assert log_ticks(12, 17_000) == [100.0, 1000.0, 10000.0]
    ticks = log_ticks(3.1, 4.9)
    assert ticks and all(3.1 <= t <= 4.9 for t in ticks)
    with pytest.raises(ValueError):
        log_ticks(0, 10)


def test_rapportages_landelijk_importeert_geen_orchestratie_of_dagster():
    code = (
        "import sys, rapportages.landelijk\n"
        "verboden = [m for m in sys.modules if m.split('.')[0] in ('dagster', 'orchestratie', 'bronnen')]\n"
        "assert not verboden, verboden\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


# ------------------------------------------------------------------------------------------ referenties


def test_referentie_heet_naar_wat_ze_is(pagina, publicatie, tmp_path):
    """De lijn in de trechter is de referentie van de mart: niet 'landelijk' of 'Nederland' zolang er gemeenten
    zonder cijfer zijn; 'Nederland' pas als de mart zegt dat elke gemeente van de kaart meedoet."""
    blok = _blok(pagina, "p_mantelzorg_geven")
    trechter = _svg(blok, "trechter")
    assert "naast de gemeenten in de monitor, 2024" in trechter
    assert ">referentiewaarde (gemeenten in de monitor)<" in trechter
    assert "Nederland" not in blok and "landelijke waarde" not in blok
    assert (
        "De doorgetrokken lijn is de waarde van de referentie: gemeenten in de monitor (8 van de 10 gemeenten, "
        in blok
    )
    pad = tmp_path / "volledig.duckdb"
    pad.write_bytes(publicatie.read_bytes())
    con = duckdb.connect(str(pad))
    con.execute(
        "UPDATE marts.fct_vergelijking SET referentie_naam = 'Nederland (alle 10 gemeenten)', "
        "referentie_naam_kort = 'Nederland', referentie_volledig = true "
        "WHERE referentie = 'landelijk' AND indicator_code = 'i_deelnames_per_1000'"
    )
    con.close()
    html_volledig = render_national_report(pad, tmp_path / "uit").read_text(encoding="utf-8")
    deelnames = _blok(html_volledig, "i_deelnames_per_1000")
    assert "naast Nederland, 2024" in _svg(deelnames, "trechter")
    assert ">Nederland<" in _svg(deelnames, "trechter")
    assert "Nederland" not in _blok(html_volledig, "p_mantelzorg_geven")


def test_samenstelling_van_de_referentie_staat_erbij(pagina):
    """In 2024 is Onderdrukt-aan-Zee onderdrukt: de referentie rust op een andere set gemeenten dan in 2023. Dat
    staat bij het diagram en in de reeks van de referentie per jaar."""
    blok = _blok(pagina, "p_mantelzorg_geven")
    assert (
        "De referentie van 2024 bevat andere gemeenten dan in 2023: 0 erbij en 1 eruit (een verschil met dat jaar "
        "is dus deels een verschil in gemeenten)." in blok
    )
    reeks = re.search(r'<details class="referentiereeks">(.*?)</details>', blok, re.S).group(1)
    rijen = re.findall(r'<tr data-jaar="(\d+)"( class="samenstelling-gewijzigd")?>(.*?)</tr>', reeks, re.S)
    assert [int(j) for j, _, _ in rijen] == list(JAREN)
    gewijzigd = [int(j) for j, klasse, _ in rijen if klasse]
    assert LAATSTE in gewijzigd and GAT[1] in gewijzigd  # ook het gat van Noorddorp (GM0001) in 2022
    eerste = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rijen[0][2], re.S)
    assert (
        eerste[2] == "gemeenten in de monitor (9 van de 10 gemeenten, 90% van de inwoners)"
        and eerste[3] == "–"
    )
    # een jaar zonder wijziging zegt dat ook (deelnames: elk jaar dezelfde gemeenten)
    deelnames = re.search(
        r'<details class="referentiereeks">(.*?)</details>', _blok(pagina, "i_deelnames_per_1000"), re.S
    ).group(1)
    assert deelnames.count("dezelfde gemeenten als het vorige jaar in de reeks") == len(JAREN) - 1
    assert "samenstelling-gewijzigd" not in deelnames


def test_zonder_grenzen_staat_de_reden_uit_de_mart_erbij(publicatie, tmp_path):
    pad = tmp_path / "geen.duckdb"
    pad.write_bytes(publicatie.read_bytes())
    reden = "geen toevalsmodel voor deze indicator (volledige telling): geen trechtergrenzen"
    con = duckdb.connect(str(pad))
    con.execute(
        "UPDATE marts.fct_vergelijking SET grens_95_onder = NULL, grens_95_boven = NULL, grens_998_onder = NULL, "
        "grens_998_boven = NULL, positie = NULL, positie_998 = NULL, se_referentie = NULL, "
        "reden_geen_grenzen = ? WHERE indicator_code = 'i_deelnames_per_1000'",
        [reden],
    )
    con.close()
    blok = _blok(
        render_national_report(pad, tmp_path / "uit").read_text(encoding="utf-8"), "i_deelnames_per_1000"
    )
    assert f"Voor deze indicator zijn er geen trechtergrenzen: {reden}." in blok
    assert "95%-grenzen" not in _svg(blok, "trechter")
