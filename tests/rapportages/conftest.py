"""Gedeelde fixtures voor de rapporttests: de kleine publicatie uit `synthetische_publicatie.py`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from synthetische_publicatie import maak_publicatie


@pytest.fixture(scope="session")
def publicatie_sjabloon(tmp_path_factory) -> Path:
    """Eén keer per testsessie opgebouwd; tests krijgen een eigen kopie (`publicatie`)."""
    return maak_publicatie(tmp_path_factory.mktemp("sjabloon") / "publicatie.duckdb")


@pytest.fixture
def publicatie(publicatie_sjabloon, tmp_path) -> Path:
    """Een eigen kopie van de kleine publicatie: een test mag erin schrijven zonder de andere te raken."""
    pad = tmp_path / "publicatie.duckdb"
    shutil.copyfile(publicatie_sjabloon, pad)
    return pad
