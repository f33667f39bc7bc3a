"""Referentie voor de voordeur: welke gemeentecodes bestonden in welk jaar (CBS-indelingen)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class GemeenteRegister:
    """Gemeentecodes per jaar (1 januari). Jaren buiten de lijst gebruiken het dichtstbijzijnde jaar."""

    per_jaar: pl.DataFrame  # kolommen: jaar (Int64), gemeentecode (String)

    @classmethod
    def from_csv(cls, pad) -> GemeenteRegister:
        df = pl.read_csv(pad, columns=["jaar", "gemeentecode"], schema_overrides={"jaar": pl.Int64})
        return cls(df.unique())

    @property
    def jaren(self) -> tuple[int, int]:
        return int(self.per_jaar["jaar"].min()), int(self.per_jaar["jaar"].max())

    def unknown_mask(self, codes: pl.Series, jaren: pl.Series) -> pl.Series:
        """True waar een code in dat jaar niet bestond (null-codes of -jaren tellen niet als onbekend)."""
        lo, hi = self.jaren
        probe = pl.DataFrame(
            {"gemeentecode": codes, "jaar": jaren.cast(pl.Int64).clip(lo, hi)}
        ).with_row_index()
        hit = probe.join(
            self.per_jaar.with_columns(pl.lit(True).alias("__ok")), on=["jaar", "gemeentecode"], how="left"
        ).sort("index")
        return (hit["__ok"].is_null() & codes.is_not_null() & jaren.is_not_null()).alias("onbekend")
