"""Het auditrapport: één zelfstandig HTML-bestand per run, in het Nederlands, voor wie de keten controleert.

Het rapport beantwoordt zonder tussenkomst van het datateam: wat er binnenkwam, wat er werd geweigerd en
waarom, welke kwaliteitsregels hielden (en hoe dat in de tijd veranderde), hoe vers de gegevens per bron en
per leverancier (gemeente) zijn, en uit welke leveringen een gepubliceerd cijfer komt (`kwaliteit.herkomst`).

Het leest het schema `kwaliteit` van het warehouse alleen-lezen (`leveringen`, `regels`, `validaties`,
`afwijkingen`, `herkomst`) en rekent geen indicatoren uit. Voorbeeldwaarden in `kwaliteit.afwijkingen` zijn al
gemaskeerd ("***") en blijven dat. Het rapport komt in `<uitvoer_map>/auditrapport.html`, met daarnaast een
kopie per run (`auditrapport_<JJJJMMDD-UUMMSS>.html`); de nieuwste twintig kopieën blijven bewaard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
from markupsafe import Markup, escape

from rapportages.grafieken import (
    GRIJS_RASTER,
    GRIJS_TEKST,
    LETTERTYPE,
    VERMILJOEN,
    fmt,
    nice_ticks,
    text_width,
)
from rapportages.opmaak import LEEG, MAANDEN, format_count, format_date, format_short_date, join_dutch
from rapportages.publicatielezer import require_tables, table_columns
from rapportages.schrijven import template_environment, write_text_atomic

STATUSSEN = ("geaccepteerd", "afgewezen", "dubbel", "vervangen")
VERSHEID_MAANDEN = 15  # langer geen geaccepteerde levering: gemarkeerd
MAX_KOPIEEN = 20  # kopieën per run die bewaard blijven
MAX_VOORBEELDEN = 5  # voorbeeldrijen per afgewezen regel in het rapport
HERKOMST_VOORBEELDEN = 5  # cijfers in het uitgewerkte herkomstvoorbeeld
ORANJE = "#E69F00"  # Okabe–Ito; waarschuwingen (fout is vermiljoen)

VEREISTE_TABELLEN: dict[str, tuple[str, ...]] = {
    "kwaliteit.leveringen": (
        "levering_id",
        "bron",
        "bestandsnaam",
        "sha256",
        "ontvangen_op",
        "rijen",
        "status",
        "reden",
        "vervangt",
        "gemeentecodes",
    ),
    "kwaliteit.regels": ("regel_id", "laag", "object", "kolom", "ernst", "toelichting"),
    "kwaliteit.validaties": (
        "validatie_id",
        "run_id",
        "regel_id",
        "object",
        "moment",
        "ernst",
        "geslaagd",
        "getoetst",
        "afwijkend",
    ),
    "kwaliteit.afwijkingen": ("validatie_id", "regel_id", "object", "rij", "kolom", "waarde"),
    "kwaliteit.herkomst": (
        "gemeentecode",
        "jaar",
        "indicator_code",
        "levering_id",
        "bron",
        "bestandsnaam",
        "sha256",
        "ontvangen_op",
    ),
}

HERKOMST_SQL = """SELECT bron, bestandsnaam, sha256, ontvangen_op
FROM kwaliteit.herkomst
WHERE gemeentecode = 'GM1992'
  AND jaar = 2020
  AND indicator_code = 'i_deelnames_per_1000'
