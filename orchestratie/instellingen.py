"""Eén instellingenobject voor heel Basismonitor, gelezen op het moment van draaien (nooit bij import).

`BASISMONITOR_HOME` (standaard `./data`) bevat:
    inbox/<bron>/       nieuwe leveringen
    archief/            geaccepteerde en dubbele leveringen
    quarantaine/        afgewezen leveringen met een rapport
    warehouse.duckdb    het datawarehouse (één schrijver tegelijk)
    publicatie.duckdb   de gepubliceerde marts voor analisten (atomair vervangen)
    rapportages/        HTML-rapporten en exports
    kwaliteit/          datakwaliteitsrapporten
    dagster/            DAGSTER_HOME van `basismonitor verwerk` en `dagster dev`
De pseudonimiseringssleutel komt uit `BASISMONITOR_PSEUDONIEM_SLEUTEL`, of uit het sleutelbestand
`BASISMONITOR_PSEUDONIEM_SLEUTELBESTAND` (standaard `<home>/pseudoniem.sleutel`, modus 0600). Haar vingerafdruk
staat in het warehouse (kwaliteit.sleutel); een andere sleutel wordt geweigerd tot `basismonitor herpseudonimiseer`.
`BASISMONITOR_KWALITEITSREGELS` wijst een ander regelbestand aan dan `bronnen/kwaliteitsregels.yml`.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bronnen.contracten import BRONNEN


class InstellingenFout(RuntimeError):
    """Een instelling ontbreekt of is ongeldig."""


@dataclass(frozen=True)
class Instellingen:
    home: Path
    pseudoniem_sleutel_env: str | None
    sleutelbestand: Path
    # Het regelbestand voor datakwaliteit (BASISMONITOR_KWALITEITSREGELS); None: bronnen/kwaliteitsregels.yml.
    kwaliteitsregels: Path | None = None
    # Werkprocessen aan de voordeur (BASISMONITOR_VOORDEUR_WERKPROCESSEN); None: zoveel als er kernen zijn,
    # hoogstens twee (bronnen.levering.werkprocessen); 0: alles in het ingest-proces.
    voordeur_werkprocessen: int | None = None

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def archief(self) -> Path:
        return self.home / "archief"

    @property
    def quarantaine(self) -> Path:
        return self.home / "quarantaine"

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def publicatie(self) -> Path:
        return self.home / "publicatie.duckdb"

    @property
    def rapportages(self) -> Path:
        return self.home / "rapportages"

    @property
    def exporten(self) -> Path:
        """Excel-werkmappen en Parquet-bestanden voor analisten (onder rapportages/)."""
        return self.rapportages / "exporten"

    @property
    def kwaliteit(self) -> Path:
        return self.home / "kwaliteit"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    def inbox_bron(self, bron: str) -> Path:
        return self.inbox / bron

    def maak_mappen(self) -> None:
        for pad in (self.archief, self.quarantaine, self.rapportages, self.kwaliteit, self.dagster_home):
            pad.mkdir(parents=True, exist_ok=True)
        for bron in BRONNEN:
            self.inbox_bron(bron).mkdir(parents=True, exist_ok=True)

    def pseudoniem_sleutel(self) -> bytes:
        """De geheime sleutel voor de HMAC van persoonsnummers; nooit in de repository."""
        if self.pseudoniem_sleutel_env:
            sleutel = self.pseudoniem_sleutel_env.encode()
        elif self.sleutelbestand.exists():
            sleutel = self.sleutelbestand.read_bytes().strip()
        else:
            raise InstellingenFout(
                "Geen pseudonimiseringssleutel: zet BASISMONITOR_PSEUDONIEM_SLEUTEL of maak een sleutelbestand "
                f"met `basismonitor sleutel` ({self.sleutelbestand})."
            )
        if len(sleutel) < 32:
            raise InstellingenFout("De pseudonimiseringssleutel is te kort: gebruik minstens 32 tekens.")
        return sleutel

    def maak_sleutelbestand(self) -> bool:
        """Maakt een lokaal sleutelbestand (modus 0600) als er nog geen sleutel is; True als het nieuw is."""
        if self.pseudoniem_sleutel_env or self.sleutelbestand.exists():
            return False
        self.sleutelbestand.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.sleutelbestand, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        return True


def laad_instellingen(env: Mapping[str, str] | None = None) -> Instellingen:
    """Leest de instellingen uit de omgeving (of uit `env`, voor tests)."""
    env = os.environ if env is None else env
    home = Path(env.get("BASISMONITOR_HOME", "data")).expanduser().resolve()
    sleutelbestand = Path(env.get("BASISMONITOR_PSEUDONIEM_SLEUTELBESTAND", str(home / "pseudoniem.sleutel")))
    return Instellingen(
        home=home,
        pseudoniem_sleutel_env=env.get("BASISMONITOR_PSEUDONIEM_SLEUTEL") or None,
        sleutelbestand=sleutelbestand.expanduser().resolve(),
        kwaliteitsregels=(
            Path(env["BASISMONITOR_KWALITEITSREGELS"]).expanduser().resolve()
            if env.get("BASISMONITOR_KWALITEITSREGELS")
            else None
        ),
        voordeur_werkprocessen=_worker_count(env.get("BASISMONITOR_VOORDEUR_WERKPROCESSEN")),
    )


def _worker_count(waarde: str | None) -> int | None:
    if waarde is None or not waarde.strip():
        return None
    if not waarde.strip().isdigit():
        raise InstellingenFout(
            f"BASISMONITOR_VOORDEUR_WERKPROCESSEN moet een geheel getal van 0 of meer zijn, niet '{waarde}' "
            "(0: geen werkprocessen, alles in het ingest-proces)."
        )
    return int(waarde)
