"""Pseudonimisering aan de deur: persoonsnummers worden vervangen door HMAC-SHA256 met een geheime sleutel."""

from __future__ import annotations

import hashlib
import hmac

import polars as pl


def pseudonymise_value(sleutel: bytes, waarde: str, bron: str) -> str:
    # De bron gaat mee in de hash, zodat hetzelfde nummer bij twee bronnen niet koppelbaar is.
    return hmac.new(sleutel, f"{bron}\x1f{waarde}".encode(), hashlib.sha256).hexdigest()


def pseudonymise_column(df: pl.DataFrame, kolom: str, sleutel: bytes, bron: str) -> pl.DataFrame:
    """Vervangt de waarden van `kolom` door hun pseudoniem (eenmaal per unieke waarde berekend)."""
    uniek = df.get_column(kolom).drop_nulls().unique()
    mapping = pl.DataFrame(
        {kolom: uniek, "__pseudo": [pseudonymise_value(sleutel, v, bron) for v in uniek.to_list()]},
        schema={kolom: pl.String, "__pseudo": pl.String},
    )
    return (
        df.join(mapping, on=kolom, how="left", maintain_order="left")
        .with_columns(pl.col("__pseudo").alias(kolom))
        .drop("__pseudo")
    )
