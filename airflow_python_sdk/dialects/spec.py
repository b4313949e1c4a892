"""The "draft" dialect: each operation sent exactly as openapi.yaml describes it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from airflow_python_sdk._errors import ApiException
from airflow_python_sdk._internal.redaction import redact_url
from airflow_python_sdk._operation import CallOptions, Endpoint, build_request
from airflow_python_sdk._operation.paging import check_page_items
from airflow_python_sdk.dialects.channel import Channel
from airflow_python_sdk.dialects.outcome import Outcome

__all__ = ["SpecDialect"]


class SpecDialect:
    """Sends each operation to the spec's path and reads the answer as the spec's model.

    `api_root`, when given, is (host, root): calls to that host go to that root instead (the
    "auto" dialect found the API there, under a host given as the server's root URL).
    """

    def __init__(self, api_root: Optional[tuple[str, str]] = None) -> None:
        self._api_root = api_root

    def __repr__(self) -> str:
        return "SpecDialect()" if self._api_root is None else (
            f"SpecDialect(api_root={redact_url(self._api_root[1])!r})")

    def call(self, channel: Channel, endpoint: Endpoint, arguments: Mapping[str, Any],
             options: CallOptions) -> Outcome:
        request = build_request(endpoint, arguments, options._check_input_type)
        base = channel.host_for(options._host_index)
        if self._api_root is not None and base == self._api_root[0]:
            base = self._api_root[1]
        if endpoint.operation_id == "bulk_task_instances":
            # The one operation sent in several requests (chunks of task instances), whose 200
            # answer can still hold failures; imported on first use.
            from airflow_python_sdk.dialects.bulk_spec import change_on_spec_server

            return change_on_spec_server(channel, endpoint, arguments, options, request, base)
        limit = arguments.get("limit")
        try:
            response = channel.send(request, options, base, auth=endpoint.auth)
            if response.stream is not None:
                return Outcome(None, response)
            data = channel.codec.read(response, endpoint.success_type(),
                                      options._check_return_type, text_field=endpoint.text_field,
                                      method=request.method, take_body=True,
                                      check_document=None if limit is None else (
                                          lambda document: check_page_items(document, limit)))
        except ApiException as exc:
            # A trigger that failed once the server may have seen it says the run may exist.
            # (errors.py is imported for a failed call only: a call that succeeds never needs
            # it, nor the problems and the Error model it brings.)
            from airflow_python_sdk.dialects.errors import noted_unsure_write

            raise noted_unsure_write(endpoint.operation_id, exc) from exc.__cause__
        return Outcome(data, response)
