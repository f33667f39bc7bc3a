"""Dezelfde inhoud in elk geaccepteerd formaat laadt tot identieke raw-rijen."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from bronnen.contracten import burgerpeiling_format
from bronnen.levering import process_inbox
from bronnen.referentie import GemeenteRegister
from bronnen.voorbeeld import write_burgerpeiling_sav
from bronnen.warehouse import connect

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
SLEUTEL = b"formaten-test-sleutel-0123456789abcdef"

KOP = [
    "gemeentecode",
    "wijkcode",
    "activiteit_id",
    "activiteit",
    "aanbieder",
    "periode_start",
    "periode_eind",
    "aantal_deelnames",
    "aantal_unieke_deelnemers",
]
RIJEN = [
    [
        "GM0363",
        "WK036300",
        "A1",
        "Taalcafé Zuidoost",
        "Welzijn Amsterdam",
        "2023-01-01",
        "2023-01-31",
        "120",
        "40",
    ],
    [
        "GM0363",
        "",
        "A2",
        "Koffie-inloop, 's ochtends",
        "Welzijn Amsterdam",
        "2023-02-01",
        "2023-02-28",
        "80",
        "",
    ],
    [
        "GM0363",
        "WK036301",
        "A3",
        "Repair Café “De Reparateur”",
        "Buurtwerk",
        "2023-03-01",
        "2023-03-31",
        "0",
        "0",
    ],
]


def _csv(rows: list[list[str]], sep: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def _nl(datum: str) -> str:
    j, m, d = datum.split("-")
    return f"{d}-{m}-{j}"


def _varianten(tmp: Path) -> dict[str, Path]:
    tmp.mkdir(parents=True, exist_ok=True)
    paden = {}
    paden["puntkomma_utf8"] = tmp / "a.csv"
    paden["puntkomma_utf8"].write_text(_csv([KOP, *RIJEN], ";"), encoding="utf-8")
    paden["komma_bom"] = tmp / "b.csv"
    paden["komma_bom"].write_bytes(b"\xef\xbb\xbf" + _csv([KOP, *RIJEN], ",").encode("utf-8"))
    # Windows-1252, tab, hoofdletters en spaties in de kop, NL-datums en codes zonder GM
    kop = [
        " GemeenteCode ",
        "Wijk",
        "Activiteit_ID",
        "Activiteit",
        "Aanbieder",
        "Van",
        "Tot",
        "Deelnames",
        "Unieke deelnemers",
    ]
    nl = [
        [
            r[0][2:].lstrip("0"),
            r[1][2:],
            r[2],
            r[3].replace("“", '"').replace("”", '"'),
            r[4],
            _nl(r[5]),
            _nl(r[6]),
            r[7],
            r[8],
        ]
        for r in RIJEN
    ]
    paden["tab_cp1252"] = tmp / "c.tsv"
    paden["tab_cp1252"].write_bytes(_csv([kop, *nl], "\t").encode("cp1252"))
    wb = Workbook()
    blad = wb.active
    blad.title = "deelname"
    blad.append(KOP)
    for r in RIJEN:
        blad.append(
            [r[0], r[1] or None, r[2], r[3], r[4], r[5], r[6], int(r[7]), int(r[8]) if r[8] else None]
        )
    paden["xlsx"] = tmp / "d.xlsx"
    wb.save(paden["xlsx"])
    paden["parquet"] = tmp / "e.parquet"
    pl.DataFrame(
        {
            **{k: [r[i] or None for r in RIJEN] for i, k in enumerate(KOP[:5])},
            "periode_start": [pl.Series([r[5] for r in RIJEN]).str.to_date()[i] for i in range(3)],
            "periode_eind": [pl.Series([r[6] for r in RIJEN]).str.to_date()[i] for i in range(3)],
            "aantal_deelnames": [int(r[7]) for r in RIJEN],
            "aantal_unieke_deelnemers": [int(r[8]) if r[8] else None for r in RIJEN],
        }
    ).write_parquet(paden["parquet"])
    return paden


def _load(tmp: Path, bron: str, pad: Path) -> list[tuple]:
    inbox = tmp / "inbox" / bron
    inbox.mkdir(parents=True)
    pad.rename(inbox / pad.name)
    con = connect(tmp / "wh.duckdb")
    register = GemeenteRegister.from_csv(SEEDS / "ref_gemeenten_per_jaar.csv")
    [r] = process_inbox(con, bron, inbox, tmp / "archief", tmp / "quarantaine", SLEUTEL, register)
    assert r.status == "geaccepteerd", r.reden
    rows = con.execute(f"SELECT * EXCLUDE (levering_id) FROM raw.{bron} ORDER BY rij").fetchall()
    con.close()
    return rows


def test_deelname_in_elk_formaat_identiek(tmp_path):
    varianten = _varianten(tmp_path / "bestanden")
    uitkomsten = {naam: _load(tmp_path / naam, "deelname", pad) for naam, pad in varianten.items()}
    # rijnummers verschillen per formaat (een kopregel telt in CSV/xlsx mee, in Parquet niet)
    zonder_rij = {naam: [r[1:] for r in rows] for naam, rows in uitkomsten.items()}
    verwacht = zonder_rij["puntkomma_utf8"]
    assert len(verwacht) == 3 and verwacht[0][0] == "GM0363"
    for naam, rows in zonder_rij.items():
        if naam == "tab_cp1252":  # cp1252 kent geen “ ”: daar staan rechte aanhalingstekens
            rows = [
                tuple(v.replace('"De Reparateur"', "“De Reparateur”") if isinstance(v, str) else v for v in r)
                for r in rows
            ]
        assert rows == verwacht, naam


@pytest.mark.parametrize("formaat", ["csv", "xlsx", "parquet"])
def test_enquete_als_sav_en_als_ander_formaat_identiek(tmp_path, formaat):
    fmt = burgerpeiling_format()["variabelen"]
    namen = [v["naam"] for v in fmt]
    basis = {n: [None, None] for n in namen}
    basis.update(
        {
            "respondent": [1.0, 2.0],
            "gemnr": [363.0, 363.0],
            "jr": [2024.0, 2024.0],
            "kw": [1.0, 4.0],
            "weging": [0.873, 1.127],
            "wijknr": ["WK036300", ""],
            "zw06_0": [1.0, 3.0],
            "zw06_3": [2.0, None],
            "wl13": [3.0, 1.0],
        }
    )
    import pandas as pd

    df = pd.DataFrame({n: basis[n] for n in namen})
    df[[n for n in namen if n != "wijknr"]] = df[[n for n in namen if n != "wijknr"]].astype(float)
    sav = tmp_path / "bp.sav"
    write_burgerpeiling_sav(df, sav)
    ander = tmp_path / f"bp.{formaat}"
    tekst = pl.from_pandas(df).with_columns(
        [pl.col(n).cast(pl.Int64).cast(pl.String) for n in namen if n not in ("wijknr", "weging")]
        + [pl.col("weging").cast(pl.String).str.replace(".", ",", literal=True)]
    )
    if formaat == "csv":
        tekst.write_csv(ander, separator=";")
    elif formaat == "xlsx":
        wb = Workbook()
        wb.active.append(namen)
        for r in tekst.rows():
            wb.active.append(list(r))
        wb.save(ander)
    else:
        pl.from_pandas(df).write_parquet(ander)
    a = _load(tmp_path / "sav", "enquete", sav)
    b = _load(tmp_path / formaat, "enquete", ander)
    assert [r[1:] for r in a] == [r[1:] for r in b]
    assert a[0][1] != "1"  # het respondentnummer is gepseudonimiseerd
