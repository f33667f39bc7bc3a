"""Assets die de voordeur (bronnen), de publicatie en de rapporten aanroepen."""

from collections import Counter

import dagster as dg

from bronnen.contracten import BRONNEN
from bronnen.kwaliteit import load_rules, validate_marts
from bronnen.levering import Verwerking, process_inboxes, werkprocessen
from bronnen.referentie import GemeenteRegister
from bronnen.warehouse import SleutelFout, connect, ensure_schema
from orchestratie.dbt import DBT_PROJECT_DIR, EAGER, WAREHOUSE_POOL
from orchestratie.resources import BasismonitorResource, warehouse_lock
from rapportages.auditrapport import OnvolledigWarehouse, render_audit_report
from rapportages.exporten import export_all
from rapportages.landelijk import render_national_report
from rapportages.pdf import render_all_municipalities
from rapportages.publicatie import publish

LEDGER_KEY = dg.AssetKey(["kwaliteit", "leveringen"])
PUBLICATIE_KEY = dg.AssetKey(["publicatie", "publicatie"])
RAPPORTEN_KEY = dg.AssetKey(["rapportages", "gemeenterapporten"])
LANDELIJK_KEY = dg.AssetKey(["rapportages", "landelijk"])
EXPORTEN_KEY = dg.AssetKey(["rapportages", "exporten"])
INGEST_KEYS = (*(dg.AssetKey(["raw", b]) for b in BRONNEN), LEDGER_KEY)
MARTS_DEPS = [
    dg.AssetKey(["marts", n])
    for n in (
        "fct_indicator_jaar",
        "fct_indicator_wijk_jaar",
        "fct_indicator_meerjarig",
        "fct_indicator_periode",
        "fct_vergelijking",
        "dim_indicator",
        "dim_gemeente",
        "dim_wijk",
        "fct_verhalen",
    )
]


# De herkomst per cijfer (dbt-model kwaliteit.herkomst) gaat mee in de publicatie.
MARTS_DEPS.append(dg.AssetKey(["kwaliteit", "herkomst"]))


