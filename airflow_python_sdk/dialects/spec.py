"""The "draft" dialect: each operation sent exactly as openapi.yaml describes it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow_python_sdk._errors import ApiException
from airflow_python_sdk._operation import CallOptions, Endpoint, build_request
from airflow_python_sdk.dialects.channel import Channel
from airflow_python_sdk.dialects.errors import noted_unsure_write
from airflow_python_sdk.dialects.outcome import Outcome

__all__ = ["SpecDialect"]


class SpecDialect:
    """Sends each operation to the spec's path and reads the answer as the spec's model."""

    def __repr__(self) -> str:
        return "SpecDialect()"

    def call(self, channel: Channel, endpoint: Endpoint, arguments: Mapping[str, Any],
             options: CallOptions) -> Outcome:
        request = build_request(endpoint, arguments, options._check_input_type)
        base = channel.host_for(options._host_index)
        try:
            response = channel.send(request, options, base, auth=endpoint.auth)
            if response.stream is not None:
                return Outcome(None, response)
            data = channel.codec.read(response, endpoint.success_type(),
                                      options._check_return_type, text_field=endpoint.text_field,
                                      method=request.method, take_body=True)
        except ApiException as exc:
            # A trigger that failed once the server may have seen it says the run may exist.
            raise noted_unsure_write(endpoint.operation_id, exc) from exc.__cause__
        return Outcome(data, response)
