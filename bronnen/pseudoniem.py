"""Pseudonimisering aan de deur: persoonsnummers worden vervangen door een sleutel-hash (HMAC-SHA256).

Het pseudoniem is de eerste 128 bits van de HMAC, als getal (`UHUGEINT` in DuckDB). RFC 2104 (§5) staat
inkorten tot de helft van de hashlengte toe; de kans dat twee van tien miljoen personen binnen één bron
hetzelfde pseudoniem krijgen is ongeveer 10^14 / 2^129 ≈ 1,5 · 10^-25. Een getal van 16 bytes in plaats van
een tekst van 64 tekens maakt het groeperen en koppelen op personen in dbt (landelijk 5 mln persoonsjaren)
merkbaar sneller en het warehouse kleiner; zie docs/benchmarks.md.
"""

from __future__ import annotations

import hashlib
import hmac

import polars as pl

PSEUDONIEM_BYTES = 16


def pseudonymise_value(sleutel: bytes, waarde: str, bron: str) -> int:
    # De bron gaat mee in de hash, zodat hetzelfde nummer bij twee bronnen niet koppelbaar is.
    digest = hmac.new(sleutel, f"{bron}\x1f{waarde}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:PSEUDONIEM_BYTES], "big")


def pseudonymise_column(df: pl.DataFrame, kolom: str, sleutel: bytes, bron: str) -> pl.DataFrame:
    """Vervangt de waarden van `kolom` door hun pseudoniem (eenmaal per unieke waarde berekend).

    Arrow kent geen 128-bits geheel getal; de kolom gaat daarom als hexadecimale letterlijke waarde ('0x…')
    naar DuckDB, dat haar bij het invoegen omzet naar UHUGEINT (het type van de raw-kolom)."""
    uniek = df.get_column(kolom).drop_nulls().unique()
    pseudo = [f"0x{pseudonymise_value(sleutel, v, bron):032x}" for v in uniek.to_list()]
    mapping = pl.DataFrame(
        {kolom: uniek, "__pseudo": pseudo},
        schema={kolom: pl.String, "__pseudo": pl.String},
    )
    return (
        df.join(mapping, on=kolom, how="left", maintain_order="left")
        .with_columns(pl.col("__pseudo").alias(kolom))
        .drop("__pseudo")
    )
