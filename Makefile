# Loa: `make site` builds the sample site into site/, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test check serve lint clean messages vendor-decap

$(STAMP): requirements.txt requirements-dev.txt package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@# axe-core and vnu-jar for tests/browser/ (pinned in package-lock.json); building needs no npm
	@if command -v npm >/dev/null 2>&1; then npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: tests/browser/ will be skipped (install Node.js and npm, then touch package-lock.json)"; fi
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

messages: $(STAMP)  ## extract the messages into loa/locale/loa.pot and update the catalogs (docs/architecture.md)
	$(VENV)/bin/pybabel extract -F loa/locale/babel.cfg --no-location --sort-output --omit-header -w 120 \
		--project Loa -o loa/locale/loa.pot loa
	@for lang in vi en; do \
		if [ -f loa/locale/$$lang/LC_MESSAGES/loa.po ]; then \
			$(VENV)/bin/pybabel update -D loa -i loa/locale/loa.pot -d loa/locale -l $$lang --no-fuzzy-matching --ignore-obsolete -w 120; \
		else $(VENV)/bin/pybabel init -D loa -i loa/locale/loa.pot -d loa/locale -l $$lang -w 120; fi; \
	done
	$(PY) -m pytest -q tests/test_messages.py -k catalog

DECAP_VERSION := 3.16.3

vendor-decap:  ## fetch decap-cms (pinned) from npm into vendor/decap-cms/ and rewrite its SHA256SUMS
	@# only what the browser loads: the bundle, its lazy chunks and WebAssembly, their licences
	@# (the package has no LICENSE file: vendor/decap-cms/LICENSE, MIT, is kept as committed)
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent decap-cms@$(DECAP_VERSION) >/dev/null && tar xzf decap-cms-$(DECAP_VERSION).tgz \
		&& cd $(CURDIR) && find vendor/decap-cms -type f ! -name LICENSE ! -name README.md -delete \
		&& cp $$tmp/package/dist/decap-cms.js $$tmp/package/dist/decap-cms.js.LICENSE.txt \
			$$tmp/package/dist/*.decap-cms.js $$tmp/package/dist/*.wasm vendor/decap-cms/ \
		&& echo $(DECAP_VERSION) > vendor/decap-cms/VERSION && rm -rf $$tmp
	cd vendor/decap-cms && LC_ALL=C sha256sum $$(LC_ALL=C ls | grep -v '^SHA256SUMS$$') > SHA256SUMS

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache tests/browser/.report
