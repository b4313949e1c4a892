# Every target sets up what it needs: a fresh clone only needs python3 (>= 3.9) and make.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test test-fast test-real-airflow generate check-generated lint typecheck bench clean
.PHONY: check-dist dist check-docs test-pythons

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
## PYTEST_ARGS: more arguments for every pytest run of these targets (e.g. -x).
PYTEST_ARGS ?=

## Everything CI checks: generated code, lint, types, the docs' links, the suite without real
## servers on every declared Python, then the real Airflow servers' tests (in one process: each
## worker would start servers of its own).
test: check-generated lint typecheck check-docs test-pythons
	$(PY) -m pytest $(PARALLEL) -m "not real_airflow" $(PYTEST_ARGS)
	$(PY) -m pytest -m real_airflow $(PYTEST_ARGS)

## The contributors' loop: generated code, lint, types and the suite without the real Airflow
## servers, once (CI also runs it on the other Pythons: make test-pythons).
test-fast: check-generated lint typecheck check-docs
	$(PY) -m pytest $(PARALLEL) -m "not real_airflow" $(PYTEST_ARGS)

## Every Python the package declares (its classifiers; tools/check_dist.py checks they agree).
## Besides $(PYTHON)'s run in .venv, the tests without real servers run on each other one found
## under $(PYENV_VERSIONS), in .venv-pyX.Y; 3.9's has urllib3 1.26, the transport's other code
## path (also when $(PYTHON) is 3.9 itself). A version not found is named, and not tested.
PYTHON_VERSIONS ?= 3.9 3.10 3.11 3.12 3.13
URLLIB3_1_PYTHON := 3.9
PYENV_VERSIONS ?= $(HOME)/.pyenv/versions
MAIN_PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# The newest pyenv build of a version, or $(PYTHON) when it is that version.
pyenv_python = $(lastword $(sort $(wildcard $(PYENV_VERSIONS)/$(1).*/bin/python$(1))))
python_for = $(or $(call pyenv_python,$(1)),$(if $(filter $(1),$(MAIN_PYTHON_VERSION)),$(PYTHON)))
OTHER_PYTHONS := $(sort $(filter-out $(MAIN_PYTHON_VERSION),$(PYTHON_VERSIONS)) $(URLLIB3_1_PYTHON))
FOUND_PYTHONS := $(foreach v,$(OTHER_PYTHONS),$(if $(call python_for,$(v)),$(v)))
MISSING_PYTHONS := $(filter-out $(FOUND_PYTHONS),$(OTHER_PYTHONS))

test-pythons: $(foreach v,$(FOUND_PYTHONS),test-py$(v))
	@$(if $(MISSING_PYTHONS),echo "Not tested: Python $(MISSING_PYTHONS) (not found under $(PYENV_VERSIONS))")

.venv-py%/.installed: pyproject.toml
	$(call python_for,$*) -m venv .venv-py$*
	.venv-py$*/bin/python -m pip install --quiet --upgrade pip
	.venv-py$*/bin/python -m pip install --quiet -e '.[dev]' $(if $(filter $(URLLIB3_1_PYTHON),$*),'urllib3<2')
	touch $@

TEST_PY_TARGETS := $(foreach v,$(PYTHON_VERSIONS),test-py$(v))
.PHONY: $(TEST_PY_TARGETS)
$(TEST_PY_TARGETS): test-py%: .venv-py%/.installed
	.venv-py$*/bin/python -m pytest $(PARALLEL) -m "not real_airflow" -p no:cacheprovider -q $(PYTEST_ARGS)

## The transport's other code path alone: the tests without the real servers under urllib3 1.26.
.PHONY: test-urllib3-1
test-urllib3-1: test-py$(URLLIB3_1_PYTHON)

## The docs' code blocks per page (run by the suite) and their links, which must all lead somewhere.
check-docs: $(VENV)/.installed
	$(PY) -m tools.docs

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

## The wheel and the sdist, in dist/: `pip install dist/*.whl` installs the SDK.
dist: $(VENV)/.installed
	$(PY) -m build --outdir dist .

## The release artifacts (part of `make test`): build the sdist and the wheel as a packager would,
## check their metadata and contents, and run the demo's job from the wheel in a fresh venv.
test: check-dist
check-dist: $(VENV)/.installed
	rm -rf build/dist-check
	$(PY) -m build --outdir build/dist-check .
	$(PY) -m twine check --strict build/dist-check/*
	$(PY) -m tools.check_dist build/dist-check

clean:
	rm -rf $(VENV) .venv-py3.* .venv-urllib3-1 build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
