"""Een aanvaller die alleen de publicatie leest en onderdrukte cellen probeert terug te rekenen.

Gedeeld door tests/test_aanvaller.py (de voorbeeldpublicatie en een synthetische publicatie vol kleine cellen).
De aanvaller kent de methoden uit docs/methoden.md (Kerckhoffs) en gebruikt alleen `publicatie.duckdb`; de
waarheid (het warehouse vóór onderdrukking) gebruikt alleen de test, om te tellen welke beweringen klopten.

Routes (docs/methoden.md, "Onthullingscontrole"):

1. **Vensters verschillen**: elk gepubliceerd venster (driejaarswaarde, gepoolde periode) is een vergelijking
   Σ n_j = n_venster over de jaren met gegevens; met de gepubliceerde jaren ingevuld geeft lineair
   programmeren per onderdrukt jaar het kleinste en grootste n dat past (n_j tussen 0 of 1 en minimum_n - 1).
   Zijn die gelijk, dan is n teruggerekend. Hetzelfde voor de waarde met het gemiddelde van de jaarschattingen.
2. **Grens van het bereik**: een venster met een waarde op de rand van het bereik (0 of 100 %, 0 of 10, een
   Gini van 0, een telling 0) dwingt elk jaar in het venster op die rand.
3. **Gemeente tegen haar wijken**: gemeente min de gepubliceerde wijken laat de onderdrukte wijken over
   (aangenomen dat er geen respondenten zonder wijk zijn: de aanvaller neemt het ongunstigste geval); één
   onderdrukte wijk is dan exact terug te rekenen, meer wijken op de rand van n of van het bereik ook.
4. **Groep of land tegen de andere leden**: een referentiewaarde die niet gelijk is aan het gewogen gemiddelde
   van de gepubliceerde leden bevat een onderdrukte cel.
5. **Teller, noemer en n samen**: bij een gepoold aandeel uit een register (binomiaal) volgt de noemer uit
   waarde en standaardfout (N = p(1-p)/se²) en de teller uit p·N; min de gepubliceerde jaren blijft het
   verborgen deel over.

Een *bewering* zegt: deze onderdrukte cel heeft dit n of deze waarde. De test telt een bewering als
*terugrekening* als zij klopt met het warehouse (n exact, waarde tot op 1e-6).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
from scipy.optimize import linprog

TOLERANTIE = 1e-6


@dataclass(frozen=True)
class Bewering:
    route: str
    niveau: str  # 'gemeente' of 'wijk'
    eenheid: str  # gemeentecode of wijkcode
    indicator_code: str
    jaar: int
    grootheid: str  # 'n' of 'waarde'
    waarde: float


def _bereik(eenheid: str) -> tuple[float, float]:
    if eenheid == "percentage":
        return 0.0, 100.0
    if eenheid.startswith("schaalscore"):
        return 0.0, 10.0
    if eenheid.startswith("Gini"):
        return 0.0, 1.0
    return 0.0, math.inf


def _op_rand(waarde: float, onder: float, boven: float) -> float | None:
    if abs(waarde - onder) <= 1e-9 * max(1.0, abs(onder)):
        return onder
    if math.isfinite(boven) and abs(waarde - boven) <= 1e-9 * max(1.0, abs(boven)):
        return boven
    return None


def _tabellen(con) -> set[str]:
    return {
        f"{s}.{t}"
        for s, t in con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    }


def _grenzen_lp(aantal: int, vergelijkingen: list[tuple[list[int], float]], onder, boven):
    """Per onbekende het kleinste en grootste dat past bij de vergelijkingen (None als onoplosbaar)."""
    a = np.zeros((len(vergelijkingen), aantal))
    b = np.zeros(len(vergelijkingen))
    for r, (idx, rechts) in enumerate(vergelijkingen):
        for i in idx:
            a[r, i] = 1.0
        b[r] = rechts
    grenzen = [(onder, None if not math.isfinite(boven) else boven)] * aantal
    uit = []
    for i in range(aantal):
        c = np.zeros(aantal)
        c[i] = 1.0
        lo = linprog(c, A_eq=a, b_eq=b, bounds=grenzen, method="highs")
        hi = linprog(-c, A_eq=a, b_eq=b, bounds=grenzen, method="highs")
        if lo.status != 0 or hi.status != 0:
            return None
        uit.append((lo.fun, -hi.fun))
    return uit


class Aanvaller:
    def __init__(self, publicatie: Path):
        con = duckdb.connect(str(publicatie), read_only=True)
        try:
            tabellen = _tabellen(con)
            self.catalogus = {
                r[0]: {"eenheid": r[1], "schaal": r[2], "methode": r[3], "minimum_n": r[4], "bron": r[5]}
                for r in con.execute(
                    "SELECT indicator_code, eenheid, schaal, intervalmethode, minimum_n, bron FROM marts.dim_indicator"
                ).fetchall()
            }
            self.jaar = {
                (g, i, j): {"teller": t, "noemer": no, "n": n, "waarde": w, "se": se, "onderdrukt": o}
                for g, i, j, t, no, n, w, se, o in con.execute(
                    "SELECT gemeentecode, indicator_code, jaar, teller, noemer, n, waarde, se, onderdrukt "
                    "FROM marts.fct_indicator_jaar"
                ).fetchall()
            }
            # vensters: (gemeente, indicator, van, tot, n, waarde, se)
            self.vensters = [
                (g, i, j - 2, j, n, w, se)
                for g, i, j, n, w, se in con.execute(
                    "SELECT gemeentecode, indicator_code, jaar, n_3jaar, waarde_3jaar, se_3jaar "
                    "FROM marts.fct_indicator_meerjarig WHERE waarde_3jaar IS NOT NULL OR n_3jaar IS NOT NULL"
                ).fetchall()
            ]
            if "marts.fct_indicator_periode" in tabellen:
                self.vensters += con.execute(
                    "SELECT gemeentecode, indicator_code, periode_van, periode_tot, n, waarde, se "
                    "FROM marts.fct_indicator_periode WHERE waarde IS NOT NULL OR n IS NOT NULL"
                ).fetchall()
            self.wijk = con.execute(
                "SELECT wijkcode, gemeentecode, indicator_code, jaar, teller, noemer, n, waarde, onderdrukt "
                "FROM marts.fct_indicator_wijk_jaar"
            ).fetchall()
            self.vergelijking = con.execute(
                "SELECT gemeentecode, jaar, indicator_code, referentie, vergelijkingsgroep, waarde, "
                "referentie_waarde, referentie_gemeenten FROM marts.fct_vergelijking"
            ).fetchall()
        finally:
            con.close()
        self.onderdrukt = {k for k, v in self.jaar.items() if v["onderdrukt"]}
        self.referentielekken: list[tuple] = []

    # ------------------------------------------------------------------ routes 1, 2 en 5: vensters
    def _vensters(self) -> list[Bewering]:
        uit: list[Bewering] = []
        per_reeks = defaultdict(list)
        for v in self.vensters:
            per_reeks[(v[0], v[1])].append(v)
        for (g, ind), vensters in per_reeks.items():
            cat = self.catalogus[ind]
            jaren = sorted(j for (gg, ii, j) in self.jaar if gg == g and ii == ind)
            verborgen = [j for j in jaren if (g, ind, j) in self.onderdrukt]
            if not verborgen:
                continue
            pos = {j: k for k, j in enumerate(verborgen)}
            onder, boven = _bereik(cat["eenheid"])
            n_verg, w_verg = [], []
            for _, _, van, tot, n, w, se in vensters:
                in_venster = [j for j in jaren if van <= j <= tot]
                idx = [pos[j] for j in in_venster if j in pos]
                if not idx:
                    continue
                bekend = [self.jaar[(g, ind, j)] for j in in_venster if j not in pos]
                if n is not None:
                    n_verg.append((idx, n - sum(b["n"] for b in bekend)))
                if w is not None:
                    # route 2: een venster op de rand van het bereik zet elk jaar erin op die rand
                    rand = _op_rand(w, onder, boven)
                    if rand is not None:
                        uit += [
                            Bewering("grens", "gemeente", g, ind, j, "waarde", rand)
                            for j in in_venster
                            if j in pos
                        ]
                    # gemiddelde van de jaarschattingen (driejaarswaarde van enquêtes en medianen)
                    w_verg.append((idx, w * len(in_venster) - sum(b["waarde"] for b in bekend)))
                    # route 5: binomiaal gepoold aandeel uit een register: N = p(1-p)/se², T = pN
                    if (
                        cat["methode"] == "wilson"
                        and cat["bron"] != "enquete"
                        and se
                        and 0 < w < cat["schaal"]
                    ):
                        p = w / cat["schaal"]
                        noemer = p * (1 - p) / (se / cat["schaal"]) ** 2
                        teller = p * noemer
                        rest_t = teller - sum(b["teller"] for b in bekend)
                        rest_n = noemer - sum(b["noemer"] for b in bekend)
                        if rest_n > 0.5:
                            verb = [j for j in in_venster if j in pos]
                            aandeel = rest_t / rest_n
                            if len(verb) == 1:
                                uit.append(
                                    Bewering(
                                        "teller-noemer",
                                        "gemeente",
                                        g,
                                        ind,
                                        verb[0],
                                        "waarde",
                                        aandeel * cat["schaal"],
                                    )
                                )
                            elif _op_rand(aandeel, 0.0, 1.0) is not None:
                                uit += [
                                    Bewering(
                                        "teller-noemer",
                                        "gemeente",
                                        g,
                                        ind,
                                        j,
                                        "waarde",
                                        round(aandeel) * cat["schaal"],
                                    )
                                    for j in verb
                                ]
            lo_n = 0 if cat["methode"] == "poisson" else 1
            for route, verg, lo, hi, grootheid in (
                ("vensters", n_verg, lo_n, cat["minimum_n"] - 1, "n"),
                ("vensters", w_verg, onder, boven, "waarde"),
            ):
                if not verg:
                    continue
                grenzen = _grenzen_lp(len(verborgen), verg, lo, hi)
                if grenzen is None:
                    continue
                for j, (a, b) in zip(verborgen, grenzen, strict=True):
                    if b - a <= TOLERANTIE * max(1.0, abs(a)):
                        uit.append(Bewering(route, "gemeente", g, ind, j, grootheid, (a + b) / 2))
        return uit

    # ------------------------------------------------------------------ route 3: gemeente tegen wijken
    def _wijken(self) -> list[Bewering]:
        uit: list[Bewering] = []
        groepen = defaultdict(list)
        for r in self.wijk:
            groepen[(r[1], r[2], r[3])].append(r)
        for (g, ind, j), rijen in groepen.items():
            gem = self.jaar.get((g, ind, j))
            if gem is None or gem["onderdrukt"]:
                continue
            cat = self.catalogus[ind]
            verb = [r for r in rijen if r[8]]
            if not verb:
                continue
            pub = [r for r in rijen if not r[8]]
            rest_n = gem["n"] - sum(r[6] for r in pub)
            rest_t = gem["teller"] - sum(r[4] for r in pub)
            rest_no = gem["noemer"] - sum(r[5] for r in pub)
            if len(verb) == 1:
                uit.append(Bewering("wijken", "wijk", verb[0][0], ind, j, "n", rest_n))
                if rest_no > 0:
                    uit.append(
                        Bewering(
                            "wijken", "wijk", verb[0][0], ind, j, "waarde", rest_t / rest_no * cat["schaal"]
                        )
                    )
                continue
            k = len(verb)
            for n_wijk in (1, cat["minimum_n"] - 1):
                if rest_n == k * n_wijk:
                    uit += [Bewering("wijken", "wijk", r[0], ind, j, "n", n_wijk) for r in verb]
            if rest_no > 0:
                onder, boven = _bereik(cat["eenheid"])
                rand = _op_rand(rest_t / rest_no * cat["schaal"], onder, boven)
                if rand is not None:
                    uit += [Bewering("wijken-grens", "wijk", r[0], ind, j, "waarde", rand) for r in verb]
        return uit

    # ------------------------------------------------------------------ route 4: referenties
    def _referenties(self) -> None:
        groepen = defaultdict(list)
        for g, j, ind, ref, groep, w, ref_w, ref_n in self.vergelijking:
            groepen[(j, ind, ref, groep)].append((g, w, ref_w, ref_n))
        for (j, ind, ref, groep), leden in groepen.items():
            gepubliceerd = [
                (self.jaar[(g, ind, j)]["noemer"], self.jaar[(g, ind, j)]["waarde"])
                for g, *_ in leden
                if (g, ind, j) in self.jaar and not self.jaar[(g, ind, j)]["onderdrukt"]
            ]
            ref_w, ref_n = leden[0][2], leden[0][3]
            if ref_w is None:
                continue
            som_n = sum(n for n, _ in gepubliceerd)
            nagerekend = sum(n * w for n, w in gepubliceerd) / som_n if som_n else None
            if ref_n is not None and ref_n > len(gepubliceerd):
                self.referentielekken.append((j, ind, ref, groep, "meer leden dan gepubliceerde cellen"))
            elif nagerekend is None or abs(nagerekend - ref_w) > 1e-9 * max(1.0, abs(ref_w)):
                self.referentielekken.append((j, ind, ref, groep, "waarde niet uit gepubliceerde cellen"))

    def aanval(self) -> list[Bewering]:
        self._referenties()
        return self._vensters() + self._wijken()


def waarheid(warehouse: Path) -> tuple[dict, dict]:
    """De cellen vóór onderdrukking (alleen voor de test): (gemeente, indicator, jaar) en (wijk, indicator, jaar)."""
    con = duckdb.connect(str(warehouse), read_only=True)

    def cellen(eenheid: str, model: str) -> dict:
        return {
            (e, i, j): (n, s * schaal if s is not None else None)
            for e, i, j, n, s, schaal in con.execute(
                f"SELECT o.{eenheid}, o.indicator_code, o.jaar, o.n, o.schatting, c.schaal "
                f"FROM intermediate.{model} AS o JOIN referentie.indicatoren AS c ON c.code = o.indicator_code"
            ).fetchall()
        }

    try:
        return (
            cellen("gemeentecode", "int_indicator_waarnemingen"),
            cellen("wijkcode", "int_enquete_schattingen_wijk"),
        )
    finally:
        con.close()


def terugrekeningen(beweringen: list[Bewering], waarheid_gemeente: dict, waarheid_wijk: dict) -> dict:
    """De beweringen die kloppen, per onderdrukte cel: {(niveau, eenheid, indicator, jaar): {routes}}."""
    uit: dict[tuple, set[str]] = defaultdict(set)
    for b in beweringen:
        bron = waarheid_gemeente if b.niveau == "gemeente" else waarheid_wijk
        echt = bron.get((b.eenheid, b.indicator_code, b.jaar))
        if echt is None:
            continue
        n, w = echt
        if b.grootheid == "n":
            klopt = n is not None and abs(n - b.waarde) < 1e-9
        else:
            klopt = w is not None and abs(w - b.waarde) <= TOLERANTIE * max(1.0, abs(w))
        if klopt:
            uit[(b.niveau, b.eenheid, b.indicator_code, b.jaar)].add(f"{b.route}:{b.grootheid}")
    return dict(uit)
