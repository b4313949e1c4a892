"""Where the server is and who signs in: flags first, then AIRFLOW_API_* variables, then a prompt.

There is deliberately no --password flag: a password on a command line ends up in the shell's
history and in every `ps` listing. It comes from AIRFLOW_API_PASSWORD, or from a prompt when
stdin is a terminal.
"""

from __future__ import annotations

import argparse
import getpass
from typing import Callable, Mapping, Optional, TextIO

from airflow_python_sdk._errors import ApiValueError
from airflow_python_sdk._settings.configuration import ENV_PREFIX, Configuration
from airflow_python_sdk.cli.errors import UsageError

__all__ = ["build_configuration"]

PasswordPrompt = Callable[[str], str]


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
    if not (args.host or environ.get(ENV_PREFIX + "HOST")):
        raise UsageError(
            f"no server given: pass --host URL or set {ENV_PREFIX}HOST "
            "(e.g. http://localhost:8080/api/v1)"
        )
    try:
        configuration = Configuration.from_env(environ, **overrides)
    except ApiValueError as error:
        raise UsageError(str(error)) from None
    # Enough pooled connections for every worker of a bulk run, so none waits for another's.
    configuration.connection_pool_maxsize = max(configuration.connection_pool_maxsize, workers)
    if configuration.password is None and configuration.username is not None:
        configuration.password = _ask_password(configuration.username, stdin, prompt)
    return configuration


def _ask_password(username: str, stdin: TextIO, prompt: PasswordPrompt) -> Optional[str]:
    if not _is_terminal(stdin):
        # A script without a password gets the server's 401, which says what is wrong.
        return None
    return prompt(f"Password for {username}: ")


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
