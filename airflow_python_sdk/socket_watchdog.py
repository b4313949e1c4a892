"""Kept for scripts that import it: the socket watchdog is now transport/watchdog.py."""

from airflow_python_sdk.transport.watchdog import WATCHDOG, Deadline, SocketWatchdog

__all__ = ["WATCHDOG", "Deadline", "SocketWatchdog"]
