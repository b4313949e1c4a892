"""When an Airflow 2 log has ended.

The SDK's contract, met by every dialect: a chunk without a continuation token (absent or None)
is the last one, so `while token: ...` loops end. Airflow 3 says so itself (its token is null at
the end). Airflow 2 always returns a token, even after the last line, so its end is concluded:

- a chunk that brings text is not the last (there may be more, and the next call tells), unless
  the server handed back the very token it was given: its position did not move, so nothing
  further will come (this guards against a log handler that repeats itself forever; the
  repeated text is still passed on, since dropping text could lose lines);
- a chunk that brings no text ends the log;
- neither ends it while the token says the task may still write.

Airflow 2's token is a signed JSON object, `base64url(payload).signature`, whose payload holds
`end_of_log` (false while the try is running) and `log_pos`. The payload is only peeked at, never
trusted for anything else; a token that cannot be read counts as "may have ended", so an empty
chunk then ends the log. A finished task's log thus takes two calls: the text, then the empty
chunk that ends it.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Optional

__all__ = ["airflow2_next_token", "token_says_running"]


def token_says_running(token: str) -> bool:
    """Whether the payload of an Airflow 2 token says the log may still grow."""
    payload = _payload(token)
    return payload is not None and payload.get("end_of_log") is False


def _payload(token: str) -> Optional[dict[str, object]]:
    head = token.split(".", 1)[0]
    if not head:
        return None  # compressed payloads start with "."; not worth unpacking for one flag
    try:
        raw = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))
        document = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):
        return None
    return document if isinstance(document, dict) else None


def airflow2_next_token(text: str, token: Optional[str],
                        sent: Optional[str] = None) -> Optional[str]:
    """The continuation token to hand to the caller (None once the log has ended), given the
    chunk's text, the token the server answered and the token the request sent."""
    if not token:
        return None
    if token_says_running(token):
        return token
    unchanged = sent is not None and token == sent
    return token if text and not unchanged else None
