"""Pseudonimisering aan de deur: persoonsnummers worden vervangen door een sleutel-hash (HMAC-SHA256).

Het pseudoniem is de eerste 128 bits van de HMAC, als getal (`UHUGEINT` in DuckDB). RFC 2104 (§5) staat
inkorten tot de helft van de hashlengte toe; de kans dat twee van tien miljoen personen binnen één bron
hetzelfde pseudoniem krijgen is ongeveer 10^14 / 2^129 ≈ 1,5 · 10^-25. Een getal van 16 bytes in plaats van
een tekst van 64 tekens maakt het groeperen en koppelen op personen in dbt (landelijk 5 mln persoonsjaren)
merkbaar sneller en het warehouse kleiner; zie docs/benchmarks.md.

De sleutel hoort bij de waarheid van het warehouse: met een andere sleutel krijgt dezelfde persoon een ander
pseudoniem, en koppelen over leveringen en jaren heen zou stil mislukken. Daarom staat de vingerafdruk van de
sleutel (`key_fingerprint`) in het warehouse (kwaliteit.sleutel, zie bronnen/warehouse.py).
"""

from __future__ import annotations

import hashlib
import hmac

import polars as pl

PSEUDONIEM_BYTES = 16
# De vaste tekst waarvan de vingerafdruk de HMAC is. Zij bevat geen \x1f, de tekst van elk pseudoniem wel
# (`pseudonymise_value`): een vingerafdruk is nooit het pseudoniem van een persoonsnummer.
VINGERAFDRUK_DOMEIN = b"basismonitor/vingerafdruk-pseudonimiseringssleutel/v1"
VINGERAFDRUK_TEKENS = 32  # 128 bits, hexadecimaal


def key_fingerprint(sleutel: bytes) -> str:
    """De vingerafdruk van de sleutel: HMAC-SHA256(sleutel, VINGERAFDRUK_DOMEIN), de eerste 128 bits in hex.

    Niet terug te rekenen: wie de sleutel uit de vingerafdruk wil halen, moet sleutels raden en van elke gok de
    HMAC berekenen, precies zoals met één bekend persoonsnummer en zijn pseudoniem (dat kan wie het warehouse
    en één persoon kent al). De vingerafdruk geeft dus geen nieuwe aanvalsweg; tegen raden beschermt de lengte
    van de sleutel (minstens 32 tekens; `basismonitor sleutel` maakt 256 willekeurige bits). 128 bits zijn
    genoeg om sleutels uit elkaar te houden (kans op gelijke vingerafdrukken van twee sleutels: 2^-128)."""
    return hmac.new(sleutel, VINGERAFDRUK_DOMEIN, hashlib.sha256).hexdigest()[:VINGERAFDRUK_TEKENS]


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
