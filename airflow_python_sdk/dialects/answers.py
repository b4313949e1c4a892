"""Real servers' answers as the spec's models.

Task instances: Airflow 3 calls the execution date `logical_date`, and both Airflow 2 and 3 call
the queueing time `queued_when`; they fill the spec's `execution_date` and `queued_dttm`. Every
other field a server sends (dag_run_id, map_index, note, the original names, ...) is kept as an
unknown field, readable as `ti.dag_run_id` or `ti["map_index"]`, unless the configuration says
`discard_unknown_keys`.

Extra links: Airflow 2 answers a plain map of name to URL, Airflow 3 the same map under
`extra_links`; both become an `ExtraLinkCollection` of `ExtraLink(name=..., href=...)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow_python_sdk._errors import ApiTypeError
from airflow_python_sdk.dialects.codec import Codec
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.task_instance import TaskInstance

__all__ = ["SPEC_NAMES", "extra_links", "task_instance"]

# The spec's field name for each name real servers use instead.
SPEC_NAMES = {"logical_date": "execution_date", "queued_when": "queued_dttm"}


def task_instance(codec: Codec, document: Any, check: bool) -> TaskInstance:
    """A task instance as Airflow 2 or 3 sends it, as the spec's `TaskInstance`."""
    if not isinstance(document, dict):
        raise ApiTypeError(
            f"Invalid type for `TaskInstance`: expected a JSON object, got "
            f"{type(document).__name__}",
            path_to_item=["TaskInstance"],
        )
    mapped = dict(document)
    for theirs, ours in SPEC_NAMES.items():
        if ours not in mapped and theirs in mapped:
            mapped[ours] = mapped[theirs]
    result: TaskInstance = codec.to_type(mapped, TaskInstance, check)
    return result


def extra_links(codec: Codec, links: Any, check: bool) -> ExtraLinkCollection:
    """A map of link name to URL (null for a link that has no URL yet) as the spec's model."""
    if not isinstance(links, Mapping):
        raise ApiTypeError(
            f"Invalid type for the extra links: expected a JSON object of name to URL, got "
            f"{type(links).__name__}",
            path_to_item=["ExtraLinkCollection", "extra_links"],
        )
    document = {"extra_links": [{"name": name, "href": href} for name, href in links.items()]}
    result: ExtraLinkCollection = codec.to_type(document, ExtraLinkCollection, check)
    return result