def raw_key(bron: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", bron])


class IngestConfig(dg.Config):
    volledig: bool = False
    """Meld alle geselecteerde bronnen als bijgewerkt, ook zonder nieuwe levering (volledige herberekening)."""


def gemeente_register() -> GemeenteRegister:
    return GemeenteRegister.from_csv(DBT_PROJECT_DIR / "seeds" / "ref_gemeenten_per_jaar.csv")


@dg.multi_asset(
    name="ingest",
    specs=[
        dg.AssetSpec(
            raw_key(b),
            group_name="bronnen",
            skippable=True,
            kinds={"duckdb"},
            description=f"Geaccepteerde leveringen van de bron '{b}' (raw.{b}).",
        )
        for b in BRONNEN
    ]
    + [
        dg.AssetSpec(
            LEDGER_KEY,
            group_name="bronnen",
            skippable=True,
            kinds={"duckdb"},
            description="Het grootboek van alle leveringen (kwaliteit.leveringen).",
        )
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "kwaliteitsregels",
            asset=LEDGER_KEY,
            description="De kwaliteitsregels aan de deur voor de leveringen van deze run. Een `fout` zet die "
            "levering in quarantaine (de andere gaan door) en geeft ernst ERROR; een `waarschuwing` geeft WARN.",
        )
    ],
    can_subset=True,
    pool=WAREHOUSE_POOL,
)
def ingest(context: dg.AssetExecutionContext, config: IngestConfig, basismonitor: BasismonitorResource):
    """Verwerkt de inbox: controleren, pseudonimiseren, laden of in quarantaine zetten."""
    inst = basismonitor.instellingen()
    sleutel = inst.pseudoniem_sleutel()
    register = gemeente_register()
    regelset = load_rules(inst.kwaliteitsregels)
    statussen: Counter[str] = Counter()
    # werkprocessen bereiden leveringen voor terwijl dit proces laadt (bronnen.levering.werkprocessen)
    with warehouse_lock(inst, context.log), werkprocessen(inst.voordeur_werkprocessen) as werkers:
        con = connect(inst.warehouse)
        try:
            for kolom in ensure_schema(con):
                context.log.info(
                    f"{kolom}: pseudoniemen omgezet van tekst (64 tekens) naar een getal van 128 bits "
                    "(dezelfde personen, dezelfde sleutel)"
                )
            # verhalen eerst: het laden van Deduce (de-identificatie, ca. 11 s in één proces) loopt dan in een
            # werkproces naast het voorbereiden van de eerste deelnameleveringen
            gekozen = sorted(
                (b for b in BRONNEN if raw_key(b) in context.selected_asset_keys),
                key=lambda b: b != "verhalen",
            )
            try:
                alles = process_inboxes(
                    con,
                    {bron: inst.inbox_bron(bron) for bron in gekozen},
                    inst.archief,
                    inst.quarantaine,
                    sleutel,
                    register,
                    regelset=regelset,
                    run_id=context.run_id,
                    werkers=werkers,
                )
            except SleutelFout as e:
                # één Nederlandse regel (zonder stacktrace) in Dagster en op de terminal; opnieuw proberen helpt niet
                raise dg.Failure(description=str(e), allow_retries=False) from None
            for bron in BRONNEN:
                if bron not in alles:
                    continue
                resultaten = alles[bron]
                _log_deliveries(context, bron, resultaten)
                statussen.update(r.status for r in resultaten)
                geaccepteerd = [r for r in resultaten if r.status == "geaccepteerd"]
                if geaccepteerd or config.volledig:
                    totaal = con.execute(f"SELECT count(*) FROM raw.{bron}").fetchone()[0]
                    yield dg.MaterializeResult(
                        asset_key=raw_key(bron),
                        metadata={
                            "nieuwe_leveringen": len(geaccepteerd),
                            "nieuwe_rijen": sum(r.rijen for r in geaccepteerd),
                            "rijen_totaal": dg.MetadataValue.int(totaal),
                            "bestanden": ", ".join(r.bestandsnaam for r in geaccepteerd) or "-",
                        },
                    )
            if LEDGER_KEY in context.selected_asset_keys and (sum(statussen.values()) or config.volledig):
                yield dg.MaterializeResult(
                    asset_key=LEDGER_KEY, metadata={k: v for k, v in statussen.items()}
                )
                if context.selected_asset_check_keys:
                    yield _door_check(con, context.run_id)
        finally:
            con.close()
        if sum(statussen.values()):
            _audit_report(context, inst)  # leest het warehouse: nog binnen de vergrendeling


def _log_deliveries(context: dg.AssetExecutionContext, bron: str, resultaten: list[Verwerking]) -> None:
    """Een waarschuwing per afgewezen levering, een regel per levering met een opmerking (dubbel, vervangt,
    verhalen zonder toestemming) en één regel voor de rest: landelijk zijn het honderden leveringen per bron, en
    elke logregel is een gebeurtenis in de Dagster-opslag. Alles per levering staat in het grootboek."""
    gewoon: list[Verwerking] = []
    for r in resultaten:
        if r.status == "afgewezen":
            context.log.warning(f"{bron}: {r.bestandsnaam} afgewezen: {r.reden}")
        elif r.status != "geaccepteerd" or r.reden or r.vervangt:
            vervangt = f", vervangt {r.vervangt}" if r.vervangt else ""
            reden = f": {r.reden}" if r.reden else ""
            context.log.info(f"{bron}: {r.bestandsnaam} {r.status} ({r.rijen} rijen{vervangt}){reden}")
        else:
            gewoon.append(r)
    if gewoon:
        namen = ", ".join(f"{r.bestandsnaam} ({r.rijen})" for r in gewoon)
        context.log.info(
            f"{bron}: {len(gewoon)} leveringen geaccepteerd, {sum(r.rijen for r in gewoon)} rijen: {namen}"
        )


