# The README's two commands, on a fresh Debian machine with Python 3.11+:
#   make run    sets up .venv and starts Encours (offering the demo company on an empty database)
#   make test   sets up .venv with the test tools, the Debian libraries Qt needs headless, and runs every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QT_DEBS := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libglib2.0-0 libdbus-1-3 \
           fonts-dejavu-core libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
           libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xfixes0 xvfb

.PHONY: run test test-postgresql lint bundle-check bench qt-libs

$(BIN)/encours: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-extras: $(BIN)/encours
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/encours
	$(BIN)/encours

# Installs what offscreen Qt loads when it is missing (as root through apt-get, otherwise it says what to install).
qt-libs:
	@missing=$$(for p in $(QT_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Paquets Debian manquants pour Qt : $$missing (sudo apt-get install $$missing)"; exit 1; fi; \
	fi

lint: $(VENV)/.test-extras
	$(BIN)/lint-imports

test: $(VENV)/.test-extras qt-libs lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

# The same tests against a throwaway PostgreSQL server (installed with apt-get when missing, as root).
test-postgresql: $(VENV)/.test-extras qt-libs
	$(BIN)/pip install --quiet -e '.[test,postgresql]'
	tests/with_postgresql.sh

bundle-check: $(VENV)/.test-extras qt-libs
	$(BIN)/pip install --quiet -e '.[installer]'
	QT_QPA_PLATFORM=offscreen $(BIN)/python installer/check_bundle.py

bench: $(VENV)/.test-extras qt-libs
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/startup_bench.py