ORDER BY ontvangen_op;"""

_KOPIE = re.compile(r"^auditrapport_\d{8}-\d{6}\.html$")


class OnvolledigWarehouse(ValueError):
    """Het warehouse mist een kwaliteitstabel of -kolom die het auditrapport nodig heeft."""


@dataclass(frozen=True)
class Kwaliteitsgegevens:
    """Wat het auditrapport uit het warehouse leest (Polars)."""

    leveringen: pl.DataFrame
    regels: pl.DataFrame
    validaties: pl.DataFrame
    afwijkingen: pl.DataFrame  # alleen van afgewezen leveringen
    herkomst_voorbeeld: pl.DataFrame
    herkomst_cijfers: int
    herkomst_leveringen: int


# ------------------------------------------------------------------------------------------------ lezen


def _check_tables(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    require_tables(
        table_columns(con),
        VEREISTE_TABELLEN,
        f"Het warehouse {warehouse} is onvolledig voor het auditrapport",
        "Waarschijnlijk is het gemaakt met een oudere versie; draai de keten opnieuw (`basismonitor verwerk`) "
        "om de kwaliteitstabellen te vullen.",
        fout=OnvolledigWarehouse,
    )


def _select(tabel: str, waar: str = "") -> str:
    return f"SELECT {', '.join(VEREISTE_TABELLEN[tabel])} FROM {tabel} {waar}"


def read_quality(warehouse: Path) -> Kwaliteitsgegevens:
    """Leest de kwaliteitstabellen alleen-lezen uit het warehouse en sluit de verbinding weer."""
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(
            f"Het warehouse {warehouse} bestaat niet: er is nog niets ontvangen of het pad klopt niet."
        )
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        _check_tables(con, warehouse)
        leveringen = con.sql(_select("kwaliteit.leveringen")).pl()
        regels = con.sql(_select("kwaliteit.regels")).pl()
        validaties = con.sql(_select("kwaliteit.validaties")).pl()
        afwijkingen = con.sql(
            _select(
                "kwaliteit.afwijkingen",
                "WHERE object IN (SELECT levering_id FROM kwaliteit.leveringen WHERE status = 'afgewezen')",
            )
        ).pl()
        # Het voorbeeld: de eerste cijfers (gemeente, indicator) van het laatste jaar, met al hun leveringen.
        herkomst_voorbeeld = con.sql(
            f"""
            WITH laatste AS (SELECT max(jaar) AS jaar FROM kwaliteit.herkomst),
            cijfers AS (
                SELECT DISTINCT h.gemeentecode, h.jaar, h.indicator_code
                FROM kwaliteit.herkomst AS h JOIN laatste USING (jaar)
                ORDER BY h.gemeentecode, h.indicator_code
                LIMIT {HERKOMST_VOORBEELDEN}
            )
            {_select("kwaliteit.herkomst", "AS h")}
            SEMI JOIN cijfers USING (gemeentecode, jaar, indicator_code)
            ORDER BY gemeentecode, indicator_code, ontvangen_op, bestandsnaam
            """
        ).pl()
        cijfers, gebruikt = con.execute(
            "SELECT count(DISTINCT (gemeentecode, jaar, indicator_code)), count(DISTINCT levering_id) "
            "FROM kwaliteit.herkomst"
        ).fetchall()[0]
    finally:
        con.close()
    return Kwaliteitsgegevens(
        leveringen, regels, validaties, afwijkingen, herkomst_voorbeeld, int(cijfers), int(gebruikt)
    )


# ------------------------------------------------------------------------------------------------ opmaak


def format_moment(moment: datetime | date | None) -> str:
    """Datum en tijd kort, voor tabellen: "03-02-2025 14:07"."""
    if moment is None:
        return LEEG
    if isinstance(moment, datetime):
        return f"{format_short_date(moment)} {moment.hour:02d}:{moment.minute:02d}"
    return format_short_date(moment)


def months_between(vroeger: datetime | date, later: datetime | date) -> int:
    """Het aantal volle maanden van ``vroeger`` tot ``later`` (negatief als ``vroeger`` later ligt)."""
    maanden = (later.year - vroeger.year) * 12 + later.month - vroeger.month
    if later.day < vroeger.day:
        maanden -= 1
    return maanden


def month_label(maand: date) -> str:
    return f"{MAANDEN[maand.month - 1]} {maand.year}"


def breakable_id(regel_id: str) -> Markup:
    """Een regel-id dat na elke punt mag afbreken (<wbr>), zodat een smalle kolom leesbaar blijft."""
    return Markup(".<wbr>").join(escape(deel) for deel in regel_id.split("."))


def _short_month(maand: date) -> str:
    return f"{MAANDEN[maand.month - 1][:3]} {maand.year % 100:02d}"


# ------------------------------------------------------------------------------------------------ secties


def _summary(leveringen: pl.DataFrame) -> dict:
    per_bron = []
    for bron in sorted(leveringen["bron"].unique().to_list()):
        lv = leveringen.filter(pl.col("bron") == bron)
        per_bron.append(_summary_row(bron, lv))
    ontvangen = leveringen["ontvangen_op"]
    bijzonder = leveringen.filter(pl.col("status").is_in(["dubbel", "vervangen"])).sort(
        "ontvangen_op", "bestandsnaam"
    )
    vervangen_door = {
        r["vervangt"]: r["bestandsnaam"]
        for r in leveringen.filter(pl.col("vervangt").is_not_null()).iter_rows(named=True)
    }
    return {
        "per_bron": per_bron,
        "totaal": _summary_row("Totaal", leveringen),
        "van": format_date(ontvangen.min()) if leveringen.height else LEEG,
        "tot": format_date(ontvangen.max()) if leveringen.height else LEEG,
        "aantal": format_count(leveringen.height),
        "dubbel_vervangen": [
            {
                "bestandsnaam": r["bestandsnaam"],
                "bron": r["bron"],
                "ontvangen_op": format_moment(r["ontvangen_op"]),
                "status": r["status"],
                "toelichting": r["reden"]
                or (
                    f"vervangen door {vervangen_door[r['levering_id']]}"
                    if r["levering_id"] in vervangen_door
                    else LEEG
                ),
            }
            for r in bijzonder.iter_rows(named=True)
        ],
    }


def _summary_row(label: str, lv: pl.DataFrame) -> dict:
    telling = {s: lv.filter(pl.col("status") == s).height for s in STATUSSEN}
    geaccepteerd = lv.filter(pl.col("status") == "geaccepteerd")
    return {
        "bron": label,
        **{s: format_count(n) for s, n in telling.items()},
        "totaal": format_count(lv.height),
        "rijen": format_count(int(lv["rijen"].fill_null(0).sum())),
        "rijen_geaccepteerd": format_count(int(geaccepteerd["rijen"].fill_null(0).sum())),
        "van": format_short_date(lv["ontvangen_op"].min()) if lv.height else LEEG,
        "tot": format_short_date(lv["ontvangen_op"].max()) if lv.height else LEEG,
    }


def _rejected(data: Kwaliteitsgegevens) -> list[dict]:
    afgewezen = data.leveringen.filter(pl.col("status") == "afgewezen").sort("ontvangen_op", "bestandsnaam")
    toelichting = dict(
        zip(data.regels["regel_id"].to_list(), data.regels["toelichting"].to_list(), strict=True)
    )
    fouten = data.validaties.filter((pl.col("ernst") == "fout") & ~pl.col("geslaagd"))
    uit = []
    for lv in afgewezen.iter_rows(named=True):
        val = fouten.filter(pl.col("object") == lv["levering_id"])
        regels = []
        per_regel = (
            val.group_by("regel_id")
            .agg(pl.len().alias("keer"), pl.col("afwijkend").sum(), pl.col("validatie_id"))
            .sort("regel_id")
        )
        for r in per_regel.iter_rows(named=True):
            voorbeelden = (
                data.afwijkingen.filter(
                    pl.col("validatie_id").is_in(r["validatie_id"]) & (pl.col("regel_id") == r["regel_id"])
                )
                .sort("rij", nulls_last=True)
                .head(MAX_VOORBEELDEN)
            )
            regels.append(
                {
                    "regel_id": r["regel_id"],
                    "regel_id_html": breakable_id(r["regel_id"]),
                    "toelichting": toelichting.get(r["regel_id"], ""),
                    "afwijkend": format_count(r["afwijkend"]),
                    "voorbeelden": [
                        {
                            "rij": format_count(v["rij"]) if v["rij"] is not None else LEEG,
                            "kolom": v["kolom"] or LEEG,
                            "waarde": LEEG if v["waarde"] is None else v["waarde"],
                        }
                        for v in voorbeelden.iter_rows(named=True)
                    ],
                }
            )
        uit.append(
            {
                "bestandsnaam": lv["bestandsnaam"],
                "bron": lv["bron"],
                "ontvangen_op": format_moment(lv["ontvangen_op"]),
                "rijen": format_count(lv["rijen"]),
                "reden": lv["reden"] or "Geen reden vastgelegd.",
                "regels": regels,
            }
        )
    return uit


def _rules(data: Kwaliteitsgegevens) -> list[dict]:
    val = data.validaties.sort("moment")
    per_regel = val.group_by("regel_id").agg(
        pl.len().alias("getoetst"),
        pl.col("geslaagd").sum().alias("geslaagd"),
        (~pl.col("geslaagd")).sum().alias("gefaald"),
        pl.col("moment").last().alias("laatste_moment"),
        pl.col("geslaagd").last().alias("laatste_geslaagd"),
    )
    regels = data.regels.join(per_regel, on="regel_id", how="left").sort(
        pl.col("laag").replace_strict({"voordeur": 0, "mart": 1}, default=2), "object", "regel_id"
    )
    uit = []
    for r in regels.iter_rows(named=True):
        if r["getoetst"] is None:
            laatste = "niet getoetst"
        else:
            uitkomst = "geslaagd" if r["laatste_geslaagd"] else "niet geslaagd"
            laatste = Markup("{}<br><span class='klein'>{}</span>").format(
                uitkomst, format_moment(r["laatste_moment"])
            )
        uit.append(
            {
                "regel_id": r["regel_id"],
                "regel_id_html": breakable_id(r["regel_id"]),
                "laag": r["laag"],
                "object": r["object"],
                "kolom": r["kolom"] or LEEG,
                "ernst": r["ernst"],
                "toelichting": r["toelichting"],
                "getoetst": format_count(r["getoetst"] or 0),
                "geslaagd": format_count(r["geslaagd"] or 0),
                "gefaald": format_count(r["gefaald"] or 0),
                "heeft_gefaald": bool(r["gefaald"]),
                "laatste": laatste,
                "laatste_gefaald": r["getoetst"] is not None and not r["laatste_geslaagd"],
            }
        )
    return uit


def monthly_failures(validaties: pl.DataFrame) -> list[dict]:
    """Per kalendermaand (ook maanden zonder toetsing tussen de eerste en de laatste): het aantal toetsingen
    en het aantal niet-geslaagde per ernst."""
    if validaties.height == 0:
        return []
    per_maand = (
        validaties.with_columns(pl.col("moment").dt.truncate("1mo").dt.date().alias("maand"))
        .group_by("maand")
        .agg(
            pl.len().alias("getoetst"),
            (~pl.col("geslaagd") & (pl.col("ernst") == "fout")).sum().alias("fout"),
            (~pl.col("geslaagd") & (pl.col("ernst") == "waarschuwing")).sum().alias("waarschuwing"),
        )
    )
    bekend = {r["maand"]: r for r in per_maand.iter_rows(named=True)}
    eerste, laatste = min(bekend), max(bekend)
    uit = []
    maand = eerste
    while maand <= laatste:
        r = bekend.get(maand, {"getoetst": 0, "fout": 0, "waarschuwing": 0})
        uit.append(
            {"maand": maand, "getoetst": r["getoetst"], "fout": r["fout"], "waarschuwing": r["waarschuwing"]}
        )
        maand = date(maand.year + maand.month // 12, maand.month % 12 + 1, 1)
    return uit


def failures_chart(maanden: list[dict]) -> Markup:
    """Staafdiagram (inline SVG): per maand het aantal niet-geslaagde toetsingen, fout (vermiljoen, vol) naast
    waarschuwing (oranje, gearceerd), zodat het verschil ook zonder kleur te zien is."""
    breedte, hoogte = 640, 220
    links, rechts, boven, onder = 44, 12, 34, 34
    gid = "grafiek-regels-per-maand"
    hoogste = max((max(m["fout"], m["waarschuwing"]) for m in maanden), default=0)
    ticks, _ = nice_ticks(0, max(hoogste, 1), max_ticks=5, ondergrens=0)
    ticks = [t for t in ticks if float(t).is_integer()] or [0, 1]
    ymax = ticks[-1]
    plot_b, plot_h = breedte - links - rechts, hoogte - boven - onder

    def y(v: float) -> float:
        return boven + plot_h - v / ymax * plot_h

    totaal_fout = sum(m["fout"] for m in maanden)
    totaal_w = sum(m["waarschuwing"] for m in maanden)
    titel = "Niet-geslaagde toetsingen per maand, naar ernst"
    beschrijving = (
        f"{len(maanden)} maand{'en' if len(maanden) != 1 else ''} van {month_label(maanden[0]['maand'])} "
        f"tot en met {month_label(maanden[-1]['maand'])}: in totaal {totaal_fout} niet geslaagd met ernst fout "
        f"en {totaal_w} met ernst waarschuwing. De cijfers per maand staan in de tabel onder de grafiek."
    )
    d = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek grafiek-regels" data-grafiek="regels" '
        f'viewBox="0 0 {breedte} {hoogte}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{gid}-titel {gid}-beschrijving" font-family="{LETTERTYPE}" font-size="11">',
        f'<title id="{gid}-titel">{escape(titel)}</title>',
        f'<desc id="{gid}-beschrijving">{escape(beschrijving)}</desc>',
        f'<defs><pattern id="{gid}-arcering" width="5" height="5" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="5" height="5" fill="{ORANJE}" fill-opacity="0.35"/>'
        f'<line x1="0" y1="0" x2="0" y2="5" stroke="{ORANJE}" stroke-width="3"/></pattern></defs>',
    ]
    for t in ticks:
        d.append(
            f'<line x1="{links}" x2="{breedte - rechts}" y1="{fmt(y(t))}" y2="{fmt(y(t))}" '
            f'stroke="{GRIJS_RASTER}"/>'
        )
        d.append(
            f'<text x="{links - 6}" y="{fmt(y(t) + 4)}" text-anchor="end" fill="{GRIJS_TEKST}">'
            f"{format_count(int(t))}</text>"
        )
    stap = plot_b / len(maanden)
    staaf = min(22.0, stap * 0.36)
    elke = max(1, -(-len(maanden) * 44 // plot_b))  # label niet elke maand als ze elkaar raken
    for i, m in enumerate(maanden):
        midden = links + stap * (i + 0.5)
        for waarde, x0, vulling, rand, soort in (
            (m["fout"], midden - staaf - 1, VERMILJOEN, VERMILJOEN, "fout"),
            (m["waarschuwing"], midden + 1, f"url(#{gid}-arcering)", ORANJE, "waarschuwing"),
        ):
            if waarde:
                d.append(
                    f'<rect x="{fmt(x0)}" y="{fmt(y(waarde))}" width="{fmt(staaf)}" '
                    f'height="{fmt(y(0) - y(waarde))}" fill="{vulling}" stroke="{rand}" data-ernst="{soort}">'
                    f"<title>{escape(month_label(m['maand']))}: {waarde} niet geslaagd ({soort})</title></rect>"
                )
        if i % elke == 0:
            d.append(
                f'<text x="{fmt(midden)}" y="{hoogte - onder + 16}" text-anchor="middle" fill="{GRIJS_TEKST}">'
                f"{escape(_short_month(m['maand']))}</text>"
            )
    d.append(
        f'<line x1="{links}" x2="{breedte - rechts}" y1="{fmt(y(0))}" y2="{fmt(y(0))}" stroke="{GRIJS_TEKST}"/>'
    )
    # Legenda rechtsboven.
    lx = breedte - rechts
    for label, vulling, rand in (
        ("waarschuwing", f"url(#{gid}-arcering)", ORANJE),
        ("fout", VERMILJOEN, VERMILJOEN),
    ):
        lx -= text_width(label)
        d.append(f'<text x="{fmt(lx)}" y="14" fill="{GRIJS_TEKST}">{label}</text>')
        d.append(f'<rect x="{fmt(lx - 18)}" y="4" width="12" height="12" fill="{vulling}" stroke="{rand}"/>')
        lx -= 34
    d.append(f'<text x="{links}" y="14" fill="{GRIJS_TEKST}">aantal niet-geslaagde toetsingen</text>')
    d.append("</svg>")
    return Markup("\n".join(d))


def _freshness(leveringen: pl.DataFrame, nu: datetime) -> dict:
    """Per bron en per leverancier (gemeente in de levering): de laatste geaccepteerde levering en hoeveel
    volle maanden dat voor ``nu`` ligt; meer dan VERSHEID_MAANDEN wordt gemarkeerd."""

    def cel(laatste: datetime | None, heeft_leveringen: bool) -> dict:
        if laatste is None:
            return {
                "datum": LEEG,
                "maanden": LEEG,
                "verouderd": heeft_leveringen,
                "tekst": "geen geaccepteerde levering" if heeft_leveringen else "",
            }
        maanden = months_between(laatste, nu)
        verouderd = maanden > VERSHEID_MAANDEN
        return {
            "datum": format_short_date(laatste),
            "maanden": format_count(max(maanden, 0)),
            "verouderd": verouderd,
            "tekst": f"langer dan {VERSHEID_MAANDEN} maanden geen levering" if verouderd else "",
        }

    geaccepteerd = leveringen.filter(pl.col("status") == "geaccepteerd")
    bronnen = sorted(leveringen["bron"].unique().to_list())
    per_bron = []
    for bron in bronnen:
        lv = geaccepteerd.filter(pl.col("bron") == bron)
        per_bron.append({"bron": bron, **cel(lv["ontvangen_op"].max() if lv.height else None, True)})

    uitgevouwen = (
        leveringen.select("bron", "status", "ontvangen_op", "gemeentecodes")
        .explode("gemeentecodes")
        .rename({"gemeentecodes": "gemeentecode"})
        .filter(pl.col("gemeentecode").is_not_null())
    )
    alle = uitgevouwen.group_by("bron", "gemeentecode").agg(
        pl.col("ontvangen_op").filter(pl.col("status") == "geaccepteerd").max().alias("laatste")
    )
    laatste = {(r["bron"], r["gemeentecode"]): r["laatste"] for r in alle.iter_rows(named=True)}
    gemeenten = sorted(uitgevouwen["gemeentecode"].unique().to_list())
    leveranciers = []
    for code in gemeenten:
        cellen = [{"bron": b, **cel(laatste.get((b, code)), (b, code) in laatste)} for b in bronnen]
        leveranciers.append(
            {"gemeentecode": code, "cellen": cellen, "verouderd": any(c["verouderd"] for c in cellen)}
        )
    verouderd = [
        f"{r['gemeentecode']} ({join_dutch([c['bron'] for c in r['cellen'] if c['verouderd']])})"
        for r in leveranciers
        if r["verouderd"]
    ]
    return {
        "per_bron": per_bron,
        "bronnen": bronnen,
        "leveranciers": leveranciers,
        "verouderd": verouderd,
        "verouderde_bronnen": [r["bron"] for r in per_bron if r["verouderd"]],
    }


def _lineage(data: Kwaliteitsgegevens) -> dict:
    cijfers = []
    voorbeeld = data.herkomst_voorbeeld
    for sleutel, groep in voorbeeld.group_by("gemeentecode", "jaar", "indicator_code", maintain_order=True):
        gemeentecode, jaar, indicator = sleutel
        cijfers.append(
            {
                "gemeentecode": gemeentecode,
                "jaar": jaar,
                "indicator_code": indicator,
                "leveringen": [
                    {
                        "bron": r["bron"],
                        "bestandsnaam": r["bestandsnaam"],
                        "sha256": r["sha256"],
                        "sha256_kort": r["sha256"][:12] + "…" if len(r["sha256"]) > 12 else r["sha256"],
                        "ontvangen_op": format_moment(r["ontvangen_op"]),
                    }
                    for r in groep.iter_rows(named=True)
                ],
            }
        )
    return {
        "cijfers": cijfers,
        "aantal_cijfers": format_count(data.herkomst_cijfers),
        "aantal_leveringen": format_count(data.herkomst_leveringen),
        "jaar": cijfers[0]["jaar"] if cijfers else None,
        "sql": HERKOMST_SQL,
    }


def build_context(data: Kwaliteitsgegevens, nu: datetime) -> dict:
    maanden = monthly_failures(data.validaties)
    regels = _rules(data)
    val = data.validaties
    runs = val.select("run_id", "moment").group_by("run_id").agg(pl.col("moment").max()).sort("moment")
    return {
        "gegenereerd_op": format_date(nu),
        "gegenereerd_tijd": f"{nu.hour:02d}:{nu.minute:02d}",
        "versheid_maanden": VERSHEID_MAANDEN,
        "samenvatting": _summary(data.leveringen),
        "afgewezen": _rejected(data),
        "regels": regels,
        "regels_totaal": {
            "regels": format_count(len(regels)),
            "fout": format_count(sum(r["ernst"] == "fout" for r in regels)),
            "waarschuwing": format_count(sum(r["ernst"] == "waarschuwing" for r in regels)),
            "toetsingen": format_count(val.height),
            "runs": format_count(runs.height),
            "laatste_run": format_moment(runs["moment"].max()) if runs.height else LEEG,
            "niet_getoetst": format_count(sum(r["laatste"] == "niet getoetst" for r in regels)),
            "nu_gefaald_fout": [
                r["regel_id"] for r in regels if r["laatste_gefaald"] and r["ernst"] == "fout"
            ],
            "nu_gefaald_waarschuwing": [
                r["regel_id"] for r in regels if r["laatste_gefaald"] and r["ernst"] == "waarschuwing"
            ],
        },
        "maanden": [
            {
                "maand": month_label(m["maand"]),
                "getoetst": format_count(m["getoetst"]),
                "fout": format_count(m["fout"]),
                "waarschuwing": format_count(m["waarschuwing"]),
            }
            for m in maanden
        ],
        "grafiek": failures_chart(maanden) if maanden else None,
        "versheid": _freshness(data.leveringen, nu),
        "herkomst": _lineage(data),
    }


# ------------------------------------------------------------------------------------------------ schrijven


def prune_copies(uitvoer_map: Path, bewaren: int = MAX_KOPIEEN) -> list[Path]:
    """Verwijdert de oudste kopieën per run (auditrapport_<JJJJMMDD-UUMMSS>.html) boven ``bewaren``."""
    kopieen = sorted(p for p in Path(uitvoer_map).iterdir() if _KOPIE.match(p.name))
    weg = kopieen[: max(len(kopieen) - bewaren, 0)]
    for p in weg:
        p.unlink()
    return weg


def render_audit_report(warehouse: Path, uitvoer_map: Path, nu: datetime | None = None) -> Path:
    """Schrijft het auditrapport naar <uitvoer_map>/auditrapport.html (plus een kopie per run) en geeft het pad
    terug. ``nu`` is het moment van het rapport: de versheid wordt ertegen afgemeten en het staat in de naam van
    de kopie (standaard: nu)."""
    nu = nu or datetime.now()
    data = read_quality(Path(warehouse))
    html = template_environment().get_template("auditrapport.html.j2").render(**build_context(data, nu))
    uitvoer_map = Path(uitvoer_map)
    write_text_atomic(uitvoer_map / f"auditrapport_{nu:%Y%m%d-%H%M%S}.html", html)
    pad = write_text_atomic(uitvoer_map / "auditrapport.html", html)
    prune_copies(uitvoer_map)
    return pad