def _door_check(con, run_id: str) -> dg.AssetCheckResult:
    """De uitkomsten van de regels aan de deur in deze run (kwaliteit.validaties) als assetcontrole op het
    grootboek."""
    gefaald = con.execute(
        "SELECT ernst, regel_id, count(*), sum(afwijkend) FROM kwaliteit.validaties "
        "WHERE run_id = ? AND laag = 'voordeur' AND NOT geslaagd GROUP BY ALL ORDER BY ALL",
        [run_id],
    ).fetchall()
    fouten = [f"{r} ({n} leveringen, {a} rijen)" for e, r, n, a in gefaald if e == "fout"]
    waarschuwingen = [f"{r} ({n} leveringen, {a} rijen)" for e, r, n, a in gefaald if e == "waarschuwing"]
    return dg.AssetCheckResult(
        asset_key=LEDGER_KEY,
        check_name="kwaliteitsregels",
        passed=not gefaald,
        severity=dg.AssetCheckSeverity.WARN if waarschuwingen and not fouten else dg.AssetCheckSeverity.ERROR,
        metadata={"fouten": ", ".join(fouten) or "-", "waarschuwingen": ", ".join(waarschuwingen) or "-"},
    )


def _audit_report(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext, inst) -> None:
    """Het auditrapport (kwaliteit/auditrapport.html plus een kopie per run) na elke lading en elke toetsing."""
    try:
        pad = render_audit_report(inst.warehouse, inst.kwaliteit)
    except OnvolledigWarehouse as e:  # vóór de eerste dbt-run bestaat kwaliteit.herkomst nog niet
        context.log.info(f"Nog geen auditrapport: {e}")
        return
    context.log.info(f"Auditrapport bijgewerkt: {pad}")


MART_CHECKS = [
    dg.AssetCheckSpec(
        "kwaliteitsregels",
        asset=key,
        blocking=True,
        automation_condition=EAGER,
        description="De kwaliteitsregels uit het regelbestand (Great Expectations): een `fout` blokkeert de "
        "publicatie, een `waarschuwing` niet.",
    )
    for key in MARTS_DEPS
    if key.path[0] == "marts"
]


@dg.multi_asset_check(specs=MART_CHECKS, name="kwaliteitsregels_marts", can_subset=True, pool=WAREHOUSE_POOL)
def kwaliteitsregels_marts(context: dg.AssetCheckExecutionContext, basismonitor: BasismonitorResource):
    """Toetst de marts aan de kwaliteitsregels en legt de uitkomsten vast in kwaliteit.validaties."""
    inst = basismonitor.instellingen()
    regelset = load_rules(inst.kwaliteitsregels)
    with warehouse_lock(inst, context.log):
        con = connect(inst.warehouse)
        try:
            docs = inst.kwaliteit / "data_docs"
            toetsingen = {
                t.tabel: t for t in validate_marts(con, regelset, context.run.run_id, data_docs=docs)
            }
            context.log.info(f"Great Expectations Data Docs: {docs / 'index.html'}")
        finally:
            con.close()
        _audit_report(context, inst)  # leest het warehouse: nog binnen de vergrendeling
    for check in sorted(context.selected_asset_check_keys, key=lambda k: k.asset_key.to_user_string()):
        tabel = ".".join(check.asset_key.path)
        toetsing = toetsingen.get(tabel)
        if toetsing is None:
            yield dg.AssetCheckResult(
                asset_key=check.asset_key, check_name=check.name, passed=True, metadata={"regels": 0}
            )
            continue
        fouten, waarschuwingen = toetsing.fouten, toetsing.waarschuwingen
        yield dg.AssetCheckResult(
            asset_key=check.asset_key,
            check_name=check.name,
            passed=not fouten and not waarschuwingen,
            # een falende waarschuwing heeft ernst WARN en blokkeert daardoor niet; een fout (ERROR) wel
            severity=dg.AssetCheckSeverity.WARN
            if waarschuwingen and not fouten
            else dg.AssetCheckSeverity.ERROR,
            metadata={
                "regels": len(toetsing.uitkomsten),
                "fouten": ", ".join(f"{u.regel.regel_id} ({u.afwijkend})" for u in fouten) or "-",
                "waarschuwingen": ", ".join(f"{u.regel.regel_id} ({u.afwijkend})" for u in waarschuwingen)
                or "-",
            },
        )


