"""`python -m tools.check_dist DIST_DIR`: check the sdist and wheel that `make check-dist` built.

- The wheel holds every module of airflow_python_sdk, py.typed, the `airflow-sdk` command and the
  pytest plugin's entry point, its metadata names this distribution and the version of
  airflow_python_sdk/_version.py, and it holds nothing else: no tests, benchmarks or tools.
- Its metadata says what the package is: a summary naming what it does (task instances and
  their logs, lists and actions across DAGs, DAG runs, XCom; Airflow 2 and 3; the command and
  the test fixtures), the MIT licence, keywords, classifiers the package registry knows, one per
  Python version the suite runs on (the Makefile's PYTHON_VERSIONS, from requires-python's
  lowest), the three run-time dependencies, and no project address (it has no public one yet).
- The sdist holds what a distribution packager needs to run the test suite from it: the spec,
  every file of test/ and tools/, the licence, README.md and CHANGELOG.md (whose newest release is
  this version, every release dated, "Unreleased" above them all).
- The wheel installs into a fresh virtual environment (its dependencies from the package
  registry), imports there without a warning, and the demo's maintenance job runs from that
  environment against the embedded server, from a directory outside the checkout so that nothing
  is imported from it; so does docs/GETTING_STARTED.md, with that environment's commands.

Exits 1 naming each failed check.
"""

from __future__ import annotations

import argparse
import configparser
import email
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

