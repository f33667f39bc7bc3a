"""Validatie aan de deur met Great Expectations 1.x: per bron een suite die uit het contract volgt.

Elke regel heeft een vaste id (`<bron>.<kolom>.<soort>`), een ernst en een Nederlandse toelichting en hint. De
Polars-kant van de deur (`bronnen.controle`) leest de kopregel en zet tekst om naar het contracttype; deze
suite toetst de getypeerde tabel: verplichte waarden, toegestane waarden, bereik, datumvolgorde, unieke
sleutel en het bestaan van de gemeentecode in het peiljaar. Great Expectations draait op een pandas-tabel
(de SQL-bron op DuckDB faalt stil; zie ONTWERP), met een kolom `_rij` zodat elke afwijking naar een rij in het
bronbestand wijst.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import sys
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field

import great_expectations as gx
import great_expectations.expectations as gxe
import polars as pl
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.execution_engine import pandas_execution_engine

from bronnen.contracten import Contract, Kolom, alle_kolommen, enquete_items
from bronnen.referentie import GemeenteRegister

RIJ = "_rij"  # rijnummer in het bronbestand (1-based, kopregel meegeteld)
PEILJAAR = "_gemeente_peiljaar"  # 'GMxxxx|jjjj': gemeentecode met het jaar waarin die moet bestaan
ITEMWAARDE = "_item_waarde"  # 'item|code' in de lange tabel van vraagitems (enquête)
MAX_VOORBEELDEN = 20
GROTE_LEVERING = 1_000_000  # vanaf zoveel rijen wordt het geheugen van de validatie direct teruggegeven

# (eerdere datum, latere datum, toelichting): de latere mag niet vóór de eerdere liggen.
DATUMVOLGORDE = (
    ("periode_start", "periode_eind", "periode_eind ligt vóór periode_start."),
    ("startdatum", "einddatum", "De einddatum ligt vóór de startdatum."),
    ("registratiedatum", "uitschrijfdatum", "De uitschrijfdatum ligt vóór de registratiedatum."),
)


@dataclass(frozen=True)
class Regel:
    regel_id: str  # uniek, bijv. "deelname.aantal_deelnames.bereik"
    soort: str  # verplicht, toegestaan, bereik, volgorde_datums, uniek_groter_dan_totaal, ...
    kolom: str  # de contractkolom waar een afwijking over gaat
    toelichting: str
    hint: str
    expectation: gxe.Expectation = field(compare=False, repr=False)
    ernst: str = "fout"  # "fout" houdt de levering tegen; "waarschuwing" niet
    tabel: str = "breed"  # "breed": één rij per record; "lang": één rij per (record, vraagitem)


@dataclass(frozen=True)
class Uitkomst:
    regel: Regel
    geslaagd: bool
    getoetst: int
    afwijkend: int
    voorbeelden: tuple[tuple[int, str | None], ...]  # (rij, waarde), hoogstens MAX_VOORBEELDEN


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def _typed_values(k: Kolom) -> list:
    assert k.toegestaan is not None
    if k.type == "geheel":
        return [int(w) for w in k.toegestaan]
    if k.type == "decimaal":
        return [float(w) for w in k.toegestaan]
    return list(k.toegestaan)


def rules_for(
    contract: Contract,
    kolommen: Collection[str] | None = None,
    register: GemeenteRegister | None = None,
    aangeleverd: dict[str, Collection[str]] | None = None,
) -> list[Regel]:
    """De regels van een bron; `kolommen` beperkt tot de aangeleverde contractkolommen (None: alle).

    De regels met een (grote) verzameling geldige combinaties, gemeentecode|jaar en vraagitem|code, toetsen
    tegen de geldige combinaties; met `aangeleverd` (kolom -> de aangeleverde combinaties) wordt die verzameling
    vooraf beperkt tot de combinaties die in de levering voorkomen. De uitkomst is dezelfde, maar Great
    Expectations hoeft geen duizenden waarden per expectation mee te slepen."""
    alle = alle_kolommen(contract)
    aanwezig = set(kolommen) if kolommen is not None else {k.naam for k in alle}
    items = {k.naam for k in enquete_items()} if contract.bron == "enquete" else set()

    def geldig(kolom: str, alle_geldige: Collection[str]) -> list[str]:
        if aangeleverd is None or kolom not in aangeleverd:
            return sorted(alle_geldige)
        return sorted(set(alle_geldige) & set(aangeleverd[kolom]))

    b = contract.bron
    regels: list[Regel] = []

    def meta(regel_id: str) -> dict:
        return {"regel_id": regel_id, "ernst": "fout", "bron": b}

    for k in alle:
        c = k.naam
        if c not in aanwezig:
            continue
        if k.verplicht:
            rid = f"{b}.{c}.verplicht"
            toel = f"De verplichte kolom '{c}' is leeg."
            regels.append(
                Regel(
                    rid,
                    "verplicht",
                    c,
                    toel,
                    "Vul de waarde in of laat de rij weg.",
                    gxe.ExpectColumnValuesToNotBeNull(column=c, meta=meta(rid), description=toel),
                )
            )
        if k.toegestaan is not None and c not in items:
            rid = f"{b}.{c}.toegestaan"
            opties = ", ".join(k.toegestaan) if len(k.toegestaan) <= 12 else f"{len(k.toegestaan)} codes"
            toel = f"De waarde in kolom '{c}' is niet toegestaan."
            regels.append(
                Regel(
                    rid,
                    "toegestaan",
                    c,
                    toel,
                    f"Toegestaan: {opties}.",
                    gxe.ExpectColumnValuesToBeInSet(
                        column=c, value_set=_typed_values(k), meta=meta(rid), description=toel
                    ),
                )
            )
        if k.minimum is not None or k.maximum is not None:
            rid = f"{b}.{c}.bereik"
            grens = []
            if k.minimum is not None:
                grens.append(("groter dan " if k.minimum_exclusief else "minstens ") + _fmt(k.minimum))
            if k.maximum is not None:
                grens.append(f"hoogstens {_fmt(k.maximum)}")
            toel = f"De waarde in kolom '{c}' valt buiten het bereik."
            regels.append(
                Regel(
                    rid,
                    "bereik",
                    c,
                    toel,
                    f"De waarde moet {' en '.join(grens)} zijn.",
                    gxe.ExpectColumnValuesToBeBetween(
                        column=c,
                        min_value=k.minimum,
                        max_value=k.maximum,
                        strict_min=k.minimum_exclusief,
                        meta=meta(rid),
                        description=toel,
                    ),
                )
            )
    for eerder, later, uitleg in DATUMVOLGORDE:
        if {eerder, later} <= aanwezig:
            rid = f"{b}.{later}.volgorde_datums"
            regels.append(
                Regel(
                    rid,
                    "volgorde_datums",
                    later,
                    uitleg,
                    "Controleer of de datums verwisseld zijn.",
                    gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                        column_A=later,
                        column_B=eerder,
                        or_equal=True,
                        ignore_row_if="either_value_is_missing",
                        meta=meta(rid),
                        description=uitleg,
                    ),
                )
            )
    if {"aantal_deelnames", "aantal_unieke_deelnemers"} <= aanwezig:
        rid = f"{b}.aantal_unieke_deelnemers.uniek_groter_dan_totaal"
        toel = "Er zijn meer unieke deelnemers dan deelnames."
        regels.append(
            Regel(
                rid,
                "uniek_groter_dan_totaal",
                "aantal_unieke_deelnemers",
                toel,
                "Het aantal unieke deelnemers kan niet groter zijn dan het aantal deelnames.",
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="aantal_deelnames",
                    column_B="aantal_unieke_deelnemers",
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                    meta=meta(rid),
                    description=toel,
                ),
            )
        )
    sleutel = [c for c in contract.sleutel if c in aanwezig]
    if sleutel:
        rid = f"{b}.{sleutel[0]}.dubbele_sleutel"
        toel = f"Dezelfde combinatie van {', '.join(sleutel)} komt meer dan één keer voor."
        exp = (
            gxe.ExpectColumnValuesToBeUnique(column=sleutel[0], meta=meta(rid), description=toel)
            if len(sleutel) == 1
            else gxe.ExpectCompoundColumnsToBeUnique(column_list=sleutel, meta=meta(rid), description=toel)
        )
        regels.append(
            Regel(
                rid,
                "dubbele_sleutel",
                sleutel[0],
                toel,
                "Elke rij moet uniek zijn op deze kolommen; voeg dubbele rijen samen of verwijder ze.",
                exp,
            )
        )
    gemeente = gemeente_kolom(contract)
    if contract.peilkolom and gemeente in aanwezig and register is not None:
        rid = f"{b}.{gemeente}.onbekende_gemeente"
        toel = "De gemeentecode bestond niet in het jaar van de gegevens."
        regels.append(
            Regel(
                rid,
                "onbekende_gemeente",
                gemeente,
                toel,
                "Gebruik de CBS-code van de gemeente zoals die op 1 januari van dat jaar gold.",
                gxe.ExpectColumnValuesToBeInSet(
                    column=PEILJAAR,
                    value_set=geldig(PEILJAAR, register.code_year_keys()),
                    meta=meta(rid),
                    description=toel,
                ),
            )
        )
    gelabeld = [k for k in alle if k.naam in items and k.naam in aanwezig and k.toegestaan is not None]
    if gelabeld:
        rid = f"{b}.vraagitems.toegestaan"
        toel = "De code bij dit vraagitem staat niet in de waardelabels van het Burgerpeiling-dataformaat."
        combinaties = [f"{k.naam}|{w}" for k in gelabeld for w in _typed_values(k)]
        regels.append(
            Regel(
                rid,
                "toegestaan",
                "vraagitems",
                toel,
                "Gebruik alleen de codes uit het dataformaat (zie bronnen/burgerpeiling_2022.json).",
                gxe.ExpectColumnValuesToBeInSet(
                    column=ITEMWAARDE,
                    value_set=geldig(ITEMWAARDE, combinaties),
                    meta=meta(rid),
                    description=toel,
                ),
                tabel="lang",
            )
        )
    if len({r.regel_id for r in regels}) != len(regels):
        raise AssertionError(f"regel-id's van {b} zijn niet uniek")
    return regels


def gemeente_kolom(contract: Contract) -> str:
    return next((k.naam for k in contract.kolommen if k.raw_naam == "gemeentecode"), "gemeentecode")


def peil_column(contract: Contract, df: pl.DataFrame, register: GemeenteRegister) -> pl.Expr | None:
    """Expressie voor `_gemeente_peiljaar`: de gemeentecode met het jaar (van de peilkolom) waarin die moet
    bestaan; jaren buiten de referentie tellen als het dichtstbijzijnde jaar. Null als code of jaar ontbreekt."""
    gemeente = gemeente_kolom(contract)
    if contract.peilkolom is None or gemeente not in df.columns:
        return None
    peil = next(k.naam for k in alle_kolommen(contract) if k.raw_naam == contract.peilkolom)
    if peil not in df.columns:
        return None
    jaar = pl.col(peil).dt.year() if df.schema[peil] == pl.Date else pl.col(peil)
    lo, hi = register.jaren
    return (pl.col(gemeente) + "|" + jaar.cast(pl.Int64).clip(lo, hi).cast(pl.String)).alias(PEILJAAR)


def item_frame(contract: Contract, df: pl.DataFrame) -> pl.DataFrame | None:
    """De lange tabel (`_rij`, `_item_waarde`) met één rij per ingevuld vraagitem met waardelabels."""
    if contract.bron != "enquete":
        return None
    items = [k.naam for k in enquete_items() if k.toegestaan is not None and k.naam in df.columns]
    if not items:
        return None
    return (
        df.select(RIJ, *items)
        .unpivot(index=RIJ, on=items, variable_name="item", value_name="waarde")
        .drop_nulls("waarde")
        .select(RIJ, (pl.col("item") + "|" + pl.col("waarde").cast(pl.String)).alias(ITEMWAARDE))
    )


def suite_for(contract: Contract, register: GemeenteRegister | None = None) -> gx.ExpectationSuite:
    """De volledige Great Expectations-suite van een bron (alle contractkolommen)."""
    gx_context()  # een suite vraagt om een actieve GX-context
    suite = gx.ExpectationSuite(name=f"basismonitor.deur.{contract.bron}")
    for r in rules_for(contract, register=register):
        suite.add_expectation(r.expectation)
    return suite


@functools.cache
def gx_context():
    """Eén tijdelijke GX-context per proces; geen analytics, geen voortgangsbalken, niets op schijf."""
    cfg = DataContextConfig(
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
    )
    ctx = gx.get_context(mode="ephemeral", project_config=cfg)
    ctx.data_sources.add_pandas("voordeur")
    # GX berekent voor elke pandas-batch onder 1 GB een md5-vingerafdruk van de hele tabel (alleen als
    # metadata, `pandas_data_fingerprint`); landelijk kostte dat bij de enquête alleen al ca. 15 s. Wij
    # gebruiken die vingerafdruk niet: de levering heeft haar eigen sha256 in het grootboek.
    pandas_execution_engine.HASH_THRESHOLD = 0
    return ctx


def _batch_definition(bron: str):
    ds = gx_context().data_sources.get("voordeur")
    try:
        asset = ds.get_asset(bron)
    except LookupError:
        asset = ds.add_dataframe_asset(bron)
    try:
        return asset.get_batch_definition("geheel")
    except KeyError:
        return asset.add_batch_definition_whole_dataframe("geheel")


def _release_memory() -> None:
    """Geeft het geheugen van de pandas-kopie terug aan het besturingssysteem (glibc houdt het anders vast),
    zodat het laden van een grote levering daarna niet bovenop de piek van de validatie komt."""
    gc.collect()
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _waarde(v) -> str | None:
    if v is None or v != v:  # None of NaN
        return None
    if hasattr(v, "date") and callable(v.date):
        return v.date().isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def validate(contract: Contract, df: pl.DataFrame, regels: list[Regel]) -> list[Uitkomst]:
    """Toetst `df` (contractnamen, met `_rij` en zo nodig `_gemeente_peiljaar`) aan de regels."""
    return run_suite(contract.bron, df, regels)


# Hoe Great Expectations de uitkomsten teruggeeft: samenvatting plus rijnummers van de eerste afwijkingen.
RESULTAATVORM = {
    "result_format": "SUMMARY",
    "unexpected_index_column_names": [RIJ],
    "partial_unexpected_count": MAX_VOORBEELDEN,
}


def suite_frame(df: pl.DataFrame, regels: list[Regel]):
    """De kolommen die de regels toetsen (plus `_rij`) als pandas-tabel voor Great Expectations; tekst als
    categorie (codes plus woordenboek), zodat een grote levering weinig geheugen vraagt."""
    nodig = {RIJ}
    for r in regels:
        kw = r.expectation.dict()
        nodig |= {kw[k] for k in ("column", "column_A", "column_B") if kw.get(k)}
        nodig |= set(kw.get("column_list") or ())
    return (
        df.select([c for c in df.columns if c in nodig])
        .with_columns(pl.col(pl.String).cast(pl.Categorical))
        .to_pandas()
    )


def outcomes(resultaat, regels: list[Regel], rijen: int) -> list[Uitkomst]:
    """Zet een Great Expectations-validatieresultaat om in een Uitkomst per regel (via meta.regel_id)."""
    per_id = {r.regel_id: r for r in regels}
    uitkomsten = []
    for res in resultaat.results:
        regel = per_id[res.expectation_config.meta["regel_id"]]
        if res.exception_info and res.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"Great Expectations kon regel {regel.regel_id} niet uitvoeren: "
                f"{res.exception_info.get('exception_message')}"
            )
        info = res.result or {}
        kol = {"onbekende_gemeente": PEILJAAR}.get(
            regel.soort, ITEMWAARDE if regel.tabel == "lang" else regel.kolom
        )
        voorbeelden = tuple(
            (int(d[RIJ]), _waarde(d.get(kol)))
            for d in (info.get("partial_unexpected_index_list") or [])[:MAX_VOORBEELDEN]
        )
        uitkomsten.append(
            Uitkomst(
                regel,
                bool(res.success),
                int(info.get("element_count", rijen)),
                int(info.get("unexpected_count") or 0),
                voorbeelden,
            )
        )
    return uitkomsten


def run_suite(naam: str, df: pl.DataFrame, regels: list[Regel]) -> list[Uitkomst]:
    """Toetst `df` (met rijnummers in `_rij`) met Great Expectations aan de regels; `naam` benoemt de
    gegevensbron in de GX-context (een bron aan de deur of een mart)."""
    if not regels:
        return []
    gx_context()
    suite = gx.ExpectationSuite(name=f"{naam}-{uuid.uuid4().hex}")
    for r in regels:
        suite.add_expectation(r.expectation)
    pdf = suite_frame(df, regels)
    batch = _batch_definition(naam).get_batch(batch_parameters={"dataframe": pdf})
    resultaat = batch.validate(suite, result_format=RESULTAATVORM)
    del batch, pdf
    if df.height >= GROTE_LEVERING:
        _release_memory()
    return outcomes(resultaat, regels, df.height)
