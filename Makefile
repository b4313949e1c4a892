# Every target sets up what it needs: a fresh clone only needs python3 (>= 3.9) and make.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test test-fast test-real-airflow generate check-generated lint typecheck bench clean
.PHONY: check-dist

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

## The demo: a maintenance job against the embedded Airflow API server.
demo: $(VENV)/.installed
	$(PY) examples/run_demo.py

## Everything CI checks: generated code, lint, types, then the whole test suite.
test: check-generated lint typecheck test-urllib3-1
	$(PY) -m pytest

## The tests without the real Airflow servers (seconds instead of minutes).
test-fast: check-generated lint typecheck test-urllib3-1
	$(PY) -m pytest -m "not real_airflow"

## The transport's other code path: the tests without the real servers under urllib3 1.26.
.PHONY: test-urllib3-1
VENV_URLLIB3_1 ?= .venv-urllib3-1
$(VENV_URLLIB3_1)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV_URLLIB3_1)
	$(VENV_URLLIB3_1)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_URLLIB3_1)/bin/python -m pip install --quiet -e '.[dev]' 'urllib3<2'
	touch $@

test-urllib3-1: $(VENV_URLLIB3_1)/.installed
	$(VENV_URLLIB3_1)/bin/python -m pytest -m "not real_airflow" -p no:cacheprovider -q

test-real-airflow: $(VENV)/.installed
	$(PY) -m pytest -m real_airflow

generate: $(VENV)/.installed
	$(PY) -m tools.generator
	$(PY) -m tools.guide

check-generated: $(VENV)/.installed
	$(PY) -m tools.generator --check
	$(PY) -m tools.guide --check

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

typecheck: $(VENV)/.installed
	$(PY) -m mypy

bench: $(VENV)/.installed
	bash benchmarks/run.sh

## The release artifacts (part of `make test`): build the sdist and the wheel as a packager would,
## check their metadata and contents, and run the demo's job from the wheel in a fresh venv.
test: check-dist
check-dist: $(VENV)/.installed
	rm -rf build/dist-check
	$(PY) -m build --outdir build/dist-check .
	$(PY) -m twine check --strict build/dist-check/*
	$(PY) -m tools.check_dist build/dist-check

clean:
	rm -rf $(VENV) $(VENV_URLLIB3_1) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
