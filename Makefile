# Basismonitor: twee commando's voor een nieuwe machine met alleen Python 3.11.
#   make demo   voorbeeldleveringen maken en de hele keten draaien (voordeur, dbt, publicatie, rapporten)
#   make test   alle tests
#   make benchmark  de landelijke benchmark (docs/benchmarks.md)
# Beide installeren eerst wat nodig is: uv (via pip als het ontbreekt) en de omgeving uit uv.lock.

PYTHON ?= python3
export BASISMONITOR_HOME ?= $(CURDIR)/data
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(PYTHON) -m uv
endif

.PHONY: demo test omgeving chromium dagster lint clean benchmark

omgeving:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv || $(PYTHON) -m pip install --quiet --user uv
	@$(UV) sync --frozen --compile-bytecode --python $(PYTHON) --quiet

demo: omgeving
	@$(UV) run --frozen --no-sync basismonitor voorbeeld
	@$(UV) run --frozen --no-sync basismonitor verwerk

# De rapporttests openen de HTML in een echte headless Chromium (Debian-pakket `chromium`).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    echo "Chromium installeren (Debian-pakket chromium) voor de rapporttests ..."; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "Chromium ontbreekt en apt-get is er niet: installeer chromium zelf voor de rapporttests." >&2; fi; }

test: omgeving chromium
	@$(UV) run --frozen --no-sync pytest -q

# Landelijke benchmark (342 gemeenten, 2015-2024): zie docs/benchmarks.md. Ca. 25 minuten, ca. 3 GiB schijf.
benchmark: omgeving
	@$(UV) run --frozen --no-sync python benchmarks/landelijk.py

dagster: omgeving
	@$(UV) run --frozen --no-sync basismonitor dagster

lint: omgeving
	@$(UV) run --frozen --no-sync ruff check .
	@$(UV) run --frozen --no-sync ruff format --check .

clean:
	rm -rf data dbt_project/target dbt_project/logs
