"""Kept for scripts that import it: the whole-answer deadline is now transport/deadline.py."""

from airflow_python_sdk.transport.deadline import POOL_CLASSES_BY_SCHEME, AnswerDeadlineError

__all__ = ["POOL_CLASSES_BY_SCHEME", "AnswerDeadlineError"]
