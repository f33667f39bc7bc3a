"""De Great Expectations-suites aan de deur: afgeleid uit het contract, en ze vinden de juiste rijen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import great_expectations as gx
import polars as pl
import pytest

from bronnen.contracten import CONTRACTEN, DEELNAME, ENQUETE, VRIJWILLIGERS, alle_kolommen, enquete_items
from bronnen.referentie import GemeenteRegister
from bronnen.validatie import (
    ITEMWAARDE,
    PEILJAAR,
    RIJ,
    item_frame,
    peil_column,
    rules_for,
    suite_for,
    validate,
)

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


@pytest.fixture(scope="module")
def register() -> GemeenteRegister:
    return GemeenteRegister.from_csv(SEEDS / "ref_gemeenten_per_jaar.csv")


@pytest.mark.parametrize("bron", list(CONTRACTEN))
def test_suite_per_bron_volgt_uit_het_contract(bron, register):
    contract = CONTRACTEN[bron]
    suite = suite_for(contract, register)
    assert isinstance(suite, gx.ExpectationSuite)
    ids = [e.meta["regel_id"] for e in suite.expectations]
    assert len(ids) == len(set(ids)), "regel-id's zijn uniek"
    assert all(e.meta["ernst"] == "fout" and e.description for e in suite.expectations)
    items = {k.naam for k in enquete_items()} if bron == "enquete" else set()
    for k in alle_kolommen(contract):
        assert (f"{bron}.{k.naam}.verplicht" in ids) == k.verplicht
        assert (f"{bron}.{k.naam}.toegestaan" in ids) == (k.toegestaan is not None and k.naam not in items)
        assert (f"{bron}.{k.naam}.bereik" in ids) == (k.minimum is not None or k.maximum is not None)
    if contract.sleutel:
        assert f"{bron}.{contract.sleutel[0]}.dubbele_sleutel" in ids
    # de vraagitems van de Burgerpeiling: één regel over alle (item, code)-combinaties
    assert ("enquete.vraagitems.toegestaan" in ids) == (bron == "enquete")
    gemeente_regel = [i for i in ids if i.endswith(".onbekende_gemeente")]
    assert len(gemeente_regel) == (1 if contract.peilkolom else 0)


def _deelname(register, **wijziging) -> pl.DataFrame:
    rijen = {
        "gemeentecode": ["GM0363", "GM0457", "GM0014", "GM0014"],
        "activiteit_id": ["A1", "A2", "A3", "A4"],
        "activiteit": ["Taalcafé", "Koffie", None, "Moestuin"],
        "aanbieder": ["Welzijn"] * 4,
        "periode_start": [date(2023, 1, 1), date(2021, 1, 1), date(2023, 3, 1), date(2023, 4, 1)],
        "periode_eind": [date(2023, 1, 31), date(2021, 1, 31), date(2023, 3, 31), date(2023, 3, 1)],
        "aantal_deelnames": [10, 5, -1, 7],
        "aantal_unieke_deelnemers": [4, 6, 0, 3],
    }
    rijen.update(wijziging)
    df = pl.DataFrame(rijen).with_row_index(RIJ, offset=2)
    return df.with_columns(peil_column(DEELNAME, df, register))


def _fouten(uitkomsten) -> dict[str, tuple]:
    return {
        u.regel.regel_id: (u.afwijkend, [r for r, _ in u.voorbeelden]) for u in uitkomsten if not u.geslaagd
    }


def test_afwijkingen_wijzen_naar_de_juiste_rij(register):
    df = _deelname(register)
    uitkomsten = validate(DEELNAME, df, rules_for(DEELNAME, df.columns, register))
    assert _fouten(uitkomsten) == {
        "deelname.activiteit.verplicht": (1, [4]),
        "deelname.aantal_deelnames.bereik": (1, [4]),
        "deelname.periode_eind.volgorde_datums": (1, [5]),
        "deelname.aantal_unieke_deelnemers.uniek_groter_dan_totaal": (2, [3, 4]),  # rij 4: -1 < 0
    }
    geslaagd = {u.regel.regel_id for u in uitkomsten if u.geslaagd}
    # Weesp (GM0457) bestond in 2021 nog: geen onbekende gemeente.
    assert "deelname.gemeentecode.onbekende_gemeente" in geslaagd
    assert all(u.getoetst == 4 for u in uitkomsten if u.regel.soort != "dubbele_sleutel")


def test_gemeente_die_in_het_peiljaar_niet_bestond(register):
    df = _deelname(
        register,
        periode_start=[date(2023, 1, 1)] * 4,
        periode_eind=[date(2023, 1, 31)] * 4,
        activiteit=["a"] * 4,
        aantal_deelnames=[10] * 4,
        aantal_unieke_deelnemers=[1] * 4,
    )
    [u] = [u for u in validate(DEELNAME, df, rules_for(DEELNAME, df.columns, register)) if not u.geslaagd]
    assert u.regel.regel_id == "deelname.gemeentecode.onbekende_gemeente"
    assert u.voorbeelden == ((3, "GM0457|2023"),)


def test_dubbele_sleutel_en_niet_aangeleverde_kolommen(register):
    df = pl.DataFrame(
        {
            "vrijwilliger_id": ["p1", "p1", "p2"],
            "gemeentecode": ["GM0363"] * 3,
            "organisatie": ["Humanitas"] * 3,
            "soort_inzet": ["structureel", "structureel", "af en toe"],
            "startdatum": [date(2022, 5, 1)] * 3,
        }
    ).with_row_index(RIJ, offset=2)
    regels = rules_for(VRIJWILLIGERS, df.columns)  # zonder register: geen gemeenteregel
    assert not any(r.kolom in ("einddatum", "uren_per_maand") for r in regels)
    assert _fouten(validate(VRIJWILLIGERS, df, regels)) == {
        "vrijwilligers.vrijwilliger_id.dubbele_sleutel": (2, [2, 3]),
        "vrijwilligers.soort_inzet.toegestaan": (1, [4]),
    }


def test_vraagitems_in_lange_tabel_en_beperkte_verzamelingen(register):
    df = pl.DataFrame(
        {
            "respondent": ["r1", "r2", "r3"],
            "gemnr": ["GM0363", "GM9999", "GM0363"],
            "jr": [2022, 2022, 2022],
            "kw": [1, 1, 1],
            "weging": [1.0, 0.8, 1.2],
            "zw06_0": [1, 7, None],  # 7 is geen gelabelde code
            "zw06_3": [2, 3, 1],
        }
    ).with_row_index(RIJ, offset=2)
    df = df.with_columns(peil_column(ENQUETE, df, register))
    lang = item_frame(ENQUETE, df)
    assert lang.height == 5 and set(lang.columns) == {RIJ, ITEMWAARDE}
    aangeleverd = {PEILJAAR: df[PEILJAAR].unique().to_list(), ITEMWAARDE: lang[ITEMWAARDE].unique().to_list()}
    regels = rules_for(ENQUETE, df.columns, register, aangeleverd)
    gemeente = next(r for r in regels if r.soort == "onbekende_gemeente")
    assert gemeente.expectation.value_set == ["GM0363|2022"]  # alleen de aangeleverde, geldige combinaties
    breed = validate(ENQUETE, df, [r for r in regels if r.tabel == "breed"])
    lang_uit = validate(ENQUETE, lang, [r for r in regels if r.tabel == "lang"])
    assert _fouten(breed) == {"enquete.gemnr.onbekende_gemeente": (1, [3])}
    [item] = [u for u in lang_uit if not u.geslaagd]
    assert item.regel.regel_id == "enquete.vraagitems.toegestaan"
    assert item.voorbeelden == ((3, "zw06_0|7"),)
