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

    def code_year_keys(self) -> list[str]:
        """Alle geldige combinaties als 'GMxxxx|jjjj' (de verzameling voor de regel onbekende_gemeente)."""
        return sorted((self.per_jaar["gemeentecode"] + "|" + self.per_jaar["jaar"].cast(pl.String)).to_list())