__all__ = ["check_installed_wheel", "check_sdist", "check_wheel", "main"]

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "airflow_python_sdk"
DISTRIBUTION = "airflow-rest-api-client"
CONSOLE_SCRIPTS = {"airflow-sdk": "airflow_python_sdk.cli:main"}
PYTEST_PLUGINS = {"airflow_python_sdk": "airflow_python_sdk.testing.pytest_plugin"}
# Top-level directories of the checkout that must never be installed.
NOT_IN_WHEEL = ("test", "tests", "benchmarks", "integration", "tools", "examples", "docs")
IN_SDIST = ("openapi.yaml", "LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "Makefile")
SDIST_TREES = ("test", "tools")  # every file of these, as in the checkout
# What the demo prints when the job did everything it tried (see test/demo/test_demo.py).
DEMO_SUMMARY_END = re.compile(r"^\s*errors\s+0\s*$", re.MULTILINE)
STEP_TIMEOUT_S = 300
# What the summary must name: the package's parts a user looks for.
SUMMARY_NAMES = ("task instances", "logs", "across DAGs", "DAG runs", "XCom", "Airflow 2",
                 "Airflow 3", "command", "pytest fixtures")
KEYWORDS_NEEDED = ("airflow", "rest", "api", "client")
LICENSE_EXPRESSION = "MIT"
RUN_TIME_DEPENDENCIES = ("urllib3", "python-dateutil", "certifi")
PROJECT_URLS: dict[str, str] = {}  # none until the project has a public address


def _version() -> str:
    text = (ROOT / PACKAGE / "_version.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if match is None:
        raise SystemExit(f"no __version__ in {PACKAGE}/_version.py")
    return match.group(1)


def _files_under(tree: str) -> set[str]:
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / tree).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def _only(dist_dir: Path, pattern: str) -> Path:
    found = sorted(dist_dir.glob(pattern))
    if len(found) != 1:
        raise SystemExit(f"expected one {pattern} in {dist_dir}, found {[p.name for p in found]}")
    return found[0]


def check_wheel(wheel: Path, version: str) -> list[str]:
    """The problems of the wheel; empty when it is right."""
    problems: list[str] = []
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = f"{DISTRIBUTION.replace('-', '_')}-{version}.dist-info"
        for module in sorted(_files_under(PACKAGE)):
            if module not in names:
                problems.append(f"wheel: {module} missing")
        for top in sorted({name.split("/", 1)[0] for name in names}):
            if top not in (PACKAGE, dist_info):
                problems.append(f"wheel: holds {top}/ (only {PACKAGE}/ and {dist_info}/ belong)")
        for unwanted in NOT_IN_WHEEL:
            if any(name.split("/", 1)[0] == unwanted for name in names):
                problems.append(f"wheel: holds {unwanted}/")
        if f"{dist_info}/licenses/LICENSE" not in names:
            problems.append("wheel: LICENSE missing from the metadata")
        if f"{dist_info}/METADATA" not in names:
            return [*problems, f"wheel: no {dist_info}/METADATA"]
        metadata = archive.read(f"{dist_info}/METADATA").decode("utf-8")
        entry_points = configparser.ConfigParser(delimiters=("=",))
        entry_points.optionxform = str  # type: ignore[assignment,method-assign]  # keep case
        if f"{dist_info}/entry_points.txt" in names:
            entry_points.read_string(archive.read(f"{dist_info}/entry_points.txt").decode())
    if f"\nName: {DISTRIBUTION}\n" not in metadata or f"\nVersion: {version}\n" not in metadata:
        problems.append(f"wheel: METADATA does not say Name: {DISTRIBUTION}, Version: {version}")
    problems += check_metadata(metadata)
    for group, expected in (("console_scripts", CONSOLE_SCRIPTS), ("pytest11", PYTEST_PLUGINS)):
        found = dict(entry_points.items(group)) if entry_points.has_section(group) else {}
        if found != expected:
            problems.append(f"wheel: [{group}] is {found}, expected {expected}")
    return problems


def python_versions() -> list[str]:
    """The Python versions `make test` runs the suite on: the Makefile's PYTHON_VERSIONS."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^PYTHON_VERSIONS \?= (.+)$", makefile, re.MULTILINE)
    if match is None:
        raise SystemExit("no PYTHON_VERSIONS in the Makefile")
    return match.group(1).split()


def check_metadata(metadata: str) -> list[str]:
    """The problems of a wheel's METADATA text (its headers); empty when it is right."""
    import trove_classifiers  # dev only: make check-dist's environment has it

    headers = email.message_from_string(metadata)
    problems: list[str] = []
    summary = headers.get("Summary", "")
    missing = [name for name in SUMMARY_NAMES if name.lower() not in summary.lower()]
    if missing:
        problems.append(f"metadata: the summary {summary!r} does not name {missing}")
    if headers.get("License-Expression") != LICENSE_EXPRESSION:
        problems.append(f"metadata: License-Expression is {headers.get('License-Expression')!r}, "
                        f"not {LICENSE_EXPRESSION!r}")
    keywords = {k.strip() for k in headers.get("Keywords", "").split(",")}
    if not set(KEYWORDS_NEEDED) <= keywords:
        problems.append(f"metadata: Keywords {sorted(keywords)} lack "
                        f"{sorted(set(KEYWORDS_NEEDED) - keywords)}")
    classifiers = headers.get_all("Classifier") or []
    for unknown in sorted(set(classifiers) - trove_classifiers.classifiers):
        problems.append(f"metadata: classifier {unknown!r} is not one the registry knows")
    for deprecated in sorted(set(classifiers) & set(trove_classifiers.deprecated_classifiers)):
        problems.append(f"metadata: classifier {deprecated!r} is deprecated")
    if any(c.startswith("License ::") for c in classifiers):
        problems.append("metadata: a License classifier next to License-Expression")
    declared = sorted((c.rsplit(" :: ", 1)[1] for c in classifiers
                       if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)),
                      key=lambda v: tuple(map(int, v.split("."))))
    tested = python_versions()
    if declared != tested:
        problems.append(f"metadata: Python classifiers {declared}, but the suite runs on {tested}")
    if headers.get("Requires-Python") != f">={tested[0]}":
        problems.append(f"metadata: Requires-Python is {headers.get('Requires-Python')!r}, "
                        f"not '>={tested[0]}'")
    run_time = sorted(re.split(r"[<>=!~ ;\[]", r, maxsplit=1)[0]
                      for r in headers.get_all("Requires-Dist") or [] if "extra ==" not in r)
    if run_time != sorted(RUN_TIME_DEPENDENCIES):
        problems.append(f"metadata: run-time dependencies {run_time}, "
                        f"not {sorted(RUN_TIME_DEPENDENCIES)}")
    urls = dict(u.split(", ", 1) for u in headers.get_all("Project-URL") or [])
    if urls != PROJECT_URLS:
        problems.append(f"metadata: Project-URL {urls}, not {PROJECT_URLS}")
    return problems


def check_changelog(text: str, version: str) -> list[str]:
    """The problems of CHANGELOG.md: its newest release must be `version`, each release dated,
    "Unreleased" (for what no release has yet) above the releases."""
    problems: list[str] = []
    headings = re.findall(r"^## \[([^\]]+)\](.*)$", text, re.MULTILINE)
    releases = [name for name, _ in headings if name != "Unreleased"]
    if not releases or releases[0] != version:
        problems.append(f"CHANGELOG.md's newest release is {releases[:1]}, not {version}")
    for name, rest in headings:
        if name != "Unreleased" and not re.fullmatch(r" - \d{4}-\d{2}-\d{2}", rest):
            problems.append(f"CHANGELOG.md: release {name} has no date (## [{name}] - YYYY-MM-DD)")
    names = [name for name, _ in headings]
    if "Unreleased" in names and names.index("Unreleased") != 0:
        problems.append("CHANGELOG.md: [Unreleased] is not above every release")
    return problems


