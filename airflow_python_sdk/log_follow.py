"""Reading a task instance's log to its end, in flat memory whatever its size:

    from airflow_python_sdk.log_follow import follow_logs, write_logs

    for text in follow_logs(api, "etl_daily", "transform", "2026-11-26T00:00:00+00:00", 2):
        print(text, end="")

The helpers live in `airflow_python_sdk._logs`, whose `follow` module says how tokens are
followed and how an answer is read as it arrives.
"""

from airflow_python_sdk._logs import *  # noqa: F403
from airflow_python_sdk._logs import __all__ as __all__
