"""Het meerjarige gemeenterapport: één zelfstandig HTML-bestand per gemeente, in het Nederlands, voor A4.

Het rapport leest de publicatie (`publicatie.duckdb`, alleen-lezen) met Polars en tekent wat de marts
bevatten: per sfeer (persoonlijk, gemeenschappelijk, institutioneel) elke indicator als meerjarig traject met
95%-interval, daaronder de cijfers in een tabel, en daarnaast de verhalen van inwoners (tellen én vertellen).
Het rapport rekent zelf geen indicatoren uit, rangschikt niet en kleurt geen jaren rood of groen.
Onderdrukte cijfers (te weinig waarnemingen) staan er als "–", nooit als getal.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import jinja2
import polars as pl

from rapportages.grafieken import Jaarpunt, trajectory_chart
from rapportages.opmaak import (
    LEEG,
    decimals_for_unit,
    format_count,
    format_date,
    format_interval,
    format_number,
    format_short_date,
    join_dutch,
    short_unit,
)

SFEREN = ("persoonlijk", "gemeenschappelijk", "institutioneel")

SFEER_TITELS = {
    "persoonlijk": "Persoonlijke sfeer",
    "gemeenschappelijk": "Gemeenschappelijke sfeer",
    "institutioneel": "Institutionele sfeer",
}

SFEER_UITLEG = {
    "persoonlijk": "De inwoner en het eigen netwerk: mantelzorg, een vangnet van familie, vrienden en buren, "
    "eenzaamheid.",
    "gemeenschappelijk": "Gemeenschappen waar mensen aan meedoen: vrijwilligerswerk, verenigingen, "
    "betrokkenheid bij de buurt.",
    "institutioneel": "Accommodaties, collectieve voorzieningen, ondersteuning van vrijwilligers en "
    "mantelzorgers en betaalde sociaal werkers.",
}

BRON_NAMEN = {
    "enquete": "Inwonersenquête (VNG Burgerpeiling-formaat), gewogen",
    "deelname": "Deelnameregistraties van activiteiten en accommodaties",
    "vrijwilligers": "Registraties van vrijwilligersinzet",
    "mantelzorg": "Registraties van mantelzorgondersteuning",
    "verhalen": "Verhalen van inwoners (met toestemming, niet herleidbaar)",
    "bevolking": "Bevolking per gemeente en jaar",
}

# Tabellen (en kolommen) die het rapport nodig heeft. Alle vijf worden altijd gepubliceerd; ontbreekt er
# een, dan is de publicatie onvolledig en stopt het rapport met een duidelijke melding.
VEREISTE_TABELLEN: dict[str, tuple[str, ...]] = {
    "marts.dim_gemeente": (
        "gemeentecode",
        "gemeentenaam",
        "provincie",
        "gemeentegrootte",
        "stedelijkheid",
        "inwoners_2022",
        "voorgangers",
    ),
    "marts.dim_indicator": (
        "indicator_code",
        "naam",
        "sfeer",
        "bron",
        "eenheid",
        "teller_definitie",
        "noemer_definitie",
        "minimum_n",
        "richting_gunstig",
        "toelichting",
    ),
    "marts.fct_indicator_jaar": (
        "gemeentecode",
        "jaar",
        "indicator_code",
        "teller",
        "noemer",
        "n",
        "waarde",
        "se",
        "ci_onder",
        "ci_boven",
        "onderdrukt",
        "bron_leveringen",
    ),
    "marts.fct_verhalen": ("verhaal_id", "gemeentecode", "wijkcode", "jaar", "sfeer", "titel", "tekst"),
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
    ),
}

ONDERDRUKKINGSREGEL = (
    "Cijfers op minder dan n waarnemingen (minimum per indicator, zie catalogus) worden niet getoond: –"
)


class OnvolledigePublicatie(ValueError):
    """De publicatie mist een tabel of kolom die het rapport nodig heeft."""


@dataclass(frozen=True)
class Publicatiegegevens:
    """De tabellen uit de publicatie, in het geheugen (de verbinding is dan al dicht)."""

    pad: Path
    gemeenten: pl.DataFrame
    indicatoren: pl.DataFrame
    cijfers: pl.DataFrame
    verhalen: pl.DataFrame
    leveringen: pl.DataFrame
    gepubliceerd_op: datetime | None


# --------------------------------------------------------------------------------------------------- lezen


def _check_tables(con: duckdb.DuckDBPyConnection, publicatie: Path) -> None:
    rijen = con.execute(
        "SELECT table_schema || '.' || table_name, column_name FROM information_schema.columns"
    ).fetchall()
    kolommen: dict[str, set[str]] = {}
    for tabel, kolom in rijen:
        kolommen.setdefault(tabel, set()).add(kolom)
    ontbrekend = [t for t in VEREISTE_TABELLEN if t not in kolommen]
    if ontbrekend:
        raise OnvolledigePublicatie(
            f"De publicatie {publicatie} is onvolledig: de tabel{'len' if len(ontbrekend) > 1 else ''} "
            f"{join_dutch(ontbrekend)} ontbre{'ken' if len(ontbrekend) > 1 else 'ekt'}. "
            "Het gemeenterapport heeft deze tabellen nodig; draai de keten opnieuw (`basismonitor verwerk`)."
        )
    for tabel, nodig in VEREISTE_TABELLEN.items():
        mist = [k for k in nodig if k not in kolommen[tabel]]
        if mist:
            raise OnvolledigePublicatie(
                f"De publicatie {publicatie} is onvolledig: in {tabel} "
                f"ontbre{'ken de kolommen' if len(mist) > 1 else 'ekt de kolom'} {join_dutch(mist)}."
            )


def _published_at(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """Wanneer de publicatie is gemaakt (kwaliteit.publicatie)."""
    aanwezig = {
        f"{s}.{t}"
        for s, t in con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    }
    if "kwaliteit.publicatie" not in aanwezig:
        return None
    return con.execute("SELECT max(gepubliceerd_op) FROM kwaliteit.publicatie").fetchone()[0]


def read_publication(publicatie: Path, gemeentecode: str | None = None) -> Publicatiegegevens:
    """Leest de tabellen die het rapport nodig heeft (alleen-lezen) en sluit de verbinding weer.

    Met ``gemeentecode`` worden alleen de cijfers en verhalen van die gemeente gelezen.
    """
    publicatie = Path(publicatie)
    if not publicatie.is_file():
        raise FileNotFoundError(f"De publicatie {publicatie} bestaat niet: er is nog niets gepubliceerd.")
    con = duckdb.connect(str(publicatie), read_only=True)
    try:
        _check_tables(con, publicatie)
        filter_sql, params = ("WHERE gemeentecode = ?", [gemeentecode]) if gemeentecode else ("", [])
        kolommen = {t: ", ".join(f'"{k}"' for k in ks) for t, ks in VEREISTE_TABELLEN.items()}
        gemeenten = con.sql(f"SELECT {kolommen['marts.dim_gemeente']} FROM marts.dim_gemeente").pl()
        indicatoren = con.sql(f"SELECT {kolommen['marts.dim_indicator']} FROM marts.dim_indicator").pl()
        cijfers = con.sql(
            f"SELECT {kolommen['marts.fct_indicator_jaar']} FROM marts.fct_indicator_jaar {filter_sql}",
            params=params,
        ).pl()
        verhalen = con.sql(
            f"SELECT {kolommen['marts.fct_verhalen']} FROM marts.fct_verhalen {filter_sql}", params=params
        ).pl()
        leveringen = con.sql(f"SELECT {kolommen['kwaliteit.leveringen']} FROM kwaliteit.leveringen").pl()
        gepubliceerd_op = _published_at(con)
    finally:
        con.close()
    return Publicatiegegevens(
        publicatie, gemeenten, indicatoren, cijfers, verhalen, leveringen, gepubliceerd_op
    )


# ----------------------------------------------------------------------------------------------- vormgeven


def _predecessors(voorgangers: str | None) -> str | None:
    """ "GM0501 Brielle, GM0530 Hellevoetsluis" -> "Brielle (GM0501) en Hellevoetsluis (GM0530)"."""
    if not voorgangers or not voorgangers.strip():
        return None
    delen = []
    for deel in (d.strip() for d in voorgangers.split(",")):
        if not deel:
            continue
        m = re.fullmatch(r"(GM\d{4})\s+(.+)", deel)
        delen.append(f"{m.group(2).strip()} ({m.group(1)})" if m else deel)
    return join_dutch(delen) or None


def _indicator_block(indicator: dict, rijen: pl.DataFrame) -> dict:
    eenheid = indicator["eenheid"]
    decimalen = decimals_for_unit(eenheid)
    minimum_n = indicator["minimum_n"]
    rijen = rijen.sort("jaar")
    punten: list[Jaarpunt] = []
    tabel: list[dict] = []
    for r in rijen.iter_rows(named=True):
        onderdrukt = bool(r["onderdrukt"]) or r["waarde"] is None
        # Een onderdrukt jaar toont alleen dat het onderdrukt is: geen waarde, interval, teller, noemer of n.
        punten.append(
            Jaarpunt(
                r["jaar"],
                None if onderdrukt else r["waarde"],
                None if onderdrukt else r["ci_onder"],
                None if onderdrukt else r["ci_boven"],
                onderdrukt,
            )
        )
        if onderdrukt:
            tabel.append(
                {
                    "jaar": r["jaar"],
                    "onderdrukt": True,
                    "waarde": LEEG,
                    "interval": LEEG,
                    "teller": LEEG,
                    "noemer": LEEG,
                    "n": f"< {format_number(minimum_n)}" if bool(r["onderdrukt"]) and minimum_n else LEEG,
                }
            )
        else:
            tabel.append(
                {
                    "jaar": r["jaar"],
                    "onderdrukt": False,
                    "waarde": format_number(r["waarde"], decimalen),
                    "interval": format_interval(r["ci_onder"], r["ci_boven"], decimalen),
                    "teller": format_count(r["teller"]),
                    "noemer": format_count(r["noemer"]),
                    "n": format_number(r["n"]),
                }
            )
    return {
        "code": indicator["indicator_code"],
        "naam": indicator["naam"],
        "eenheid": eenheid,
        "eenheid_kort": short_unit(eenheid),
        "toelichting": indicator["toelichting"],
        "bron": BRON_NAMEN.get(indicator["bron"], indicator["bron"]),
        "teller_definitie": indicator["teller_definitie"],
        "noemer_definitie": indicator["noemer_definitie"],
        "minimum_n": format_number(minimum_n) if minimum_n is not None else None,
        "richting_gunstig": indicator["richting_gunstig"],
        "grafiek": trajectory_chart(
            punten,
            titel=f"{indicator['naam']} ({eenheid}), per jaar met 95%-interval",
            eenheid=eenheid,
            decimals=decimalen,
            minimum_n=minimum_n,
            grafiek_id=f"grafiek-{indicator['indicator_code']}",
        ),
        "rijen": tabel,
        "heeft_onderdrukking": any(r["onderdrukt"] for r in tabel),
        "jaren": f"{rijen['jaar'].min()}–{rijen['jaar'].max()}" if rijen.height else None,
    }


def _build_context(data: Publicatiegegevens, gemeentecode: str, gegenereerd_op: datetime) -> dict:
    gemeente_rijen = data.gemeenten.filter(pl.col("gemeentecode") == gemeentecode)
    if gemeente_rijen.height == 0:
        raise ValueError(f"Gemeente {gemeentecode} komt niet voor in de publicatie")
    gemeente = gemeente_rijen.row(0, named=True)
    cijfers = data.cijfers.filter(pl.col("gemeentecode") == gemeentecode)
    verhalen = data.verhalen.filter(pl.col("gemeentecode") == gemeentecode)

    onbekend = sorted(set(data.indicatoren["sfeer"].drop_nulls().to_list()) - set(SFEREN))
    onbekend += sorted(set(verhalen["sfeer"].drop_nulls().to_list()) - set(SFEREN) - set(onbekend))
    if onbekend or data.indicatoren["sfeer"].null_count() or verhalen["sfeer"].null_count():
        raise OnvolledigePublicatie(
            f"De publicatie {data.pad} bevat een onbekende of lege sfeer ({join_dutch(onbekend) or 'leeg'}); "
            f"toegestaan zijn {join_dutch(list(SFEREN))}."
        )

    sferen = []
    gebruikte_bronnen: set[str] = set()
    for sfeer in SFEREN:
        blokken = []
        for indicator in (
            data.indicatoren.filter(pl.col("sfeer") == sfeer).sort("indicator_code").iter_rows(named=True)
        ):
            rijen = cijfers.filter(pl.col("indicator_code") == indicator["indicator_code"])
            blokken.append(_indicator_block(indicator, rijen))
            if rijen.height:
                gebruikte_bronnen.add(indicator["bron"])
        sfeer_verhalen = [
            {"titel": v["titel"], "jaar": v["jaar"], "tekst": v["tekst"]}
            for v in verhalen.filter(pl.col("sfeer") == sfeer)
            .sort(["jaar", "verhaal_id"])
            .iter_rows(named=True)
        ]
        sferen.append(
            {
                "sfeer": sfeer,
                "titel": SFEER_TITELS[sfeer],
                "uitleg": SFEER_UITLEG[sfeer],
                "indicatoren": blokken,
                "verhalen": sfeer_verhalen,
            }
        )
    if verhalen.height:
        gebruikte_bronnen.add("verhalen")

    # Herkomst: de leveringen waaruit de cijfers van deze gemeente zijn berekend.
    levering_ids = sorted(set(cijfers["bron_leveringen"].explode().drop_nulls().to_list()))
    gebruikt = data.leveringen.filter(pl.col("levering_id").is_in(levering_ids)).sort(
        ["bron", "ontvangen_op", "bestandsnaam"]
    )
    leveringen = [
        {
            "bron": r["bron"],
            "bestandsnaam": r["bestandsnaam"],
            "ontvangen_op": format_short_date(r["ontvangen_op"]),
            "rijen": format_number(r["rijen"]),
            "status": r["status"],
        }
        for r in gebruikt.iter_rows(named=True)
    ]
    niet_gevonden = sorted(set(levering_ids) - set(gebruikt["levering_id"].to_list()))

    jaren = cijfers["jaar"]
    return {
        "gemeente": {
            "code": gemeente["gemeentecode"],
            "naam": gemeente["gemeentenaam"],
            "provincie": gemeente["provincie"],
            "gemeentegrootte": gemeente["gemeentegrootte"],
            "stedelijkheid": gemeente["stedelijkheid"],
            "inwoners_2022": format_number(gemeente["inwoners_2022"]) if gemeente["inwoners_2022"] else None,
            "ontstaan_uit": _predecessors(gemeente["voorgangers"]),
        },
        "periode": f"{jaren.min()}–{jaren.max()}" if cijfers.height else None,
        "sferen": sferen,
        "leveringen": leveringen,
        "niet_gevonden": niet_gevonden,
        "bronnen": [BRON_NAMEN.get(b, b) for b in sorted(gebruikte_bronnen)],
        "onderdrukkingsregel": ONDERDRUKKINGSREGEL,
        "gegenereerd_op": format_date(gegenereerd_op),
        "gegenereerd_op_tijd": gegenereerd_op.strftime("%H:%M"),
        "gepubliceerd_op": format_date(data.gepubliceerd_op) if data.gepubliceerd_op else None,
        "publicatie": data.pad.name,
    }


# ------------------------------------------------------------------------------------------------ tekenen


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _write(data: Publicatiegegevens, gemeentecode: str, uitvoer_map: Path, gegenereerd_op: datetime) -> Path:
    context = _build_context(data, gemeentecode, gegenereerd_op)
    html = _environment().get_template("gemeenterapport.html.j2").render(**context)
    uitvoer_map = Path(uitvoer_map)
    uitvoer_map.mkdir(parents=True, exist_ok=True)
    pad = uitvoer_map / f"gemeenterapport_{gemeentecode}.html"
    # Eerst naast het doel schrijven en dan in één keer vervangen: een lezer ziet nooit een half rapport.
    tijdelijk = pad.with_name(f".{pad.name}.nieuw-{os.getpid()}")
    tijdelijk.write_text(html, encoding="utf-8")
    os.replace(tijdelijk, pad)
    return pad


def render_municipality_report(publicatie: Path, gemeentecode: str, uitvoer_map: Path) -> Path:
    """Schrijft <uitvoer_map>/gemeenterapport_<gemeentecode>.html en geeft het pad terug."""
    data = read_publication(Path(publicatie), gemeentecode)
    return _write(data, gemeentecode, Path(uitvoer_map), datetime.now())


def render_all_reports(publicatie: Path, uitvoer_map: Path) -> list[Path]:
    """Rapport voor elke gemeente in marts.dim_gemeente die cijfers heeft in marts.fct_indicator_jaar."""
    data = read_publication(Path(publicatie))
    nu = datetime.now()
    met_cijfers = set(data.cijfers["gemeentecode"].unique().to_list())
    codes = sorted(c for c in data.gemeenten["gemeentecode"].to_list() if c in met_cijfers)
    return [_write(data, code, Path(uitvoer_map), nu) for code in codes]
