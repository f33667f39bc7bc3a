"""Kwaliteitsregels uit één declaratief bestand (`kwaliteitsregels.yml`), getoetst met Great Expectations 1.x
aan de deur en op de marts, met de uitkomsten in het warehouse.

- `kwaliteit.regels`: elke regel (voordeur en marts) met regel_id, laag, object, kolom, ernst en toelichting;
- `kwaliteit.validaties`: per toetsing van een regel op een object (een levering of een mart) in een run: moment,
  geslaagd, getoetst en afwijkend;
- `kwaliteit.afwijkingen`: voorbeelden van afwijkende waarden (rij en waarde), gemaskeerd waar het om
  persoonsgegevens gaat.

Een regel met ernst `fout` houdt tegen (een levering gaat in quarantaine, een mart blokkeert wat ervan afhangt);
`waarschuwing` wordt alleen vastgelegd en getoond.
"""

from __future__ import annotations

import dataclasses
import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pyarrow as pa
import yaml

from bronnen.contracten import CONTRACTEN, alle_kolommen
from bronnen.validatie import (
    RESULTAATVORM,
    RIJ,
    Regel,
    Uitkomst,
    gx_context,
    outcomes,
    rules_for,
    suite_frame,
)
from bronnen.warehouse import insert_arrow

REGELBESTAND = Path(__file__).with_name("kwaliteitsregels.yml")
ERNST = ("fout", "waarschuwing")
MAX_AFWIJKINGEN = 20  # voorbeelden per regel en object in kwaliteit.afwijkingen
GEMASKEERD = "***"
DOCS_SITE = "basismonitor"  # de Data Docs-site in de GX-context

KWALITEIT_DDL = (
    """
    CREATE TABLE IF NOT EXISTS kwaliteit.regels (
        regel_id     VARCHAR PRIMARY KEY,
        laag         VARCHAR NOT NULL CHECK (laag IN ('voordeur', 'mart')),
        object       VARCHAR NOT NULL,
        kolom        VARCHAR,
        soort        VARCHAR NOT NULL,
        ernst        VARCHAR NOT NULL CHECK (ernst IN ('fout', 'waarschuwing')),
        toelichting  VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS kwaliteit.validaties (
        validatie_id VARCHAR PRIMARY KEY,
        run_id       VARCHAR NOT NULL,
        regel_id     VARCHAR NOT NULL,
        laag         VARCHAR NOT NULL,
        object       VARCHAR NOT NULL,
        moment       TIMESTAMP NOT NULL,
        ernst        VARCHAR NOT NULL,
        geslaagd     BOOLEAN NOT NULL,
        getoetst     BIGINT NOT NULL,
        afwijkend    BIGINT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS kwaliteit.afwijkingen (
        validatie_id VARCHAR NOT NULL,
        regel_id     VARCHAR NOT NULL,
        object       VARCHAR NOT NULL,
        rij          BIGINT,
        kolom        VARCHAR,
        waarde       VARCHAR
    )
    """,
)


class RegelbestandFout(ValueError):
    """Het regelbestand is ongeldig (dubbele id, onbekende ernst of expectation, ontbrekend veld)."""


@dataclass(frozen=True)
class Martregel:
    regel_id: str
    tabel: str  # schema.tabel, bijv. marts.fct_indicator_jaar
    ernst: str
    toelichting: str
    expectation: str
    argumenten: dict = field(compare=False)

    @property
    def kolom(self) -> str | None:
        a = self.argumenten
        return (
            a.get("column")
            or a.get("column_A")
            or (", ".join(a["column_list"]) if "column_list" in a else None)
        )

    def gx_expectation(self) -> gxe.Expectation:
        meta = {"regel_id": self.regel_id, "ernst": self.ernst}
        return getattr(gxe, self.expectation)(**self.argumenten, meta=meta, description=self.toelichting)


@dataclass(frozen=True)
class Regelset:
    """De regels uit het regelbestand."""

    pad: Path
    ernst_voordeur: dict[str, str]  # regel_id -> ernst, afwijkend van 'fout'
    extra_voordeur: tuple[Regel, ...]  # aanvullende regels aan de deur
    marts: tuple[Martregel, ...]

    def door_rules(self, bron: str, kolommen: Iterable[str] | None = None, **kwargs) -> list[Regel]:
        """Alle regels aan de deur voor een bron: de contractregels met hun ernst, plus de aanvullende."""
        regels = [
            _with_severity(r, self.ernst_voordeur.get(r.regel_id, r.ernst))
            for r in rules_for(CONTRACTEN[bron], kolommen, **kwargs)
        ]
        aanwezig = None if kolommen is None else set(kolommen)
        for r in self.extra_voordeur:
            if r.regel_id.split(".", 1)[0] == bron and (aanwezig is None or r.kolom in aanwezig):
                regels.append(r)
        return regels