@dg.asset(
    key=PUBLICATIE_KEY,
    deps=MARTS_DEPS,
    group_name="publicatie",
    pool=WAREHOUSE_POOL,
    # niet publiceren zolang een blokkerende controle (een `fout`-regel) op een mart faalt
    automation_condition=EAGER & dg.AutomationCondition.all_deps_blocking_checks_passed(),
    kinds={"duckdb"},
    description="publicatie.duckdb: de marts en het grootboek, atomair vervangen na elke geslaagde build.",
)
def publicatie(context: dg.AssetExecutionContext, basismonitor: BasismonitorResource) -> dg.MaterializeResult:
    inst = basismonitor.instellingen()
    with warehouse_lock(inst, context.log):
        pub = publish(inst.warehouse, inst.publicatie)
    return dg.MaterializeResult(
        metadata={"pad": str(pub.pad), **{t: dg.MetadataValue.int(n) for t, n in pub.tabellen.items()}}
    )


@dg.asset(
    key=RAPPORTEN_KEY,
    deps=[PUBLICATIE_KEY],
    group_name="rapportages",
    automation_condition=EAGER,
    kinds={"html", "pdf"},
    description="Meerjarige gemeenterapporten (HTML en PDF) uit de publicatie, verdeeld over de processorkernen; "
    "de gemeente met de nieuwste levering eerst.",
    # Vóór de exporten en de landelijke vergelijking (die ook alleen op de publicatie wachten): na een
    # levering is het rapport van die gemeente het eerste wat vernieuwd is.
    op_tags={"dagster/priority": "1"},
)
def gemeenterapporten(
    context: dg.AssetExecutionContext, basismonitor: BasismonitorResource
) -> dg.MaterializeResult:
    inst = basismonitor.instellingen()
    paden = render_all_municipalities(inst.publicatie, inst.rapportages)
    return dg.MaterializeResult(
        metadata={
            "rapporten_html": sum(p.suffix == ".html" for p in paden),
            "rapporten_pdf": sum(p.suffix == ".pdf" for p in paden),
            "map": str(inst.rapportages),
        }
    )


@dg.asset(
    key=LANDELIJK_KEY,
    deps=[PUBLICATIE_KEY],
    group_name="rapportages",
    automation_condition=EAGER,
    kinds={"html"},
    description="Landelijke vergelijking: trechterplots per indicator, trajecten per vergelijkingsgroep, tabellen.",
)
def landelijk(context: dg.AssetExecutionContext, basismonitor: BasismonitorResource) -> dg.MaterializeResult:
    inst = basismonitor.instellingen()
    pad = render_national_report(inst.publicatie, inst.rapportages)
    return dg.MaterializeResult(metadata={"pad": str(pad)})


@dg.asset(
    key=EXPORTEN_KEY,
    deps=[PUBLICATIE_KEY],
    group_name="rapportages",
    automation_condition=EAGER,
    kinds={"excel", "parquet"},
    description="Excel-werkmappen per gemeente en landelijk, en Parquet-bestanden van elke mart.",
)
def exporten(context: dg.AssetExecutionContext, basismonitor: BasismonitorResource) -> dg.MaterializeResult:
    inst = basismonitor.instellingen()
    paden = export_all(inst.publicatie, inst.exporten)
    return dg.MaterializeResult(metadata={"bestanden": len(paden), "map": str(inst.exporten)})
