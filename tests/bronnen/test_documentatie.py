from pathlib import Path

from bronnen.documentatie import render


def test_contractpagina_is_actueel():
    pad = Path(__file__).resolve().parents[2] / "docs" / "contracten.md"
    assert pad.read_text(encoding="utf-8") == render(), (
        "docs/contracten.md loopt achter: draai `uv run python -m bronnen.documentatie > docs/contracten.md`"
    )
