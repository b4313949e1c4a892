#!/usr/bin/env bash
# One command for every benchmark: `make bench` runs this.
# Creates (once) the peer environments, then runs all measurements against local canned servers
# and prints the table of ratios. Extra arguments go to run_all.py, e.g. `run.sh --quick`.
#   .bench-venvs/original: airflow-python-sdk 0.3.7, the generated client our users come from.
#   .bench-venvs/official: apache-airflow-client 3.x, a reference for the model benchmark only.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sdk_python="${repo}/.venv/bin/python"

if [[ ! -x "${sdk_python}" ]]; then
    echo "missing ${sdk_python}: create the project's virtual environment first" >&2
    exit 1
fi

# Each peer uses the very interpreter of .venv and the same urllib3, so that only the client
# code differs between the environments.
base_python="$("${sdk_python}" -c 'import sys; print(sys._base_executable)')"
urllib3_version="$("${sdk_python}" -c 'import importlib.metadata as m; print(m.version("urllib3"))')"

make_peer() {  # make_peer NAME PACKAGE_SPEC: create or reuse .bench-venvs/NAME
    local venv="${repo}/.bench-venvs/$1"
    local marker="${venv}/.installed-$2-urllib3-${urllib3_version}"
    if [[ -f "${marker}" ]]; then
        return 0
    fi
    # Explicit returns: `set -e` does not apply inside a function called from an `if`.
    rm -rf "${venv}"
    "${base_python}" -m venv "${venv}" || return 1
    "${venv}/bin/python" -m pip install --quiet --disable-pip-version-check \
        "$2" "urllib3==${urllib3_version}" || return 1
    touch "${marker}"
}

# Without the package registry a peer cannot be installed: the run goes on, and the table shows
# its column as n/a.
if ! make_peer original "airflow-python-sdk==0.3.7"; then
    echo "WARNING: could not install airflow-python-sdk 0.3.7; its column stays empty" >&2
    rm -rf "${repo}/.bench-venvs/original"
fi
if ! make_peer official "apache-airflow-client==3.3.2"; then
    echo "note: could not install apache-airflow-client; its reference column stays empty" >&2
    rm -rf "${repo}/.bench-venvs/official"
fi

exec "${sdk_python}" "${repo}/benchmarks/run_all.py" "$@"
