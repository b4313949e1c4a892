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

# The suite's workers (pytest-xdist): two per CPU, since most tests spend their time waiting on
# sockets, processes and retry back-offs, and a second worker keeps each CPU busy meanwhile
# (on 2 shared cores at a load average of 8 to 9, 4 workers took 118 s where 2 took 153 s).
# `make test-fast WORKERS=0` runs the suite in one process.
WORKERS ?= $(shell $(PYTHON) -c 'import os; print(2 * (os.cpu_count() or 1))')
PARALLEL := -n $(WORKERS)
# Keep the bytecode of the package, its dependencies and the tests (pytest's rewritten test
# modules included) between runs, even where the shell sets PYTHONDONTWRITEBYTECODE: compiling
# them anew costs every run seconds of CPU. An empty value is the same as unset.
export PYTHONDONTWRITEBYTECODE :=

## Everything CI checks: generated code, lint, types, the suite under urllib3 2 and 1.26, then
## the real Airflow servers' tests (in one process: each worker would start servers of its own).
test: check-generated lint typecheck test-urllib3-1
	$(PY) -m pytest $(PARALLEL) -m "not real_airflow"
	$(PY) -m pytest -m real_airflow

## The contributors' loop: generated code, lint, types and the suite without the real Airflow
## servers, once (CI also runs it under urllib3 1.26: make test-urllib3-1).
test-fast: check-generated lint typecheck
	$(PY) -m pytest $(PARALLEL) -m "not real_airflow"

## The transport's other code path: the tests without the real servers under urllib3 1.26.
.PHONY: test-urllib3-1
VENV_URLLIB3_1 ?= .venv-urllib3-1
$(VENV_URLLIB3_1)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV_URLLIB3_1)
	$(VENV_URLLIB3_1)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_URLLIB3_1)/bin/python -m pip install --quiet -e '.[dev]' 'urllib3<2'
	touch $@

test-urllib3-1: $(VENV_URLLIB3_1)/.installed
	$(VENV_URLLIB3_1)/bin/python -m pytest $(PARALLEL) -m "not real_airflow" -p no:cacheprovider -q

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
