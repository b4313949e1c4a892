"""Where the server is and who signs in: flags first, then AIRFLOW_API_* variables, then a prompt.

There is deliberately no --password flag: a password on a command line ends up in the shell's
history and in every `ps` listing. It comes from AIRFLOW_API_PASSWORD, or from a prompt when
stdin is a terminal.

Everything that can be checked without the server is checked here, before any request, and said
in the words of the command line (its options and variables, never `Configuration`'s fields).
"""

from __future__ import annotations

import argparse
import getpass
from typing import Callable, Mapping, TextIO

from airflow_python_sdk._errors import ApiValueError
from airflow_python_sdk._internal.redaction import redact_url
from airflow_python_sdk._settings.configuration import ENV_PREFIX, Configuration
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.safe_text import quoted
from airflow_python_sdk.dialects import KNOWN_DIALECTS

__all__ = ["PasswordPrompt", "build_configuration"]

PasswordPrompt = Callable[[str], str]

HOST_VARIABLE = ENV_PREFIX + "HOST"
USER_VARIABLE = ENV_PREFIX + "USERNAME"
PASSWORD_VARIABLE = ENV_PREFIX + "PASSWORD"
DIALECT_VARIABLE = ENV_PREFIX + "DIALECT"
_EXAMPLE_HOST = "http://localhost:8080"
# Where each release serves its REST API, for the dialects that name one.
_API_PREFIXES = {"airflow2": ("/api/v1", "Airflow 2"), "airflow3": ("/api/v2", "Airflow 3")}


def build_configuration(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    stdin: TextIO,
    prompt: PasswordPrompt = getpass.getpass,
    *,
    workers: int = 1,
) -> Configuration:
    """The client's configuration for these arguments; UsageError when it cannot be made."""
    overrides: dict[str, object] = {}
    if args.host:
        overrides["host"] = args.host
    if args.user:
        overrides["username"] = args.user
    if args.dialect:
        overrides["dialect"] = args.dialect
    if args.timeout is not None:
        overrides["timeout"] = args.timeout
    host_source = "--host" if args.host else HOST_VARIABLE
    if not (args.host or environ.get(HOST_VARIABLE)):
        raise UsageError(
            f"no server given: pass --host URL or set {HOST_VARIABLE} (the server's root URL, "
            f"e.g. {_EXAMPLE_HOST}, or its API's, e.g. {_EXAMPLE_HOST}/api/v1)"
        )
    try:
        configuration = Configuration.from_env(environ, **overrides)
    except ApiValueError as error:
        raise UsageError(str(error)) from None
    _check_host(configuration.host, host_source)
    dialect = _checked_dialect(configuration.dialect,
                               "--dialect" if args.dialect else DIALECT_VARIABLE)
    configuration.dialect = dialect
    _check_prefix(configuration.host, host_source, dialect,
                  "--dialect" if args.dialect else DIALECT_VARIABLE)
    # Enough pooled connections for every worker of a bulk run, so none waits for another's.
    configuration.connection_pool_maxsize = max(configuration.connection_pool_maxsize, workers)
    _complete_credentials(configuration, args, stdin, prompt)
    return configuration


def _check_host(host: str, source: str) -> None:
    scheme, separator, rest = host.partition("://")
    if separator and scheme.lower() in ("http", "https") and rest.strip("/"):
        return
    redacted = redact_url(host)
    shown = quoted(redacted)
    if not separator:
        raise UsageError(f"{source} {shown} has no scheme: write it as "
                         f"{quoted('http://' + redacted.strip('/'))} (or https://...)")
    raise UsageError(f"{source} {shown} is not an http:// or https:// URL "
                     f"(e.g. {_EXAMPLE_HOST})")


def _checked_dialect(name: str, source: str) -> str:
    wanted = name.strip().lower()
    if wanted not in KNOWN_DIALECTS:
        raise UsageError(
            f"{source} {quoted(name)} is not a dialect: use one of {', '.join(KNOWN_DIALECTS)}, "
            "or leave it out (auto: the server's /version says which it is)"
        )
    return wanted


def _check_prefix(host: str, host_source: str, dialect: str, dialect_source: str) -> None:
    """A host ending with the other release's API path, for a dialect that names its release."""
    if dialect not in _API_PREFIXES:
        return
    prefix, server = _API_PREFIXES[dialect]
    root = host.rstrip("/")
    for other in ("/api/v1", "/api/v2"):
        if other != prefix and root.endswith(other):
            shown = redact_url(root[: -len(other)])
            raise UsageError(
                f"{host_source} ends with {other}, but {server} ({dialect_source} {dialect}) "
                f"serves its REST API under {prefix}: give {shown}{prefix} or the root URL "
                f"{shown}, or leave out {dialect_source} (auto asks the server which it is)"
            )


def _complete_credentials(configuration: Configuration, args: argparse.Namespace,
                          stdin: TextIO, prompt: PasswordPrompt) -> None:
    """Ask for a missing password on a terminal; name what is missing before any request.

    Neither a user nor a password is allowed: some servers take requests without credentials
    (a 401 then says what to give)."""
    if configuration.username is None and configuration.password is not None:
        raise UsageError(f"{PASSWORD_VARIABLE} is set but no user name is given: pass --user "
                         f"NAME or set {USER_VARIABLE}")
    if configuration.username is not None and configuration.password is None:
        if not _is_terminal(stdin):
            source = "--user" if args.user else USER_VARIABLE
            raise UsageError(
                f"no password for user {quoted(configuration.username)} ({source}): set "
                f"{PASSWORD_VARIABLE}, or run the command on a terminal to be asked for it"
            )
        configuration.password = prompt(f"Password for {configuration.username}: ")


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
