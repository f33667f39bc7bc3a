"""Geen getal van een onderdrukt cijfer in enig uitvoerbestand.

In een kopie van het warehouse krijgen alle cellen die onderdrukt worden (n onder het minimum van de catalogus)
opvallende waarden vóór onderdrukking: per jaar een andere waarde, zodat ook een driejaarsgemiddelde van drie
onderdrukte jaren er niet toevallig op uitkomt. Daarna worden de marts, de publicatie, alle rapporten (HTML, PDF,
landelijk), de werkmappen en de Parquet-bestanden opnieuw gemaakt en wordt elk bestand doorzocht: de HTML ook
na het decoderen van de CSV-downloads, de PDF's op hun tekst, werkmappen en Parquet op elke cel.
"""

from __future__ import annotations

import shutil
import urllib.parse

import duckdb
import openpyxl
import polars as pl
import pypdf

from orchestratie.dbt import run_dbt
from rapportages.exporten import export_all
from rapportages.gemeenterapport import render_all_reports
from rapportages.landelijk import render_national_report
from rapportages.opmaak import format_number
from rapportages.pdf import render_all_pdfs
from rapportages.publicatie import publish

TELLER = 654321.0


def _sentinel(jaar: int) -> float:
    return 100_000 + (jaar - 2000) ** 2 * 1_000 + 777.789


def _spellings(waarde: float) -> set[str]:
    """Elke schrijfwijze waarin een getal in een rapport of export kan staan."""
    vormen = {format_number(waarde, d) for d in range(4)}
    for d in range(4):
        vormen |= {f"{waarde:.{d}f}", f"{waarde:.{d}f}".replace(".", ",")}
    return vormen


def _plant(warehouse) -> dict[int, float]:
    con = duckdb.connect(str(warehouse))
    try:
        jaren = [
            j
            for (j,) in con.execute(
                "SELECT DISTINCT o.jaar FROM intermediate.int_indicator_waarnemingen AS o "
                "JOIN referentie.indicatoren AS i ON i.code = o.indicator_code WHERE o.n < i.minimum_n"
            ).fetchall()
        ]
        waarden = {j: _sentinel(j) for j in jaren}
        for jaar, w in waarden.items():
            con.execute(
                """
                UPDATE intermediate.int_indicator_waarnemingen AS o
                SET teller = ?, schatting = ? / i.schaal, se = ? / i.schaal,
                    ci_onder_basis = ? / i.schaal, ci_boven_basis = ? / i.schaal
                FROM referentie.indicatoren AS i
                WHERE i.code = o.indicator_code AND o.n < i.minimum_n AND o.jaar = ?
                """,
                [TELLER, w, w / 37, w - 77.7, w + 88.8, jaar],
            )
        return waarden
    finally:
        con.close()


def test_geen_onderdrukt_getal_in_enig_uitvoerbestand(keten, tmp_path):
    inst = keten[0]
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(inst.warehouse, warehouse)
    waarden = _plant(warehouse)
    assert len(waarden) >= 3, "de voorbeelddata hebben onderdrukte cijfers in meerdere jaren"
    run_dbt("run", "--select", "fct_indicator_jaar+", warehouse=warehouse, target_path=tmp_path / "target")
    publicatie = tmp_path / "publicatie.duckdb"
    publish(warehouse, publicatie)
    con = duckdb.connect(str(publicatie), read_only=True)
    onderdrukt = con.execute("SELECT count(*) FROM marts.fct_indicator_jaar WHERE onderdrukt").fetchone()[0]
    con.close()
    assert onderdrukt > 0

    uit = tmp_path / "uit"
    bestanden = [
        *render_all_reports(publicatie, uit),
        *render_all_pdfs(publicatie, uit),
        render_national_report(publicatie, uit),
        render_national_report(publicatie, uit, "GM0088"),  # Schiermonnikoog: veel onderdrukte cijfers
        *export_all(publicatie, uit / "exporten"),
    ]
    soorten = {p.suffix for p in bestanden}
    assert soorten == {".html", ".pdf", ".xlsx", ".parquet"}, soorten

    verboden_tekst = set().union(*(_spellings(w) for w in waarden.values()), _spellings(TELLER))
    # Ook de interval- en standaardfoutwaarden, als gehele getallen (in elke schrijfwijze terug te vinden).
    verboden_tekst |= {format_number(w - 77.7, 0) for w in waarden.values()}
    verboden_tekst |= {format_number(w + 88.8, 0) for w in waarden.values()}
    verboden_getallen = [*waarden.values(), TELLER, *(w - 77.7 for w in waarden.values())]
    verboden_getallen += [w + 88.8 for w in waarden.values()]

    def tekst_ok(tekst: str, waar: str) -> None:
        gevonden = sorted(v for v in verboden_tekst if v in tekst)
        assert not gevonden, f"{waar}: {gevonden}"

    def getal_ok(x: object, waar: str) -> None:
        if isinstance(x, int | float) and not isinstance(x, bool):
            assert not any(abs(x - v) < 0.5 for v in verboden_getallen), f"{waar}: {x}"
        elif isinstance(x, str):
            tekst_ok(x, waar)

    gescand = 0
    for pad in bestanden:
        if pad.suffix == ".html":
            tekst = pad.read_text(encoding="utf-8")
            tekst_ok(tekst, pad.name)
            tekst_ok(urllib.parse.unquote(tekst), pad.name + " (CSV-downloads)")
        elif pad.suffix == ".pdf":
            tekst_ok("\n".join(p.extract_text() for p in pypdf.PdfReader(pad).pages), pad.name)
        elif pad.suffix == ".xlsx":
            for blad in openpyxl.load_workbook(pad, read_only=True).worksheets:
                for rij in blad.iter_rows(values_only=True):
                    for x in rij:
                        getal_ok(x, f"{pad.name}/{blad.title}")
        else:
            df = pl.read_parquet(pad)
            for kolom in df.columns:
                for x in (
                    df.get_column(kolom).explode() if df.schema[kolom] == pl.List else df.get_column(kolom)
                ):
                    getal_ok(x, f"{pad.name}.{kolom}")
        gescand += 1
    assert gescand == len(bestanden) >= 30
