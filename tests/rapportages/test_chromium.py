"""Het gemeenterapport in een echte browser: headless Chromium, bestuurd via het DevTools-protocol.

Wat een lezer in de browser ziet, wordt hier in de browser zelf geteld: elke grafiek (SVG) heeft een
afmeting en getekende vormen, de schermafdruk is niet leeg, de console meldt geen fouten en het rapport haalt
niets van het netwerk. De afdrukversie (A4, een nieuwe pagina per sfeer) wordt als PDF gemaakt en nagekeken.

Chromium is het Debian-pakket (`/usr/bin/chromium`); `make test` installeert het. Ontbreekt het, dan faalt
deze test (hij wordt nooit overgeslagen). Het DevTools-protocol loopt over een websocket (`websockets`, al in
de omgeving als onderdeel van de Dagster-webserver).
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from websockets.sync.client import connect

from rapportages.gemeenterapport import render_municipality_report

CHROMIUM = "/usr/bin/chromium"
START_TIMEOUT = 30.0  # seconden om Chromium te starten
OPDRACHT_TIMEOUT = 30.0  # seconden per DevTools-opdracht
BREEDTE, HOOGTE = 1100, 1400


def _chromium() -> str:
    pad = shutil.which("chromium") or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)
    if pad is None:
        pytest.fail(
            "Chromium ontbreekt: /usr/bin/chromium is niet gevonden. `make test` installeert het (Debian-pakket "
            "chromium); installeer het anders zelf met `apt-get install chromium`.",
            pytrace=False,
        )
    return pad


def test_chromium_is_geinstalleerd():
    assert Path(_chromium()).is_file()


def test_ontbrekende_chromium_faalt_met_nederlandse_melding(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda naam: None)
    monkeypatch.setattr(os, "access", lambda pad, modus: False)
    with pytest.raises(pytest.fail.Exception, match=r"Chromium ontbreekt.*`make test` installeert het"):
        _chromium()


class Browser:
    """Headless Chromium met één tabblad, bestuurd over het DevTools-protocol (websocket)."""

    def __init__(self, map_: Path):
        self.map = map_
        self.proces: subprocess.Popen | None = None
        self.verbinding = contextlib.ExitStack()
        self.ws = None
        self.sessie: str | None = None
        self.volgnummer = 0
        self.gebeurtenissen: list[dict] = []

    def __enter__(self) -> Browser:
        self.map.mkdir(parents=True, exist_ok=True)
        profiel = Path(tempfile.mkdtemp(prefix="profiel-", dir=self.map))  # altijd een vers profiel
        self.log = (profiel / "chromium.log").open("wb")
        self.proces = subprocess.Popen(
            [
                _chromium(),
                "--headless",
                "--no-sandbox",  # de tests draaien als root
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--metrics-recording-only",
                "--mute-audio",
                "--hide-scrollbars",
                f"--user-data-dir={profiel}",
                "--remote-debugging-port=0",
                f"--window-size={BREEDTE},{HOOGTE}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,  # eigen procesgroep: bij afsluiten gaan ook de kindprocessen weg
        )
        try:
            self._verbind(profiel / "DevToolsActivePort")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _verbind(self, poortbestand: Path) -> None:
        einde = time.monotonic() + START_TIMEOUT
        while True:
            if self.proces.poll() is not None:
                raise AssertionError(
                    f"Chromium stopte meteen (code {self.proces.returncode}); zie {self.log.name}"
                )
            regels = poortbestand.read_text().split() if poortbestand.exists() else []
            if len(regels) == 2:
                break
            if time.monotonic() > einde:
                raise AssertionError(f"Chromium gaf binnen {START_TIMEOUT:.0f} s geen DevTools-poort")
            time.sleep(0.05)
        poort, pad = regels
        self.ws = self.verbinding.enter_context(
            connect(f"ws://127.0.0.1:{poort}{pad}", max_size=None, proxy=None, open_timeout=10)
        )
        doel = self.opdracht("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.sessie = self.opdracht("Target.attachToTarget", {"targetId": doel, "flatten": True})["sessionId"]

    def opdracht(self, methode: str, parameters: dict | None = None, timeout: float = OPDRACHT_TIMEOUT):
        self.volgnummer += 1
        bericht = {"id": self.volgnummer, "method": methode, "params": parameters or {}}
        if self.sessie and not methode.startswith("Target."):
            bericht["sessionId"] = self.sessie
        self.ws.send(json.dumps(bericht))
        einde = time.monotonic() + timeout
        while True:
            rest = einde - time.monotonic()
            if rest <= 0:
                raise AssertionError(f"Geen antwoord van Chromium op {methode} binnen {timeout:.0f} s")
            antwoord = json.loads(self.ws.recv(timeout=rest))
            if antwoord.get("id") == self.volgnummer:
                if "error" in antwoord:
                    raise AssertionError(f"Chromium weigerde {methode}: {antwoord['error']}")
                return antwoord["result"]
            if "method" in antwoord:
                self.gebeurtenissen.append(antwoord)

    def wacht_op(self, methode: str, timeout: float = OPDRACHT_TIMEOUT) -> dict:
        for g in self.gebeurtenissen:
            if g["method"] == methode:
                return g
        einde = time.monotonic() + timeout
        while True:
            rest = einde - time.monotonic()
            if rest <= 0:
                raise AssertionError(f"Chromium meldde {methode} niet binnen {timeout:.0f} s")
            g = json.loads(self.ws.recv(timeout=rest))
            if "method" in g:
                self.gebeurtenissen.append(g)
                if g["method"] == methode:
                    return g

    def evalueer(self, expressie: str):
        resultaat = self.opdracht(
            "Runtime.evaluate", {"expression": expressie, "returnByValue": True, "awaitPromise": True}
        )
        if "exceptionDetails" in resultaat:
            raise AssertionError(f"JavaScript-fout in de test zelf: {resultaat['exceptionDetails']}")
        return resultaat["result"].get("value")

    def __exit__(self, *_) -> None:
        try:
            self.verbinding.close()
        finally:
            if self.proces is not None and self.proces.poll() is None:
                # Alleen de procesgroep die deze test zelf startte.
                try:
                    os.killpg(self.proces.pid, signal.SIGTERM)
                    self.proces.wait(timeout=5)
                except (subprocess.TimeoutExpired, ProcessLookupError):
                    try:
                        os.killpg(self.proces.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    self.proces.wait(timeout=5)
            self.log.close()


# In de browser: per grafiek de afmeting en het aantal zichtbaar getekende vormen.
GRAFIEKEN_JS = """
(() => Array.from(document.querySelectorAll('svg.grafiek')).map(svg => {
  const box = svg.getBoundingClientRect();
  const vormen = Array.from(svg.querySelectorAll('path, circle, rect, line, polygon, polyline'))
    .filter(el => {
      const b = el.getBBox();
      const stijl = getComputedStyle(el);
      return (b.width > 0 || b.height > 0) && stijl.display !== 'none' && stijl.visibility !== 'hidden';
    });
  const tel = sel => svg.querySelectorAll(sel).length;
  return {
    soort: svg.dataset.grafiek,
    titel: svg.querySelector('title').textContent,
    breedte: box.width, hoogte: box.height,
    vormen: vormen.length,
    punten: tel('circle.punt'), punten3: tel('circle.punt-3jaar'), lijnen3: tel('path.lijn-3jaar'),
    banden: tel('path.band'), gemeente: tel('circle.gemeente-punt'), grenzen: tel('rect.grens-95'),
    teksten: Array.from(svg.querySelectorAll('text')).filter(t => t.getBBox().width > 0).length,
  };
}))()
"""

# In de browser: de schermafdruk als afbeelding inlezen en de pixels tellen.
PIXELS_JS = """
(async () => {
  const img = new Image();
  img.src = 'data:image/png;base64,%s';
  await img.decode();
  const c = document.createElement('canvas');
  c.width = img.width; c.height = img.height;
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  let nietWit = 0; const kleuren = new Set();
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) nietWit++;
    if ((i / 4) %% 7 === 0) kleuren.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  }
  return {breedte: c.width, hoogte: c.height, nietWit: nietWit / (d.length / 4), kleuren: kleuren.size};
})()
"""


def _png_afmeting(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "geen PNG"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def _open_rapport(tmp_path_factory, publicatie_sjabloon, gemeentecode: str):
    """Het rapport van ``gemeentecode``, geladen in Chromium; de browser blijft open voor de tests."""
    map_ = tmp_path_factory.mktemp("chromium")
    rapport = render_municipality_report(publicatie_sjabloon, gemeentecode, map_ / "uit")
    with Browser(map_) as browser:
        for domein in ("Page", "Runtime", "Log", "Network"):
            browser.opdracht(f"{domein}.enable")
        browser.opdracht(
            "Emulation.setDeviceMetricsOverride",
            {"width": BREEDTE, "height": HOOGTE, "deviceScaleFactor": 1, "mobile": False},
        )
        browser.opdracht("Page.navigate", {"url": rapport.as_uri()})
        browser.wacht_op("Page.loadEventFired")
        browser.evalueer("document.fonts.ready.then(() => true)")
        yield browser, rapport, map_


@pytest.fixture(scope="module")
def pagina(tmp_path_factory, publicatie_sjabloon):
    """Het rapport van Goeree-Overflakkee in Chromium."""
    yield from _open_rapport(tmp_path_factory, publicatie_sjabloon, "GM1924")


@pytest.fixture(scope="module")
def leeuwarden(tmp_path_factory, publicatie_sjabloon):
    """Het rapport van Leeuwarden in Chromium: deels gedekte jaren, gepoolde perioden, een gevoelige trend."""
    yield from _open_rapport(tmp_path_factory, publicatie_sjabloon, "GM0080")


def test_elke_grafiek_is_getekend(pagina):
    browser, rapport, _ = pagina
    grafieken = browser.evalueer(GRAFIEKEN_JS)
    html = rapport.read_text(encoding="utf-8")
    assert len(grafieken) == html.count("<svg") == 6
    assert [g["soort"] for g in grafieken].count("traject") == 3
    assert [g["soort"] for g in grafieken].count("vergelijking") == 3
    for g in grafieken:
        assert g["breedte"] > 300 and g["hoogte"] > 60, g
        assert g["vormen"] >= 10 and g["teksten"] >= 5, g
    traject = {g["titel"].split(" (")[0]: g for g in grafieken if g["soort"] == "traject"}
    # Geeft mantelzorg: 6 jaren, vensters 2019–2023; vrijwilligerswerk: 2021 onderdrukt, vensters 2019 en 2020
    # (elk venster met 2021 is onderdrukt)
    assert (traject["Geeft mantelzorg"]["punten"], traject["Geeft mantelzorg"]["punten3"]) == (6, 5)
    vrijwilligers = traject["Doet vrijwilligerswerk"]
    assert (vrijwilligers["punten"], vrijwilligers["punten3"], vrijwilligers["lijnen3"]) == (5, 2, 1)
    assert vrijwilligers["banden"] == 2
    vergelijking = [g for g in grafieken if g["soort"] == "vergelijking"]
    assert sorted(g["gemeente"] for g in vergelijking) == [1, 2, 2]
    assert sorted(g["grenzen"] for g in vergelijking) == [1, 2, 2]


def test_schermafdruk_is_niet_leeg(pagina):
    browser, _, map_ = pagina
    maten = browser.opdracht("Page.getLayoutMetrics")["cssContentSize"]
    assert maten["height"] > HOOGTE  # het rapport is langer dan één scherm
    schot = browser.opdracht(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": BREEDTE, "height": min(maten["height"], 6000), "scale": 1},
        },
    )["data"]
    png = base64.b64decode(schot)
    pad = map_ / "gemeenterapport_GM1924.png"
    pad.write_bytes(png)
    assert pad.stat().st_size > 20_000
    assert _png_afmeting(png) == (BREEDTE, min(int(maten["height"]), 6000))
    pixels = browser.evalueer(PIXELS_JS % schot)
    assert pixels["nietWit"] > 0.05, pixels  # tekst, vlakken en grafieken: niet (bijna) wit
    assert pixels["kleuren"] > 50, pixels


def test_geen_fouten_in_de_console_en_geen_netwerk(pagina):
    browser, _, _ = pagina
    browser.evalueer("new Promise(r => setTimeout(() => r(true), 200))")  # late meldingen binnenhalen
    fouten = [
        g["params"]
        for g in browser.gebeurtenissen
        if g["method"] == "Runtime.exceptionThrown"
        or (
            g["method"] == "Runtime.consoleAPICalled"
            and g["params"]["type"] in ("error", "assert", "warning")
        )
        or (g["method"] == "Log.entryAdded" and g["params"]["entry"]["level"] in ("error", "warning"))
    ]
    assert not fouten, fouten
    verzoeken = [
        g["params"]["request"]["url"]
        for g in browser.gebeurtenissen
        if g["method"] == "Network.requestWillBeSent"
    ]
    assert verzoeken and all(u.startswith(("file://", "data:")) for u in verzoeken), verzoeken
    assert browser.evalueer("document.querySelectorAll('script, link, iframe, img').length") == 0


def test_afdrukken_op_a4_met_een_nieuwe_pagina_per_sfeer(pagina):
    browser, _, map_ = pagina
    pdf = base64.b64decode(
        browser.opdracht("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}, timeout=60)[
            "data"
        ]
    )
    (map_ / "gemeenterapport_GM1924.pdf").write_bytes(pdf)
    lezer = PdfReader(io.BytesIO(pdf))
    for pagina_ in lezer.pages:
        breedte, hoogte = float(pagina_.mediabox.width), float(pagina_.mediabox.height)
        assert abs(breedte - 595.3) < 1.5 and abs(hoogte - 841.9) < 1.5, (breedte, hoogte)  # A4 in punten
    teksten = [p.extract_text() or "" for p in lezer.pages]
    # Elke sfeer en het colofon beginnen bovenaan een nieuwe pagina.
    for kop in ("Persoonlijke sfeer", "Gemeenschappelijke sfeer", "Institutionele sfeer", "Colofon"):
        begin = [i for i, t in enumerate(teksten) if t.lstrip().startswith(kop)]
        assert len(begin) == 1, (kop, [t[:60] for t in teksten])
    assert len(lezer.pages) >= 5
    # In drukweergave worden grafieken niet over twee pagina's verdeeld.
    browser.opdracht("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        stijlen = browser.evalueer(
            "Array.from(document.querySelectorAll('figure, svg.grafiek'))"
            ".map(e => getComputedStyle(e).breakInside)"
        )
        sfeer = browser.evalueer(
            "Array.from(document.querySelectorAll('section.sfeer')).map(e => getComputedStyle(e).breakBefore)"
        )
    finally:
        browser.opdracht("Emulation.setEmulatedMedia", {"media": ""})
    assert stijlen and set(stijlen) == {"avoid"}
    assert sfeer == ["page", "page", "page"]


# In de browser: per trajectgrafiek de open rondjes, de periodebalken en de legenda, zoals ze getekend zijn.
DEKKING_JS = """
(() => Array.from(document.querySelectorAll('svg.grafiek-traject')).map(svg => {
  const box = svg.getBoundingClientRect();
  const zichtbaar = el => { const b = el.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
  const legenda = Array.from(svg.querySelectorAll('text'))
    .filter(t => !t.classList.length && t.parentNode === svg)
    .map(t => { const b = t.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom, t.textContent]; });
  return {
    titel: svg.querySelector('title').textContent,
    binnen: legenda.every(([l, t, r, o]) => l >= box.left - 1 && r <= box.right + 1 && t >= box.top - 1),
    legenda: legenda.map(l => l[4]),
    overlap: legenda.some((a, i) => legenda.some((b, j) => i < j &&
      a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3])),
    openRondjes: Array.from(svg.querySelectorAll('circle.punt-deel')).filter(zichtbaar)
      .map(c => getComputedStyle(c).fill),
    volleRondjes: Array.from(svg.querySelectorAll('circle.punt')).filter(zichtbaar).length,
    gestippeld: Array.from(svg.querySelectorAll('path.lijn-deel')).filter(zichtbaar)
      .map(p => getComputedStyle(p).strokeDasharray),
    balken: Array.from(svg.querySelectorAll('g.periode')).map(g => {
      const b = g.querySelector('.periode-balk').getBoundingClientRect();
      const v = g.querySelector('.periode-interval').getBoundingClientRect();
      return {periode: g.dataset.periode, breedte: b.width, vlak: v.height};
    }),
  };
}))()
"""


def test_deel_van_de_gemeente_en_perioden_zichtbaar_in_de_browser(leeuwarden):
    browser, _, _ = leeuwarden
    grafieken = {g["titel"].split(" (")[0]: g for g in browser.evalueer(DEKKING_JS)}
    vrijwilligers = grafieken["Doet vrijwilligerswerk"]
    # 2018 en 2019: open (witte) rondjes aan een gestippelde lijn, met een eigen regel in de legenda
    assert vrijwilligers["openRondjes"] == ["rgb(255, 255, 255)"] * 2
    assert vrijwilligers["volleRondjes"] == 4
    assert vrijwilligers["gestippeld"] == ["2px, 3px"]
    assert "deel van de gemeente" in vrijwilligers["legenda"]
    mantelzorg = grafieken["Geeft mantelzorg"]
    assert [b["periode"] for b in mantelzorg["balken"]] == ["2018–2020"]
    # de balk loopt over drie jaren (meer dan een derde van de grafiek) en heeft een intervalvlak
    assert mantelzorg["balken"][0]["breedte"] > 150 and mantelzorg["balken"][0]["vlak"] > 5
    assert "gepoolde periode" in mantelzorg["legenda"] and not mantelzorg["openRondjes"]
    for titel, g in grafieken.items():
        assert g["binnen"] and not g["overlap"], (titel, g["legenda"])
    # het teken in de tabel is zichtbaar en wijst naar de voetnoot
    tekens = browser.evalueer(
        "Array.from(document.querySelectorAll('tr.deel-gemeente td.waarde sup a')).map(a => "
        "[a.textContent, a.getAttribute('href'), a.getBoundingClientRect().width > 0, "
        "!!document.querySelector(a.getAttribute('href'))])"
    )
    assert tekens == [["‡", "#dekking-g_vrijwilligerswerk", True, True]] * 2
    gevoelig = browser.evalueer(
        "document.querySelector('p.trend[data-gevoelig] a.uitleg').getAttribute('href')"
    )
    assert gevoelig == "#trend-gevoelig"
    assert browser.evalueer("!!document.querySelector('#trend-gevoelig')")
