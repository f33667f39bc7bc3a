"""Lezers voor leveringsbestanden: CSV (;/,/tab, UTF-8 met of zonder BOM of Windows-1252), .xlsx,
.parquet en SPSS .sav. Elke lezer geeft dezelfde vorm terug: een Polars-tabel met alleen tekstkolommen
(precies wat er in het bestand stond) plus metadata, zodat de controle aan de deur voor elk formaat gelijk is.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl


class LeesFout(ValueError):
    """Het bestand kan niet als levering gelezen worden (met het rijnummer als dat bekend is)."""

    def __init__(self, melding: str, rij: int | None = None):
        super().__init__(melding)
        self.rij = rij


@dataclass
class RuweLevering:
    pad: Path
    formaat: str
    tabel: pl.DataFrame  # alle kolommen als tekst (pl.String), kopnamen zoals aangeleverd
    # Eerste gegevensrij in het bronbestand (1-based): 2 voor CSV/xlsx met een kopregel, 1 voor .sav/.parquet.
    eerste_rij: int = 2
    waardelabels: dict[str, dict[str, str]] = field(default_factory=dict)
    variabelelabels: dict[str, str] = field(default_factory=dict)
    # De uitkomsten van de kwaliteitsregels aan de deur (bronnen.validatie.Uitkomst), gevuld door de controle.
    uitkomsten: list = field(default_factory=list)


FORMATEN = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".sav": "sav",
}


def read_delivery(pad: Path, bron: str | None = None) -> RuweLevering:
    formaat = FORMATEN.get(pad.suffix.lower())
    if formaat is None:
        raise LeesFout(
            f"Onbekend bestandsformaat '{pad.suffix}'. Lever aan als .csv, .xlsx, .parquet of (enquête) .sav."
        )
    if pad.stat().st_size == 0:
        raise LeesFout("Het bestand is leeg (0 bytes).")
    if formaat == "csv":
        return _read_csv(pad)
    if formaat == "xlsx":
        return _read_xlsx(pad, bron)
    if formaat == "parquet":
        return _read_parquet(pad)
    return _read_sav(pad)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as e:
            raise LeesFout(
                f"De tekencodering is niet te lezen (geen UTF-8 en geen Windows-1252; byte {e.start})."
            ) from e


def sniff_separator(header: str) -> str:
    """Kiest ; , of tab op grond van de kopregel (buiten aanhalingstekens)."""
    counts = {";": 0, ",": 0, "\t": 0}
    in_quotes = False
    for ch in header:
        if ch == '"':
            in_quotes = not in_quotes
        elif not in_quotes and ch in counts:
            counts[ch] += 1
    sep = max(counts, key=lambda k: counts[k])
    if counts[sep] == 0:
        raise LeesFout("De kopregel bevat geen scheidingsteken (; , of tab): is dit wel een CSV-bestand?")
    return sep


def _read_csv(pad: Path) -> RuweLevering:
    """Leest een CSV-levering. Een geldig UTF-8-bestand gaat rechtstreeks naar Polars (zonder kopie in
    Python, zodat ook bestanden van honderden MiB weinig geheugen vragen); Windows-1252 wordt eerst omgezet."""
    with pad.open("rb") as f:
        kop = f.read(1 << 16)
    if b"\x00" in kop:
        raise LeesFout("Het bestand bevat binaire gegevens (NUL-tekens): is dit wel een CSV-bestand?")
    bom = kop.startswith(b"\xef\xbb\xbf")
    begin = kop[3:] if bom else kop
    if not begin.strip():
        raise LeesFout("Het bestand is leeg (alleen witruimte).")
    try:
        # een afgebroken teken aan het eind van het stuk telt niet als fout
        begin.decode("utf-8", errors="strict") if len(kop) < (1 << 16) else begin[:-4].decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    eenvoudig = utf8 and not begin[:1].isspace() and (b"\n" in begin or len(kop) < (1 << 16))
    if eenvoudig:
        sep = sniff_separator(begin.split(b"\n", 1)[0].decode("utf-8", errors="replace"))
        try:
            return RuweLevering(pad, "csv", _polars_csv(pad, sep), eerste_rij=2)
        except UnicodeDecodeError:
            pass  # verderop in het bestand geen UTF-8: dan als Windows-1252 lezen
    text = _decode(pad.read_bytes())
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    sep = sniff_separator(text.split("\n", 1)[0])
    return RuweLevering(pad, "csv", _polars_csv(io.BytesIO(text.encode("utf-8")), sep), eerste_rij=2)


def _polars_csv(bron: Path | io.BytesIO, sep: str) -> pl.DataFrame:
    try:
        return pl.read_csv(
            bron, separator=sep, infer_schema=False, quote_char='"', truncate_ragged_lines=False
        )
    except pl.exceptions.ComputeError as e:
        if "utf-8" in str(e).lower() or "utf8" in str(e).lower():
            raise UnicodeDecodeError("utf-8", b"", 0, 1, str(e)) from e
        raise _csv_error(bron, sep, e) from e
    except pl.exceptions.PolarsError as e:
        raise _csv_error(bron, sep, e) from e


def _csv_error(bron: Path | io.BytesIO, sep: str, e: Exception) -> LeesFout:
    data = bron.getvalue() if isinstance(bron, io.BytesIO) else bron.read_bytes()
    rafelig = _ragged_row(_decode(data), sep)
    if rafelig:
        return LeesFout(rafelig[1], rij=rafelig[0])
    return LeesFout(f"Het CSV-bestand is niet te lezen: {_short(e)}")


def _ragged_row(text: str, sep: str) -> tuple[int, str] | None:
    """Zoekt de eerste rij met een ander aantal velden dan de kopregel (voor een begrijpelijke melding)."""
    rows = csv.reader(io.StringIO(text), delimiter=sep)
    kop = len(next(rows))
    for nummer, row in enumerate(rows, start=2):
        if len(row) != kop:
            return nummer, (
                f"Rij {nummer} heeft {len(row)} velden, de kopregel {kop}: controleer scheidingstekens en "
                "aanhalingstekens in die rij."
            )
    return None


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")  # type: ignore[union-attr]
    return str(value)


def _read_xlsx(pad: Path, bron: str | None) -> RuweLevering:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(pad, read_only=True, data_only=True)
    except Exception as e:  # openpyxl geeft uiteenlopende fouttypen voor kapotte bestanden
        raise LeesFout(f"Het Excel-bestand is niet te openen: {_short(e)}") from e
    try:
        namen = {n.lower(): n for n in wb.sheetnames}
        blad = wb[namen[bron.lower()]] if bron and bron.lower() in namen else wb[wb.sheetnames[0]]
        rows = [[_cell_text(v) for v in row] for row in blad.iter_rows(values_only=True)]
    finally:
        wb.close()
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    if not rows:
        raise LeesFout("Het Excel-werkblad is leeg.")
    header = [h if h is not None else f"kolom_{i + 1}" for i, h in enumerate(rows[0])]
    while (
        header
        and header[-1].startswith("kolom_")
        and all(len(r) < len(header) or r[len(header) - 1] is None for r in rows[1:])
    ):
        header.pop()
    data = {h: [r[i] if i < len(r) else None for r in rows[1:]] for i, h in enumerate(header)}
    return RuweLevering(pad, "xlsx", pl.DataFrame(data, schema={h: pl.String for h in header}), eerste_rij=2)


def _read_parquet(pad: Path) -> RuweLevering:
    try:
        tabel = pl.read_parquet(pad)
    except Exception as e:  # pyarrow/polars geven uiteenlopende fouttypen voor kapotte bestanden
        raise LeesFout(f"Het Parquet-bestand is niet te lezen: {_short(e)}") from e
    return RuweLevering(pad, "parquet", _all_text(tabel), eerste_rij=1)


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    """Een kolom als tekst zoals _cell_text het doet: een geheel getal zonder ".0", NaN als ontbrekend."""
    c = pl.col(name)
    if dtype == pl.String:
        return c
    if dtype.is_float():
        geheel = c.is_finite() & (c == c.floor()) & (c.abs() < 1e15)
        return (
            pl.when(c.is_nan())
            .then(None)
            .when(geheel)
            .then(c.cast(pl.Int64, strict=False).cast(pl.String))
            .otherwise(c.cast(pl.String))
            .alias(name)
        )
    if dtype in (pl.Date, pl.Datetime):
        return c.dt.strftime("%Y-%m-%d").alias(name)
    return c.cast(pl.String)


def _all_text(tabel: pl.DataFrame) -> pl.DataFrame:
    return tabel.select([_as_text(n, t) for n, t in tabel.schema.items()])


def _read_sav(pad: Path) -> RuweLevering:
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(str(pad), output_format="polars", apply_value_formats=False)
    except Exception as e:  # pyreadstat.ReadstatError en anderen
        raise LeesFout(f"Het SPSS-bestand (.sav) is niet te lezen: {_short(e)}") from e
    labels = {
        var: {_cell_text(float(k)) if isinstance(k, (int, float)) else str(k): str(v) for k, v in vl.items()}
        for var, vl in (meta.variable_value_labels or {}).items()
    }
    tabel = _all_text(df).with_columns(
        [pl.col(c).replace("", None) for c, t in df.schema.items() if t == pl.String]
    )
    return RuweLevering(
        pad,
        "sav",
        tabel,
        eerste_rij=1,
        waardelabels=labels,
        variabelelabels={k: v for k, v in (meta.column_names_to_labels or {}).items() if v},
    )


def _short(e: BaseException) -> str:
    msg = str(e).strip().splitlines()
    return msg[0][:300] if msg else type(e).__name__
