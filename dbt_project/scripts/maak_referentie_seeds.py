"""Leidt de referentie-seeds af uit de CBS-bestanden in ../shared/referentie (ontwikkelgereedschap).

Gebruik: uv run python dbt_project/scripts/maak_referentie_seeds.py [pad/naar/referentie]
De uitkomst (dbt_project/seeds/ref_*.csv) wordt in git bewaard; Basismonitor leest de CBS-bestanden
nooit tijdens het draaien. Bron: CBS (CC BY 4.0).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# Herindelingen die uit de jaarlijsten 2021, 2022 en 2023 blijken, met de officiële ingangsdatum.
# Samenvoegingen: het hele grondgebied gaat over (aandeel_bevolking = 1).
HERINDELINGEN = [
    ("GM0370", "GM0439", "2022-01-01"),  # Beemster -> Purmerend
    ("GM0756", "GM1982", "2022-01-01"),  # Boxmeer -> Land van Cuijk
    ("GM1684", "GM1982", "2022-01-01"),  # Cuijk -> Land van Cuijk
    ("GM0786", "GM1982", "2022-01-01"),  # Grave -> Land van Cuijk
    ("GM0815", "GM1982", "2022-01-01"),  # Mill en Sint Hubert -> Land van Cuijk
    ("GM1702", "GM1982", "2022-01-01"),  # Sint Anthonis -> Land van Cuijk
    ("GM0398", "GM1980", "2022-01-01"),  # Heerhugowaard -> Dijk en Waard
    ("GM0416", "GM1980", "2022-01-01"),  # Langedijk -> Dijk en Waard
    ("GM1685", "GM1991", "2022-01-01"),  # Landerd -> Maashorst
    ("GM0856", "GM1991", "2022-01-01"),  # Uden -> Maashorst
    ("GM0457", "GM0363", "2022-03-24"),  # Weesp -> Amsterdam
    ("GM0501", "GM1992", "2023-01-01"),  # Brielle -> Voorne aan Zee
    ("GM0530", "GM1992", "2023-01-01"),  # Hellevoetsluis -> Voorne aan Zee
    ("GM0614", "GM1992", "2023-01-01"),  # Westvoorne -> Voorne aan Zee
]

GROOTTE_KLASSEN = [  # (ondergrens inwoners, omschrijving) volgens CBS-gemeentegrootteklasse
    (250_000, "250 000 inwoners of meer"),
    (150_000, "150 000 tot 250 000 inwoners"),
    (100_000, "100 000 tot 150 000 inwoners"),
    (50_000, "50 000 tot 100 000 inwoners"),
    (20_000, "20 000 tot 50 000 inwoners"),
    (10_000, "10 000 tot 20 000 inwoners"),
    (5_000, "5 000 tot 10 000 inwoners"),
    (0, "minder dan 5 000 inwoners"),
]
STEDELIJKHEID = [  # (ondergrens omgevingsadressendichtheid, code, omschrijving) volgens CBS
    (2500, 1, "Zeer sterk stedelijk"),
    (1500, 2, "Sterk stedelijk"),
    (1000, 3, "Matig stedelijk"),
    (500, 4, "Weinig stedelijk"),
    (0, 5, "Niet stedelijk"),
]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


def _write(name: str, header: list[str], rows: list[list]) -> None:
    with (SEEDS / name).open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(f"{name}: {len(rows)} rijen")


def main(ref: Path) -> None:
    g2021 = _read(ref / "cbs_gemeenten_alfabetisch_2021.csv")
    g2023 = _read(ref / "cbs_gemeenten_alfabetisch_2023.csv")
    gebieden = _read(ref / "cbs_85067NED_gebieden_in_nederland_2022.csv")

    rows = []
    for r in g2021:
        rows.append([2021, r["GemeentecodeGM"], r["Gemeentenaam"], r["Provincienaam"]])
    for r in gebieden:
        rows.append([2022, r["RegioS"], r["Naam_2"], r["Naam_29"]])
    for jaar in (2023, 2024, 2025):
        for r in g2023:
            rows.append([jaar, r["GemeentecodeGM"], r["Gemeentenaam"], r["Provincienaam"]])
    _write("ref_gemeenten_per_jaar.csv", ["jaar", "gemeentecode", "gemeentenaam", "provincie"], rows)

    _write(
        "ref_herindelingen.csv",
        ["oude_gemeentecode", "nieuwe_gemeentecode", "ingangsdatum", "aandeel_bevolking"],
        [[o, n, d, 1.0] for o, n, d in HERINDELINGEN],
    )

    # Bevolking en klassen 2022 (CBS 85067NED).
    klassen = {}
    for r in gebieden:
        klassen[r["RegioS"]] = {
            "inwoners": int(r["Inwonertal_54"]),
            "dichtheid": int(r["Omgevingsadressendichtheid_55"] or 0),
            "grootte_code": int(r["Code_50"]),
            "grootte": r["Omschrijving_51"],
            "sted_code": int(r["Code_52"]),
            "sted": r["Omschrijving_53"],
        }
    _write(
        "ref_bevolking_2022.csv",
        ["gemeentecode", "jaar", "inwoners"],
        [[code, 2022, k["inwoners"]] for code, k in sorted(klassen.items())],
    )

    # Klassen voor de huidige kaart (2023-2025). Een gemeente die na 1-1-2022 is ontstaan krijgt de
    # klassen die CBS' regels geven voor de opgetelde inwoners en de inwonergewogen adressendichtheid.
    oud_naar_nieuw: dict[str, list[str]] = {}
    for o, n, d in HERINDELINGEN:
        if d > "2022-01-01":
            oud_naar_nieuw.setdefault(n, []).append(o)
    out = []
    for r in g2023:
        code = r["GemeentecodeGM"]
        delen = [code] + oud_naar_nieuw.get(code, [])
        delen = [d for d in delen if d in klassen]
        inw = sum(klassen[d]["inwoners"] for d in delen)
        dichtheid = round(sum(klassen[d]["dichtheid"] * klassen[d]["inwoners"] for d in delen) / inw)
        if code in klassen and len(delen) == 1:
            k = klassen[code]
            gcode, gomschr, scode, somschr = k["grootte_code"], k["grootte"], k["sted_code"], k["sted"]
        else:
            gi = next(i for i, (grens, _) in enumerate(GROOTTE_KLASSEN) if inw >= grens)
            gcode, gomschr = 8 - gi, GROOTTE_KLASSEN[gi][1]
            _, scode, somschr = next(s for s in STEDELIJKHEID if dichtheid >= s[0])
        out.append(
            [code, r["Gemeentenaam"], r["Provincienaam"], gcode, gomschr, scode, somschr, inw, dichtheid]
        )
    _write(
        "ref_gemeenten.csv",
        [
            "gemeentecode",
            "gemeentenaam",
            "provincie",
            "gemeentegrootte_code",
            "gemeentegrootte",
            "stedelijkheid_code",
            "stedelijkheid",
            "inwoners_2022",
            "omgevingsadressendichtheid_2022",
        ],
        out,
    )

    wijken = []
    for r in _read(ref / "cbs_85318NED_wijken_en_buurten_2022_codes.csv"):
        if r["Key"].startswith("WK"):
            wijken.append([r["Key"], r["Title"], r["Municipality"]])
    _write("ref_wijken.csv", ["wijkcode", "wijknaam", "gemeentecode"], wijken)


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[3] / "shared" / "referentie"
    )
