"""Voorbeeldleveringen: een deterministische, geseede generator van realistische leveringen voor alle bronnen.

14 echte gemeenten (huidige kaart) van uiteenlopende omvang en stedelijkheid, 2015–2024, met herindelingen
zoals leveranciers ze echt aanleveren: vóór de herindeling levert een voorganger onder zijn eigen code.
- Weesp (GM0457) levert apart t/m 2021; Amsterdam (GM0363) vanaf 2022 inclusief Weesp.
- Dijk en Waard (GM1980, 1-1-2022) was Heerhugowaard (GM0398) + Langedijk (GM0416).
- Voorne aan Zee (GM1992, 1-1-2023) was Brielle (GM0501), Hellevoetsluis (GM0530) en Westvoorne (GM0614).

Niveaus (landelijk): ongeveer 13% van de volwassenen geeft mantelzorg (vaak of af en toe), 25–45% doet
vrijwilligerswerk (hoger op het platteland), met een coronadip in 2020–2021; ingeschreven mantelzorgers
8–25 per 1.000 inwoners en stijgend; ingeschreven vrijwilligers 15–40 per 1.000 met 70–85% behoud per jaar.
De bestanden zijn rommelig zoals echte leveringen: `;` en `,`, UTF-8 met en zonder BOM en Windows-1252,
datums als dd-mm-jjjj en ISO, decimale komma's, gemeentecodes als `0363` en `GM0363`, SPSS `.sav`.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from bronnen.contracten import CONTRACTEN, burgerpeiling_format

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"
JAREN = range(2015, 2025)


@dataclass(frozen=True)
class Gemeente:
    code: str  # huidige code
    naam: str
    groei: float  # groei van de bevolking per jaar
    landelijk: float  # 0 = zeer stedelijk, 1 = platteland
    # (voorganger, laatste jaar als zelfstandige gemeente, aandeel in de bevolking van de opvolger)
    voorgangers: tuple[tuple[str, int, float | None], ...] = ()


GEMEENTEN = (
    Gemeente("GM0363", "Amsterdam", 0.009, 0.0, (("GM0457", 2021, None),)),
    Gemeente("GM0014", "Groningen", 0.008, 0.1),
    Gemeente("GM0193", "Zwolle", 0.008, 0.3),
    Gemeente("GM0307", "Amersfoort", 0.007, 0.3),
    Gemeente("GM0080", "Leeuwarden", 0.005, 0.35),
    Gemeente("GM0150", "Deventer", 0.005, 0.35),
    Gemeente("GM0917", "Heerlen", -0.002, 0.3),
    Gemeente("GM1980", "Dijk en Waard", 0.006, 0.5, (("GM0398", 2021, 0.67), ("GM0416", 2021, 0.33))),
    Gemeente(
        "GM1992",
        "Voorne aan Zee",
        0.002,
        0.55,
        (("GM0501", 2022, None), ("GM0530", 2022, None), ("GM0614", 2022, None)),
    ),
    Gemeente("GM1680", "Aa en Hunze", 0.0, 0.95),
    Gemeente("GM0088", "Schiermonnikoog", 0.0, 1.0),
    Gemeente("GM0281", "Tiel", 0.004, 0.5),
    Gemeente("GM0037", "Stadskanaal", -0.003, 0.75),
    Gemeente("GM0589", "Oudewater", 0.003, 0.8),
)

ACTIVITEITEN = (
    "Koffie-inloop",
    "Taalcafé",
    "Repair Café",
    "Beweeggroep 55+",
    "Huiswerkbegeleiding",
    "Buurtmaaltijd",
    "Wandelgroep",
    "Kookcafé",
    "Digicafé",
    "Jongerenwerk inloop",
    "Mantelzorgcafé",
    "Breicafé",
    "Samen eten",
    "Sjoelclub",
    "Schildercursus",
    "Spreekuur sociaal team",
    "Voorleesochtend",
    "Buurttuin",
    "Moeder- en kindochtend",
    "Geheugentraining",
    "Fietsmaatjes",
    "Creatieve middag",
    "Zangkoor",
    "Biljartclub",
)
ACCOMMODATIES = (
    "Buurthuis De Linde",
    "Wijkcentrum Het Anker",
    "Ontmoetingsplek De Brug",
    "Dorpshuis De Schakel",
    "Buurtkamer Zuid",
    "Wijkpunt De Ontmoeting",
    "Bibliotheek",
    "Café Het Plein",
    "Kerkzaal De Hoeksteen",
    "Sporthal De Meent",
    "Buurthuis Oost",
    "Huis van de Wijk",
)
AANBIEDERS = (
    "Welzijn Samen",
    "Stichting Buurtwerk",
    "Humanitas",
    "Rode Kruis afdeling",
    "Vrijwilligerscentrale",
    "Stichting Ouderenwerk",
    "Sociaal Werk Op Maat",
    "Bibliotheek en Welzijn",
    "Stichting Wijkkracht",
)
ORGANISATIES = (
    "Voedselbank",
    "Sportvereniging",
    "Humanitas",
    "Buurthuis",
    "Zonnebloem",
    "Scouting",
    "Kerk",
    "Bibliotheek",
    "Vluchtelingenwerk",
    "Muziekvereniging",
    "Zorginstelling",
    "Repair Café",
    "Taalhuis",
)
LEEFTIJDEN = ("<18", "18-29", "30-44", "45-64", "65-74", "75+")
LEEFTIJD_P = (0.04, 0.14, 0.17, 0.30, 0.22, 0.13)
VORMEN = ("informatie_advies", "respijtzorg", "lotgenotencontact", "cursus", "waardering", "overig")
VORM_P = (0.30, 0.10, 0.12, 0.08, 0.35, 0.05)
BELASTING = ("niet", "licht", "matig", "zwaar", "overbelast")
BELASTING_P = (0.15, 0.35, 0.30, 0.15, 0.05)


def _rng(seed: int, *sleutel: int) -> np.random.Generator:
    return np.random.default_rng([seed, *sleutel])


def _read_seed(naam: str) -> list[dict[str, str]]:
    with (SEEDS / naam).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _digits(code: str) -> str:
    return code[2:]


class _Kaart:
    """Bevolking en wijken per aanleverende code en jaar."""

    def __init__(self) -> None:
        self.bev2022 = {r["gemeentecode"]: int(r["inwoners"]) for r in _read_seed("ref_bevolking_2022.csv")}
        self.wijken: dict[str, list[str]] = {}
        for r in _read_seed("ref_wijken.csv"):
            self.wijken.setdefault(r["gemeentecode"], []).append(r["wijkcode"])

    def units(self, g: Gemeente, jaar: int) -> list[tuple[str, float]]:
        """De aanleverende codes in dat jaar met hun aandeel in de bevolking van de huidige gemeente."""
        voor = [(c, laatst, a) for c, laatst, a in g.voorgangers if jaar <= laatst]
        if not voor:
            return [(g.code, 1.0)]
        if g.code in self.bev2022 and all(a is None for _, _, a in voor):  # annexatie (Weesp -> Amsterdam)
            totaal = self.bev2022[g.code] + sum(self.bev2022[c] for c, _, _ in voor)
            return [(g.code, self.bev2022[g.code] / totaal)] + [
                (c, self.bev2022[c] / totaal) for c, _, _ in voor
            ]
        if all(a is None for _, _, a in voor):  # samenvoeging met bekende bevolking per voorganger
            totaal = sum(self.bev2022[c] for c, _, _ in voor)
            return [(c, self.bev2022[c] / totaal) for c, _, _ in voor]
        return [(c, float(a)) for c, _, a in voor]

    def population(self, g: Gemeente, jaar: int) -> float:
        basis = self.bev2022.get(g.code) or 0
        basis += sum(self.bev2022.get(c, 0) for c, laatst, a in g.voorgangers if a is None)
        return basis * (1 + g.groei) ** (jaar - 2022)

    def unit_wijken(self, g: Gemeente, code: str) -> list[str]:
        if code == g.code and g.code == "GM1992":
            return [w for c, _, _ in g.voorgangers for w in self.wijken.get(c, [])]
        return self.wijken.get(code, [])


def _write_csv(pad: Path, header: list[str], rows: list[list], sep: str, encoding: str) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n" if encoding == "cp1252" else "\n")
    w.writerow(header)
    w.writerows(["" if v is None else v for v in r] for r in rows)
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_bytes(buf.getvalue().encode(encoding))
    return pad


def _nl_date(d: date | None) -> str | None:
    return None if d is None else d.strftime("%d-%m-%Y")


def _random_date(rng: np.random.Generator, jaar: int) -> date:
    return date(jaar, 1, 1) + timedelta(days=int(rng.integers(0, 365)))


def _covid(jaar: int, maand: int) -> float:
    if (jaar == 2020 and maand >= 3) or (jaar == 2021 and maand <= 6):
        return 0.35 if (jaar == 2020 and 3 <= maand <= 6) or (jaar == 2021 and maand <= 3) else 0.6
    return 1.0


def _unit_for(units: list[tuple[str, float]], rng: np.random.Generator) -> str:
    return units[int(rng.choice(len(units), p=np.array([a for _, a in units]) / sum(a for _, a in units)))][0]


def _code_text(code: str, stijl: int) -> str:
    return code if stijl == 0 else _digits(code)


# --------------------------------------------------------------------------------------------------- bevolking
def _bevolking(kaart: _Kaart, inbox: Path, seed: int) -> list[Path]:
    rows = []
    for gi, g in enumerate(GEMEENTEN):
        rng = _rng(seed, gi, 1)
        aandeel18 = 0.78 + 0.05 * g.landelijk + rng.uniform(-0.01, 0.01)
        for jaar in JAREN:
            totaal = kaart.population(g, jaar)
            for code, aandeel in kaart.units(g, jaar):
                inw = int(round(totaal * aandeel))
                rows.append([code, jaar, inw, int(round(inw * aandeel18))])
    rows.sort()
    return [
        _write_csv(
            inbox / "bevolking" / "bevolking_2015_2024.csv",
            ["gemeentecode", "jaar", "inwoners", "inwoners_18plus"],
            rows,
            ";",
            "utf-8",
        )
    ]


# --------------------------------------------------------------------------------------------------- deelname
def _deelname(kaart: _Kaart, inbox: Path, seed: int) -> list[Path]:
    paden = []
    for gi, g in enumerate(GEMEENTEN):
        rng = _rng(seed, gi, 2)
        pop = kaart.population(g, 2022)
        n_act = max(3, int(round(pop / 7000)))
        per_kwartaal = gi % 3 == 2
        encoding = "cp1252" if gi % 2 else "utf-8"
        stijl = gi % 2
        niveau = 40 + 50 * g.landelijk
        acts = []
        for a in range(n_act):
            start = 2015 if rng.random() < 0.7 else int(rng.integers(2015, 2024))
            duur = int(rng.integers(1, 3)) if rng.random() < 0.25 else 99
            if a < 3:  # de eerste activiteiten lopen de hele periode (één per aanleverende code)
                start, duur = 2015, 99
            acts.append(
                {
                    "nr": a,
                    "id": f"A{_digits(g.code)}-{a + 1:03d}",
                    "naam": ACTIVITEITEN[int(rng.integers(len(ACTIVITEITEN)))],
                    "acc": None
                    if rng.random() < 0.1
                    else ACCOMMODATIES[int(rng.integers(len(ACCOMMODATIES)))],
                    "aanbieder": AANBIEDERS[int(rng.integers(len(AANBIEDERS)))],
                    "start": start,
                    "eind": min(2024, start + duur - 1),
                    "maand": float(rng.lognormal(math.log(niveau), 0.5)),
                    "uniek": float(rng.uniform(0.33, 0.5)),
                    "trend": float(rng.normal(0.01, 0.03)),
                    "unit_rng": int(rng.integers(1 << 30)),
                }
            )
        for jaar in JAREN:
            units = kaart.units(g, jaar)
            per_unit: dict[str, list[list]] = {c: [] for c, _ in units}
            for act in acts:
                if not act["start"] <= jaar <= act["eind"]:
                    continue
                urng = np.random.default_rng([act["unit_rng"], jaar])
                # elke aanleverende code heeft minstens één activiteit; de rest naar bevolkingsaandeel
                if act["nr"] < len(units):
                    code = units[act["nr"]][0]
                else:
                    code = _unit_for(units, np.random.default_rng(act["unit_rng"]))
                wijken = kaart.unit_wijken(g, code)
                wijk = wijken[act["unit_rng"] % len(wijken)] if wijken else None
                perioden = (
                    [(m, m) for m in range(1, 13)]
                    if not per_kwartaal
                    else [(q * 3 + 1, q * 3 + 3) for q in range(4)]
                )
                for m0, m1 in perioden:
                    verwacht = act["maand"] * (m1 - m0 + 1) * (1 + act["trend"]) ** (jaar - 2015)
                    verwacht *= _covid(jaar, m0) * (0.6 if m0 in (7, 8) else 1.0)
                    n = int(urng.poisson(verwacht))
                    uniek = None if per_kwartaal else int(round(n * act["uniek"]))
                    eind = (date(jaar, m1 % 12 + 1, 1) if m1 < 12 else date(jaar + 1, 1, 1)) - timedelta(
                        days=1
                    )
                    per_unit[code].append(
                        [
                            _code_text(code, stijl),
                            wijk,
                            act["id"],
                            act["naam"],
                            act["acc"],
                            act["aanbieder"],
                            _nl_date(date(jaar, m0, 1)),
                            _nl_date(eind),
                            n,
                            uniek,
                        ]
                    )
            for code, rows in per_unit.items():
                if rows:
                    paden.append(
                        _write_csv(
                            inbox / "deelname" / f"deelname_{code}_{jaar}.csv",
                            CONTRACTEN["deelname"].kolomnamen,
                            rows,
                            ";",
                            encoding,
                        )
                    )
    return paden


# --------------------------------------------------------------------------------------------------- vrijwilligers
def _merge_date(g: Gemeente, code: str) -> date | None:
    for c, laatst, _ in g.voorgangers:
        if c == code:
            return date(laatst + 1, 1, 1)
    return None


def _split_by_unit(kaart: _Kaart, g: Gemeente, start: date, eind: date | None, unit: str):
    """Een inzet van een voorganger die over de herindeling heen loopt, gaat verder bij de opvolger."""
    fusie = _merge_date(g, unit)
    if fusie is None or start >= fusie:
        return [(g.code if fusie is not None else unit, start, eind)]
    if eind is not None and eind < fusie:
        return [(unit, start, eind)]
    return [(unit, start, fusie - timedelta(days=1)), (g.code, fusie, eind)]


def _new_volunteer(
    kaart: _Kaart, g: Gemeente, rng: np.random.Generator, nummer: int, jaar: int, vroeg: bool = False
) -> dict:
    """Een nieuwe vrijwilliger; `vroeg` = al actief vóór 2015 (startjaar 2005-2014)."""
    startjaar = int(rng.integers(2005, 2015)) if vroeg else jaar
    return {
        "id": f"VC-{_digits(g.code)}-{nummer:06d}",
        "start": _random_date(rng, startjaar),
        "org": ORGANISATIES[int(rng.integers(len(ORGANISATIES)))],
        "soort": "structureel" if rng.random() < 0.7 else "incidenteel",
        "uren": round(float(rng.gamma(2.0, 6.0)), 1),
        "leeftijd": LEEFTIJDEN[int(rng.choice(6, p=LEEFTIJD_P))],
        "unit": _unit_for(kaart.units(g, jaar), rng),
        "eind": None,
    }


def _vrijwilligers(kaart: _Kaart, inbox: Path, seed: int) -> list[Path]:
    per_code: dict[str, list[list]] = {}
    for gi, g in enumerate(GEMEENTEN):
        rng = _rng(seed, gi, 3)
        dichtheid = 15 + 20 * g.landelijk + rng.uniform(-3, 3)  # per 1.000 inwoners
        behoud = 0.72 + 0.1 * g.landelijk
        doel0 = kaart.population(g, 2015) * dichtheid / 1000
        actief = [_new_volunteer(kaart, g, rng, i + 1, 2015, vroeg=True) for i in range(int(doel0))]
        teller = len(actief)
        alle = list(actief)
        for jaar in JAREN:
            r = behoud - (0.07 if jaar == 2020 else 0.0)
            blijvers = []
            for v in actief:
                if rng.random() < r:
                    blijvers.append(v)
                else:
                    v["eind"] = max(v["start"], _random_date(rng, jaar))
            doel = kaart.population(g, jaar) * dichtheid / 1000 * (1 + 0.01 * (jaar - 2015))
            if jaar in (2020, 2021):
                doel *= 0.9
            instroom = [
                _new_volunteer(kaart, g, rng, teller + i + 1, jaar)
                for i in range(max(0, int(doel - len(blijvers))))
            ]
            teller += len(instroom)
            actief = blijvers + instroom
            alle += instroom
        for v in alle:
            for code, s, e in _split_by_unit(kaart, g, v["start"], v["eind"], v["unit"]):
                wijken = kaart.unit_wijken(g, code)
                wijk = wijken[int(v["id"][-6:]) % len(wijken)] if wijken else None
                uren = f"{v['uren']:.1f}".replace(".", ",")
                per_code.setdefault(code, []).append(
                    [
                        v["id"],
                        code,
                        wijk,
                        v["org"],
                        v["soort"],
                        s.isoformat(),
                        e.isoformat() if e else None,
                        uren,
                        v["leeftijd"],
                    ]
                )
    paden = []
    for code, rows in sorted(per_code.items()):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows(
            [
                [
                    "vrijwilliger_id",
                    "gemeentecode",
                    "wijkcode",
                    "organisatie",
                    "soort_inzet",
                    "startdatum",
                    "einddatum",
                    "uren_per_maand",
                    "leeftijdsklasse",
                ]
            ]
            + [["" if x is None else x for x in r] for r in rows]
        )
        pad = inbox / "vrijwilligers" / f"vrijwilligers_{code}.csv"
        pad.parent.mkdir(parents=True, exist_ok=True)
        pad.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
        paden.append(pad)
    return paden


# --------------------------------------------------------------------------------------------------- mantelzorg
def _mantelzorg(kaart: _Kaart, inbox: Path, seed: int) -> list[Path]:
    per_code: dict[str, list[list]] = {}
    for gi, g in enumerate(GEMEENTEN):
        rng = _rng(seed, gi, 4)
        basis = 8 + 6 * g.landelijk + rng.uniform(-2, 2)  # ingeschreven per 1.000 in 2015
        groei = rng.uniform(0.04, 0.09)
        actief: list[dict] = []
        teller = 0
        for jaar in JAREN:
            doel = kaart.population(g, jaar) * basis * (1 + groei) ** (jaar - 2015) / 1000
            blijvers = [m for m in actief if m["uit"] is None]
            for m in blijvers:
                if rng.random() < 0.12:
                    m["uit"] = _random_date(rng, jaar)
            blijvers = [m for m in blijvers if m["uit"] is None or m["uit"].year == jaar]
            for _ in range(max(0, int(doel - len([m for m in blijvers if m["uit"] is None])))):
                teller += 1
                units = kaart.units(g, jaar)
                m = {
                    "id": f"MZ-{_digits(g.code)}-{teller:06d}",
                    "reg": _random_date(rng, jaar),
                    "uit": None,
                    "unit": _unit_for(units, rng),
                    "contacten": [],
                    "belasting": int(rng.choice(5, p=BELASTING_P)),
                }
                blijvers.append(m)
            for m in blijvers:
                n = int(rng.integers(0, 3))
                for _ in range(n):
                    d = _random_date(rng, jaar)
                    if d < m["reg"] or (m["uit"] is not None and d > m["uit"]):
                        continue
                    vorm = VORMEN[int(rng.choice(6, p=VORM_P))]
                    m["contacten"].append(
                        (d, vorm, None if rng.random() < 0.2 else BELASTING[m["belasting"]])
                    )
            in_blijvers = {id(m) for m in blijvers}
            actief = [m for m in actief if id(m) not in in_blijvers] + blijvers
        for m in actief:
            fusie_splits = _split_by_unit(kaart, g, m["reg"], m["uit"], m["unit"])
            gezien: set[tuple] = set()
            for code, s, e in fusie_splits:
                wijken = kaart.unit_wijken(g, code)
                wijk = wijken[int(m["id"][-6:]) % len(wijken)] if wijken else None
                contacten = [c for c in m["contacten"] if s <= c[0] and (e is None or c[0] <= e)]
                rows = per_code.setdefault(code, [])
                inschrijving = [m["id"], _digits(code) if gi % 2 else code, wijk, _nl_date(s), _nl_date(e)]
                if not contacten:  # ingeschreven zonder contact: één rij zonder contactdatum
                    rows.append([*inschrijving, "overig", None, None])
                for d, vorm, bel in sorted(contacten, key=lambda c: (c[0], c[1])):
                    if (vorm, d) in gezien:
                        continue
                    gezien.add((vorm, d))
                    rows.append([*inschrijving, vorm, _nl_date(d), bel])
    return [
        _write_csv(
            inbox / "mantelzorg" / f"mantelzorg_{code}.csv",
            [
                "mantelzorger_id",
                "gemeentecode",
                "wijkcode",
                "registratiedatum",
                "uitschrijfdatum",
                "ondersteuningsvorm",
                "contactdatum",
                "ervaren_belasting",
            ],
            rows,
            ";",
            "utf-8",
        )
        for code, rows in sorted(per_code.items())
    ]


# --------------------------------------------------------------------------------------------------- enquête
def _likert(rng: np.random.Generator, n: int, gunstig: np.ndarray, weetniet: int, p_weetniet: float = 0.03):
    """5-puntsschaal (1 = helemaal eens ... 5 = helemaal oneens) rond een persoonlijke neiging."""
    x = np.clip(np.round(2.2 - 1.1 * gunstig + rng.normal(0, 0.8, n)), 1, 5)
    x[rng.random(n) < p_weetniet] = weetniet
    return x


def _enquete(kaart: _Kaart, inbox: Path, seed: int) -> list[Path]:
    fmt = burgerpeiling_format()["variabelen"]
    namen = [v["naam"] for v in fmt]
    paden = []
    for gi, g in enumerate(GEMEENTEN):
        grng = _rng(seed, gi, 5)
        m_basis = grng.uniform(0.10, 0.16)
        v_basis = 0.27 + 0.14 * g.landelijk + grng.uniform(-0.03, 0.03)
        v_trend = grng.normal(0.0, 0.003)
        binding = grng.normal(0.2 * g.landelijk, 0.15)
        for jaar in JAREN:
            for code, _ in kaart.units(g, jaar):
                pop = kaart.population(g, jaar)
                jaarlijks = pop >= 100_000 and code == g.code
                if jaar % 2 and not jaarlijks:
                    continue
                rng = _rng(seed, gi, 5, jaar, int(_digits(code)))
                unit_pop = pop * dict(kaart.units(g, jaar))[code]
                n = int(np.clip(120 + 0.0015 * unit_pop, 120, 1500))
                data = {naam: np.full(n, np.nan) for naam in namen}
                data["respondent"] = np.arange(1, n + 1, dtype=float)
                data["gemnr"] = np.full(n, float(int(_digits(code))))
                data["jr"] = np.full(n, float(jaar))
                data["kw"] = rng.choice([1.0, 4.0], n, p=[0.6, 0.4])
                data["veldwerkmodus"] = rng.choice([1.0, 2.0, 3.0], n, p=[0.65, 0.3, 0.05])
                data["org"] = np.full(n, float(1 + gi % 9))
                w = rng.lognormal(0, 0.35, n)
                data["weging"] = np.round(w / w.mean(), 3)
                wijken = kaart.unit_wijken(g, code)
                wijknr = [wijken[int(i)] if wijken else "" for i in rng.integers(0, max(1, len(wijken)), n)]
                gunstig = rng.normal(binding, 1.0, n)  # persoonlijke neiging tot positieve antwoorden
                for item in (
                    "wl02_0",
                    "wl02_1",
                    "wl02_2",
                    "wl03_0",
                    "wl03_1",
                    "wl03_2",
                    "zw18",
                    "zw19_0",
                    "zw19_1",
                    "zw19_2",
                    "zw19_4",
                ):
                    data[item] = _likert(rng, n, gunstig, 6)
                data["zw19_3"] = _likert(rng, n, -gunstig, 6)
                data["wl01"] = np.clip(np.round(7.4 + 0.7 * gunstig + rng.normal(0, 0.9, n)), 1, 10)
                data["zw00"] = np.clip(np.round(7.5 + 0.6 * gunstig + rng.normal(0, 1.0, n)), 1, 10)
                data["zw02"] = np.clip(np.round(7.3 + 0.5 * gunstig + rng.normal(0, 1.1, n)), 1, 10)
                for i in range(8):
                    tevreden = np.clip(np.round(2.3 - 0.6 * gunstig + rng.normal(0, 0.8, n)), 1, 5)
                    tevreden[rng.random(n) < 0.15] = 6  # n.v.t. / weet niet
                    data[f"vz03_{i}"] = tevreden
                for i in range(7):
                    data[f"zw01_{i}"] = rng.choice(
                        [1.0, 2.0, 3.0, 4.0, 5.0], n, p=[0.72, 0.17, 0.07, 0.02, 0.02]
                    )
                data["zw03"] = np.where(
                    rng.random(n) < 0.7 + 0.05 * gunstig.clip(-2, 2),
                    1.0,
                    rng.choice([2.0, 3.0, 4.0], n, p=[0.7, 0.25, 0.05]),
                )
                p_eenzaam = rng.random(n)
                data["zw04"] = np.select(
                    [p_eenzaam < 0.55, p_eenzaam < 0.89, p_eenzaam < 0.97, p_eenzaam < 0.99],
                    [1.0, 2.0, 3.0, 4.0],
                    5.0,
                )
                for i, p in ((0, 0.45), (1, 0.2), (2, 0.5)):
                    z = np.clip(np.round(1.8 - 0.4 * gunstig + rng.normal(0, 0.7, n) + (1 - p)), 1, 3)
                    z[rng.random(n) < 0.04] = 4
                    data[f"zw10_{i}"] = z
                corona = 0.04 if jaar in (2020, 2021) else 0.0
                p_mz = np.clip(m_basis + 0.002 * (jaar - 2015), 0.05, 0.25)
                p_vw = np.clip(v_basis + v_trend * (jaar - 2015) - corona, 0.15, 0.55)
                for item, p in (("zw06_0", p_mz), ("zw06_3", p_vw), ("zw06_1", 0.35), ("zw06_2", 0.2)):
                    u = rng.random(n)
                    data[item] = np.select([u < p * 0.4, u < p], [1.0, 2.0], 3.0)
                zorgt = np.isin(data["zw06_0"], [1.0, 2.0])
                u = rng.random(n)
                zw09 = np.select([u < 0.45, u < 0.83, u < 0.95, u < 0.985], [1.0, 2.0, 3.0, 4.0], 5.0)
                data["zw09"] = np.where(zorgt, zw09, np.nan)
                data["zw07"] = rng.choice([1.0, 2.0, 3.0, 4.0], n, p=[0.35, 0.3, 0.3, 0.05])
                data["wl13"] = np.select(
                    [gunstig + rng.normal(0, 1, n) > 1.6, gunstig + rng.normal(0, 1, n) > 0.2],
                    [1.0, 2.0],
                    3.0,
                )
                data["wl14"] = rng.choice([1.0, 2.0, 3.0, 4.0], n, p=[0.15, 0.4, 0.35, 0.1])
                data["ch01"] = rng.choice([1.0, 2.0, 3.0, 4.0], n, p=[0.48, 0.5, 0.01, 0.01])
                data["ch02"] = rng.choice(
                    [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], n, p=[0.12, 0.13, 0.22, 0.18, 0.2, 0.15]
                )
                data["ch07"] = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], n, p=[0.1, 0.15, 0.2, 0.15, 0.4])
                df = pd.DataFrame({naam: (wijknr if naam == "wijknr" else data[naam]) for naam in namen})
                pad = inbox / "enquete" / f"burgerpeiling_{code}_{jaar}.sav"
                pad.parent.mkdir(parents=True, exist_ok=True)
                write_burgerpeiling_sav(df, pad)
                paden.append(pad)
    return paden


def write_burgerpeiling_sav(df: pd.DataFrame, pad: Path) -> None:
    """Schrijft respondenten als SPSS .sav in het VNG Burgerpeiling-dataformaat 2022: alle variabelen met hun
    labels, waardelabels en SPSS-formaten, met de gewone SPSS-rijcompressie."""
    fmt = burgerpeiling_format()["variabelen"]
    pyreadstat.write_sav(
        df[[v["naam"] for v in fmt]],
        str(pad),
        column_labels={v["naam"]: v["label"] or "" for v in fmt},
        variable_value_labels={
            v["naam"]: {float(k): lab for k, lab in v["waardelabels"].items()}
            for v in fmt
            if v["waardelabels"]
        },
        variable_format={v["naam"]: v["spss_formaat"] for v in fmt},
        row_compress=True,
    )


# --------------------------------------------------------------------------------------------------- verhalen
VERHAAL_SJABLONEN = {
    "persoonlijk": [
        (
            "Even op adem komen",
            "Sinds mijn {wie} {wat}, zorg ik dag en nacht. Via het steunpunt kwam er een "
            "vrijwilliger die één middag per week bij {hem} is. Die middag is van mij.",
        ),
        (
            "Niet meer alleen",
            "Na het overlijden van mijn man zat ik veel thuis. {buur} nam me mee naar de "
            "koffie-inloop. Nu ga ik elke week, en ik ken weer mensen in de straat.",
        ),
        (
            "Hulp durven vragen",
            "Ik vond het moeilijk om hulp te vragen. Bij het mantelzorgcafé hoorde ik dat "
            "anderen hetzelfde voelen. Dat luchtte op, en ik heb nu respijtzorg.",
        ),
    ],
    "gemeenschappelijk": [
        (
            "Samen de buurt schoon",
            "Met een paar buren begonnen we met opruimen op zaterdag. Inmiddels doen er "
            "twintig mensen mee en drinken we daarna koffie bij {buur}.",
        ),
        (
            "Taal en vriendschap",
            "Ik kwam als vrijwilliger bij het taalcafé. Eén van de deelnemers werkt nu zelf "
            "mee als vrijwilliger. Zo groeit het vanzelf.",
        ),
        (
            "Een nieuwe vereniging",
            "Onze sjoelclub dreigde op te houden. Jongeren uit de wijk hebben het "
            "overgenomen en nu sjoelen drie generaties samen.",
        ),
    ],
    "institutioneel": [
        (
            "Het buurthuis bleef open",
            "Toen het buurthuis dicht zou gaan, hebben bewoners samen met de "
            "welzijnsorganisatie een plan gemaakt. Het is nu vijf dagen per week open.",
        ),
        (
            "Eén loket",
            "De sociaal werker kwam gewoon langs. Ze hielp met de formulieren en bracht me in "
            "contact met de vrijwilligerscentrale. Ik help nu zelf anderen.",
        ),
        (
            "Minder aanbod",
            "Sinds de bezuinigingen is de inloop nog maar één ochtend open. Veel ouderen weten "
            "niet meer waar ze terecht kunnen.",
        ),
    ],
}
IDENTIFICEREND = [
    "mijn buurvrouw Fatima El Amrani",
    "meneer Jan de Vries van nummer 12",
    "Dorpsstraat 12",
    "bel gerust 06-12345678",
    "mail naar ans.jansen@example.nl",
]


def _verhalen(kaart: _Kaart, inbox: Path, seed: int) -> list[Path]:
    paden = []
    for jaar in range(2017, 2025):
        rows = []
        for gi, g in enumerate(GEMEENTEN):
            rng = _rng(seed, gi, 6, jaar)
            for code, _ in kaart.units(g, jaar):
                wijken = kaart.unit_wijken(g, code)
                for _ in range(int(rng.integers(2, 6))):
                    sfeer = ("persoonlijk", "gemeenschappelijk", "institutioneel")[int(rng.integers(3))]
                    titel, tekst = VERHAAL_SJABLONEN[sfeer][int(rng.integers(3))]
                    tekst = tekst.format(
                        wie=("vader", "moeder", "man", "vrouw")[int(rng.integers(4))],
                        wat=("dementie heeft", "een beroerte kreeg", "slecht ter been is")[
                            int(rng.integers(3))
                        ],
                        hem="hem",
                        buur="de buurvrouw",
                    )
                    if rng.random() < 0.1:
                        tekst += f" Meer weten? Vraag het {IDENTIFICEREND[int(rng.integers(len(IDENTIFICEREND)))]}."
                    rows.append(
                        [
                            code,
                            wijken[int(rng.integers(len(wijken)))] if wijken else None,
                            jaar,
                            sfeer,
                            titel if rng.random() < 0.9 else None,
                            tekst,
                            "ja" if rng.random() < 0.85 else "nee",
                        ]
                    )
        paden.append(
            _write_csv(
                inbox / "verhalen" / f"verhalen_{jaar}.csv",
                ["gemeentecode", "wijkcode", "jaar", "sfeer", "titel", "tekst", "toestemming"],
                rows,
                ";",
                "utf-8",
            )
        )
    return paden


def generate_samples(inbox: Path, seed: int = 20241231) -> list[Path]:
    """Schrijft voorbeeldleveringen voor alle bronnen in inbox/<bron>/ en geeft de geschreven paden terug."""
    kaart = _Kaart()
    paden: list[Path] = []
    for maker in (_bevolking, _deelname, _vrijwilligers, _mantelzorg, _enquete, _verhalen):
        paden += maker(kaart, inbox, seed)
    return paden
