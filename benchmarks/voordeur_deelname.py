"""Benchmark van de voordeur: een grote deelname-CSV controleren en laden (tijd en piekgeheugen).

Gebruik: uv run python benchmarks/voordeur_deelname.py [--rijen 5000000] [--map /tmp/bm-voordeur]
Schrijft eerst een realistische CSV (`;`, dd-mm-jjjj, 0363-codes), verwerkt die daarna in een apart proces
via bronnen.levering en drukt een tabel af met rijen, bestandsgrootte, wandtijd en piekgeheugen (RSS).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]


ACTIVITEITEN = [
    "Taalcafé",
    "Koffieochtend",
    "Buurtmaaltijd",
    "Beweegclub 65+",
    "Huiswerkbegeleiding",
    "Repair café",
    "Inloopspreekuur",
    "Moestuin",
    "Kookclub",
    "Jongerenavond",
]
AANBIEDERS = ["Welzijn Amsterdam", "Buurtwerk Noord", "Stichting Samen", "Dynamo", "Combiwel"]


def write_csv(pad: Path, rijen: int, seed: int = 1) -> None:
    """Realistische sleutel: elke activiteit levert 120 maanden (2015-2024) in één wijk."""
    rng = np.random.default_rng(seed)
    r = np.arange(rijen)
    act = r // 120
    n_act = int(act.max()) + 1
    maand = r % 120
    jaar = 2015 + maand // 12
    mnd = maand % 12 + 1
    deelnames = rng.poisson(80, rijen)
    wijk_per_act = rng.integers(0, 99, n_act)
    naam_per_act = rng.integers(0, len(ACTIVITEITEN), n_act)
    aanbieder_per_act = rng.integers(0, len(AANBIEDERS), n_act)
    df = pl.DataFrame(
        {
            "gemeentecode": np.full(rijen, "0363"),
            "wijkcode": pl.Series([f"WK0363{w:02d}" for w in range(99)]).gather(wijk_per_act[act]),
            "activiteit_id": pl.Series([f"A{a:07d}" for a in range(n_act)]).gather(act),
            "activiteit": pl.Series(ACTIVITEITEN).gather(naam_per_act[act]),
            "aanbieder": pl.Series(AANBIEDERS).gather(aanbieder_per_act[act]),
            "jaar": jaar,
            "maand": mnd,
            "aantal_deelnames": deelnames,
            "aantal_unieke_deelnemers": (deelnames * 0.4).astype(np.int64),
        }
    )
    df = df.with_columns(
        pl.date(pl.col("jaar"), pl.col("maand"), 1).dt.strftime("%d-%m-%Y").alias("periode_start"),
        pl.date(pl.col("jaar"), pl.col("maand"), 1)
        .dt.month_end()
        .dt.strftime("%d-%m-%Y")
        .alias("periode_eind"),
    ).select(
        "gemeentecode",
        "wijkcode",
        "activiteit_id",
        "activiteit",
        "aanbieder",
        "periode_start",
        "periode_eind",
        "aantal_deelnames",
        "aantal_unieke_deelnemers",
    )
    pad.parent.mkdir(parents=True, exist_ok=True)
    df.write_csv(pad, separator=";")


def load(map_: Path) -> None:
    """Wordt in een apart proces gedraaid: de voordeur op één bestand."""
    sys.path.insert(0, str(ROOT))
    from bronnen.levering import process_inbox
    from bronnen.referentie import GemeenteRegister
    from bronnen.warehouse import connect

    con = connect(map_ / "warehouse.duckdb")
    register = GemeenteRegister.from_csv(ROOT / "dbt_project" / "seeds" / "ref_gemeenten_per_jaar.csv")
    start = time.perf_counter()
    [r] = process_inbox(
        con,
        "deelname",
        map_ / "inbox" / "deelname",
        map_ / "archief",
        map_ / "quarantaine",
        b"benchmark-sleutel-0123456789abcdef0123",
        register,
    )
    duur = time.perf_counter() - start
    con.close()
    piek = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{r.status};{r.rijen};{duur:.1f};{piek:.0f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rijen", type=int, default=5_000_000)
    p.add_argument("--map", type=Path, default=Path("/tmp/bm-voordeur"))
    p.add_argument("--laden", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.laden:
        load(args.map)
        return
    import shutil

    shutil.rmtree(args.map, ignore_errors=True)
    csv = args.map / "inbox" / "deelname" / "deelname_groot.csv"
    t0 = time.perf_counter()
    write_csv(csv, args.rijen)
    t_schrijf = time.perf_counter() - t0
    grootte = csv.stat().st_size / 2**20
    uit = (
        subprocess.run(
            [sys.executable, __file__, "--laden", "--map", str(args.map)],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    status, rijen, duur, piek = uit.split(";")
    print("| meting | waarde |")
    print("|---|---|")
    print(f"| rijen | {int(rijen):,} |".replace(",", "."))
    print(f"| bestand | {grootte:.0f} MiB (geschreven in {t_schrijf:.0f} s) |")
    print(f"| status | {status} |")
    print(f"| controleren en laden (wandtijd) | {duur} s |")
    print(f"| piekgeheugen (RSS, laadproces) | {piek} MiB |")


if __name__ == "__main__":
    main()
