# ruff: noqa: E501 - de tabellen met testgegevens staan één rij per regel
"""Het auditrapport, tegen een klein warehouse met kwaliteitstabellen dat de test zelf opbouwt.

In het warehouse:
- deelname: geaccepteerde leveringen van GM0014 (1 maand voor `NU`), GM0363 (precies 15 maanden) en GM0307
  (20 maanden: de enige verouderde leverancier), een afgewezen levering van GM0014 met een reden waarin
  `<script>` staat en gemaskeerde voorbeeldwaarden, en een dubbele levering;
- enquete: een vervangen en een geaccepteerde levering (GM0014 en GM0307);
- regels aan de deur (fout en waarschuwing), twee martregels en één regel die nooit getoetst is;
- herkomst voor zes cijfers in 2024 en één in 2023.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from rapportages.auditrapport import (
    OnvolledigWarehouse,
    monthly_failures,
    months_between,
    read_quality,
    render_audit_report,
)

NU = datetime(2026, 11, 15, 12, 0, 0)
SCRIPT_REDEN = "Kolom deelnemer_id bevat <script>alert('x')</script> en lege waarden."

DDL = (
    """CREATE TABLE kwaliteit.leveringen (
        levering_id VARCHAR PRIMARY KEY, bron VARCHAR NOT NULL, bestandsnaam VARCHAR NOT NULL, formaat VARCHAR,
        sha256 VARCHAR NOT NULL, ontvangen_op TIMESTAMP NOT NULL, rijen BIGINT, status VARCHAR NOT NULL,
        reden VARCHAR, vervangt VARCHAR, leveringssleutel VARCHAR, gemeentecodes VARCHAR[],
        periode_start DATE, periode_eind DATE)""",
    """CREATE TABLE kwaliteit.regels (
        regel_id VARCHAR PRIMARY KEY, laag VARCHAR NOT NULL, object VARCHAR NOT NULL, kolom VARCHAR,
        soort VARCHAR NOT NULL, ernst VARCHAR NOT NULL, toelichting VARCHAR NOT NULL)""",
    """CREATE TABLE kwaliteit.validaties (
        validatie_id VARCHAR PRIMARY KEY, run_id VARCHAR NOT NULL, regel_id VARCHAR NOT NULL, laag VARCHAR NOT NULL,
        object VARCHAR NOT NULL, moment TIMESTAMP NOT NULL, ernst VARCHAR NOT NULL, geslaagd BOOLEAN NOT NULL,
        getoetst BIGINT NOT NULL, afwijkend BIGINT NOT NULL)""",
    """CREATE TABLE kwaliteit.afwijkingen (
        validatie_id VARCHAR NOT NULL, regel_id VARCHAR NOT NULL, object VARCHAR NOT NULL, rij BIGINT,
        kolom VARCHAR, waarde VARCHAR)""",
    """CREATE TABLE kwaliteit.herkomst (
        gemeentecode VARCHAR, jaar INTEGER, indicator_code VARCHAR, levering_id VARCHAR, bron VARCHAR,
        bestandsnaam VARCHAR, sha256 VARCHAR, ontvangen_op TIMESTAMP)""",
)


def _sha(tekst: str) -> str:
    return hashlib.sha256(tekst.encode()).hexdigest()


# levering_id, bron, bestandsnaam, ontvangen_op, rijen, status, reden, vervangt, gemeentecodes
LEVERINGEN = [
    ("dl-14", "deelname", "deelname_GM0014_2026.csv", datetime(2026, 10, 1, 9, 0), 1200, "geaccepteerd", None, None, ["GM0014"]),
    ("dl-307", "deelname", "deelname_GM0307_2024.csv", datetime(2025, 3, 10, 9, 0), 300, "geaccepteerd", None, None, ["GM0307"]),
    ("dl-363", "deelname", "deelname_GM0363_2024.csv", datetime(2025, 8, 15, 9, 0), 40, "geaccepteerd", None, None, ["GM0363"]),
    ("dl-af", "deelname", "deelname_GM0014_fout.csv", datetime(2026, 10, 5, 14, 30), 50, "afgewezen", SCRIPT_REDEN, None, ["GM0014"]),
    ("dl-dub", "deelname", "deelname_GM0014_2026_kopie.csv", datetime(2026, 10, 6, 8, 0), 1200, "dubbel", "Zelfde inhoud als deelname_GM0014_2026.csv.", None, ["GM0014"]),
    ("en-oud", "enquete", "burgerpeiling_2025_v1.sav", datetime(2026, 1, 10, 10, 0), 800, "vervangen", None, None, ["GM0014", "GM0307"]),
    ("en-nieuw", "enquete", "burgerpeiling_2025_v2.sav", datetime(2026, 6, 1, 10, 0), 810, "geaccepteerd", None, "en-oud", ["GM0014", "GM0307"]),
]  # fmt: skip

REGELS = [
    ("deelname.deelnemer_id.patroon", "voordeur", "deelname", "deelnemer_id", "patroon", "fout", "Het deelnemernummer heeft niet het juiste formaat."),
    ("deelname.aantal.bereik", "voordeur", "deelname", "aantal", "bereik", "fout", "De waarde in kolom 'aantal' valt buiten het bereik."),
    ("deelname.aantal.aannemelijk", "voordeur", "deelname", "aantal", "aannemelijk", "waarschuwing", "Meer dan 20.000 deelnames in één rij is ongebruikelijk."),
    ("enquete.weging.bereik", "voordeur", "enquete", "weging", "bereik", "fout", "De weegfactor valt buiten het bereik."),
    ("marts.fct_indicator_jaar.sleutel_uniek", "mart", "marts.fct_indicator_jaar", None, "ExpectCompoundColumnsToBeUnique", "fout", "Eén cijfer per gemeente, jaar en indicator."),
    ("marts.fct_indicator_jaar.weinig_onderdrukt", "mart", "marts.fct_indicator_jaar", "onderdrukt", "ExpectColumnValuesToBeInSet", "waarschuwing", "Meer dan een kwart van de cijfers onderdrukt."),
]  # fmt: skip

# validatie_id, run_id, regel_id, object, moment, geslaagd, getoetst, afwijkend (laag en ernst volgen uit de regel)
VALIDATIES = [
    ("v-307-1", "r0", "deelname.deelnemer_id.patroon", "dl-307", datetime(2025, 3, 10, 9, 1), True, 300, 0),
    ("v-307-2", "r0", "deelname.aantal.bereik", "dl-307", datetime(2025, 3, 10, 9, 1), True, 300, 0),
    ("v-307-3", "r0", "deelname.aantal.aannemelijk", "dl-307", datetime(2025, 3, 10, 9, 1), True, 300, 0),
    ("v-m1-1", "r1", "marts.fct_indicator_jaar.sleutel_uniek", "marts.fct_indicator_jaar", datetime(2026, 9, 20, 3, 0), True, 900, 0),
    ("v-m1-2", "r1", "marts.fct_indicator_jaar.weinig_onderdrukt", "marts.fct_indicator_jaar", datetime(2026, 9, 20, 3, 0), False, 900, 260),
    ("v-14-1", "r2", "deelname.deelnemer_id.patroon", "dl-14", datetime(2026, 10, 1, 9, 1), True, 1200, 0),
    ("v-14-2", "r2", "deelname.aantal.bereik", "dl-14", datetime(2026, 10, 1, 9, 1), True, 1200, 0),
    ("v-14-3", "r2", "deelname.aantal.aannemelijk", "dl-14", datetime(2026, 10, 1, 9, 1), True, 1200, 0),
    ("v-af-1", "r3", "deelname.deelnemer_id.patroon", "dl-af", datetime(2026, 10, 5, 14, 31), False, 50, 3),
    ("v-af-2", "r3", "deelname.aantal.bereik", "dl-af", datetime(2026, 10, 5, 14, 31), False, 50, 1),
    ("v-af-3", "r3", "deelname.aantal.aannemelijk", "dl-af", datetime(2026, 10, 5, 14, 31), False, 50, 2),
    ("v-m2-1", "r4", "marts.fct_indicator_jaar.sleutel_uniek", "marts.fct_indicator_jaar", datetime(2026, 11, 2, 3, 0), False, 910, 2),
    ("v-m2-2", "r4", "marts.fct_indicator_jaar.weinig_onderdrukt", "marts.fct_indicator_jaar", datetime(2026, 11, 2, 3, 0), False, 910, 250),
]  # fmt: skip

AFWIJKINGEN = [
    ("v-af-1", "deelname.deelnemer_id.patroon", "dl-af", 4, "deelnemer_id", "***"),
    ("v-af-1", "deelname.deelnemer_id.patroon", "dl-af", 9, "deelnemer_id", "***"),
    ("v-af-1", "deelname.deelnemer_id.patroon", "dl-af", 17, "deelnemer_id", "***"),
    ("v-af-2", "deelname.aantal.bereik", "dl-af", 12, "aantal", "-5"),
    ("v-af-3", "deelname.aantal.aannemelijk", "dl-af", 30, "aantal", "25017"),
    (
        "v-m1-2",
        "marts.fct_indicator_jaar.weinig_onderdrukt",
        "marts.fct_indicator_jaar",
        7,
        "onderdrukt",
        "True",
    ),
]

# gemeentecode, jaar, indicator_code, levering_ids
HERKOMST = [
    ("GM0001", 2023, "a_deelnames", ["dl-14"]),
    ("GM0014", 2024, "a_deelnames", ["dl-14", "en-nieuw"]),
    ("GM0014", 2024, "b_mantelzorg", ["en-nieuw"]),
    ("GM0307", 2024, "a_deelnames", ["dl-307"]),
    ("GM0307", 2024, "b_mantelzorg", ["en-nieuw"]),
    ("GM0363", 2024, "a_deelnames", ["dl-363"]),
    ("GM0363", 2024, "z_laatste", ["dl-363"]),
]


def maak_warehouse(pad: Path, zonder: str | None = None) -> Path:
    regels = {r[0]: r for r in REGELS}
    levering = {lv[0]: lv for lv in LEVERINGEN}
    con = duckdb.connect(str(pad))
    try:
        con.execute("CREATE SCHEMA kwaliteit")
        for ddl in DDL:
            if zonder is None or f"kwaliteit.{zonder} " not in ddl:
                con.execute(ddl)
        con.executemany(
            "INSERT INTO kwaliteit.leveringen VALUES (?, ?, ?, 'csv', ?, ?, ?, ?, ?, ?, NULL, ?, NULL, NULL)",
            [(i, b, n, _sha(i), o, r, s, re, v, g) for i, b, n, o, r, s, re, v, g in LEVERINGEN],
        )
        con.executemany("INSERT INTO kwaliteit.regels VALUES (?, ?, ?, ?, ?, ?, ?)", REGELS)
        con.executemany(
            "INSERT INTO kwaliteit.validaties VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (v, run, r, regels[r][1], o, m, regels[r][5], g, t, a)
                for v, run, r, o, m, g, t, a in VALIDATIES
            ],
        )
        con.executemany("INSERT INTO kwaliteit.afwijkingen VALUES (?, ?, ?, ?, ?, ?)", AFWIJKINGEN)
        if zonder != "herkomst":
            con.executemany(
                "INSERT INTO kwaliteit.herkomst VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (g, j, i, lid, levering[lid][1], levering[lid][2], _sha(lid), levering[lid][3])
                    for g, j, i, ids in HERKOMST
                    for lid in ids
                ],
            )
    finally:
        con.close()
    return pad


@pytest.fixture
def warehouse(tmp_path) -> Path:
    return maak_warehouse(tmp_path / "warehouse.duckdb")


@pytest.fixture
def rapport(warehouse, tmp_path) -> str:
    return render_audit_report(warehouse, tmp_path / "uit", nu=NU).read_text(encoding="utf-8")


def _sectie(html: str, sectie_id: str) -> str:
    m = re.search(rf'<section id="{sectie_id}">(.*?)</section>', html, re.S)
    assert m, f"sectie {sectie_id} ontbreekt"
    return m.group(1)


def _rij(html: str, attribuut: str, waarde: str) -> str:
    m = re.search(rf'<tr[^>]*{attribuut}="{re.escape(waarde)}"[^>]*>(.*?)</tr>', html, re.S)
    assert m, f"rij {attribuut}={waarde} ontbreekt"
    return m.group(1)


def _cel(rij: str, attribuut: str, waarde: str) -> str:
    m = re.search(rf'<td[^>]*{attribuut}="{re.escape(waarde)}"[^>]*>(.*?)</td>', rij, re.S)
    assert m, f"cel {attribuut}={waarde} ontbreekt"
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


def test_sections_and_intro_present(rapport):
    assert '<html lang="nl">' in rapport
    assert "Hoe te lezen" in rapport
    assert "Gemaakt op 15 november 2026 om 12:00" in rapport
    for sectie in ("samenvatting", "afgewezen", "regels", "versheid", "herkomst"):
        _sectie(rapport, sectie)
    voet = re.search(r"<footer>(.*?)</footer>", rapport, re.S).group(1)
    assert "<a " not in voet and "15 november 2026" in voet


def test_summary_counts_per_source_and_status(rapport):
    s = _sectie(rapport, "samenvatting")
    deelname = _rij(s, "data-bron", "deelname")
    assert [
        _cel(deelname, "data-status", st)
        for st in ("geaccepteerd", "afgewezen", "dubbel", "vervangen", "totaal")
    ] == [
        "3",
        "1",
        "1",
        "0",
        "5",
    ]
    enquete = _rij(s, "data-bron", "enquete")
    assert _cel(enquete, "data-status", "geaccepteerd") == "1"
    assert _cel(enquete, "data-status", "vervangen") == "1"
    totaal = _rij(s, "data-bron", "totaal")
    assert _cel(totaal, "data-status", "totaal") == "7"
    # Rijen in Nederlandse notatie: alle leveringen samen, en alleen de geaccepteerde.
    assert "4.400" in totaal and "2.350" in totaal
    assert (
        "7 leveringen ontvangen van 10 maart 2025 tot en met 5 oktober 2026" not in s
    )  # laatste is 6 oktober
    assert "7 leveringen ontvangen van 10 maart 2025 tot en met 6 oktober 2026." in s
    # Dubbel en vervangen, met de reden of de opvolger.
    assert "Zelfde inhoud als deelname_GM0014_2026.csv." in s
    assert "vervangen door burgerpeiling_2025_v2.sav" in s


def test_rejected_delivery_with_escaped_reason_failed_rules_and_masked_examples(rapport):
    s = _sectie(rapport, "afgewezen")
    assert "1 levering in quarantaine" in s
    assert "deelname_GM0014_fout.csv" in s and "05-10-2026 14:30" in s
    # De reden is ge-escaped: geen werkend script, wel de tekst.
    assert "<script" not in rapport
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in s
    patroon = _rij(s, "data-regel", "deelname.deelnemer_id.patroon")
    assert "Het deelnemernummer heeft niet het juiste formaat." in patroon
    assert patroon.count('<code class="waarde">***</code>') == 3
    assert re.search(r'class="getal">3</td>', patroon)
    bereik = _rij(s, "data-regel", "deelname.aantal.bereik")
    assert 'rij 12 · aantal · <code class="waarde">-5</code>' in bereik
    # Alleen regels met ernst fout; de waarschuwing op dezelfde levering staat er niet als reden.
    assert "deelname.aantal.aannemelijk" not in s
    assert "25017" not in rapport


def test_rules_counts_last_result_and_warning_distinct(rapport):
    s = _sectie(rapport, "regels")
    sleutel = _rij(s, "data-regel", "marts.fct_indicator_jaar.sleutel_uniek")
    assert [_cel(sleutel, "data-veld", v) for v in ("getoetst", "geslaagd", "gefaald")] == ["2", "1", "1"]
    assert _cel(sleutel, "data-veld", "laatste").startswith("✗ niet geslaagd")
    assert "02-11-2026 03:00" in _cel(sleutel, "data-veld", "laatste")
    patroon = _rij(s, "data-regel", "deelname.deelnemer_id.patroon")
    assert [_cel(patroon, "data-veld", v) for v in ("getoetst", "geslaagd", "gefaald")] == ["3", "2", "1"]
    assert _cel(_rij(s, "data-regel", "enquete.weging.bereik"), "data-veld", "laatste") == "niet getoetst"
    # Een waarschuwing is als waarschuwing gemarkeerd (eigen klasse en label), niet als fout.
    m = re.search(r'<tr class="regel-(\w+)" data-regel="marts.fct_indicator_jaar.weinig_onderdrukt"', s)
    assert m and m.group(1) == "waarschuwing"
    assert '<span class="ernst ernst-waarschuwing">waarschuwing</span>' in _rij(
        s, "data-regel", "marts.fct_indicator_jaar.weinig_onderdrukt"
    )
    # De laatste toetsing per regel: de martregel faalde in de laatste run, de deurregels op de afgewezen levering.
    zin = re.search(r"Bij de laatste toetsing hielden deze foutregels niet: (.*?)\.\s", s, re.S).group(1)
    assert re.findall(r"<code>([^<]+)</code>", zin) == [
        "deelname.aantal.bereik",
        "deelname.deelnemer_id.patroon",
        "marts.fct_indicator_jaar.sleutel_uniek",
    ]
    assert "Waarschuwingen bij de laatste toetsing: <code>deelname.aantal.aannemelijk</code>, " in s
    assert "6 regels (4 met ernst fout, 2 waarschuwingen), 13 toetsingen in 5 runs" in s
    assert "1 regel is (nog) niet getoetst." in s


def test_failures_over_time_table_and_chart(rapport):
    s = _sectie(rapport, "regels")
    # De tabel: de maanden met toetsingen (de grafiek loopt door over de maanden ertussen).
    maanden = re.findall(r'<tr><th scope="row">(\w+ \d{4})</th>', s)
    assert maanden == ["maart 2025", "september 2026", "oktober 2026", "november 2026"]
    assert "21 maanden van maart 2025 tot en met november 2026" in s
    oktober = _rij(
        s.replace('<tr><th scope="row">oktober 2026', '<tr data-maand="okt"><th>'), "data-maand", "okt"
    )
    assert _cel(oktober, "data-ernst", "fout") == "2" and _cel(oktober, "data-ernst", "waarschuwing") == "1"
    svg = re.search(r"<svg.*?</svg>", s, re.S).group(0)
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "in totaal 3 niet geslaagd met ernst fout en 3 met ernst waarschuwing" in svg
    # Fout en waarschuwing verschillen in kleur (Okabe–Ito) én in vulling (arcering).
    fout = re.findall(r'<rect[^>]*data-ernst="fout"', svg)
    waarschuwing = re.findall(r'<rect[^>]*data-ernst="waarschuwing"', svg)
    assert len(fout) == 2 and len(waarschuwing) == 3
    assert all('fill="#D55E00"' in r for r in fout)
    assert all('fill="url(#' in r for r in waarschuwing)


def test_monthly_failures_fills_gaps():
    import polars as pl

    df = pl.DataFrame(
        {
            "moment": [datetime(2025, 11, 3), datetime(2026, 2, 1)],
            "ernst": ["fout", "waarschuwing"],
            "geslaagd": [False, False],
        }
    )
    uit = monthly_failures(df)
    assert [m["maand"] for m in uit] == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert [(m["fout"], m["waarschuwing"]) for m in uit] == [(1, 0), (0, 0), (0, 0), (0, 1)]


def test_freshness_flags_only_the_stale_supplier(rapport):
    s = _sectie(rapport, "versheid")
    gm0307 = _rij(s, "data-gemeente", "GM0307")
    assert 'data-verouderd="ja"' in re.search(r'<tr[^>]*data-gemeente="GM0307"[^>]*>', s).group(0)
    assert "10-03-2025 (20 mnd)" in _cel(gm0307, "data-bron", "deelname")
    assert "⚠ verouderd" in _cel(gm0307, "data-bron", "deelname")
    assert "⚠" not in _cel(gm0307, "data-bron", "enquete")
    for code in ("GM0014", "GM0363"):  # GM0363: precies 15 maanden, nog niet verouderd
        assert "data-verouderd" not in re.search(rf'<tr[^>]*data-gemeente="{code}"[^>]*>', s).group(0)
        assert "⚠" not in _rij(s, "data-gemeente", code)
    assert "(15 mnd)" in _rij(s, "data-gemeente", "GM0363")
    assert "Verouderd: de leverancier GM0307 (deelname)." in s
    # Per bron is niets verouderd: deelname kwam een maand geleden nog binnen.
    per_bron = s.split("Per leverancier")[0]
    assert "⚠ verouderd</span>:" not in per_bron
    assert s.count("⚠ verouderd") == 2  # uitleg + de ene cel


def test_months_between():
    assert months_between(datetime(2025, 3, 10), NU) == 20
    assert months_between(datetime(2025, 8, 15), NU) == 15
    assert months_between(datetime(2025, 8, 16), NU) == 14
    assert months_between(datetime(2026, 11, 15), NU) == 0


def test_lineage_example_and_query(rapport):
    s = _sectie(rapport, "herkomst")
    assert "FROM kwaliteit.herkomst" in s and "indicator_code = &#39;i_deelnames_per_1000&#39;" in s
    assert "7 cijfers uit 4 leveringen" in s
    cijfers = re.findall(r'data-cijfer="([^"]+)"', s)
    assert cijfers == [
        "GM0014|2024|a_deelnames",
        "GM0014|2024|b_mantelzorg",
        "GM0307|2024|a_deelnames",
        "GM0307|2024|b_mantelzorg",
        "GM0363|2024|a_deelnames",
    ]
    blok = s.split('data-cijfer="GM0014|2024|a_deelnames"')[1].split("data-cijfer=")[0]
    assert "deelname_GM0014_2026.csv" in blok and "burgerpeiling_2025_v2.sav" in blok
    assert "01-10-2026 09:00" in blok
    volledig = _sha("dl-14")
    assert f'title="{volledig}">{volledig[:12]}…<' in blok
    assert volledig not in re.sub(r'title="[0-9a-f]{64}"', "", blok)


def test_no_network_resources(rapport):
    verwijzingen = re.findall(r'\b(?:src|href)\s*=\s*["\']([^"\']*)', rapport)
    assert not [v for v in verwijzingen if re.match(r"\s*(https?:)?//", v)]
    assert "<link" not in rapport and "<script" not in rapport and "@import" not in rapport
    assert "url(http" not in rapport


def test_writes_atomically_and_keeps_twenty_copies(warehouse, tmp_path):
    uit = tmp_path / "uit"
    for i in range(22):
        pad = render_audit_report(warehouse, uit, nu=NU + timedelta(seconds=i))
    assert pad == uit / "auditrapport.html"
    kopieen = sorted(p.name for p in uit.glob("auditrapport_*.html"))
    assert len(kopieen) == 20
    assert kopieen[0] == "auditrapport_20261115-120002.html"
    assert kopieen[-1] == "auditrapport_20261115-120021.html"
    assert (uit / kopieen[-1]).read_text(encoding="utf-8") == pad.read_text(encoding="utf-8")
    assert not [p for p in uit.iterdir() if p.name.startswith(".")]  # geen tijdelijke bestanden achter
    (uit / "notities.html").write_text("blijft", encoding="utf-8")
    render_audit_report(warehouse, uit, nu=NU + timedelta(minutes=5))
    assert (uit / "notities.html").exists()


def test_warehouse_is_not_changed(warehouse, tmp_path):
    voor = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    render_audit_report(warehouse, tmp_path / "uit", nu=NU)
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == voor


@pytest.mark.parametrize("tabel", ["herkomst", "validaties"])
def test_missing_quality_table_gives_dutch_error(tmp_path, tabel):
    pad = maak_warehouse(tmp_path / "oud.duckdb", zonder=tabel) if tabel == "herkomst" else None
    if pad is None:
        pad = maak_warehouse(tmp_path / "oud.duckdb")
        con = duckdb.connect(str(pad))
        con.execute(f"DROP TABLE kwaliteit.{tabel}")
        con.close()
    with pytest.raises(OnvolledigWarehouse, match=rf"de tabel kwaliteit\.{tabel} ontbreekt") as e:
        render_audit_report(pad, tmp_path / "uit", nu=NU)
    assert isinstance(e.value, ValueError)
    assert not (tmp_path / "uit" / "auditrapport.html").exists()


def test_missing_column_gives_dutch_error(warehouse, tmp_path):
    con = duckdb.connect(str(warehouse))
    con.execute("ALTER TABLE kwaliteit.leveringen DROP COLUMN gemeentecodes")
    con.close()
    with pytest.raises(OnvolledigWarehouse, match="in kwaliteit.leveringen ontbreekt de kolom gemeentecodes"):
        read_quality(warehouse)


def test_missing_warehouse_gives_dutch_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="Het warehouse .* bestaat niet"):
        render_audit_report(tmp_path / "nergens.duckdb", tmp_path / "uit", nu=NU)


def test_empty_warehouse_renders_with_explanations(tmp_path):
    pad = tmp_path / "leeg.duckdb"
    con = duckdb.connect(str(pad))
    con.execute("CREATE SCHEMA kwaliteit")
    for ddl in DDL:
        con.execute(ddl)
    con.close()
    html = render_audit_report(pad, tmp_path / "uit", nu=NU).read_text(encoding="utf-8")
    assert "Er zijn nog geen leveringen ontvangen." in html
    assert "Er zijn geen leveringen afgewezen." in html
    assert "Er zijn nog geen toetsingen vastgelegd." in html
    assert "Er staan nog geen cijfers in" in html