def check_sdist(sdist: Path, version: str) -> list[str]:
    """The problems of the sdist; empty when it is right."""
    problems: list[str] = []
    prefix = f"{DISTRIBUTION.replace('-', '_')}-{version}/"
    with tarfile.open(sdist) as archive:
        names = {name[len(prefix):] for name in archive.getnames() if name.startswith(prefix)}
        changelog_text = ""
        if "CHANGELOG.md" in names:
            changelog = archive.extractfile(prefix + "CHANGELOG.md")
            changelog_text = changelog.read().decode("utf-8") if changelog is not None else ""
    for required in IN_SDIST:
        if required not in names:
            problems.append(f"sdist: {required} missing")
    for tree in SDIST_TREES:
        for path in sorted(_files_under(tree) - names):
            problems.append(f"sdist: {path} missing")
    for name in sorted(names):
        if "__pycache__" in name.split("/") or name.endswith(".pyc") or name.startswith(".venv"):
            problems.append(f"sdist: holds {name}")
    problems += [f"sdist: {problem}" for problem in check_changelog(changelog_text, version)]
    return problems


def _run(command: list[str], cwd: Path, environment: dict[str, str]) -> str:
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True,
                            timeout=STEP_TIMEOUT_S, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}:\n"
                           f"{result.stdout}{result.stderr}")
    return result.stdout


def check_installed_wheel(wheel: Path, work: Path) -> list[str]:
    """Install the wheel into a fresh venv in work/ and run the demo's job from there."""
    # Nothing of the checkout or of the shell's Airflow settings may leak into the run.
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("PYTHON", "AIRFLOW_API_", "VIRTUAL_ENV"))}
    venv = work / "venv"
    python = venv / "bin" / "python"
    # No pip of its own: this interpreter's pip installs into it, which saves seconds.
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], work, environment)
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
          str(wheel)], work, environment)
    problems: list[str] = []
    probe = ("import json, importlib.metadata as m, airflow_python_sdk as p; print(json.dumps("
             "{'file': p.__file__, 'version': p.__version__, 'plugins': sorted("
             "e.value for e in m.entry_points(group='pytest11'))}))")
    report = json.loads(_run([str(python), "-W", "error", "-c", probe], work, environment))
    if not Path(report["file"]).resolve().is_relative_to(venv.resolve()):
        problems.append(f"installed: the package was imported from {report['file']}")
    if report["plugins"] != sorted(PYTEST_PLUGINS.values()):
        problems.append(f"installed: pytest11 entry points are {report['plugins']}")
    for command in CONSOLE_SCRIPTS:
        _run([str(venv / "bin" / command), "--help"], work, environment)
    # The command's guide is read from the installed package (no docs/ folder out here).
    if "## Dates" not in _run([str(venv / "bin" / "airflow-sdk"), "help", "dates"], work,
                              environment):
        problems.append("installed: `airflow-sdk help dates` does not print the guide's section")
    examples = work / "examples"
    shutil.copytree(ROOT / "examples", examples)
    demo = _run([str(python), str(examples / "run_demo.py")], work, environment)
    if not DEMO_SUMMARY_END.search(demo):
        problems.append(f"installed: the demo's job reported errors:\n{demo}")
    # A user of the wheel follows docs/GETTING_STARTED.md: the docs' runner runs the page (from an
    # empty directory) with this venv's `python` and `airflow-sdk` first on PATH.
    page = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "test/documentation/test_blocks_run_as_printed.py", "-k", "GETTING_STARTED"],
        cwd=ROOT, env={**environment, "DOCS_RUNNER_BIN": str(venv / "bin")},
        capture_output=True, text=True, timeout=STEP_TIMEOUT_S, stdin=subprocess.DEVNULL)
    if page.returncode != 0 or not re.search(r"\b1 passed\b", page.stdout):
        problems.append(f"installed: docs/GETTING_STARTED.md does not run with the wheel:\n"
                        f"{page.stdout[-3000:]}{page.stderr[-2000:]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.check_dist", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dist_dir", type=Path, help="the directory `python -m build` wrote to")
    arguments = parser.parse_args(argv)
    version = _version()
    wheel = _only(arguments.dist_dir.resolve(), "*.whl")
    sdist = _only(arguments.dist_dir.resolve(), "*.tar.gz")
    problems: list[str] = []
    for name, found in (("wheel", check_wheel(wheel, version)),
                        ("sdist", check_sdist(sdist, version))):
        print(f"{name}: {'ok' if not found else 'FAILED'}")
        problems += found
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="check-dist-") as work:
        try:
            found = check_installed_wheel(wheel, Path(work))
        except (RuntimeError, subprocess.TimeoutExpired, ValueError) as error:
            found = [f"installed: {error}"]
    print(f"installed wheel, demo's job: {'ok' if not found else 'FAILED'} "
          f"({time.monotonic() - started:.1f} s)")
    problems += found
    for problem in problems:
        print(f"  {problem}")
    print(f"{wheel.name}, {sdist.name}: "
          f"{'all checks passed' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
