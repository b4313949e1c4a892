"""Error titles read alike on every Python: 3.13 renamed four of http.HTTPStatus's phrases."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from airflow_python_sdk._internal.reason_phrases import reason_phrase
from airflow_python_sdk.testing.problems import ApiProblem


@pytest.mark.parametrize(
    ("status", "phrase"),
    [
        (413, "Request Entity Too Large"),
        (414, "Request-URI Too Long"),
        (416, "Requested Range Not Satisfiable"),
        (422, "Unprocessable Entity"),
        (404, "Not Found"),
        (503, "Service Unavailable"),
    ],
)
def test_every_status_has_the_phrase_it_has_on_python_3_9_to_3_12(status: int, phrase: str) -> None:
    assert reason_phrase(status) == phrase


def test_other_statuses_keep_pythons_phrase_and_an_unnamed_one_gets_the_fallback() -> None:
    kept = {413, 414, 416, 422}
    assert all(reason_phrase(s.value) == s.phrase for s in HTTPStatus if s.value not in kept)
    assert reason_phrase(599) is None
    assert reason_phrase(599, "Unknown") == "Unknown"


def test_the_embedded_servers_problem_titles_use_them() -> None:
    assert ApiProblem(422, "bad").title == "Unprocessable Entity"
