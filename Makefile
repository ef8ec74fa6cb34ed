# The two commands of the README: `make site` and `make test` (and `make bench`, its Benchmarks).
# Each sets the machine up by itself; a second run skips what is already done.

VENV := .venv
PY := $(VENV)/bin/python
# PDFs need Pango, the Noto CJK fonts (SC faces, named in print.css) and
# HarfBuzz's subsetter (without it WeasyPrint is ~40x slower on CJK fonts).
SITE_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
# The browser tests drive Debian's Chromium (no browser download); poppler's
# pdffonts reads the fonts of the PDFs back.
TEST_DEBS := $(SITE_DEBS) chromium poppler-utils

.PHONY: site test check schema bench clean

## Build the site from content/ into output/.
site: $(VENV)/.runtime-installed
	sh scripts/install-debs.sh $(SITE_DEBS)
	$(PY) build.py build

## Run the whole test suite (lint and types first: they take seconds and catch dead code and
## wrong calls). ruff's rules include import sorting ("I" in pyproject.toml). Tests run on every
## core (at most four), each test file on one worker so that its module fixtures are built once.
test: $(VENV)/.dev-installed
	sh scripts/install-debs.sh $(TEST_DEBS)
	$(VENV)/bin/ruff check builder tests bench build.py
	$(VENV)/bin/mypy builder
	$(PY) -m pytest -n auto --maxprocesses=4 --dist loadfile

## The benchmark: gongkai beside Hugo + Pagefind on a generated corpus, in pairs (bench/run.py;
## every set by default, hours; BENCH picks one, e.g. make bench BENCH=--large). Hugo is Debian's;
## Pagefind is the build's own.
BENCH ?= --all
bench: $(VENV)/.runtime-installed
	sh scripts/install-debs.sh $(SITE_DEBS) hugo
	$(PY) bench/run.py $(BENCH)

## Check content/ without building.
check: $(VENV)/.runtime-installed
	$(PY) build.py check

## Regenerate schemas/ from builder/content/schema.py.
schema: $(VENV)/.runtime-installed
	$(PY) build.py schema

# pyproject.toml: gongkai's own package (installed editable by setup.sh) is configured there.
$(VENV)/.runtime-installed: requirements.txt pyproject.toml scripts/setup.sh
	sh scripts/setup.sh requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt pyproject.toml scripts/setup.sh
	sh scripts/setup.sh requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

clean:
	rm -rf $(VENV) output .pytest_cache .mypy_cache
