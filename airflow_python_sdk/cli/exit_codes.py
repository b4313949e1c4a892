"""The exit statuses of `airflow-sdk`, one per kind of outcome, so scripts can tell them apart.

docs/CLI.md lists them too; keep both in step.
"""

from __future__ import annotations

__all__ = [
    "API_ERROR",
    "AUTH_FAILED",
    "BROKEN_PIPE",
    "DAG_PAUSED",
    "DECLINED",
    "INTERRUPTED",
    "NOT_FOUND",
    "OK",
    "RUN_FAILED",
    "SOME_FAILED",
    "UNREACHABLE",
    "USAGE",
    "WAIT_TIMED_OUT",
]

OK = 0
# set-state over several dates, or clear / set-state over a selection: at least one of the
# requests (or, for set-state over a selection, of the task instances) failed; the others are
# done.
SOME_FAILED = 1
# Bad arguments: an unknown option or state, a malformed date, no host, an unknown dialect.
USAGE = 2
# 401 or 403: wrong credentials, or a user who may not do this.
AUTH_FAILED = 3
# 404: no such task instance, or no log for that try; a --dag without task instances.
NOT_FOUND = 4
# Any other error answer (400, 409, 5xx, an answer that cannot be read).
API_ERROR = 5
# No answer: the server could not be reached, the connection broke, or it timed out.
UNREACHABLE = 6
# delete, clear or set-state over a selection was not confirmed (or could not be asked).
DECLINED = 7
# A wait (trigger --wait, wait, clear --wait, clear-run --wait) saw it finish badly: the run
# failed, or a cleared task instance failed again.
RUN_FAILED = 8
# A wait gave up at its --wait-timeout: what it waited for had not finished.
WAIT_TIMED_OUT = 9
# A wait found that what it waits for cannot start: its DAG is paused.
DAG_PAUSED = 10
# Ctrl-C, as shells report a SIGINT.
INTERRUPTED = 130
# stdout was closed by its reader (`... | head`), as shells report a SIGPIPE.
BROKEN_PIPE = 141
