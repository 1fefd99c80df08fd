# Two commands: `make run` sets up and starts the app, `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The export tests' tools (W3C Nu HTML checker, axe-core), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed

.PHONY: run test lint setup clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

run: $(STAMP)
	$(BIN)/newsroom

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_store.py
	QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox $(BIN)/python benchmarks/bench_list_gui.py
	$(BIN)/python benchmarks/bench_export.py

clean:
	rm -rf $(VENV) build *.egg-info node_modules
