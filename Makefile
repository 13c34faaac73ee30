# Loa: `make site` builds the sample site into site/, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test check serve lint clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

site: $(STAMP)  ## build the sample site into site/
	$(PY) build.py build $(ARGS)

check: $(STAMP)  ## validate only
	$(PY) build.py check $(ARGS)

serve: $(STAMP)  ## preview on http://127.0.0.1:8000, rebuilding on save
	$(PY) build.py serve $(ARGS)

lint: $(STAMP)
	$(PY) -m ruff check loa tests build.py
	$(PY) -m mypy

test: $(STAMP)  ## lint, type-check and run the whole test suite
	$(PY) -m ruff check loa tests build.py
	$(PY) -m mypy
	$(PY) -m pytest -q $(ARGS)

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
