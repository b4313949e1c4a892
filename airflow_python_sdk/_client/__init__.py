"""The client: `ApiClient`, which the API classes call through (`api_client`), and the
original client's name for the transport (`rest_client`)."""

# The transport first, before the rest of the client: it brings urllib3, ssl, http.client and
# email, most of what importing the SDK costs. CPython (3.11 and later) keeps frames in 16 KiB
# chunks and frees a chunk as soon as the stack shrinks below it. Imported from deep in the
# chain of the client's own imports, that bulk ran at a depth where its calls crossed a chunk
# boundary back and forth, each crossing an mmap and a munmap: 786 of each, a quarter of the
# SDK's own import time (docs/PERFORMANCE.md).
import airflow_python_sdk.transport  # noqa: F401
from airflow_python_sdk._client.api_client import ApiClient, AsyncResult

__all__ = ["ApiClient", "AsyncResult"]
