"""Vloeren en peer voor de landelijke benchmark.

Twee vloeren als fysieke referentie voor de twee zware stappen van de keten, en een peer:

- `floor_ingest(inbox, db)`: de ingest-vloer. DuckDB's eigen `read_csv` laadt dezelfde ruwe bestanden in
  tabellen, per bron alle bestanden in één keer (één aanroep per formaatvariant: scheidingsteken, codering,
  datumnotatie, decimaalteken, kopregel); alleen de gemeentecode wordt in SQL naar GMxxxx gezet. De enquête
  (.sav, geen DuckDB-lezer) gaat via pyreadstat en Arrow. Geen controle, geen pseudonimisering.
- `floor_indicators(db)`: de indicatorvloer. Eén handgeschreven DuckDB-script (vloer_indicatoren.sql)
  rekent op die tabellen dezelfde jaarindicatoren als `marts.fct_indicator_jaar`, inclusief harmonisatie
  naar de huidige kaart met de seeds, enquêteschattingen met standaardfout, 95%-intervallen en onderdrukking.
- `peer_pandas(inbox)`: dezelfde indicatoren in gewone pandas, zoals een analist ze schrijft
  (pd.read_csv, pd.read_spss, groupby/merge); geen DuckDB, geen Polars.
- `compare(result_df, warehouse)`: vergelijkt een uitkomst met `marts.fct_indicator_jaar`.

Alle 22 indicatoren uit dbt_project/seeds/indicatoren.csv worden berekend, met dezelfde waarde, standaardfout,
interval en onderdrukking als de mart (op de demo: elke cel binnen 1e-6 relatief). Aannames:

- Een levering is een bestand (kolom `bestand`): de registerdekking (welke jaren een vrijwilligers- of
  mantelzorglevering beschrijft) en de identiteit van een respondent (bestand, respondentnummer) gebruiken het
  bestand waar dbt `levering_id` gebruikt.
- De inbox bevat precies de geldige leveringen (zoals data/archief: geaccepteerd, geen dubbele of vervangen
  leveringen); er is geen controle aan de deur.
- Geen pseudonimisering: de persoonsnummers blijven staan. De HMAC van de keten is per bron één-op-één, dus
  alle tellingen zijn gelijk.
- De ingest-vloer laadt alle .sav-variabelen (zoals raw.enquete); de peer leest alleen de negentien items
  die de indicatoren gebruiken, zoals een analist dat zou doen.

Proef op de demo:
    uv run python benchmarks/vloer.py --archief /tmp/demo_clone/data/archief \\
        --warehouse /tmp/demo_clone/data/warehouse.duckdb --map /tmp/vloer
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import re
import shutil
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "dbt_project" / "seeds"
SQL_INDICATOREN = Path(__file__).with_name("vloer_indicatoren.sql")
BRONNEN = ("bevolking", "deelname", "vrijwilligers", "mantelzorg", "enquete", "verhalen")
CSV_BRONNEN = ("bevolking", "deelname", "vrijwilligers", "mantelzorg", "verhalen")
Z = 1.959963984540054
# Vanaf deze totale omvang van de .sav-bestanden leest floor_ingest ze in parallelle processen (pyreadstat is
# enkelvoudig); daaronder kost het starten van de processen meer dan het oplevert.
POOL_VANAF_BYTES = 64 << 20

# Kolommen en DuckDB-typen per CSV-bron (de raw-tabellen, zonder pseudonimisering: het persoonsnummer blijft).
SCHEMA: dict[str, dict[str, str]] = {
    "bevolking": {
        "gemeentecode": "VARCHAR",
        "jaar": "BIGINT",
        "inwoners": "BIGINT",
        "inwoners_18plus": "BIGINT",
    },
    "deelname": {
        "gemeentecode": "VARCHAR",
        "wijkcode": "VARCHAR",
        "activiteit_id": "VARCHAR",
        "activiteit": "VARCHAR",
        "accommodatie": "VARCHAR",
        "aanbieder": "VARCHAR",
        "periode_start": "DATE",
        "periode_eind": "DATE",
        "aantal_deelnames": "BIGINT",
        "aantal_unieke_deelnemers": "BIGINT",
    },
    "vrijwilligers": {
        "vrijwilliger_id": "VARCHAR",
        "gemeentecode": "VARCHAR",
        "wijkcode": "VARCHAR",
        "organisatie": "VARCHAR",
        "soort_inzet": "VARCHAR",
        "startdatum": "DATE",
        "einddatum": "DATE",
        "uren_per_maand": "DOUBLE",
        "leeftijdsklasse": "VARCHAR",
    },
    "mantelzorg": {
        "mantelzorger_id": "VARCHAR",
        "gemeentecode": "VARCHAR",
        "wijkcode": "VARCHAR",
        "registratiedatum": "DATE",
        "uitschrijfdatum": "DATE",
        "ondersteuningsvorm": "VARCHAR",
        "contactdatum": "DATE",
        "ervaren_belasting": "VARCHAR",
    },
    "verhalen": {
        "gemeentecode": "VARCHAR",
        "wijkcode": "VARCHAR",
        "jaar": "BIGINT",
        "sfeer": "VARCHAR",
        "titel": "VARCHAR",
        "tekst": "VARCHAR",
        "toestemming": "VARCHAR",
    },
}


def _aliassen() -> dict[str, dict[str, str]]:
    """Aliassen uit de leveringscontracten (bijv. gemnr -> gemeentecode), als het pakket beschikbaar is."""
    try:
        from bronnen.contracten import CONTRACTEN
    except ImportError:  # de vloer werkt ook zonder het pakket, dan alleen met de standaardnamen
        return {}
    return {b: {a: k.naam for k in c.kolommen for a in k.aliassen} for b, c in CONTRACTEN.items()}


ALIASSEN = _aliassen()


def _files(inbox: Path, bron: str, suffixes: tuple[str, ...]) -> list[Path]:
    map_ = inbox / bron
    if not map_.is_dir():
        return []
    return sorted(p for p in map_.iterdir() if p.is_file() and p.suffix.lower() in suffixes)


def _sql_text(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# ============================================================================================= ingest-vloer
def _sniff(pad: Path, bron: str) -> tuple:
    """Formaatvariant van een CSV-bestand uit de eerste 64 KiB: (codering, scheidingsteken, datumnotatie,
    decimaalteken, kolomnamen). Bestanden met dezelfde variant gaan samen in één read_csv."""
    with pad.open("rb") as f:
        kop = f.read(1 << 16)
    bom = kop.startswith(b"\xef\xbb\xbf")
    body = kop[3:] if bom else kop
    try:
        (body if len(kop) < (1 << 16) else body[:-4]).decode("utf-8")
        codering = "utf-8"
    except UnicodeDecodeError:
        codering = "latin-1"  # Windows-1252; zie _read_group voor de bytes 0x80-0x9f
    tekst = body.decode("utf-8" if codering == "utf-8" else "cp1252", errors="replace").replace("\r\n", "\n")
    regels = tekst.split("\n")
    if len(kop) == 1 << 16:
        regels = regels[:-1]  # de laatste regel is mogelijk afgebroken
    kopregel = regels[0]
    tellingen = {s: 0 for s in (";", ",", "\t")}
    in_quotes = False
    for ch in kopregel:
        if ch == '"':
            in_quotes = not in_quotes
        elif not in_quotes and ch in tellingen:
            tellingen[ch] += 1
    sep = max(tellingen, key=lambda k: tellingen[k])
    rows = list(csv.reader(regels[:201], delimiter=sep))
    alias = ALIASSEN.get(bron, {})
    namen = tuple(alias.get(n, n) for n in (h.strip().lower() for h in rows[0]))
    typen = SCHEMA[bron]
    datumnotatie, decimaal = "%Y-%m-%d", "."
    for i, naam in enumerate(namen):
        waarden = [r[i] for r in rows[1:] if len(r) > i and r[i]]
        if typen.get(naam) == "DATE" and waarden:
            v = waarden[0]
            if re.fullmatch(r"\d{1,2}-\d{1,2}-\d{4}", v):
                datumnotatie = "%d-%m-%Y"
            elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", v):
                datumnotatie = "%d/%m/%Y"
        if typen.get(naam) == "DOUBLE" and any("," in v for v in waarden):
            decimaal = ","
    return codering, sep, datumnotatie, decimaal, namen


def _read_csv_sql(files: list[str], variant: tuple, bron: str) -> str:
    codering, sep, datumnotatie, decimaal, namen = variant
    typen = SCHEMA[bron]
    kolommen = "{" + ", ".join(f"{_sql_text(n)}: {_sql_text(typen.get(n, 'VARCHAR'))}" for n in namen) + "}"
    opties = (
        f"header = true, auto_detect = false, delim = {_sql_text(sep)}, quote = '\"', escape = '\"', "
        f"encoding = {_sql_text(codering)}, dateformat = {_sql_text(datumnotatie)}, "
        f"decimal_separator = {_sql_text(decimaal)}, columns = {kolommen}, filename = true"
    )
    lijst = "[" + ", ".join(_sql_text(f) for f in files) + "]"
    select = ", ".join(
        "'GM' || lpad(ltrim(upper(gemeentecode), 'GM'), 4, '0') as gemeentecode"
        if n == "gemeentecode"
        else f'"{n}"'
        for n in namen
    )
    return f"insert into {bron} by name select filename as bestand, {select} from read_csv({lijst}, {opties})"


def _read_group(
    con: duckdb.DuckDBPyConnection, files: list[Path], variant: tuple, bron: str, tmp: Path
) -> int:
    """Laadt een groep bestanden met één read_csv. DuckDB leest Windows-1252 als latin-1; bevat een bestand
    een teken uit 0x80-0x9f (bijv. €, ‘ ’), dan weigert DuckDB het en zetten we alleen dat bestand in Python
    om naar UTF-8 (de enige extra stap). Geeft het aantal omgezette bestanden terug."""
    try:
        con.execute(_read_csv_sql([str(f) for f in files], variant, bron))
        return 0
    except duckdb.InvalidInputException as e:
        if variant[0] != "latin-1" or "encod" not in str(e).lower():
            raise
    goed, omgezet = [], []
    for f in files:
        data = f.read_bytes()
        try:
            data.decode("latin-1")
            if any(0x80 <= b <= 0x9F for b in data):
                raise UnicodeDecodeError("latin-1", data, 0, 1, "C1")
            goed.append(f)
        except UnicodeDecodeError:
            doel = tmp / f"{len(omgezet)}_{f.name}"
            doel.write_bytes(data.decode("cp1252", errors="replace").encode("utf-8"))
            omgezet.append(doel)
    if goed:
        con.execute(_read_csv_sql([str(f) for f in goed], variant, bron))
    if omgezet:
        con.execute(_read_csv_sql([str(f) for f in omgezet], ("utf-8", *variant[1:]), bron))
    return len(omgezet)


def _read_sav_arrow(pad: str):
    """Eén .sav-bestand als Arrow-tabel (pyreadstat; alle variabelen, zonder waardelabels toe te passen)."""
    import pyarrow as pa
    import pyreadstat

    df, _ = pyreadstat.read_sav(pad, output_format="polars", apply_value_formats=False)
    tabel = df.to_arrow()
    return tabel.append_column("bestand", pa.array([pad] * tabel.num_rows, pa.string()))


def _load_enquete(con: duckdb.DuckDBPyConnection, files: list[Path], workers: int) -> None:
    import pyarrow as pa

    paden = [str(f) for f in files]
    groot = sum(f.stat().st_size for f in files) > POOL_VANAF_BYTES
    if workers > 1 and len(paden) > 1 and groot:
        # 'spawn': een fork naast de threads van DuckDB en Polars kan vastlopen
        with ProcessPoolExecutor(min(workers, len(paden)), mp_context=mp.get_context("spawn")) as pool:
            tabellen = list(pool.map(_read_sav_arrow, paden))
    else:
        tabellen = [_read_sav_arrow(p) for p in paden]
    sav = pa.concat_tables(tabellen, promote_options="permissive")  # noqa: F841 (DuckDB leest de variabele)
    del tabellen
    con.execute(
        """
        create table enquete as
        select bestand, respondent,
               'GM' || lpad(cast(cast(gemnr as bigint) as varchar), 4, '0') as gemeentecode,
               cast(jr as bigint) as jaar, cast(kw as bigint) as kwartaal, weging,
               nullif(wijknr, '') as wijkcode,
               * exclude (bestand, respondent, gemnr, jr, kw, weging, wijknr)
        from sav
        """
    )


def floor_ingest(inbox: Path, db: Path, *, workers: int = 1) -> dict:
    """Ingest-vloer: laadt alle leveringen in `inbox/<bron>/` met DuckDB's eigen lezers in een nieuwe
    DuckDB-database `db` (tabellen bevolking, deelname, vrijwilligers, mantelzorg, enquete, verhalen, elk met
    de kolom `bestand`). Per bron één read_csv per formaatvariant over alle bestanden tegelijk, met expliciete
    opties (delim, encoding, dateformat, decimal_separator, kolomtypen); alleen de gemeentecode wordt in SQL
    genormaliseerd (0363 -> GM0363). Windows-1252 leest DuckDB als latin-1; alleen een bestand met tekens uit
    0x80-0x9f wordt in Python naar UTF-8 omgezet. De enquête (.sav; DuckDB heeft geen SPSS-lezer) gaat via
    pyreadstat (alle variabelen, zoals raw.enquete) en Arrow in één create table. Geen controle, geen
    pseudonimisering.

    pyreadstat houdt de GIL vast; standaard worden de .sav-bestanden na elkaar gelezen, net als in de keten.
    Met `workers` > 1 (en samen meer dan 64 MiB) leest een procespool ('spawn') ze parallel; dan moet het
    aanroepende script zijn werk onder `if __name__ == "__main__":` doen.

    Geeft {"seconds": {bron: s}, "checkpoint_seconds": s, "total_seconds": s (alles, ook het wegschrijven),
    "rows": {bron: n}, "files": {bron: n}, "csv_variants": {bron: n}, "transcoded_files": n} terug.
    """
    inbox, db = Path(inbox), Path(db)
    workers = max(1, workers)
    for p in (db, db.with_name(db.name + ".wal")):
        p.unlink(missing_ok=True)
    seconden: dict[str, float] = {}
    rijen: dict[str, int] = {}
    bestanden: dict[str, int] = {}
    varianten: dict[str, int] = {}
    omgezet = 0
    begin = time.perf_counter()
    con = duckdb.connect(str(db))
    con.execute("SET enable_progress_bar = false")
    tmp = Path(tempfile.mkdtemp(prefix="vloer_ingest_"))
    try:
        for bron in BRONNEN:
            t0 = time.perf_counter()
            if bron == "enquete":
                files = _files(inbox, bron, (".sav",))
                if files:
                    _load_enquete(con, files, workers)
                else:  # lege tabel met de kolommen die het indicatorscript gebruikt
                    items = ", ".join(f"{i} DOUBLE" for i in ENQUETE_ITEMS)
                    con.execute(
                        "create table enquete (bestand VARCHAR, respondent DOUBLE, gemeentecode VARCHAR, "
                        f"jaar BIGINT, kwartaal BIGINT, weging DOUBLE, wijkcode VARCHAR, {items})"
                    )
            else:
                files = _files(inbox, bron, (".csv", ".txt", ".tsv"))
                kolommen = ", ".join(f'"{n}" {t}' for n, t in SCHEMA[bron].items())
                con.execute(f"create table {bron} (bestand VARCHAR, {kolommen})")
                groepen: dict[tuple, list[Path]] = defaultdict(list)
                for f in files:
                    groepen[_sniff(f, bron)].append(f)
                for variant, groep in groepen.items():
                    omgezet += _read_group(con, groep, variant, bron, tmp)
                varianten[bron] = len(groepen)
            seconden[bron] = time.perf_counter() - t0
            bestanden[bron] = len(files)
            rijen[bron] = con.execute(f"select count(*) from {bron}").fetchone()[0] if files else 0
        t0 = time.perf_counter()
        con.execute("checkpoint")  # alles op schijf, zoals het warehouse na de ingest
        checkpoint = time.perf_counter() - t0
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "seconds": seconden,
        "checkpoint_seconds": checkpoint,
        "total_seconds": time.perf_counter() - begin,
        "rows": rijen,
        "files": bestanden,
        "csv_variants": varianten,
        "transcoded_files": omgezet,
    }


# ============================================================================================= indicatorvloer
def indicator_sql(seeds: Path = SEEDS) -> str:
    """Het handgeschreven indicatorscript met het pad naar de seeds ingevuld."""
    return SQL_INDICATOREN.read_text(encoding="utf-8").replace("{seeds}", str(seeds))


def floor_indicators(db: Path, *, seeds: Path = SEEDS) -> dict:
    """Indicatorvloer: voert het ene handgeschreven DuckDB-script (benchmarks/vloer_indicatoren.sql) uit op de
    tabellen van floor_ingest en geeft {"seconds": s, "result": pandas.DataFrame} terug, één rij per huidige
    gemeentecode, jaar en indicator met teller, noemer, n, waarde, se, ci_onder, ci_boven en onderdrukt
    (zelfde definities en onderdrukking als marts.fct_indicator_jaar). De seeds worden in het script zelf
    met read_csv gelezen; de tussentabellen zijn tijdelijk, de database blijft ongewijzigd."""
    script = indicator_sql(seeds)
    t0 = time.perf_counter()
    con = duckdb.connect(str(db), read_only=True)  # tussentabellen zijn tijdelijk (temp)
    con.execute("SET enable_progress_bar = false")
    try:
        result = con.execute(script).df()
    finally:
        con.close()
    return {"seconds": time.perf_counter() - t0, "result": result}


# ============================================================================================= peer (pandas)
def _read_delivery_csv(pad: Path, usecols: list[str]) -> pd.DataFrame:
    """Eén CSV-levering zoals een analist hem leest: scheidingsteken uit de kopregel, UTF-8 (met of zonder
    BOM) en anders Windows-1252, alles als tekst."""
    with pad.open("rb") as f:
        kop = f.readline().decode("utf-8", errors="replace")
    sep = max((";", ",", "\t"), key=kop.count)
    for enc in ("utf-8-sig", "cp1252"):
        try:
            df = pd.read_csv(pad, sep=sep, encoding=enc, dtype=str, usecols=lambda c: c in usecols)
            break
        except UnicodeDecodeError:
            continue
    df["bestand"] = pad.name
    return df


def _read_source(inbox: Path, bron: str, usecols: list[str]) -> pd.DataFrame:
    files = _files(inbox, bron, (".csv", ".txt", ".tsv"))
    if not files:
        return pd.DataFrame(columns=[*usecols, "bestand"])
    return pd.concat([_read_delivery_csv(f, usecols) for f in files], ignore_index=True)


def _date(s: pd.Series) -> pd.Series:
    """Datums in twee notaties: jjjj-mm-dd en dd-mm-jjjj."""
    iso = s.str[4:5] == "-"
    return pd.to_datetime(s.where(iso), format="%Y-%m-%d").fillna(
        pd.to_datetime(s.where(~iso), format="%d-%m-%Y")
    )


def _gm(s: pd.Series) -> pd.Series:
    return "GM" + s.str.upper().str.removeprefix("GM").str.zfill(4)


def _kaart_pandas(seeds: Path) -> pd.DataFrame:
    """Elke (historische) gemeentecode -> code op de huidige kaart met bevolkingsaandeel (ketens gevolgd)."""
    h = pd.read_csv(
        seeds / "ref_herindelingen.csv", dtype={"oude_gemeentecode": str, "nieuwe_gemeentecode": str}
    )
    h = h.rename(
        columns={
            "oude_gemeentecode": "code",
            "nieuwe_gemeentecode": "actueel",
            "aandeel_bevolking": "aandeel",
        }
    )
    h = h[["code", "actueel", "aandeel"]]
    huidig = pd.read_csv(seeds / "ref_gemeenten.csv", dtype=str)["gemeentecode"]
    stap, alle = h, [h]
    for _ in range(19):
        stap = stap.merge(h, left_on="actueel", right_on="code", suffixes=("", "_v"))
        if stap.empty:
            break
        stap = pd.DataFrame(
            {
                "code": stap["code"],
                "actueel": stap["actueel_v"],
                "aandeel": stap["aandeel"] * stap["aandeel_v"],
            }
        )
        alle.append(stap)
    keten = pd.concat(alle)
    keten = keten[keten["actueel"].isin(huidig)].groupby(["code", "actueel"], as_index=False)["aandeel"].sum()
    return pd.concat(
        [keten, pd.DataFrame({"code": huidig, "actueel": huidig, "aandeel": 1.0})], ignore_index=True
    )


def _coverage(
    df: pd.DataFrame, start: str, eind: str, laatste: list[str], kaart: pd.DataFrame
) -> pd.DataFrame:
    """Registerdekking: de jaren die een levering (bestand) per gemeente beschrijft, op de huidige kaart."""
    p = df.groupby(["bestand", "gemeentecode"], as_index=False).agg(
        eerste_start=(start, "min"), eerste_einde=(eind, "min"), **{c: (c, "max") for c in laatste}
    )
    eerste_start = p["eerste_start"].dt.year
    eerste_einde = p["eerste_einde"].dt.year
    van = eerste_start.where(eerste_einde.fillna(eerste_start) <= eerste_start + 1, eerste_einde)
    tot = p[laatste].max(axis=1).dt.year
    p["jaar"] = [list(range(int(a), int(b) + 1)) for a, b in zip(van, tot, strict=True)]
    p = p.explode("jaar").dropna(subset=["jaar"])
    p = p.merge(kaart, left_on="gemeentecode", right_on="code")
    return p[["bestand", "actueel", "jaar"]].astype({"jaar": int}).drop_duplicates()


def _survey_estimates(resp: pd.DataFrame, kaart: pd.DataFrame) -> pd.DataFrame:
    """Gewogen gemiddelde per gemeente (huidige kaart) en jaar met de linearisatie-standaardfout van
    svyby/svymean (R survey), strata = aanleverende gemeente x jaar. `resp` heeft één rij per respondent:
    stratum, jaar, w en per indicator een kolom y (leeg als de respondent niet meetelt)."""
    lang = resp.melt(id_vars=["stratum", "jaar", "w"], var_name="indicator", value_name="y").dropna(
        subset=["y"]
    )
    n_h = lang.groupby(["indicator", "stratum", "jaar"]).size().rename("n_h").reset_index()
    lang = lang.merge(kaart, left_on="stratum", right_on="code")
    lang["w"] = lang["w"] * lang["aandeel"]
    lang["wy"] = lang["w"] * lang["y"]
    sleutel = ["indicator", "actueel", "jaar"]
    est = lang.groupby(sleutel, as_index=False).agg(
        teller=("wy", "sum"), noemer=("w", "sum"), n=("y", "size")
    )
    est["schatting"] = est["teller"] / est["noemer"]
    lang = lang.merge(est[[*sleutel, "schatting", "noemer"]], on=sleutel)
    lang["z"] = lang["w"] * (lang["y"] - lang["schatting"]) / lang["noemer"]
    lang["z2"] = lang["z"] ** 2
    res = lang.groupby([*sleutel, "stratum"], as_index=False).agg(s1=("z", "sum"), s2=("z2", "sum"))
    res = res.merge(n_h, on=["indicator", "stratum", "jaar"])
    res["var"] = res["n_h"] / (res["n_h"] - 1.0) * (res["s2"] - res["s1"] ** 2 / res["n_h"])
    var = res.groupby(sleutel, as_index=False).agg(var=("var", "sum"), kleinste=("n_h", "min"))
    est = est.merge(var, on=sleutel)
    est["se"] = np.where(est["kleinste"] > 1, np.sqrt(est["var"].clip(lower=0)), np.nan)
    return est[[*sleutel, "teller", "noemer", "n", "schatting", "se"]]


def _publish(obs: pd.DataFrame, seeds: Path) -> pd.DataFrame:
    """Schaal, 95%-interval en onderdrukking uit de catalogus (zoals de macro gepubliceerde_cijfers)."""
    cat = pd.read_csv(seeds / "indicatoren.csv").rename(columns={"code": "indicator"})
    d = obs.merge(cat[["indicator", "schaal", "intervalmethode", "minimum_n"]], on="indicator")
    p, se, n, x, noemer = d["schatting"], d["se"], d["n"], d["teller"], d["noemer"]
    n_eff = np.where(se > 0, p * (1 - p) / se**2, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        wortel = Z * np.sqrt(p * (1 - p) / n_eff + Z**2 / (4 * n_eff**2))
        w_onder = np.where(n_eff > 0, (p + Z**2 / (2 * n_eff) - wortel) / (1 + Z**2 / n_eff), np.nan)
        w_boven = np.where(n_eff > 0, (p + Z**2 / (2 * n_eff) + wortel) / (1 + Z**2 / n_eff), np.nan)
        p_onder = np.where(x == 0, 0.0, x * (1 - 1 / (9.0 * x) - Z / (3 * np.sqrt(x))) ** 3) / noemer
        p_boven = (x + 1) * (1 - 1 / (9.0 * (x + 1)) + Z / (3 * np.sqrt(x + 1))) ** 3 / noemer
    m = d["intervalmethode"]
    onder = np.select(
        [m == "wilson", m == "poisson", m == "normaal"], [w_onder, p_onder, p - Z * se], d["ci_onder_basis"]
    )
    boven = np.select(
        [m == "wilson", m == "poisson", m == "normaal"], [w_boven, p_boven, p + Z * se], d["ci_boven_basis"]
    )
    onderdrukt = n < d["minimum_n"]
    open_ = ~onderdrukt
    schaal = d["schaal"]
    return pd.DataFrame(
        {
            "gemeentecode": d["actueel"],
            "jaar": d["jaar"].astype("int32"),
            "indicator": d["indicator"],
            "teller": x.where(open_).astype(float),
            "noemer": noemer.where(open_).astype(float),
            "n": n.where(open_).astype("Int64"),
            "waarde": (p * schaal).where(open_),
            "se": (se * schaal).where(open_),
            "ci_onder": (np.fmin(np.fmax(onder, 0), p) * schaal).where(open_ & pd.notna(onder)),
            "ci_boven": (np.fmax(boven, p) * schaal).where(open_),
            "onderdrukt": onderdrukt,
        }
    ).sort_values(["gemeentecode", "jaar", "indicator"], ignore_index=True)


# Burgerpeiling-items van de indicatoren met hun aantal inhoudelijke antwoordcategorieën.
ENQUETE_ITEMS = {
    "zw06_0": 3, "zw06_1": 3, "zw06_2": 3, "zw06_3": 3, "zw09": 4, "zw10_0": 3, "zw10_1": 3, "zw10_2": 3,
    "zw03": 3, "zw04": 4, "zw01_5": 4, "wl02_0": 5, "wl02_1": 5, "wl03_0": 5, "wl03_1": 5, "wl03_2": 5,
    "wl13": 3, "vz03_1": 5, "vz03_6": 5,
}  # fmt: skip


def _rate(
    df: pd.DataFrame, indicator: str, teller: str, noemer: str, n: str, se: str = "aandeel"
) -> pd.DataFrame:
    """Waarnemingen in de basiseenheid: schatting = teller / noemer, se binomiaal of Poisson."""
    p = df[teller] / df[noemer]
    fout = np.sqrt(p * (1 - p) / df[noemer]) if se == "aandeel" else np.sqrt(df[teller]) / df[noemer]
    return pd.DataFrame(
        {"indicator": indicator, "actueel": df["actueel"], "jaar": df["jaar"], "teller": df[teller].astype(float),
         "noemer": df[noemer].astype(float), "n": df[n], "schatting": p, "se": fout}
    )  # fmt: skip


def _peer_deelname(dl: pd.DataFrame, kaart: pd.DataFrame, seeds: Path) -> tuple[list, list]:
    dl["gemeentecode"] = _gm(dl["gemeentecode"])
    dl["jaar"] = _date(dl["periode_start"]).dt.year
    dl["aantal_deelnames"] = pd.to_numeric(dl["aantal_deelnames"])
    dl["aantal_unieke_deelnemers"] = pd.to_numeric(dl["aantal_unieke_deelnemers"])
    dl = dl.drop(columns=["periode_start", "bestand"]).merge(kaart, left_on="gemeentecode", right_on="code")
    dl["deelnames"] = dl["aantal_deelnames"] * dl["aandeel"]
    dl["unieke"] = dl["aantal_unieke_deelnemers"] * dl["aandeel"]
    dl["uniek_gevuld"] = dl["aantal_unieke_deelnemers"].notna()
    # per activiteit, wijk en jaar op de huidige kaart
    dj = dl.groupby(["actueel", "jaar", "activiteit_id", "wijkcode"], as_index=False, dropna=False).agg(
        deelnames=("deelnames", "sum"),
        unieke=("unieke", "sum"),
        unieke_volledig=("uniek_gevuld", "all"),
        gewicht=("aandeel", "max"),
    )
    del dl
    aj = dj.groupby(["actueel", "jaar", "activiteit_id"], as_index=False).agg(
        deelnames=("deelnames", "sum"), gewicht=("gewicht", "max")
    )
    aj = aj[aj["deelnames"] > 0]
    gj = dj.groupby(["actueel", "jaar"], as_index=False).agg(
        deelnames=("deelnames", "sum"), unieke=("unieke", "sum"), volledig=("unieke_volledig", "all")
    )
    tellingen = [
        gj[["actueel", "jaar", "deelnames"]]
        .rename(columns={"deelnames": "teller"})
        .assign(indicator="i_deelnames_per_1000"),
        gj.loc[gj["volledig"], ["actueel", "jaar", "unieke"]]
        .rename(columns={"unieke": "teller"})
        .assign(indicator="i_unieke_deelnemers_per_1000"),
        aj.groupby(["actueel", "jaar"], as_index=False)["gewicht"]
        .sum()
        .rename(columns={"gewicht": "teller"})
        .assign(indicator="i_activiteiten_per_10000"),
    ]
    obs = []

    # continuïteit: activiteiten met deelnames in het jaar en in de twee jaren ervoor
    dj_jaren = dj[["actueel", "jaar"]].drop_duplicates()
    a = aj[["actueel", "jaar", "activiteit_id", "gewicht"]].copy()
    for k in (1, 2):
        a = a.merge(dj_jaren.assign(jaar=dj_jaren["jaar"] + k), on=["actueel", "jaar"])
        vorig = aj[["actueel", "jaar", "activiteit_id"]].assign(**{f"v{k}": True, "jaar": aj["jaar"] + k})
        a = a.merge(vorig, on=["actueel", "jaar", "activiteit_id"], how="left")
    a["lopend"] = a["gewicht"] * (a["v1"].notna() & a["v2"].notna())
    cont = a.groupby(["actueel", "jaar"], as_index=False).agg(
        lopend=("lopend", "sum"), actief=("gewicht", "sum"), n=("gewicht", "size")
    )
    obs.append(_rate(cont, "i_continuiteit_activiteiten", "lopend", "actief", "n"))

    # spreiding over de CBS-wijken (indeling 2022) en Gini
    wijken = pd.read_csv(seeds / "ref_wijken.csv", dtype=str).merge(
        kaart, left_on="gemeentecode", right_on="code"
    )
    wijken = wijken.loc[wijken["aandeel"] == 1, ["actueel", "wijkcode"]]
    m = dj.merge(wijken.assign(bekend=True), on=["actueel", "wijkcode"], how="left")
    m["met_wijk"] = m["deelnames"].where(m["bekend"].notna(), 0.0)
    wd = m.groupby(["actueel", "jaar"], as_index=False).agg(
        totaal=("deelnames", "sum"), met_wijk=("met_wijk", "sum")
    )
    wd = wd[(wd["met_wijk"] >= 0.9 * wd["totaal"]) & (wd["totaal"] > 0)]
    per_wijk = dj.groupby(["actueel", "jaar", "wijkcode"], as_index=False)["deelnames"].sum()
    ww = wijken.merge(wd[["actueel", "jaar"]], on="actueel")
    ww = ww.merge(per_wijk, on=["actueel", "jaar", "wijkcode"], how="left")
    ww["deelnames"] = ww["deelnames"].fillna(0.0)
    ww = ww.sort_values(["actueel", "jaar", "deelnames"])
    ww["rang_x"] = (ww.groupby(["actueel", "jaar"]).cumcount() + 1) * ww["deelnames"]
    ww["actief"] = ww["deelnames"] > 0
    sp = ww.groupby(["actueel", "jaar"], as_index=False).agg(
        wijken=("wijkcode", "size"), met=("actief", "sum"), som=("deelnames", "sum"), som_rx=("rang_x", "sum")
    )
    obs.append(_rate(sp, "i_wijken_met_activiteit", "met", "wijken", "wijken"))
    g = sp[sp["som"] > 0]
    obs.append(
        pd.DataFrame(
            {"indicator": "i_gini_deelname_wijken", "actueel": g["actueel"], "jaar": g["jaar"], "teller": np.nan,
             "noemer": g["wijken"].astype(float), "n": g["wijken"],
             "schatting": 2.0 * g["som_rx"] / (g["wijken"] * g["som"]) - (g["wijken"] + 1.0) / g["wijken"],
             "se": np.nan}
        )
    )  # fmt: skip
    return tellingen, obs


def _peer_vrijwilligers(vw: pd.DataFrame, kaart: pd.DataFrame) -> tuple[list, list]:
    vw["gemeentecode"] = _gm(vw["gemeentecode"])
    vw["startdatum"], vw["einddatum"] = _date(vw["startdatum"]), _date(vw["einddatum"])
    dekking = _coverage(vw, "startdatum", "einddatum", ["startdatum", "einddatum"], kaart)
    inzet = vw.merge(kaart, left_on="gemeentecode", right_on="code")
    del vw
    # persoonsjaren: een inzet die in het jaar liep, in een jaar dat de levering beschrijft
    pj = inzet.merge(dekking, on=["bestand", "actueel"])
    pj = pj[
        (pj["startdatum"].dt.year <= pj["jaar"])
        & (pj["einddatum"].isna() | (pj["einddatum"].dt.year >= pj["jaar"]))
    ]
    vj = pj.groupby(["actueel", "jaar", "vrijwilliger_id"], as_index=False)["aandeel"].max()
    del pj
    vj = vj.rename(columns={"aandeel": "gewicht"})
    eerste = inzet.groupby(["actueel", "vrijwilliger_id"], as_index=False)["startdatum"].min()
    vj = vj.merge(eerste, on=["actueel", "vrijwilliger_id"])
    vj["duur"] = (pd.to_datetime(vj["jaar"].astype(str) + "-12-31") - vj["startdatum"]).dt.days / 365.25
    tellingen = [
        vj.groupby(["actueel", "jaar"], as_index=False)["gewicht"]
        .sum()
        .rename(columns={"gewicht": "teller"})
        .assign(indicator="g_vrijwilligers_per_1000")
    ]
    # behoud: van de vrijwilligers van vorig jaar, wie is er dit jaar nog (als het register dit jaar beschrijft)
    nu = vj[["actueel", "jaar", "vrijwilliger_id"]].assign(gebleven=1.0)
    b = vj[["actueel", "jaar", "vrijwilliger_id", "gewicht"]].assign(jaar=vj["jaar"] + 1)
    b = b.merge(dekking[["actueel", "jaar"]].drop_duplicates(), on=["actueel", "jaar"])
    b = b.merge(nu, on=["actueel", "jaar", "vrijwilliger_id"], how="left")
    b["gebleven"] = b["gewicht"] * b["gebleven"].fillna(0.0)
    behoud = b.groupby(["actueel", "jaar"], as_index=False).agg(
        gebleven=("gebleven", "sum"), vorig_jaar=("gewicht", "sum"), n=("gewicht", "size")
    )
    obs = [_rate(behoud, "g_vrijwilligers_behoud", "gebleven", "vorig_jaar", "n")]
    # mediane inzetduur met het verdelingsvrije interval op rangnummers
    d = vj.sort_values(["actueel", "jaar", "duur"])[["actueel", "jaar", "duur"]]
    d["rang"] = d.groupby(["actueel", "jaar"]).cumcount() + 1
    d["n"] = d.groupby(["actueel", "jaar"])["duur"].transform("size")
    d["onder"] = d["duur"].where(d["rang"] >= np.floor(d["n"] / 2.0 - Z * np.sqrt(d["n"]) / 2))
    d["boven"] = d["duur"].where(d["rang"] <= np.ceil(d["n"] / 2.0 + Z * np.sqrt(d["n"]) / 2) + 1)
    duur = d.groupby(["actueel", "jaar"], as_index=False).agg(
        n=("n", "max"),
        schatting=("duur", "median"),
        ci_onder_basis=("onder", "min"),
        ci_boven_basis=("boven", "max"),
    )
    duur["noemer"] = duur["n"].astype(float)
    duur["se"] = (duur["ci_boven_basis"] - duur["ci_onder_basis"]) / (2 * Z)
    obs.append(duur.assign(indicator="g_inzetduur_mediaan", teller=np.nan))
    return tellingen, obs


def _peer_mantelzorg(mz: pd.DataFrame, kaart: pd.DataFrame) -> tuple[list, list]:
    mz["gemeentecode"] = _gm(mz["gemeentecode"])
    for c in ("registratiedatum", "uitschrijfdatum", "contactdatum"):
        mz[c] = _date(mz[c])
    dekking = _coverage(
        mz,
        "registratiedatum",
        "uitschrijfdatum",
        ["registratiedatum", "uitschrijfdatum", "contactdatum"],
        kaart,
    )
    mz = mz.merge(kaart, left_on="gemeentecode", right_on="code")
    # ingeschreven in een jaar dat de levering beschrijft
    inschr = mz[["bestand", "actueel", "aandeel", "mantelzorger_id", "registratiedatum", "uitschrijfdatum"]]
    inschr = inschr.drop_duplicates().merge(dekking, on=["bestand", "actueel"])
    inschr = inschr[
        (inschr["registratiedatum"].dt.year <= inschr["jaar"])
        & (inschr["uitschrijfdatum"].isna() | (inschr["uitschrijfdatum"].dt.year >= inschr["jaar"]))
    ]
    mj = inschr.groupby(["actueel", "jaar", "mantelzorger_id"], as_index=False)["aandeel"].max()
    del inschr
    mj = mj.rename(columns={"aandeel": "gewicht"})
    # contacten: verschillende (vorm, datum) in het jaar, binnen een inschrijving en een gedekt jaar
    c = mz[mz["contactdatum"].notna()].assign(jaar=lambda x: x["contactdatum"].dt.year)
    del mz
    c = c[
        (c["registratiedatum"].dt.year <= c["jaar"])
        & (c["uitschrijfdatum"].isna() | (c["uitschrijfdatum"].dt.year >= c["jaar"]))
    ]
    c = c.merge(dekking, on=["bestand", "actueel", "jaar"])
    c = c.drop_duplicates(["actueel", "jaar", "mantelzorger_id", "ondersteuningsvorm", "contactdatum"])
    contacten = c.groupby(["actueel", "jaar", "mantelzorger_id"]).size().rename("contacten").reset_index()
    del c
    mj = mj.merge(contacten, on=["actueel", "jaar", "mantelzorger_id"], how="left")
    mj["contacten"] = mj["contacten"].fillna(0)
    mj["ondersteund"] = mj["gewicht"] * (mj["contacten"] > 0)
    mj["gewogen_contacten"] = mj["gewicht"] * mj["contacten"]
    mzj = mj.groupby(["actueel", "jaar"], as_index=False).agg(
        ingeschreven=("gewicht", "sum"),
        ondersteund=("ondersteund", "sum"),
        contacten=("gewogen_contacten", "sum"),
        n=("gewicht", "size"),
    )
    tellingen = [
        mzj[["actueel", "jaar", "ingeschreven"]]
        .rename(columns={"ingeschreven": "teller"})
        .assign(indicator="p_mantelzorgers_per_1000")
    ]
    obs = [
        _rate(mzj, "p_mantelzorgers_ondersteund", "ondersteund", "ingeschreven", "n"),
        _rate(mzj, "i_contacten_per_mantelzorger", "contacten", "ingeschreven", "n", se="poisson"),
    ]
    return tellingen, obs


def _peer_enquete(enq: pd.DataFrame, bev: pd.DataFrame, kaart: pd.DataFrame) -> list:
    enq["gemeentecode"] = "GM" + enq["gemnr"].astype(int).astype(str).str.zfill(4)
    enq["jaar"] = enq["jr"].astype(int)
    for item, k in ENQUETE_ITEMS.items():  # alleen inhoudelijke antwoorden; weet niet / n.v.t. is missend
        enq[item] = enq[item].where(enq[item].between(1, k))
    # gewicht geschaald naar de volwassen bevolking van de aanleverende gemeente (het stratum)
    enq["som_weging"] = enq.groupby(["gemeentecode", "jaar"])["weging"].transform("sum")
    enq = enq.merge(
        bev[["gemeentecode", "jaar", "inwoners", "inwoners_18plus"]], on=["gemeentecode", "jaar"], how="left"
    )
    omvang = enq["inwoners_18plus"].fillna(enq["inwoners"]).fillna(enq["som_weging"])
    enq["w"] = enq["weging"] * omvang / enq["som_weging"]
    enq["stratum"] = enq["gemeentecode"]

    def aandeel(vraag: str, gunstig: tuple, voorwaarde: pd.Series | None = None) -> pd.Series:
        geldig = enq[vraag].notna() if voorwaarde is None else voorwaarde & enq[vraag].notna()
        return enq[vraag].isin(gunstig).astype(float).where(geldig)

    def schaal(delen: dict[str, int], minimaal: int) -> pd.Series:
        scores = pd.DataFrame({v: (k - enq[v]) / (k - 1.0) for v, k in delen.items()})
        aantal = scores.notna().sum(axis=1)
        return (10.0 * scores.fillna(0).sum(axis=1) / aantal).where(aantal >= minimaal)

    y = pd.DataFrame(
        {
            "p_mantelzorg_geven": aandeel("zw06_0", (1, 2)),
            "p_mantelzorg_zwaar_belast": aandeel("zw09", (3, 4), voorwaarde=enq["zw06_0"].isin((1, 2))),
            "g_vrijwilligerswerk": aandeel("zw06_3", (1, 2)),
            "g_actief_voor_buurt": aandeel("wl13", (1, 2)),
            "i_tevreden_welzijn": aandeel("vz03_1", (1, 2)),
            "i_tevreden_ontmoeting": aandeel("vz03_6", (1, 2)),
            "p_sociaal_vangnet": schaal({"zw10_0": 3, "zw10_1": 3, "zw10_2": 3}, 2),
            "p_sociale_relaties": schaal({"zw03": 3, "zw04": 4, "zw01_5": 4}, 2),
            "g_verbondenheid_buurt": schaal(
                {"wl02_0": 5, "wl02_1": 5, "wl03_0": 5, "wl03_1": 5, "wl03_2": 5}, 3
            ),
            "g_samenredzaamheid": schaal({"zw06_1": 3, "zw06_2": 3, "wl03_1": 5}, 2),
        }
    )
    resp = pd.concat([enq[["stratum", "jaar", "w"]], y], axis=1)
    del y
    return [_survey_estimates(resp, kaart)]


def peer_pandas(inbox: Path, *, seeds: Path = SEEDS) -> dict:
    """Peer: dezelfde jaarindicatoren als marts.fct_indicator_jaar in gewone pandas, zoals een analist ze
    schrijft: de bestanden met pd.read_csv en pd.read_spss lezen (alleen de kolommen die nodig zijn), rekenen met
    groupby en merge, per bron een functie (geen DuckDB, geen Polars, geen lussen per rij). Geeft
    {"seconds": s, "seconds_read": s, "seconds_compute": s, "result": DataFrame} terug, met dezelfde kolommen
    als floor_indicators."""
    inbox = Path(inbox)
    t0 = time.perf_counter()
    ruw = {
        "bevolking": _read_source(
            inbox, "bevolking", ["gemeentecode", "jaar", "inwoners", "inwoners_18plus"]
        ),
        "deelname": _read_source(
            inbox,
            "deelname",
            [
                "gemeentecode",
                "wijkcode",
                "activiteit_id",
                "periode_start",
                "aantal_deelnames",
                "aantal_unieke_deelnemers",
            ],
        ),  # fmt: skip
        "vrijwilligers": _read_source(
            inbox, "vrijwilligers", ["vrijwilliger_id", "gemeentecode", "startdatum", "einddatum"]
        ),
        "mantelzorg": _read_source(
            inbox,
            "mantelzorg",
            [
                "mantelzorger_id",
                "gemeentecode",
                "registratiedatum",
                "uitschrijfdatum",
                "ondersteuningsvorm",
                "contactdatum",
            ],
        ),  # fmt: skip
        "enquete": pd.concat(
            [
                pd.read_spss(f, usecols=["gemnr", "jr", "weging", *ENQUETE_ITEMS], convert_categoricals=False)
                for f in _files(inbox, "enquete", (".sav",))
            ],
            ignore_index=True,
        ),
    }
    t_read = time.perf_counter()

    kaart = _kaart_pandas(seeds)
    bev = ruw.pop("bevolking")
    bev["gemeentecode"] = _gm(bev["gemeentecode"])
    bev = bev.astype({"jaar": int, "inwoners": float, "inwoners_18plus": float})
    inwoners = (
        bev.merge(kaart, left_on="gemeentecode", right_on="code")
        .assign(inwoners=lambda d: d["inwoners"] * d["aandeel"])
        .groupby(["actueel", "jaar"], as_index=False)["inwoners"]
        .sum()
    )
    tellingen, obs = _peer_deelname(ruw.pop("deelname"), kaart, seeds)
    t, o = _peer_vrijwilligers(ruw.pop("vrijwilligers"), kaart)
    tellingen, obs = tellingen + t, obs + o
    t, o = _peer_mantelzorg(ruw.pop("mantelzorg"), kaart)
    tellingen, obs = tellingen + t, obs + o
    obs += _peer_enquete(ruw.pop("enquete"), bev, kaart)

    # tellingen per inwoner (Poisson): noemer = inwoners op de huidige kaart
    per_inwoner = pd.concat(tellingen, ignore_index=True).merge(inwoners, on=["actueel", "jaar"])
    per_inwoner["n"] = per_inwoner["teller"].round().astype("int64")
    for indicator, groep in per_inwoner.groupby("indicator"):
        obs.append(_rate(groep, indicator, "teller", "inwoners", "n", se="poisson"))

    alle = pd.concat(obs, ignore_index=True)
    for c in ("ci_onder_basis", "ci_boven_basis"):
        if c not in alle:
            alle[c] = np.nan
    result = _publish(alle, seeds)
    t_end = time.perf_counter()
    return {
        "seconds": t_end - t0,
        "seconds_read": t_read - t0,
        "seconds_compute": t_end - t_read,
        "result": result,
    }


# ============================================================================================= vergelijking
def compare(result_df: pd.DataFrame, warehouse: Path, *, rtol: float = 1e-6) -> dict:
    """Vergelijkt een uitkomst (floor_indicators of peer_pandas; kolommen gemeentecode, jaar, indicator of
    indicator_code, waarde, en zo aanwezig se, ci_onder, ci_boven, onderdrukt) met marts.fct_indicator_jaar
    in `warehouse` op (gemeentecode, jaar, indicator), alleen voor de gepubliceerde (niet onderdrukte) cellen
    van de mart. Per indicator: het aantal cellen, hoeveel de uitkomst heeft, hoeveel binnen de relatieve
    tolerantie `rtol` gelijk zijn (waarde, en ook se en interval), het grootste absolute verschil, en hoeveel
    cellen de uitkomst anders onderdrukt of extra heeft. Geeft {"per_indicator": DataFrame, "cells": n,
    "matching": n, "all_match": bool} terug."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        mart = con.execute(
            "select gemeentecode, jaar, indicator_code as indicator, waarde, se, ci_onder, ci_boven, onderdrukt "
            "from marts.fct_indicator_jaar"
        ).df()
    finally:
        con.close()
    if hasattr(result_df, "to_pandas"):  # ook een Polars-tabel
        result_df = result_df.to_pandas()
    res = result_df.rename(columns={"indicator_code": "indicator"}).copy()
    for c in ("se", "ci_onder", "ci_boven"):
        if c not in res:
            res[c] = np.nan
    if "onderdrukt" not in res:
        res["onderdrukt"] = res["waarde"].isna()
    sleutel = ["gemeentecode", "jaar", "indicator"]
    res["jaar"] = res["jaar"].astype(int)
    mart["jaar"] = mart["jaar"].astype(int)
    m = mart.merge(res[[*sleutel, "waarde", "se", "ci_onder", "ci_boven", "onderdrukt"]], on=sleutel,
                   how="outer", suffixes=("_mart", ""), indicator=True)  # fmt: skip

    def gelijk(a: pd.Series, b: pd.Series) -> pd.Series:
        a, b = a.astype(float), b.astype(float)
        beide_leeg = a.isna() & b.isna()
        return beide_leeg | (np.abs(a - b) <= rtol * np.maximum(np.abs(a), np.abs(b))) | (a == b)

    gepubliceerd = (m["_merge"] != "right_only") & ~m["onderdrukt_mart"].astype(bool)
    rijen = []
    for ind in sorted(set(m["indicator"])):
        i = m["indicator"] == ind
        pub = m[i & gepubliceerd]
        aanwezig = pub["_merge"] == "both"
        verschil = (pub["waarde"].astype(float) - pub["waarde_mart"].astype(float)).abs()
        rijen.append(
            {
                "indicator": ind,
                "cells": len(pub),
                "in_result": int(aanwezig.sum()),
                "match": int(
                    (aanwezig & pub["waarde"].notna() & gelijk(pub["waarde"], pub["waarde_mart"])).sum()
                ),
                "max_abs_diff": float(verschil.max()) if verschil.notna().any() else np.nan,
                "se_match": int((aanwezig & gelijk(pub["se"], pub["se_mart"])).sum()),
                "ci_match": int(
                    (
                        aanwezig
                        & gelijk(pub["ci_onder"], pub["ci_onder_mart"])
                        & gelijk(pub["ci_boven"], pub["ci_boven_mart"])
                    ).sum()
                ),  # fmt: skip
                "suppressed_mart": int(
                    (i & (m["_merge"] != "right_only") & m["onderdrukt_mart"].astype(bool)).sum()
                ),
                "suppression_differs": int(
                    (
                        i
                        & (m["_merge"] == "both")
                        & (m["onderdrukt_mart"].astype(bool) != m["onderdrukt"].astype(bool))
                    ).sum()
                ),
                "only_in_result": int((i & (m["_merge"] == "right_only")).sum()),
            }
        )
    tabel = pd.DataFrame(rijen)
    return {
        "per_indicator": tabel,
        "cells": int(tabel["cells"].sum()),
        "matching": int(tabel["match"].sum()),
        "all_match": bool(
            (tabel["match"] == tabel["cells"]).all() and (tabel["suppression_differs"] == 0).all()
        ),
    }


