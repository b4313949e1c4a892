"""urllib3's types under the names the rest of the SDK gives them in annotations.

Modules outside the transport import these for type checking only (`if TYPE_CHECKING:`), so that
urllib3 is imported by the transport alone: `RawResponse` is what a call made with
`_preload_content=False` returns, `Retry` a retry policy given as `retries` or `_retries`, and
`UrllibTimeout` a timeout given as urllib3's own object.
"""

from __future__ import annotations

from urllib3 import HTTPResponse as RawResponse
from urllib3 import Retry
from urllib3 import Timeout as UrllibTimeout

__all__ = ["RawResponse", "Retry", "UrllibTimeout"]
