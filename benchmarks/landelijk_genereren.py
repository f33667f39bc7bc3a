"""Landelijke voorbeeldleveringen voor de benchmark: alle 342 huidige gemeenten, 2015–2024, snel en deterministisch.

Gebruik:
    python benchmarks/landelijk_genereren.py --uit /tmp/landelijk [--seed 20241231] [--schaal 1.0]
of vanuit Python: `generate_national(Path("/tmp/landelijk"), seed=20241231, schaal=1.0)`.

Schrijft (de mappen hieronder worden eerst leeggemaakt):
- `uit/inbox/<bron>/`: de leveringen van de volledige opbouw (bevolking, deelname, vrijwilligers, mantelzorg,
  enquete, verhalen);
- `uit/incrementeel/deelname/deelname_GM0344_2024Q4.csv`: één achtergehouden kwartaallevering van de
  benchmarkgemeente Utrecht (oktober–december 2024; die maanden staan niet in haar hoofdbestand);
- `uit/manifest.json`: seed, schaal, per bron de bestanden met hun aantal rijen, de totalen, de
  benchmarkgemeente en de naam van het incrementele bestand.

Volumes bij schaal 1 (ongeveer): deelname 8 miljoen maandrijen (één activiteit per ~270 inwoners, elke
activiteit in één wijk, één CSV per huidige gemeente met de hele historie 2015–2024), vrijwilligers 1,5 miljoen
inzetrijen (25–35 actief per 1.000 inwoners), mantelzorg 0,6 miljoen mantelzorgers met 5 miljoen contactrijen,
enquête 1,7 miljoen respondenten (Burgerpeiling-.sav, één bestand per jaar met alle deelnemende gemeenten),
verhalen 20.000 (één CSV per jaar). `schaal` vermenigvuldigt alle aantallen rijen (de inwonertallen in de
bevolkingslevering blijven echt). Alles is gevectoriseerd (numpy/Polars); er is geen Python-lus over rijen.

Niveaus en trends als in bronnen/voorbeeld.py: een coronadip in 2020–2021 (deelname, instroom van
vrijwilligers, contacten met het steunpunt), meer vrijwilligerswerk op het platteland, een stijgend aantal
ingeschreven mantelzorgers, behoud van vrijwilligers van 74–84% per jaar.

Kaart en bevolking (benaderingen):
- De gemeenten per jaar komen uit ref_gemeenten_per_jaar (2016–2025; 2015 telt als 2016, net als in het
  register aan de deur) en de herindelingen uit ref_herindelingen. Elk deel van een huidige gemeente is een
  gemeente van de kaart van 2016 (bij een splitsing: het aandeel daarvan dat naar deze gemeente ging), met de
  opeenvolgende codes waaronder dat gebied leverde. Rijen met een datum (maand, start-, registratiedatum) staan
  onder de code die op die datum gold (Weesp tot 24-3-2022, daarna Amsterdam); jaarrijen (bevolking, enquête,
  verhalen) onder de code van 1 januari. Een inzet of inschrijving die over een herindeling heen loopt, gaat
  verder als tweede rij onder de nieuwe code (zoals `_split_by_unit` in voorbeeld.py).
- Inwoners 2022 zijn echt (ref_bevolking_2022, kaart 2022). Bestond een deel in 2022 niet meer als
  gemeente, dan wordt het inwonertal van de opvolger in 2022 over de delen verdeeld naar een geschatte omvang:
  het midden van de CBS-gemeentegrootteklasse van de oude code (uit ref_gemeenten_per_jaar) of 12.000 als die
  klasse onbekend is (bij vrijwel alle opgeheven gemeenten), maal het aandeel bij een splitsing. Andere jaren
  volgen met een kleine groei per huidige gemeente (ongeveer 0,1–1% per jaar, hoger in de stad).
- Wijken komen uit ref_wijken (kaart 2022). Een code zonder eigen wijken krijgt een lege wijkcode, behalve een
  code die na 2022 door samenvoeging ontstond (Voorne aan Zee): die gebruikt de wijken van haar voorgangers,
  zoals voorbeeld.py.

Leveringsvormen: deelname wisselt per gemeente tussen `;` UTF-8, `;` UTF-8 met BOM, `;` Windows-1252 (CRLF)
en `,` UTF-8, met gemeentecodes als GM0363 of 0363 en datums dd-mm-jjjj; vrijwilligers `,` UTF-8 met BOM,
ISO-datums en decimale komma; mantelzorg `;` met dd-mm-jjjj; enquête SPSS .sav (VNG Burgerpeiling 2022).
Voor het schrijven controleert de generator zelf de unieke sleutels en of elke gemeentecode bestond in het
jaar van de rij, zodat elke levering de deur door kan.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from bronnen.contracten import CONTRACTEN, burgerpeiling_format
from bronnen.voorbeeld import (
    AANBIEDERS,
    ACCOMMODATIES,
    ACTIVITEITEN,
    BELASTING,
    BELASTING_P,
    IDENTIFICEREND,
    LEEFTIJD_P,
    LEEFTIJDEN,
    ORGANISATIES,
    SEEDS,
    VERHAAL_SJABLONEN,
    VORM_P,
    VORMEN,
    write_burgerpeiling_sav,
)

BRONNEN = ("bevolking", "deelname", "vrijwilligers", "mantelzorg", "enquete", "verhalen")
BENCHMARK_GEMEENTE = "GM0344"  # Utrecht
INCREMENTEEL = f"deelname_{BENCHMARK_GEMEENTE}_2024Q4.csv"
EERSTE_JAAR, LAATSTE_JAAR = 2015, 2024
JAREN = np.arange(EERSTE_JAAR, LAATSTE_JAAR + 1)
MAANDEN = 12 * len(JAREN)
INWONERS_PER_ACTIVITEIT = 270
# Midden van de CBS-gemeentegrootteklassen (alleen als gewicht bij het verdelen over voorgangers).
GROOTTE_MIDDEN = {1: 3_500, 2: 7_500, 3: 14_000, 4: 32_000, 5: 70_000, 6: 122_000, 7: 195_000, 8: 400_000}
ONBEKENDE_GROOTTE = 12_000
OPEN = 1 << 30  # dagnummer voor "nog niet beëindigd"
VROEG = -(1 << 30)  # dagnummer voor "altijd al"

DEELNAME_KOLOMMEN = CONTRACTEN["deelname"].kolomnamen
CRLF = "\r\n"
# (scheidingsteken, codering, BOM, regeleinde) van de deelnameleveringen, met hun kans.
DEELNAME_VORMEN = (
    (";", "utf-8", False, "\n"),
    (";", "utf-8", True, "\n"),
    (";", "cp1252", False, CRLF),
    (",", "utf-8", False, "\n"),
)
DEELNAME_VORM_P = (0.55, 0.15, 0.15, 0.15)


def _day(jaar: int, maand: int = 1, dag: int = 1) -> int:
    return (date(jaar, maand, dag) - date(1970, 1, 1)).days


EERSTE_DAG = _day(EERSTE_JAAR)
LAATSTE_DAG = _day(LAATSTE_JAAR, 12, 31)
# eerste en laatste dag van elke maand 2015-01 .. 2024-12
MAAND_START = np.array([_day(EERSTE_JAAR + m // 12, m % 12 + 1) for m in range(MAANDEN)])
MAAND_EIND = np.append(MAAND_START[1:], _day(LAATSTE_JAAR + 1)) - 1
JAAR_START = np.array([_day(int(j)) for j in JAREN])


def _rng(seed: int, *sleutel: int) -> np.random.Generator:
    return np.random.default_rng([seed, 77, *sleutel])


def _dates(dagen: np.ndarray) -> pl.Series:
    """Dagnummers (sinds 1-1-1970) als Polars-datums; OPEN wordt leeg."""
    dagen = np.asarray(dagen, dtype=np.int64)
    return pl.Series(np.where(dagen >= OPEN, np.nan, dagen)).fill_nan(None).cast(pl.Int32).cast(pl.Date)


def _pick(waarden: list | tuple, idx: np.ndarray) -> pl.Series:
    """Tekst per rij uit een kleine lijst; index -1 wordt leeg."""
    reeks = pl.Series([*waarden, None], dtype=pl.String)
    idx = np.asarray(idx, dtype=np.int64)
    return reeks.gather(np.where(idx < 0, len(waarden), idx))


def _covid(jaar: np.ndarray, maand: np.ndarray) -> np.ndarray:
    """De coronadip van voorbeeld.py: 0,35 in de lockdowns, 0,6 in de rest van 2020 en het eerste halfjaar 2021."""
    lockdown = ((jaar == 2020) & (maand >= 3) & (maand <= 6)) | ((jaar == 2021) & (maand <= 3))
    beperkt = ((jaar == 2020) & (maand >= 7)) | ((jaar == 2021) & (maand >= 4) & (maand <= 6))
    return np.where(lockdown, 0.35, np.where(beperkt, 0.6, 1.0))


# ------------------------------------------------------------------------------------------------ de kaart
class Kaart:
    """Huidige gemeenten, hun delen (gebieden van de kaart van 2016) en de codes waaronder elk deel leverde."""

    def __init__(self, seed: int) -> None:
        huidig = pl.read_csv(SEEDS / "ref_gemeenten.csv", infer_schema=False).sort("gemeentecode")
        self.huidig: list[str] = huidig["gemeentecode"].to_list()
        stedelijk = np.array([int(s) if s else 3 for s in huidig["stedelijkheid_code"].to_list()])
        self.landelijk = (stedelijk - 1) / 4.0  # 0 = zeer sterk stedelijk, 1 = niet stedelijk
        per_jaar = pl.read_csv(SEEDS / "ref_gemeenten_per_jaar.csv", infer_schema=False)
        self.jaarcodes: dict[int, set[str]] = {
            int(j): set(g["gemeentecode"].to_list()) for (j,), g in per_jaar.group_by("jaar")
        }
        self.register_jaren = (min(self.jaarcodes), max(self.jaarcodes))
        grootte: dict[str, int] = {}
        for r in per_jaar.sort("jaar").iter_rows(named=True):
            if r["gemeentegrootte_code"]:
                grootte.setdefault(r["gemeentecode"], GROOTTE_MIDDEN[int(r["gemeentegrootte_code"])])
        opvolgers: dict[str, list[tuple[str, int, float]]] = {}
        for r in pl.read_csv(SEEDS / "ref_herindelingen.csv", infer_schema=False).iter_rows(named=True):
            j, m, d = (int(x) for x in r["ingangsdatum"].split("-"))
            opvolgers.setdefault(r["oude_gemeentecode"], []).append(
                (r["nieuwe_gemeentecode"], _day(j, m, d), float(r["aandeel_bevolking"]))
            )
        alle = sorted(set().union(*self.jaarcodes.values()) | set(self.huidig))
        self.codes = alle
        code_id = {c: i for i, c in enumerate(alle)}
        huidig_id = {c: i for i, c in enumerate(self.huidig)}

        # delen: (codes met hun ingangsdag, huidige gemeente, aandeel)
        delen: list[tuple[list[tuple[str, int]], str, float]] = []

        def trace(code: str, vanaf: int, aandeel: float, eerder: list[tuple[str, int]]) -> None:
            pad = [*eerder, (code, vanaf)]
            verder = [o for o in opvolgers.get(code, []) if o[1] > _day(self.register_jaren[0])]
            if not verder:
                if code not in huidig_id:
                    raise ValueError(f"{code} heeft geen opvolger en bestaat niet meer")
                delen.append((pad, code, aandeel))
            for nieuw, dag, a in verder:
                trace(nieuw, dag, aandeel * a, pad)

        for code in sorted(self.jaarcodes[self.register_jaren[0]]):
            trace(code, VROEG, 1.0, [])
        delen.sort(key=lambda d: (huidig_id[d[1]], d[0][0][0]))
        n = len(delen)
        k = max(len(d[0]) for d in delen)
        self.pad_huidig = np.array([huidig_id[d[1]] for d in delen])
        self.pad_aandeel = np.array([d[2] for d in delen])
        self.pad_deel = [d[0][0][0] for d in delen]
        self.seg_start = np.full((n, k), OPEN, dtype=np.int64)
        self.seg_code = np.zeros((n, k), dtype=np.int64)
        for i, (pad, _, _) in enumerate(delen):
            for j, (code, vanaf) in enumerate(pad):
                self.seg_start[i, j] = vanaf
                self.seg_code[i, j] = code_id[code]
        if set(self.pad_huidig.tolist()) != set(range(len(self.huidig))):
            raise ValueError("niet elke huidige gemeente heeft een deel op de kaart van 2016")

        # inwoners 2022 per deel: het echte cijfer van de code in 2022, verdeeld naar geschatte omvang
        bev = pl.read_csv(SEEDS / "ref_bevolking_2022.csv", infer_schema=False)
        bev22 = dict(zip(bev["gemeentecode"].to_list(), (int(x) for x in bev["inwoners"]), strict=True))
        code22 = self.code_at(np.arange(n), np.full(n, _day(2022)))
        gewicht = np.array(
            [
                a * grootte.get(deel, ONBEKENDE_GROOTTE)
                for deel, a in zip(self.pad_deel, self.pad_aandeel, strict=True)
            ]
        )
        som = np.bincount(code22, weights=gewicht, minlength=len(alle))
        self.pop2022 = np.array([bev22[self.codes[c]] for c in code22]) * gewicht / som[code22]
        rng = _rng(seed, 0)
        groei = 0.001 + 0.008 * (1 - self.landelijk) + rng.normal(0, 0.002, len(self.huidig))
        self.groei = np.clip(groei, -0.004, 0.015)
        self.aandeel18 = 0.78 + 0.05 * self.landelijk + rng.uniform(-0.01, 0.01, len(self.huidig))

        # wijken per code (kaart 2022); een na 2022 ontstane code gebruikt de wijken van haar voorgangers
        wijken: dict[str, list[str]] = {}
        for w, g in (
            pl.read_csv(SEEDS / "ref_wijken.csv", infer_schema=False)
            .select("wijkcode", "gemeentecode")
            .iter_rows()
        ):
            wijken.setdefault(g, []).append(w)
        for c in alle:
            if c not in wijken:
                voorgangers = [
                    oud
                    for oud, lijst in sorted(opvolgers.items())
                    for nieuw, dag, a in lijst
                    if nieuw == c and a == 1.0 and dag > _day(2022)
                ]
                if voorgangers:
                    wijken[c] = [w for oud in voorgangers for w in wijken.get(oud, [])]
        self.wijk_lijst: list[str] = []
        self.wijk_begin = np.zeros(len(alle), dtype=np.int64)
        self.wijk_aantal = np.zeros(len(alle), dtype=np.int64)
        for i, c in enumerate(alle):
            self.wijk_begin[i] = len(self.wijk_lijst)
            self.wijk_aantal[i] = len(wijken.get(c, []))
            self.wijk_lijst += wijken.get(c, [])
        self.geldig = pl.Series(
            [f"{c}|{j}" for j, codes in self.jaarcodes.items() for c in codes], dtype=pl.String
        )

    @property
    def n_paden(self) -> int:
        return len(self.pad_huidig)

    def code_at(self, pad: np.ndarray, dag: np.ndarray) -> np.ndarray:
        """De code-id waaronder deel `pad` op dag `dag` leverde."""
        seg = self.segment_at(pad, dag)
        return self.seg_code[pad, seg]

    def segment_at(self, pad: np.ndarray, dag: np.ndarray) -> np.ndarray:
        seg = np.zeros(len(pad), dtype=np.int64)
        for k in range(1, self.seg_start.shape[1]):
            seg += dag >= self.seg_start[pad, k]
        return seg

    def population(self, pad: np.ndarray, jaar: np.ndarray | int) -> np.ndarray:
        """Inwoners van deel `pad` op 1 januari van `jaar`."""
        return self.pop2022[pad] * (1 + self.groei[self.pad_huidig[pad]]) ** (np.asarray(jaar) - 2022)

    def population_matrix(self) -> np.ndarray:
        """Inwoners per deel (rij) en jaar 2015–2024 (kolom)."""
        p = np.arange(self.n_paden)
        return np.stack([self.population(p, int(j)) for j in JAREN], axis=1)

    def wijk_at(self, code: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Wijkindex (in wijk_lijst) voor code-id's met een uniforme trekking `u`; -1 als de code geen wijken heeft."""
        aantal = self.wijk_aantal[code]
        keuze = np.minimum((u * np.maximum(aantal, 1)).astype(np.int64), np.maximum(aantal - 1, 0))
        return np.where(aantal > 0, self.wijk_begin[code] + keuze, -1)

    def year_units(self, jaar: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """De aanleverende codes op 1 januari van `jaar` (2015 telt als 2016): code-id's, inwoners en de
        huidige gemeente van het grootste deel."""
        p = np.arange(self.n_paden)
        code = self.code_at(p, np.full(self.n_paden, _day(max(jaar, self.register_jaren[0]))))
        pop = self.population(p, jaar)
        units = np.unique(code)
        inw = np.bincount(code, weights=pop, minlength=len(self.codes))[units]
        volgorde = np.lexsort((-pop, code))
        eerste = volgorde[np.searchsorted(code[volgorde], units)]
        return units, inw, self.pad_huidig[eerste]

    def check_codes(self, bron: str, codes: pl.Series, jaren: pl.Series) -> None:
        """Bestond elke gemeentecode in het jaar van de rij (jaren buiten het register: het dichtstbijzijnde)?"""
        lo, hi = self.register_jaren
        sleutel = codes + "|" + jaren.clip(lo, hi).cast(pl.String)
        fout = sleutel.filter(~sleutel.is_in(self.geldig.implode()))
        if len(fout):
            raise AssertionError(
                f"{bron}: gemeentecode bestond niet in dat jaar: {fout.unique().head(5).to_list()}"
            )


def _digits(code: pl.Series | pl.Expr):
    return code.str.slice(2)


@dataclass
class Bestand:
    pad: Path
    rijen: int
    vorm: str = ""


def _write_csv(
    df: pl.DataFrame,
    pad: Path,
    sep: str = ";",
    encoding: str = "utf-8",
    bom: bool = False,
    regeleinde: str = "\n",
    datumvorm: str = "%d-%m-%Y",
) -> Bestand:
    pad.parent.mkdir(parents=True, exist_ok=True)
    if encoding == "utf-8":
        df.write_csv(pad, separator=sep, include_bom=bom, line_terminator=regeleinde, date_format=datumvorm)
    else:
        tekst = df.write_csv(None, separator=sep, line_terminator=regeleinde, date_format=datumvorm)
        pad.write_bytes(tekst.encode(encoding))
    vorm = f"'{sep}' {encoding}{' BOM' if bom else ''}{' CRLF' if regeleinde == CRLF else ''}"
    return Bestand(pad, df.height, vorm)


def _unique_check(bron: str, df: pl.DataFrame, sleutel: list[str]) -> None:
    if df.select(sleutel).is_duplicated().any():
        raise AssertionError(f"{bron}: dubbele sleutel {sleutel}")


# ------------------------------------------------------------------------------------------------ bevolking
def _bevolking(k: Kaart, uit: Path) -> list[Bestand]:
    delen = []
    for j in JAREN:
        p = np.arange(k.n_paden)
        pop = k.population(p, int(j))
        delen.append(
            pl.DataFrame(
                {
                    "code": k.code_at(p, np.full(k.n_paden, _day(max(int(j), k.register_jaren[0])))),
                    "jaar": np.full(k.n_paden, int(j)),
                    "pop": pop,
                    "pop18": pop * k.aandeel18[k.pad_huidig],
                }
            )
        )
    df = (
        pl.concat(delen)
        .group_by("code", "jaar")
        .agg(pl.col("pop").sum(), pl.col("pop18").sum())
        .sort("code", "jaar")
    )
    df = (
        df.with_columns(_pick(k.codes, df["code"].to_numpy()).alias("gemeentecode"))
        .select(
            "gemeentecode",
            "jaar",
            pl.col("pop").round().cast(pl.Int64).alias("inwoners"),
            pl.col("pop18").round().cast(pl.Int64).alias("inwoners_18plus"),
        )
        .sort("gemeentecode", "jaar")
    )
    for j in JAREN:  # precies de codes van de kaart van dat jaar
        codes = set(df.filter(pl.col("jaar") == j)["gemeentecode"].to_list())
        if codes != k.jaarcodes[max(int(j), k.register_jaren[0])]:
            raise AssertionError(f"bevolking {j}: andere codes dan de kaart")
    k.check_codes("bevolking", df["gemeentecode"], df["jaar"])
    _unique_check("bevolking", df, ["gemeentecode", "jaar"])
    return [_write_csv(df, uit / "inbox" / "bevolking" / "bevolking_2015_2024.csv")]


# ------------------------------------------------------------------------------------------------ deelname
def _deelname(k: Kaart, uit: Path, seed: int, schaal: float) -> tuple[list[Bestand], Bestand]:
    rng = _rng(seed, 2)
    n_huidig = len(k.huidig)
    vorm = rng.choice(len(DEELNAME_VORMEN), n_huidig, p=DEELNAME_VORM_P)
    cijfers = rng.random(n_huidig) < 0.5  # gemeentecode als 0363 in plaats van GM0363
    niveau = 40 + 50 * k.landelijk  # deelnames per maand van een gemiddelde activiteit

    # plekken voor activiteiten per deel; op een plek volgen activiteiten elkaar op
    pop24 = k.population(np.arange(k.n_paden), LAATSTE_JAAR)
    n_plek = np.rint(pop24 * schaal / INWONERS_PER_ACTIVITEIT).astype(np.int64)
    n_plek = np.maximum(n_plek, (k.pad_aandeel >= 0.5).astype(np.int64))
    plek_pad = np.repeat(np.arange(k.n_paden), n_plek)
    s = len(plek_pad)
    begin = np.where(rng.random(s) < 0.97, 0, rng.integers(0, MAANDEN, s))
    stopt = rng.random(s) < 0.02
    eind = np.where(stopt, begin + (rng.random(s) * (MAANDEN - begin)).astype(np.int64), MAANDEN - 1)
    lengte = eind - begin + 1
    rij_plek = np.repeat(np.arange(s), lengte)
    r = len(rij_plek)
    offset = np.cumsum(lengte) - lengte
    maand = begin[rij_plek] + (np.arange(r) - offset[rij_plek])
    nieuw = rng.random(r) < 1 / 84  # gemiddeld zeven jaar dezelfde activiteit op een plek
    nieuw[offset] = True
    act = np.cumsum(nieuw) - 1
    n_act = int(act[-1]) + 1
    act_pad = plek_pad[rij_plek[nieuw]]
    act_huidig = k.pad_huidig[act_pad]
    act_nr = np.arange(n_act) - np.searchsorted(act_huidig, act_huidig) + 1
    breedte = max(5, len(str(int(act_nr.max()))))
    act_naam = rng.integers(0, len(ACTIVITEITEN), n_act)
    act_acc = np.where(rng.random(n_act) < 0.1, -1, rng.integers(0, len(ACCOMMODATIES), n_act))
    act_aanbieder = rng.integers(0, len(AANBIEDERS), n_act)
    act_niveau = rng.lognormal(np.log(niveau[act_huidig]), 0.5)
    act_uniek = rng.uniform(0.33, 0.5, n_act)
    act_trend = rng.normal(0.01, 0.03, n_act)
    act_wijk_u = rng.random(n_act)
    act_id = pl.concat_str(
        [
            pl.lit("A"),
            _digits(pl.Series(k.huidig).gather(act_huidig)),
            pl.lit("-"),
            pl.Series(act_nr).cast(pl.String).str.zfill(breedte),
        ]
    )
    act_id = pl.select(act_id).to_series()

    jaar = EERSTE_JAAR + maand // 12
    mnd = maand % 12 + 1
    verwacht = act_niveau[act] * (1 + act_trend[act]) ** (maand / 12) * _covid(jaar, mnd)
    verwacht *= np.where((mnd == 7) | (mnd == 8), 0.6, 1.0)
    n = rng.poisson(verwacht)
    uniek = np.rint(n * act_uniek[act]).astype(np.int64)
    pad = act_pad[act]
    code = k.code_at(pad, MAAND_START[maand])
    wijk = k.wijk_at(code, act_wijk_u[act])
    df = pl.DataFrame(
        {
            "gemeentecode": _pick(k.codes, code),
            "wijkcode": _pick(k.wijk_lijst, wijk),
            "activiteit_id": act_id.gather(act),
            "activiteit": _pick(ACTIVITEITEN, act_naam[act]),
            "accommodatie": _pick(ACCOMMODATIES, act_acc[act]),
            "aanbieder": _pick(AANBIEDERS, act_aanbieder[act]),
            "periode_start": _dates(MAAND_START[maand]),
            "periode_eind": _dates(MAAND_EIND[maand]),
            "aantal_deelnames": n,
            "aantal_unieke_deelnemers": uniek,
        }
    )
    k.check_codes("deelname", df["gemeentecode"], df["periode_start"].dt.year().cast(pl.Int64))
    rij_huidig = act_huidig[act]
    grenzen = np.searchsorted(rij_huidig, np.arange(n_huidig + 1))
    bestanden = []
    incrementeel = None
    for h, gemeente in enumerate(k.huidig):
        deel = df.slice(int(grenzen[h]), int(grenzen[h + 1] - grenzen[h]))
        _unique_check("deelname", deel, ["activiteit_id", "wijkcode", "periode_start", "periode_eind"])
        if cijfers[h]:
            deel = deel.with_columns(_digits(pl.col("gemeentecode")))
        sep, enc, bom, eol = DEELNAME_VORMEN[vorm[h]]
        if gemeente == BENCHMARK_GEMEENTE:
            laatste = pl.col("periode_start") >= date(LAATSTE_JAAR, 10, 1)
            incrementeel = _write_csv(
                deel.filter(laatste), uit / "incrementeel" / "deelname" / INCREMENTEEL, sep, enc, bom, eol
            )
            deel = deel.filter(~laatste)
        bestanden.append(
            _write_csv(deel, uit / "inbox" / "deelname" / f"deelname_{gemeente}.csv", sep, enc, bom, eol)
        )
    assert incrementeel is not None
    return bestanden, incrementeel


# ------------------------------------------------------------------------------------------------ personen
def _persons(
    rng: np.random.Generator,
    k: Kaart,
    doel: np.ndarray,
    behoud: np.ndarray,
    instroom_factor: dict[int, float],
    min_voorraad: np.ndarray,
    terug_max_jaren: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Personen in een register met exponentiële duur: (deel, startdag, einddag of OPEN).

    `doel` is het verwachte aantal actieven per deel (rij) en jaar (kolom), `behoud` de kans per deel om een
    jaar te blijven. De voorraad op 1-1-2015 begon eerder (hoogstens `terug_max_jaren` terug); de instroom per
    jaar vult het vertrek aan plus de groei, maal `instroom_factor` (corona)."""
    duur = -1 / np.log(behoud) * 365.25  # gemiddelde duur in dagen
    n_voor = np.maximum(rng.poisson(doel[:, 0]), min_voorraad)
    vorig = np.concatenate([doel[:, :1], doel[:, :-1]], axis=1)
    instroom = doel * (1 - behoud[:, None]) + np.maximum(0, doel - vorig)
    instroom *= np.array([instroom_factor.get(int(j), 1.0) for j in JAREN])[None, :]
    n_in = rng.poisson(instroom)
    pad_v = np.repeat(np.arange(k.n_paden), n_voor)
    terug = rng.exponential(duur[pad_v])
    te_lang = terug > terug_max_jaren * 365.25  # dan ergens in de jaren daarvoor begonnen
    terug = np.where(te_lang, rng.random(len(pad_v)) * terug_max_jaren * 365.25, terug)
    start_v = EERSTE_DAG - 1 - terug.astype(np.int64)
    eind_v = EERSTE_DAG + rng.exponential(duur[pad_v]).astype(np.int64)
    pad_i = np.repeat(np.repeat(np.arange(k.n_paden), len(JAREN)), n_in.ravel())
    jaar_i = np.repeat(np.tile(np.arange(len(JAREN)), k.n_paden), n_in.ravel())
    dagen_in_jaar = np.append(JAAR_START[1:], LAATSTE_DAG + 1) - JAAR_START
    start_i = JAAR_START[jaar_i] + (rng.random(len(jaar_i)) * dagen_in_jaar[jaar_i]).astype(np.int64)
    eind_i = start_i + rng.exponential(duur[pad_i]).astype(np.int64)
    pad = np.concatenate([pad_v, pad_i])
    start = np.concatenate([start_v, start_i])
    eind = np.concatenate([eind_v, eind_i])
    eind = np.where(eind > LAATSTE_DAG, OPEN, eind)
    volgorde = np.lexsort((start, k.pad_huidig[pad]))
    return pad[volgorde], start[volgorde], eind[volgorde]


def _split(k: Kaart, pad: np.ndarray, start: np.ndarray, eind: np.ndarray) -> pl.DataFrame:
    """Eén rij per persoon en code: een inzet die over een herindeling heen loopt, gaat verder onder de nieuwe
    code (eerste rij tot de dag vóór de herindeling, tweede vanaf de herindeling)."""
    delen = []
    n_seg = k.seg_start.shape[1]
    for s in range(n_seg):
        van = k.seg_start[pad, s]
        tot = k.seg_start[pad, s + 1] if s + 1 < n_seg else np.full(len(pad), OPEN)
        actief = (van < OPEN) & (start < tot) & (eind >= van)
        idx = np.flatnonzero(actief)
        delen.append(
            pl.DataFrame(
                {
                    "persoon": idx,
                    "segment": np.full(len(idx), s),
                    "code": k.seg_code[pad[idx], s],
                    "start": np.maximum(start[idx], van[idx]),
                    "eind": np.where(tot[idx] < OPEN, np.minimum(eind[idx], tot[idx] - 1), eind[idx]),
                }
            )
        )
    return pl.concat(delen).sort("persoon", "segment")


def _person_ids(k: Kaart, prefix: str, huidig: np.ndarray) -> pl.Series:
    """Nummers per huidige gemeente (huidig moet gesorteerd zijn): VC-0363-000001."""
    nr = np.arange(len(huidig)) - np.searchsorted(huidig, huidig) + 1
    breedte = max(6, len(str(int(nr.max())))) if len(nr) else 6
    return pl.select(
        pl.concat_str(
            [
                pl.lit(prefix + "-"),
                _digits(pl.Series(k.huidig).gather(huidig)),
                pl.lit("-"),
                pl.Series(nr).cast(pl.String).str.zfill(breedte),
            ]
        )
    ).to_series()


def _files_per_current(k: Kaart, df: pl.DataFrame, huidig: np.ndarray, naam: str, schrijf) -> list[Bestand]:
    """Schrijft per huidige gemeente (rijen gesorteerd op `huidig`) één bestand."""
    grenzen = np.searchsorted(huidig, np.arange(len(k.huidig) + 1))
    bestanden = []
    for h, gemeente in enumerate(k.huidig):
        deel = df.slice(int(grenzen[h]), int(grenzen[h + 1] - grenzen[h]))
        if deel.height:
            bestanden.append(schrijf(h, deel, f"{naam}_{gemeente}.csv"))
    return bestanden


# ------------------------------------------------------------------------------------------------ vrijwilligers
def _vrijwilligers(k: Kaart, uit: Path, seed: int, schaal: float) -> list[Bestand]:
    rng = _rng(seed, 3)
    n_huidig = len(k.huidig)
    dichtheid = 22 + 12 * k.landelijk + rng.uniform(-3, 3, n_huidig)  # actief per 1.000 inwoners
    behoud = (0.74 + 0.1 * k.landelijk)[k.pad_huidig]
    trend = 1 + 0.01 * (JAREN - EERSTE_JAAR) - np.where(np.isin(JAREN, (2020, 2021)), 0.08, 0.0)
    doel = k.population_matrix() * schaal * dichtheid[k.pad_huidig][:, None] / 1000 * trend[None, :]
    pad, start, eind = _persons(
        rng, k, doel, behoud, {2020: 0.6, 2021: 0.8, 2022: 1.2}, (k.pad_aandeel >= 0.5).astype(int), 10
    )
    n = len(pad)
    # corona: een deel van wie in maart 2020 actief was, stopte dat jaar
    maart = _day(2020, 3, 15)
    stop = (start <= maart) & (eind > _day(2020, 12, 31)) & (rng.random(n) < 0.07)
    van = np.maximum(start, maart)
    eind = np.where(stop, van + (rng.random(n) * (_day(2020, 12, 31) - van + 1)).astype(np.int64), eind)
    huidig = k.pad_huidig[pad]
    ids = _person_ids(k, "VC", huidig)
    org = rng.integers(0, len(ORGANISATIES), n)
    soort = np.where(rng.random(n) < 0.7, 0, 1)
    tienden = np.rint(np.clip(rng.gamma(2.0, 6.0, n), 0, 150) * 10).astype(np.int64)
    leeftijd = rng.choice(len(LEEFTIJDEN), n, p=LEEFTIJD_P)
    wijk_u = rng.random(n)

    rijen = _split(k, pad, start, eind)
    p = rijen["persoon"].to_numpy()
    code = rijen["code"].to_numpy()
    df = pl.DataFrame(
        {
            "vrijwilliger_id": ids.gather(p),
            "gemeentecode": _pick(k.codes, code),
            "wijkcode": _pick(k.wijk_lijst, k.wijk_at(code, wijk_u[p])),
            "organisatie": _pick(ORGANISATIES, org[p]),
            "soort_inzet": _pick(("structureel", "incidenteel"), soort[p]),
            "startdatum": _dates(rijen["start"].to_numpy()),
            "einddatum": _dates(rijen["eind"].to_numpy()),
            "uren_per_maand": pl.select(
                pl.concat_str(
                    [
                        pl.Series(tienden[p] // 10).cast(pl.String),
                        pl.lit(","),
                        pl.Series(tienden[p] % 10).cast(pl.String),
                    ]
                )
            ).to_series(),
            "leeftijdsklasse": _pick(LEEFTIJDEN, leeftijd[p]),
        }
    )
    k.check_codes("vrijwilligers", df["gemeentecode"], df["startdatum"].dt.year().cast(pl.Int64))
    if (rijen["eind"] < rijen["start"]).any():
        raise AssertionError("vrijwilligers: einddatum vóór startdatum")

    def schrijf(h: int, deel: pl.DataFrame, naam: str) -> Bestand:
        _unique_check("vrijwilligers", deel, ["vrijwilliger_id", "organisatie", "startdatum"])
        return _write_csv(deel, uit / "inbox" / "vrijwilligers" / naam, ",", bom=True, datumvorm="%Y-%m-%d")

    return _files_per_current(k, df, huidig[p], "vrijwilligers", schrijf)


# ------------------------------------------------------------------------------------------------ mantelzorg
def _mantelzorg(k: Kaart, uit: Path, seed: int, schaal: float) -> list[Bestand]:
    rng = _rng(seed, 4)
    n_huidig = len(k.huidig)
    basis = 8 + 6 * k.landelijk + rng.uniform(-2, 2, n_huidig)  # ingeschreven per 1.000 in 2015
    groei = rng.uniform(0.04, 0.09, n_huidig)
    trend = (1 + groei[k.pad_huidig][:, None]) ** (JAREN - EERSTE_JAAR)[None, :]
    doel = k.population_matrix() * schaal * basis[k.pad_huidig][:, None] / 1000 * trend
    behoud = np.full(k.n_paden, 0.88)
    pad, reg, uitschrijf = _persons(
        rng, k, doel, behoud, {2020: 0.7, 2021: 0.85}, (k.pad_aandeel >= 0.5).astype(int), 7
    )
    n = len(pad)
    huidig = k.pad_huidig[pad]
    ids = _person_ids(k, "MZ", huidig)
    belasting = rng.choice(len(BELASTING), n, p=BELASTING_P)
    wijk_u = rng.random(n)

    # contacten: Poisson over de ingeschreven tijd binnen 2015–2024, vaker bij een zwaardere belasting
    per_jaar = np.array([1.2, 1.75, 2.55, 3.25, 3.7])[belasting]
    lo = np.maximum(reg, EERSTE_DAG)
    hi = np.minimum(uitschrijf, LAATSTE_DAG)
    n_contact = rng.poisson(per_jaar * (hi - lo + 1) / 365.25)
    c_persoon = np.repeat(np.arange(n), n_contact)
    c_dag = lo[c_persoon] + (rng.random(len(c_persoon)) * (hi - lo + 1)[c_persoon]).astype(np.int64)
    c_datum = np.array(c_dag, dtype="datetime64[D]")
    c_jaar = c_datum.astype("datetime64[Y]").astype(np.int64) + 1970
    c_maand = c_datum.astype("datetime64[M]").astype(np.int64) % 12 + 1
    houden = rng.random(len(c_persoon)) < np.where(
        _covid(c_jaar, c_maand) < 1, 0.5 + 0.5 * _covid(c_jaar, c_maand), 1
    )
    c_persoon, c_dag = c_persoon[houden], c_dag[houden]
    c_vorm = rng.choice(len(VORMEN), len(c_persoon), p=VORM_P)
    c_bel = np.where(rng.random(len(c_persoon)) < 0.2, -1, belasting[c_persoon])
    contacten = (
        pl.DataFrame(
            {
                "persoon": c_persoon,
                "segment": k.segment_at(pad[c_persoon], c_dag),
                "vorm": c_vorm,
                "dag": c_dag,
                "bel": c_bel,
            }
        )
        .unique(["persoon", "vorm", "dag"], keep="first", maintain_order=True)
        .sort("persoon", "dag", "vorm")
    )
    segmenten = _split(k, pad, reg, uitschrijf)
    met = segmenten.join(contacten, on=["persoon", "segment"], how="inner")
    # een inschrijving zonder contact: één rij 'overig' zonder contactdatum (per persoon hoogstens één,
    # anders botst de sleutel mantelzorger_id + ondersteuningsvorm + contactdatum)
    zonder = (
        segmenten.join(contacten.select("persoon", "segment").unique(), on=["persoon", "segment"], how="anti")
        .sort("persoon", "segment")
        .unique("persoon", keep="last", maintain_order=True)
        .with_columns(
            pl.lit(VORMEN.index("overig"), dtype=pl.Int64).alias("vorm"),
            pl.lit(None, dtype=pl.Int64).alias("dag"),
            pl.lit(-1, dtype=pl.Int64).alias("bel"),
        )
    )
    rijen = pl.concat([met.select(zonder.columns), zonder]).sort(
        "persoon", "segment", "dag", "vorm", nulls_last=False
    )
    p = rijen["persoon"].to_numpy()
    code = rijen["code"].to_numpy()
    dag = rijen["dag"].fill_null(OPEN).to_numpy()
    df = pl.DataFrame(
        {
            "mantelzorger_id": ids.gather(p),
            "gemeentecode": _pick(k.codes, code),
            "wijkcode": _pick(k.wijk_lijst, k.wijk_at(code, wijk_u[p])),
            "registratiedatum": _dates(rijen["start"].to_numpy()),
            "uitschrijfdatum": _dates(rijen["eind"].to_numpy()),
            "ondersteuningsvorm": _pick(VORMEN, rijen["vorm"].to_numpy()),
            "contactdatum": _dates(dag),
            "ervaren_belasting": _pick(BELASTING, rijen["bel"].to_numpy()),
        }
    )
    k.check_codes("mantelzorg", df["gemeentecode"], df["registratiedatum"].dt.year().cast(pl.Int64))
    if (rijen["eind"] < rijen["start"]).any():
        raise AssertionError("mantelzorg: uitschrijfdatum vóór registratiedatum")
    cijfers = rng.random(n_huidig) < 0.5

    def schrijf(h: int, deel: pl.DataFrame, naam: str) -> Bestand:
        _unique_check("mantelzorg", deel, ["mantelzorger_id", "ondersteuningsvorm", "contactdatum"])
        if cijfers[h]:
            deel = deel.with_columns(_digits(pl.col("gemeentecode")))
        return _write_csv(deel, uit / "inbox" / "mantelzorg" / naam)

    return _files_per_current(k, df, huidig[p], "mantelzorg", schrijf)


# ------------------------------------------------------------------------------------------------ enquête
def _likert(rng: np.random.Generator, gunstig: np.ndarray, weetniet: int, p_weetniet: float = 0.03):
    """5-puntsschaal (1 = helemaal eens ... 5 = helemaal oneens) rond een persoonlijke neiging."""
    n = len(gunstig)
    x = np.clip(np.round(2.2 - 1.1 * gunstig + rng.normal(0, 0.8, n)), 1, 5)
    x[rng.random(n) < p_weetniet] = weetniet
    return x


def _enquete(k: Kaart, uit: Path, seed: int, schaal: float) -> list[Bestand]:
    rng = _rng(seed, 5)
    namen = [v["naam"] for v in burgerpeiling_format()["variabelen"]]
    n_huidig = len(k.huidig)
    m_basis = rng.uniform(0.10, 0.16, n_huidig)
    v_basis = 0.27 + 0.14 * k.landelijk + rng.uniform(-0.03, 0.03, n_huidig)
    v_trend = rng.normal(0.0, 0.003, n_huidig)
    binding = rng.normal(0.2 * k.landelijk, 0.15)
    bureau = rng.integers(1, 13, n_huidig)
    bestanden = []
    for j in JAREN:
        jaar = int(j)
        units, inw, unit_huidig = k.year_units(jaar)
        doet_mee = (rng.random(len(units)) < 0.9) | (inw >= 100_000)
        units, inw, unit_huidig = units[doet_mee], inw[doet_mee], unit_huidig[doet_mee]
        n_unit = np.clip(120 + 0.0085 * inw, 120, 4000)
        n_unit = np.maximum(2, np.rint(n_unit * schaal)).astype(np.int64)
        u = np.repeat(np.arange(len(units)), n_unit)
        n = len(u)
        h = unit_huidig[u]
        data = {naam: np.full(n, np.nan) for naam in namen}
        data["respondent"] = np.arange(1, n + 1, dtype=float)
        data["gemnr"] = np.array([float(k.codes[c][2:]) for c in units])[u]
        data["jr"] = np.full(n, float(jaar))
        data["kw"] = rng.choice([1.0, 4.0], n, p=[0.6, 0.4])
        data["veldwerkmodus"] = rng.choice([1.0, 2.0, 3.0], n, p=[0.65, 0.3, 0.05])
        data["org"] = bureau[h].astype(float)
        w = np.clip(rng.lognormal(0, 0.35, n), 0.3, 3.0)
        w = w / (np.bincount(u, weights=w) / n_unit)[u]
        data["weging"] = np.round(w, 3)
        wijk = k.wijk_at(units[u], rng.random(n))
        wijknr = _pick(k.wijk_lijst, wijk).fill_null("")
        gunstig = rng.normal(binding[h], 1.0)  # persoonlijke neiging tot positieve antwoorden
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
            if item in data:
                data[item] = _likert(rng, gunstig, 6)
        data["zw19_3"] = _likert(rng, -gunstig, 6)
        data["wl01"] = np.clip(np.round(7.4 + 0.7 * gunstig + rng.normal(0, 0.9, n)), 1, 10)
        data["zw00"] = np.clip(np.round(7.5 + 0.6 * gunstig + rng.normal(0, 1.0, n)), 1, 10)
        data["zw02"] = np.clip(np.round(7.3 + 0.5 * gunstig + rng.normal(0, 1.1, n)), 1, 10)
        for i in range(8):
            tevreden = np.clip(np.round(2.3 - 0.6 * gunstig + rng.normal(0, 0.8, n)), 1, 5)
            tevreden[rng.random(n) < 0.15] = 6  # n.v.t. / weet niet
            data[f"vz03_{i}"] = tevreden
        for i in range(7):
            data[f"zw01_{i}"] = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], n, p=[0.72, 0.17, 0.07, 0.02, 0.02])
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
        p_mz = np.clip(m_basis[h] + 0.002 * (jaar - 2015), 0.05, 0.25)
        p_vw = np.clip(v_basis[h] + v_trend[h] * (jaar - 2015) - corona, 0.15, 0.55)
        for item, p in (("zw06_0", p_mz), ("zw06_3", p_vw), ("zw06_1", 0.35), ("zw06_2", 0.2)):
            x = rng.random(n)
            data[item] = np.select([x < p * 0.4, x < p], [1.0, 2.0], 3.0)
        zorgt = np.isin(data["zw06_0"], [1.0, 2.0])
        x = rng.random(n)
        zw09 = np.select([x < 0.45, x < 0.83, x < 0.95, x < 0.985], [1.0, 2.0, 3.0, 4.0], 5.0)
        data["zw09"] = np.where(zorgt, zw09, np.nan)
        data["zw07"] = rng.choice([1.0, 2.0, 3.0, 4.0], n, p=[0.35, 0.3, 0.3, 0.05])
        data["wl13"] = np.select(
            [gunstig + rng.normal(0, 1, n) > 1.6, gunstig + rng.normal(0, 1, n) > 0.2], [1.0, 2.0], 3.0
        )
        data["wl14"] = rng.choice([1.0, 2.0, 3.0, 4.0], n, p=[0.15, 0.4, 0.35, 0.1])
        data["ch01"] = rng.choice([1.0, 2.0, 3.0, 4.0], n, p=[0.48, 0.5, 0.01, 0.01])
        data["ch02"] = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], n, p=[0.12, 0.13, 0.22, 0.18, 0.2, 0.15])
        data["ch07"] = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], n, p=[0.1, 0.15, 0.2, 0.15, 0.4])
        codes = pl.Series([k.codes[c] for c in units]).gather(u)
        k.check_codes("enquete", codes, pl.Series(np.full(n, jaar)))
        # Een Polars-tabel (leeg = null) schrijft pyreadstat ruim vier keer zo snel als een pandas-tabel (geen
        # pd.isna per cel); het .sav-bestand is hetzelfde.
        df = pl.DataFrame(
            {naam: (wijknr if naam == "wijknr" else data[naam]) for naam in namen}
        ).with_columns(pl.col(pl.Float64).fill_nan(None))
        pad = uit / "inbox" / "enquete" / f"burgerpeiling_{jaar}.sav"
        pad.parent.mkdir(parents=True, exist_ok=True)
        write_burgerpeiling_sav(df, pad)
        bestanden.append(Bestand(pad, n, "SPSS .sav"))
    return bestanden


# ------------------------------------------------------------------------------------------------ verhalen
def _verhalen(k: Kaart, uit: Path, seed: int, schaal: float) -> list[Bestand]:
    rng = _rng(seed, 6)
    sferen = ("persoonlijk", "gemeenschappelijk", "institutioneel")
    wie = ("vader", "moeder", "man", "vrouw")
    wat = ("dementie heeft", "een beroerte kreeg", "slecht ter been is")
    titels = [t for s in sferen for t, _ in VERHAAL_SJABLONEN[s]]
    teksten = [
        tekst.format(wie=a, wat=b, hem="hem", buur="de buurvrouw")
        for s in sferen
        for _, tekst in VERHAAL_SJABLONEN[s]
        for a in wie
        for b in wat
    ]
    bestanden = []
    for j in JAREN:
        jaar = int(j)
        units, inw, _ = k.year_units(jaar)
        lam = np.sqrt(inw)
        lam = lam / lam.sum() * 2000 * schaal
        aantal = rng.poisson(lam)
        u = np.repeat(np.arange(len(units)), aantal)
        n = len(u)
        if n == 0:
            continue
        sfeer = rng.integers(0, 3, n)
        sjabloon = sfeer * 3 + rng.integers(0, 3, n)
        variant = (sjabloon * len(wie) + rng.integers(0, len(wie), n)) * len(wat) + rng.integers(
            0, len(wat), n
        )
        extra = np.where(rng.random(n) < 0.1, rng.integers(0, len(IDENTIFICEREND), n), -1)
        tekst = pl.select(
            pl.when(pl.Series(extra >= 0))
            .then(
                pl.concat_str(
                    [
                        _pick(teksten, variant),
                        pl.lit(" Meer weten? Vraag het "),
                        _pick(IDENTIFICEREND, extra),
                        pl.lit("."),
                    ]
                )
            )
            .otherwise(_pick(teksten, variant))
        ).to_series()
        code = units[u]
        df = pl.DataFrame(
            {
                "gemeentecode": _pick(k.codes, code),
                "wijkcode": _pick(k.wijk_lijst, k.wijk_at(code, rng.random(n))),
                "jaar": np.full(n, jaar),
                "sfeer": _pick(sferen, sfeer),
                "titel": _pick(titels, np.where(rng.random(n) < 0.9, sjabloon, -1)),
                "tekst": tekst,
                "toestemming": _pick(("ja", "nee"), np.where(rng.random(n) < 0.85, 0, 1)),
            }
        )
        k.check_codes("verhalen", df["gemeentecode"], df["jaar"].cast(pl.Int64))
        bestanden.append(_write_csv(df, uit / "inbox" / "verhalen" / f"verhalen_{jaar}.csv"))
    return bestanden


# ------------------------------------------------------------------------------------------------ geheel
def generate_national(uit: Path, seed: int = 20241231, schaal: float = 1.0) -> dict:
    """Schrijft de landelijke leveringen naar `uit` (zie de moduletekst) en geeft het manifest terug, met per
    bron ook de schrijftijd in seconden (die staat niet in manifest.json, zodat dat bestand bij dezelfde seed en
    schaal gelijk blijft)."""
    if schaal <= 0:
        raise ValueError("schaal moet groter dan 0 zijn")
    uit = Path(uit)
    for map_ in [uit / "inbox" / b for b in BRONNEN] + [uit / "incrementeel" / "deelname"]:
        if map_.exists():
            shutil.rmtree(map_)
    t0 = time.perf_counter()
    kaart = Kaart(seed)
    per_bron: dict[str, list[Bestand]] = {}
    tijden: dict[str, float] = {}
    incrementeel: Bestand | None = None
    for bron in BRONNEN:
        t = time.perf_counter()
        if bron == "bevolking":
            per_bron[bron] = _bevolking(kaart, uit)
        elif bron == "deelname":
            per_bron[bron], incrementeel = _deelname(kaart, uit, seed, schaal)
        else:
            maker = {
                "vrijwilligers": _vrijwilligers,
                "mantelzorg": _mantelzorg,
                "enquete": _enquete,
                "verhalen": _verhalen,
            }[bron]
            per_bron[bron] = maker(kaart, uit, seed, schaal)
        tijden[bron] = time.perf_counter() - t
    assert incrementeel is not None

    def entry(b: Bestand) -> dict:
        return {
            "bestand": b.pad.relative_to(uit).as_posix(),
            "rijen": b.rijen,
            "bytes": b.pad.stat().st_size,
            "vorm": b.vorm,
        }

    manifest: dict = {
        "seed": seed,
        "schaal": schaal,
        "jaren": [EERSTE_JAAR, LAATSTE_JAAR],
        "gemeenten": len(kaart.huidig),
        "benchmarkgemeente": BENCHMARK_GEMEENTE,
        "incrementeel": entry(incrementeel),
        "bronnen": {},
    }
    for bron, bestanden in per_bron.items():
        manifest["bronnen"][bron] = {
            "bestanden": [entry(b) for b in bestanden],
            "aantal_bestanden": len(bestanden),
            "rijen": sum(b.rijen for b in bestanden),
            "bytes": sum(b.pad.stat().st_size for b in bestanden),
        }
    manifest["totaal"] = {
        "bestanden": sum(v["aantal_bestanden"] for v in manifest["bronnen"].values()),
        "rijen": sum(v["rijen"] for v in manifest["bronnen"].values()),
        "bytes": sum(v["bytes"] for v in manifest["bronnen"].values()),
    }
    (uit / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return {**manifest, "seconden": {**tijden, "totaal": time.perf_counter() - t0}}


def _nl(x: float, decimalen: int = 0) -> str:
    tekst = f"{x:,.{decimalen}f}"
    return tekst.replace(",", "_").replace(".", ",").replace("_", ".")


def print_summary(uit: Path, resultaat: dict) -> None:
    mib = 1024 * 1024
    sec = resultaat["seconden"]
    print(
        f"Landelijke voorbeeldleveringen in {uit} (seed {resultaat['seed']}, schaal {_nl(resultaat['schaal'], 3)}, "
        f"{resultaat['gemeenten']} gemeenten, {EERSTE_JAAR}–{LAATSTE_JAAR})"
    )
    print(f"{'bron':<14}{'bestanden':>10}{'rijen':>14}{'MiB':>10}{'seconden':>10}")
    for bron, v in resultaat["bronnen"].items():
        print(
            f"{bron:<14}{v['aantal_bestanden']:>10}{_nl(v['rijen']):>14}{_nl(v['bytes'] / mib, 1):>10}"
            f"{_nl(sec[bron], 1):>10}"
        )
    inc = resultaat["incrementeel"]
    print(f"{'incrementeel':<14}{1:>10}{_nl(inc['rijen']):>14}{_nl(inc['bytes'] / mib, 1):>10}{'':>10}")
    tot = resultaat["totaal"]
    print(
        f"{'totaal inbox':<14}{tot['bestanden']:>10}{_nl(tot['rijen']):>14}{_nl(tot['bytes'] / mib, 1):>10}"
        f"{_nl(sec['totaal'], 1):>10}"
    )
    print(f"Benchmarkgemeente {resultaat['benchmarkgemeente']}; incrementele levering: {inc['bestand']}")
    print(f"Manifest: {uit / 'manifest.json'}")
    print(f"Klaar in {_nl(sec['totaal'], 1)} seconden.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Maakt landelijke voorbeeldleveringen (alle 342 gemeenten, 2015–2024) voor de benchmark: "
        "inbox/<bron>/, een achtergehouden kwartaallevering deelname in incrementeel/deelname/ en manifest.json."
    )
    parser.add_argument(
        "--uit", type=Path, required=True, help="map waarin inbox/, incrementeel/ en manifest.json komen"
    )
    parser.add_argument(
        "--seed", type=int, default=20241231, help="seed van de toevalsgenerator (standaard 20241231)"
    )
    parser.add_argument(
        "--schaal",
        type=float,
        default=1.0,
        help="vermenigvuldigt alle aantallen rijen (standaard 1,0: ongeveer 8 miljoen deelnamerijen; "
        "0,02 voor een snelle proef)",
    )
    args = parser.parse_args(argv)
    resultaat = generate_national(args.uit, seed=args.seed, schaal=args.schaal)
    print_summary(args.uit, resultaat)


if __name__ == "__main__":
    main()
