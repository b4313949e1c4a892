#!/usr/bin/env bash
# One command for every benchmark: `make bench` runs this.
# Creates (once) the peer environment with the original generated client, then runs all
# measurements against one local canned server and prints the table of ratios.
# Extra arguments go to run_all.py, e.g. `benchmarks/run.sh --quick`.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sdk_python="${repo}/.venv/bin/python"
peer="${repo}/.bench-venvs/original"
peer_spec="airflow-python-sdk==0.3.7"

if [[ ! -x "${sdk_python}" ]]; then
    echo "missing ${sdk_python}: create the project's virtual environment first" >&2
    exit 1
fi

# The peer uses the very interpreter of .venv and the same urllib3, so that only the client
# code differs between the two environments.
base_python="$("${sdk_python}" -c 'import sys; print(sys._base_executable)')"
urllib3_version="$("${sdk_python}" -c 'import importlib.metadata as m; print(m.version("urllib3"))')"
marker="${peer}/.installed-${peer_spec}-urllib3-${urllib3_version}"
if [[ ! -f "${marker}" ]]; then
    rm -rf "${peer}"
    "${base_python}" -m venv "${peer}"
    "${peer}/bin/python" -m pip install --quiet --disable-pip-version-check \
        "${peer_spec}" "urllib3==${urllib3_version}"
    touch "${marker}"
fi

exec "${sdk_python}" "${repo}/benchmarks/run_all.py" "$@"
