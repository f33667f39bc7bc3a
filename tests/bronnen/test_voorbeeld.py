"""De voorbeeldgenerator: deterministisch, alle bronnen, echte formaten, geloofwaardige niveaus, herindelingen."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pyreadstat
import pytest

from bronnen.contracten import burgerpeiling_format
from bronnen.lezen import read_delivery
from bronnen.voorbeeld import generate_samples


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    pad = tmp_path_factory.mktemp("voorbeeld")
    generate_samples(pad, seed=7)
    return pad


def _inhoud(pad: Path) -> list:
    return read_delivery(pad).tabel.rows()


def test_zelfde_seed_geeft_zelfde_inhoud_en_andere_seed_niet(inbox, tmp_path):
    opnieuw = generate_samples(tmp_path / "a", seed=7)
    namen = sorted(p.relative_to(tmp_path / "a") for p in opnieuw)
    assert namen == sorted(p.relative_to(inbox) for p in inbox.rglob("*") if p.is_file())
    for rel in namen[:: max(1, len(namen) // 25)] + [n for n in namen if n.suffix == ".sav"][:3]:
        assert _inhoud(inbox / rel) == _inhoud(tmp_path / "a" / rel), rel
    ander = tmp_path / "b"
    generate_samples(ander, seed=8)
    rel = Path("vrijwilligers") / "vrijwilligers_GM0014.csv"
    assert _inhoud(inbox / rel) != _inhoud(ander / rel)


def test_elke_bron_krijgt_bestanden(inbox):
    for bron in ("deelname", "vrijwilligers", "mantelzorg", "enquete", "verhalen", "bevolking"):
        assert any((inbox / bron).iterdir()), bron


def test_enquete_in_het_burgerpeiling_formaat(inbox):
    fmt = burgerpeiling_format()["variabelen"]
    pad = inbox / "enquete" / "burgerpeiling_GM0363_2024.sav"
    df, meta = pyreadstat.read_sav(str(pad))
    assert meta.column_names == [v["naam"] for v in fmt]
    for v in fmt:
        if v["waardelabels"]:
            assert {str(int(k)): lab for k, lab in meta.variable_value_labels[v["naam"]].items()} == v[
                "waardelabels"
            ]
    assert (df["weging"] > 0).all() and set(df["gemnr"]) == {363.0} and set(df["jr"]) == {2024.0}


def test_landelijke_niveaus_zijn_geloofwaardig(inbox):
    teller_mz = teller_vw = noemer_mz = noemer_vw = 0.0
    for pad in (inbox / "enquete").glob("*.sav"):
        df, _ = pyreadstat.read_sav(str(pad), usecols=["weging", "zw06_0", "zw06_3"])
        for item, is_mz in (("zw06_0", True), ("zw06_3", False)):
            geldig = df[item].isin([1, 2, 3])
            t = float((df["weging"] * df[item].isin([1, 2])).sum())
            n = float(df.loc[geldig, "weging"].sum())
            if is_mz:
                teller_mz, noemer_mz = teller_mz + t, noemer_mz + n
            else:
                teller_vw, noemer_vw = teller_vw + t, noemer_vw + n
    assert 0.10 <= teller_mz / noemer_mz <= 0.17
    assert 0.25 <= teller_vw / noemer_vw <= 0.45


def _deelname_jaren(inbox: Path, code: str) -> set[int]:
    return {int(p.stem.rsplit("_", 1)[1]) for p in (inbox / "deelname").glob(f"deelname_{code}_*.csv")}


def test_herindelingen_zoals_leveranciers_ze_aanleveren(inbox):
    assert max(_deelname_jaren(inbox, "GM0457")) == 2021  # Weesp apart tot en met 2021
    assert min(_deelname_jaren(inbox, "GM1980")) == 2022  # Dijk en Waard vanaf 2022
    for voorganger in ("GM0501", "GM0530", "GM0614"):
        assert max(_deelname_jaren(inbox, voorganger)) == 2022
    assert min(_deelname_jaren(inbox, "GM1992")) == 2023


def test_vrijwilligers_binnen_het_contract(inbox):
    for pad in (inbox / "vrijwilligers").glob("*.csv"):
        df = pl.read_csv(pad, infer_schema=False)
        start = df["startdatum"].str.to_date()
        eind = df["einddatum"].str.to_date()
        assert not (eind < start).fill_null(False).any(), pad
        uren = df["uren_per_maand"].str.replace(",", ".").cast(pl.Float64)
        assert uren.is_between(0, 400).all(), pad


def test_vrijwilligers_behoud_en_dichtheid(inbox):
    df = pl.concat(
        [pl.read_csv(p, infer_schema=False) for p in (inbox / "vrijwilligers").glob("*.csv")]
    ).with_columns(pl.col("startdatum").str.to_date(), pl.col("einddatum").str.to_date())

    def actief(jaar: int) -> set[str]:
        d = df.filter(
            (pl.col("startdatum").dt.year() <= jaar)
            & (pl.col("einddatum").is_null() | (pl.col("einddatum").dt.year() >= jaar))
        )
        return set(d["vrijwilliger_id"])

    behoud = [len(actief(j) & actief(j + 1)) / len(actief(j)) for j in range(2016, 2024)]
    assert 0.65 <= float(np.mean(behoud)) <= 0.9


def test_verhalen_met_en_zonder_toestemming(inbox):
    df = pl.concat(
        [pl.read_csv(p, separator=";", infer_schema=False) for p in (inbox / "verhalen").glob("*.csv")]
    )
    aandeel_ja = (df["toestemming"] == "ja").mean()
    assert 0.75 <= aandeel_ja <= 0.95
    assert set(df["sfeer"]) == {"persoonlijk", "gemeenschappelijk", "institutioneel"}
    assert json.dumps(df.rows())  # alle tekst is gewone tekst