# ============================================================================================= hulpmiddelen
def inbox_from_archive(archief: Path, inbox: Path) -> Path:
    """Maakt een inbox-achtige map uit een archief (data/archief/<bron>/<levering_id>__<naam>): per bron een
    kopie van elk bestand zonder het voorvoegsel <levering_id>__."""
    archief, inbox = Path(archief), Path(inbox)
    for bron in BRONNEN:
        bron_map = archief / bron
        if not bron_map.is_dir():
            continue
        (inbox / bron).mkdir(parents=True, exist_ok=True)
        for f in sorted(bron_map.iterdir()):
            if f.is_file() and not f.name.endswith(".rapport.md"):
                shutil.copy2(f, inbox / bron / f.name.split("__", 1)[-1])
    return inbox


def main() -> None:
    ap = argparse.ArgumentParser(
        description="Vloeren en peer op een archief of inbox, vergeleken met de mart."
    )
    bron = ap.add_mutually_exclusive_group(required=True)
    bron.add_argument("--archief", type=Path, help="data/archief van een gedraaide keten")
    bron.add_argument("--inbox", type=Path, help="een inbox-achtige map met <bron>/-submappen")
    ap.add_argument("--warehouse", type=Path, help="warehouse.duckdb met marts.fct_indicator_jaar")
    ap.add_argument("--map", type=Path, default=Path("/tmp/vloer"), help="werkmap")
    ap.add_argument("--zonder-peer", action="store_true")
    args = ap.parse_args()
    args.map.mkdir(parents=True, exist_ok=True)
    inbox = args.inbox
    if args.archief:
        inbox = args.map / "inbox"
        shutil.rmtree(inbox, ignore_errors=True)
        inbox_from_archive(args.archief, inbox)
    pd.set_option("display.width", 200)
    ingest = floor_ingest(inbox, args.map / "vloer.duckdb")
    print(f"ingest-vloer: {ingest['total_seconds']:.2f} s")
    for b in BRONNEN:
        print(f"  {b:<14} {ingest['rows'].get(b, 0):>10,} rijen {ingest['seconds'].get(b, 0):8.2f} s")
    if ingest["transcoded_files"]:
        print(f"  (omgezet naar UTF-8: {ingest['transcoded_files']} bestanden)")
    vloer = floor_indicators(args.map / "vloer.duckdb")
    print(f"indicatorvloer: {vloer['seconds']:.2f} s, {len(vloer['result']):,} cellen")
    peer = None
    if not args.zonder_peer:
        peer = peer_pandas(inbox)
        print(
            f"peer (pandas): {peer['seconds']:.2f} s (lezen {peer['seconds_read']:.2f} s, "
            f"rekenen {peer['seconds_compute']:.2f} s), {len(peer['result']):,} cellen"
        )
    if args.warehouse:
        for naam, r in (("vloer", vloer), ("peer", peer)):
            if r is None:
                continue
            v = compare(r["result"], args.warehouse)
            print(
                f"\n{naam} vs fct_indicator_jaar: {v['matching']}/{v['cells']} gelijk, all_match={v['all_match']}"
            )
            print(v["per_indicator"].to_string(index=False))


if __name__ == "__main__":
    main()
