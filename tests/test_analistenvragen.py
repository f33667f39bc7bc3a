"""De analistenvragen in docs/analistenvragen.md draaien op de publicatie van de voorbeelddata en geven antwoord."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

VRAGEN = Path(__file__).resolve().parents[1] / "docs" / "analistenvragen.md"


def _vragen() -> list[tuple[str, str]]:
    tekst = VRAGEN.read_text(encoding="utf-8")
    paren = []
    for blok in re.split(r"^## ", tekst, flags=re.M)[1:]:
        titel = blok.splitlines()[0].strip()
        sql = re.findall(r"```sql\n(.*?)```", blok, flags=re.S)
        assert len(sql) == 1, f"vraag zonder precies één SQL-blok: {titel}"
        paren.append((titel, sql[0]))
    return paren


def test_minstens_acht_vragen_met_sql():
    vragen = _vragen()
    assert len(vragen) >= 8
    assert all(t.endswith("?") for t, _ in vragen)


@pytest.mark.parametrize(("titel", "sql"), _vragen(), ids=lambda x: x[:3] if isinstance(x, str) else None)
def test_vraag_geeft_antwoord_op_de_publicatie(keten, titel, sql):
    inst = keten[0]
    con = duckdb.connect(str(inst.publicatie), read_only=True)
    try:
        rijen = con.execute(sql).fetchall()
    finally:
        con.close()
    assert rijen, f"geen antwoord op: {titel}"
