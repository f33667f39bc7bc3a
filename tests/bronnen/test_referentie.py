"""De referentie-seeds: gemeentelijke indeling per jaar 2016-2025 en de herindelingen, onderling kloppend."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
# Aantal gemeenten op 1 januari volgens CBS.
CBS_AANTAL = {
    2016: 390,
    2017: 388,
    2018: 380,
    2019: 355,
    2020: 355,
    2021: 352,
    2022: 345,
    2023: 342,
    2024: 342,
    2025: 342,
}


@pytest.fixture(scope="module")
def per_jaar() -> pl.DataFrame:
    return pl.read_csv(SEEDS / "ref_gemeenten_per_jaar.csv", infer_schema_length=0).with_columns(
        pl.col("jaar").cast(pl.Int32)
    )


@pytest.fixture(scope="module")
def herindelingen() -> pl.DataFrame:
    return pl.read_csv(SEEDS / "ref_herindelingen.csv", try_parse_dates=True)


def _codes(per_jaar: pl.DataFrame, jaar: int) -> set[str]:
    return set(per_jaar.filter(pl.col("jaar") == jaar)["gemeentecode"])


def test_aantal_gemeenten_per_jaar_volgens_cbs(per_jaar):
    assert dict(per_jaar.group_by("jaar").len().sort("jaar").iter_rows()) == CBS_AANTAL
    assert per_jaar.select("jaar", "gemeentecode").is_duplicated().sum() == 0


def test_elke_herindeling_past_bij_de_jaarlijsten(per_jaar, herindelingen):
    for oud, nieuw, datum, aandeel in herindelingen.select(
        "oude_gemeentecode", "nieuwe_gemeentecode", "ingangsdatum", "aandeel_bevolking"
    ).iter_rows():
        assert 0 < aandeel <= 1
        # peildatum 1 januari: wie op 1 januari van het ingangsjaar nog bestond (Weesp, 24-3-2022), telt mee
        laatste_jaar = datum.year - 1 if datum == date(datum.year, 1, 1) else datum.year
        if laatste_jaar >= 2016:
            assert oud in _codes(per_jaar, laatste_jaar), (oud, datum)
        assert oud not in _codes(per_jaar, laatste_jaar + 1), (oud, datum)
        assert nieuw in _codes(per_jaar, laatste_jaar + 1), (nieuw, datum)


def test_splitsingen_verdelen_de_hele_bevolking(herindelingen):
    som = herindelingen.group_by("oude_gemeentecode").agg(pl.col("aandeel_bevolking").sum(), pl.len())
    assert som.filter((pl.col("aandeel_bevolking") - 1).abs() > 1e-9).is_empty()
    splitsingen = set(som.filter(pl.col("len") > 1)["oude_gemeentecode"])
    assert splitsingen == {"GM0140", "GM0053", "GM0788"}  # Littenseradiel, Winsum, Haaren
    assert herindelingen["bron_aandeel"].null_count() == 0


def test_klassen_per_jaar(per_jaar):
    # elke gemeente die op 1-1-2022 of later bestond heeft een CBS-klasse voor grootte en stedelijkheid
    vanaf_2022 = per_jaar.filter(pl.col("jaar") >= 2022)
    assert vanaf_2022.filter(
        pl.col("gemeentegrootte").is_null() | pl.col("stedelijkheid").is_null()
    ).is_empty()
    amsterdam = per_jaar.filter((pl.col("gemeentecode") == "GM0363") & (pl.col("jaar") == 2016)).row(
        0, named=True
    )
    assert amsterdam["stedelijkheid"] == "Zeer sterk stedelijk" and amsterdam["provincie"] == "Noord-Holland"