def _with_severity(regel: Regel, ernst: str) -> Regel:
    """De regel met de ernst uit het regelbestand (de expectation blijft dezelfde; de uitkomst telt per ernst)."""
    return regel if ernst == regel.ernst else dataclasses.replace(regel, ernst=ernst)


def _expectation_class(naam: str, regel_id: str, pad: Path):
    klasse = getattr(gxe, str(naam), None)
    if not (isinstance(klasse, type) and issubclass(klasse, gxe.Expectation)):
        raise RegelbestandFout(
            f"{pad}: regel {regel_id} noemt een onbekende Great Expectations-expectation {naam!r}."
        )
    return klasse


def _require(regel: dict, velden: tuple[str, ...], pad: Path, waar: str) -> None:
    ontbreekt = [v for v in velden if v not in regel or regel[v] in (None, "")]
    if ontbreekt:
        raise RegelbestandFout(f"{pad}: {waar} mist {', '.join(ontbreekt)}.")


def load_rules(pad: Path | None = None) -> Regelset:
    """Leest en controleert het regelbestand (standaard bronnen/kwaliteitsregels.yml); per bestand en
    wijzigingstijd één keer."""
    pad = (Path(pad) if pad is not None else REGELBESTAND).resolve()
    if not pad.exists():
        raise RegelbestandFout(f"Het regelbestand {pad} bestaat niet.")
    return _load_rules(pad, pad.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _load_rules(pad: Path, _mtime: int) -> Regelset:
    try:
        inhoud = yaml.safe_load(pad.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise RegelbestandFout(f"{pad} is geen geldige YAML: {e}") from e
    deur = inhoud.get("voordeur") or {}
    contract_ids = {r.regel_id for c in CONTRACTEN.values() for r in rules_for(c)}
    gezien: set[str] = set(contract_ids)

    ernst_voordeur = {}
    for rid, ernst in (deur.get("ernst") or {}).items():
        if rid not in contract_ids:
            raise RegelbestandFout(f"{pad}: voordeur.ernst noemt een onbekende contractregel {rid!r}.")
        if ernst not in ERNST:
            raise RegelbestandFout(
                f"{pad}: regel {rid} heeft ernst {ernst!r}; toegestaan: fout, waarschuwing."
            )
        ernst_voordeur[rid] = ernst

    extra = []
    for i, r in enumerate(deur.get("regels") or [], start=1):
        _require(r, ("regel_id", "bron", "ernst", "toelichting", "expectation"), pad, f"voordeur-regel {i}")
        rid, bron = r["regel_id"], r["bron"]
        if rid in gezien:
            raise RegelbestandFout(f"{pad}: regel_id {rid} komt meer dan eens voor.")
        gezien.add(rid)
        if bron not in CONTRACTEN or not rid.startswith(f"{bron}."):
            raise RegelbestandFout(
                f"{pad}: regel {rid} hoort bij een onbekende bron {bron!r} (id begint met de bron)."
            )
        if r["ernst"] not in ERNST:
            raise RegelbestandFout(
                f"{pad}: regel {rid} heeft ernst {r['ernst']!r}; toegestaan: fout, waarschuwing."
            )
        argumenten = dict(r.get("argumenten") or {})
        kolom = argumenten.get("column")
        if kolom not in {k.naam for k in alle_kolommen(CONTRACTEN[bron])}:
            raise RegelbestandFout(
                f"{pad}: regel {rid} toetst kolom {kolom!r}, die niet in het contract van {bron} staat."
            )
        klasse = _expectation_class(r["expectation"], rid, pad)
        exp = klasse(
            **argumenten,
            meta={"regel_id": rid, "ernst": r["ernst"], "bron": bron},
            description=r["toelichting"],
        )
        extra.append(
            Regel(
                rid,
                "aannemelijk",
                kolom,
                r["toelichting"],
                r.get("hint", "Controleer de waarde."),
                exp,
                r["ernst"],
            )
        )

    marts = []
    for i, r in enumerate(inhoud.get("marts") or [], start=1):
        _require(r, ("regel_id", "tabel", "ernst", "toelichting", "expectation"), pad, f"mart-regel {i}")
        rid = r["regel_id"]
        if rid in gezien:
            raise RegelbestandFout(f"{pad}: regel_id {rid} komt meer dan eens voor.")
        gezien.add(rid)
        if r["ernst"] not in ERNST:
            raise RegelbestandFout(
                f"{pad}: regel {rid} heeft ernst {r['ernst']!r}; toegestaan: fout, waarschuwing."
            )
        if len(str(r["tabel"]).split(".")) != 2:
            raise RegelbestandFout(f"{pad}: regel {rid}: tabel moet schema.tabel zijn, niet {r['tabel']!r}.")
        _expectation_class(r["expectation"], rid, pad)
        regel = Martregel(
            rid, r["tabel"], r["ernst"], r["toelichting"], r["expectation"], dict(r.get("argumenten") or {})
        )
        try:
            regel.gx_expectation()
        except Exception as e:  # noqa: BLE001 - elke fout in de argumenten wordt een duidelijke melding
            raise RegelbestandFout(
                f"{pad}: regel {rid}: ongeldige argumenten voor {r['expectation']}: {e}"
            ) from e
        marts.append(regel)
    return Regelset(pad, ernst_voordeur, tuple(extra), tuple(marts))


# ------------------------------------------------------------------------------------------------ vastleggen


def ensure_quality_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS kwaliteit")
    for ddl in KWALITEIT_DDL:
        con.execute(ddl)


def record_rules(con: duckdb.DuckDBPyConnection, regelset: Regelset) -> None:
    """Zet alle regels (voordeur en marts) in kwaliteit.regels; een gewijzigde regel wordt bijgewerkt."""
    ensure_quality_tables(con)
    rijen = []
    for bron in CONTRACTEN:
        for r in regelset.door_rules(bron):
            rijen.append((r.regel_id, "voordeur", bron, r.kolom, r.soort, r.ernst, r.toelichting))
    for r in regelset.marts:
        rijen.append((r.regel_id, "mart", r.tabel, r.kolom, r.expectation, r.ernst, r.toelichting))
    con.executemany("INSERT OR REPLACE INTO kwaliteit.regels VALUES (?, ?, ?, ?, ?, ?, ?)", rijen)


def _masked(bron: str | None, kolom: str | None, waarde: str | None) -> str | None:
    """Waarden in kolommen met persoonsnummers (of hun pseudoniemen) worden nooit vastgelegd."""
    if waarde is None or bron not in CONTRACTEN or kolom is None:
        return waarde
    for k in alle_kolommen(CONTRACTEN[bron]):
        if k.persoonsnummer and kolom in (k.naam, k.raw_naam):
            return GEMASKEERD
    return waarde


def record_results(
    con: duckdb.DuckDBPyConnection,
    uitkomsten: Iterable[Uitkomst],
    *,
    laag: str,
    object_: str,
    run_id: str,
    moment: datetime | None = None,
    bron: str | None = None,
) -> None:
    """Legt de uitkomsten van één toetsing vast (kwaliteit.validaties en kwaliteit.afwijkingen)."""
    record_many(con, [(object_, moment or datetime.now(), uitkomsten)], laag=laag, run_id=run_id, bron=bron)


def record_many(
    con: duckdb.DuckDBPyConnection,
    toetsingen: Iterable[tuple[str, datetime, Iterable[Uitkomst]]],
    *,
    laag: str,
    run_id: str,
    bron: str | None = None,
) -> None:
    """Legt de uitkomsten van meerdere toetsingen (object, moment, uitkomsten) in één keer vast: de voordeur
    boekt zo alle leveringen van een taak samen (per invoeging een paar milliseconden, bij honderden
    leveringen per bron)."""
    ensure_quality_tables(con)
    validaties, afwijkingen = [], []
    for object_, moment, uitkomsten in toetsingen:
        for u in uitkomsten:
            vid = uuid.uuid4().hex
            r = u.regel
            validaties.append(
                (vid, run_id, r.regel_id, laag, object_, moment, r.ernst, u.geslaagd, u.getoetst, u.afwijkend)
            )
            for rij, waarde in u.voorbeelden[:MAX_AFWIJKINGEN]:
                afwijkingen.append((vid, r.regel_id, object_, rij, r.kolom, _masked(bron, r.kolom, waarde)))
    # Als één tabel invoegen: executemany kost in DuckDB per rij een aparte uitvoering (ca. 1 ms).
    for tabel, rijen, typen in (
        ("validaties", validaties, _VALIDATIE_TYPEN),
        ("afwijkingen", afwijkingen, _AFWIJKING_TYPEN),
    ):
        if rijen:
            kolommen = zip(typen, zip(*rijen, strict=True), strict=True)
            insert_arrow(
                con, f"kwaliteit.{tabel}", pa.table({k: pa.array(v, type=t) for (k, t), v in kolommen})
            )


_VALIDATIE_TYPEN = (
    ("validatie_id", pa.string()),
    ("run_id", pa.string()),
    ("regel_id", pa.string()),
    ("laag", pa.string()),
    ("object", pa.string()),
    ("moment", pa.timestamp("us")),
    ("ernst", pa.string()),
    ("geslaagd", pa.bool_()),
    ("getoetst", pa.int64()),
    ("afwijkend", pa.int64()),
)
_AFWIJKING_TYPEN = (
    ("validatie_id", pa.string()),
    ("regel_id", pa.string()),
    ("object", pa.string()),
    ("rij", pa.int64()),
    ("kolom", pa.string()),
    ("waarde", pa.string()),
)


# ------------------------------------------------------------------------------------------- marts toetsen


@dataclass(frozen=True)
class Marttoetsing:
    tabel: str
    uitkomsten: tuple[Uitkomst, ...]

    @property
    def fouten(self) -> list[Uitkomst]:
        return [u for u in self.uitkomsten if not u.geslaagd and u.regel.ernst == "fout"]

    @property
    def waarschuwingen(self) -> list[Uitkomst]:
        return [u for u in self.uitkomsten if not u.geslaagd and u.regel.ernst == "waarschuwing"]


def validate_marts(
    con: duckdb.DuckDBPyConnection, regelset: Regelset, run_id: str, data_docs: Path | None = None
) -> list[Marttoetsing]:
    """Toetst elke mart met regels aan die regels (Great Expectations, één checkpoint per mart) en legt de
    uitkomsten vast. Met `data_docs` bouwt dezelfde toetsing ook de Great Expectations Data Docs in die map
    (per mart de suite en de laatste validatie; index.html)."""
    record_rules(con, regelset)
    ctx = gx_context()
    acties = []
    if data_docs is not None:
        data_docs.mkdir(parents=True, exist_ok=True)
        site = {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
        if DOCS_SITE in (ctx.get_config().data_docs_sites or {}):
            ctx.update_data_docs_site(DOCS_SITE, site)
        else:
            ctx.add_data_docs_site(DOCS_SITE, site)
        acties = [gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[DOCS_SITE])]
    bron = ctx.data_sources.add_or_update_pandas("marts")
    bestaand = {
        f"{s}.{t}"
        for s, t in con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    }
    toetsingen = []
    moment = datetime.now()
    for tabel in mart_tables(regelset):
        if tabel not in bestaand:
            raise RegelbestandFout(
                f"{regelset.pad}: de regels noemen tabel {tabel}, maar die bestaat niet in het warehouse."
            )
        regels = [
            Regel(r.regel_id, r.expectation, r.kolom or "", r.toelichting, "", r.gx_expectation(), r.ernst)
            for r in regelset.marts
            if r.tabel == tabel
        ]
        naam = tabel.split(".", 1)[1]
        try:
            asset = bron.get_asset(naam)
        except LookupError:
            asset = bron.add_dataframe_asset(naam)
        try:
            batch = asset.get_batch_definition("geheel")
        except KeyError:
            batch = asset.add_batch_definition_whole_dataframe("geheel")
        suite = gx.ExpectationSuite(name=f"basismonitor.{tabel}")
        for r in regels:
            suite.add_expectation(r.expectation)
        toetsing = ctx.validation_definitions.add_or_update(
            gx.ValidationDefinition(
                name=f"basismonitor.{tabel}", data=batch, suite=ctx.suites.add_or_update(suite)
            )
        )
        checkpoint = ctx.checkpoints.add_or_update(
            gx.Checkpoint(
                name=f"basismonitor.{tabel}",
                validation_definitions=[toetsing],
                actions=acties,
                result_format=RESULTAATVORM,
            )
        )
        df = con.sql(f"SELECT * FROM {tabel}").pl().with_row_index(RIJ, offset=1)
        uitslag = checkpoint.run(batch_parameters={"dataframe": suite_frame(df, regels)})
        uitkomsten = outcomes(next(iter(uitslag.run_results.values())), regels, df.height)
        record_results(con, uitkomsten, laag="mart", object_=tabel, run_id=run_id, moment=moment)
        toetsingen.append(Marttoetsing(tabel, tuple(uitkomsten)))
    return toetsingen


def mart_tables(regelset: Regelset) -> list[str]:
    return sorted({r.tabel for r in regelset.marts})
