"""Een Dagster-logger die de voortgang in het Nederlands en beknopt op de terminal zet."""

import logging
import sys
import time

import dagster as dg

_STAPPEN = {
    "ingest": "voordeur: leveringen controleren en laden",
    "dbt_modellen": "dbt: staging, intermediate en marts bouwen en testen",
    "publicatie__publicatie": "publicatie.duckdb vervangen",
    "kwaliteitsregels_marts": "kwaliteitsregels op de marts (Great Expectations)",
    "rapportages__gemeenterapporten": "gemeenterapporten maken (HTML en PDF)",
    "rapportages__landelijk": "landelijke vergelijking maken",
    "rapportages__exporten": "exporten maken (Excel en Parquet)",
}


class _VoortgangHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.start: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        naam = _STAPPEN.get(step, step)
        if event is None:
            if record.levelno >= logging.INFO and step == "ingest":
                print(f"    {meta.get('orig_message', record.getMessage())}", file=sys.stderr, flush=True)
            elif record.levelno >= logging.WARNING:
                print(f"  ! {meta.get('orig_message', record.getMessage())}", file=sys.stderr, flush=True)
            return
        soort = event.event_type_value
        if soort == "STEP_START":
            self.start[step] = time.monotonic()
            print(f"  > {naam} ...", file=sys.stderr, flush=True)
        elif soort == "STEP_SUCCESS":
            duur = time.monotonic() - self.start.get(step, time.monotonic())
            print(f"  ✓ {naam} ({duur:.1f} s)", file=sys.stderr, flush=True)
        elif soort == "STEP_FAILURE":
            data = event.event_specific_data
            fout = data.error.message.strip() if data is not None and data.error is not None else ""
            print(f"  ✗ {naam} mislukt: {fout[:1000]}", file=sys.stderr, flush=True)
        elif soort == "STEP_SKIPPED":
            print(f"  - {naam} overgeslagen (niets nieuws)", file=sys.stderr, flush=True)
        elif soort == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if data is not None and not data.passed:
                print(
                    f"  ! controle mislukt: {data.check_name} op {data.asset_key.to_user_string()}",
                    file=sys.stderr,
                    flush=True,
                )


@dg.logger(description="Beknopte Nederlandse voortgang op de terminal.")
def voortgang_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("basismonitor.voortgang")
    # Dagster logt STEP_START en STEP_SUCCESS op DEBUG; de handler kiest zelf wat op de terminal komt.
    logger.setLevel(logging.DEBUG)
    logger.handlers = [_VoortgangHandler()]
    logger.propagate = False
    return logger
