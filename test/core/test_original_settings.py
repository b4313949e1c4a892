"""The original client's settings: each works, or warns when given a value that does nothing."""

from __future__ import annotations

import warnings

import pytest

from airflow_python_sdk import ApiClient, ApiValueError, Configuration
from airflow_python_sdk._settings.inert import InertSettingWarning
from airflow_python_sdk.testing import MockTransport
from airflow_python_sdk.transport import Response

HOST = "http://airflow.test/api/v1"

INERT = [
    ("api_key", {"basicAuth": "k"}),
    ("api_key_prefix", {"basicAuth": "Bearer"}),
    ("refresh_api_key_hook", lambda configuration: None),
    ("safe_chars_for_path_param", "/"),
    ("client_side_validation", False),
    ("temp_folder_path", "/tmp"),
    ("server_operation_index", {"get_task_instance": 1}),
    ("server_operation_variables", {"get_task_instance": {"port": "1"}}),
]


def no_content(request):
    return Response(204, {}, b"")


@pytest.mark.parametrize(("name", "value"), INERT, ids=[name for name, _ in INERT])
def test_an_inert_setting_given_a_value_warns_naming_it_and_what_to_use(name, value):
    configuration = Configuration(host=HOST)
    setattr(configuration, name, value)

    with pytest.warns(InertSettingWarning, match=f"Configuration.{name} has no effect") as seen:
        ApiClient(configuration, transport=MockTransport(no_content))

    assert len(seen) == 1
    assert ": " in str(seen[0].message).split("has no effect", 1)[1]


def test_settings_at_their_defaults_warn_about_nothing():
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ApiClient(Configuration(host=HOST), transport=MockTransport(no_content))
    assert [str(warning.message) for warning in seen] == []


@pytest.mark.parametrize(("style", "query"), [
    (None, "states=queued,failed"),
    ("multi", "states=queued&states=failed"),
    ("pipes", "states=queued%7Cfailed"),
    ("ssv", "states=queued%20failed"),
])
def test_collection_formats_shape_a_list_query_parameter(style, query):
    transport = MockTransport(no_content)
    with ApiClient(Configuration(host=HOST), transport=transport) as client:
        client.call_api("/taskInstances", "GET", query_params=[("states", ["queued", "failed"])],
                        collection_formats={"states": style} if style else None)

    assert transport.requests[0].url == f"{HOST}/taskInstances?{query}"


def test_an_unknown_collection_format_is_refused_before_sending():
    transport = MockTransport(no_content)
    with ApiClient(Configuration(host=HOST), transport=transport) as client, pytest.raises(
            ApiValueError, match="collection_formats"):
        client.call_api("/x", "GET", query_params=[("a", [1, 2])],
                        collection_formats={"a": "spaces"})
    assert transport.requests == []
