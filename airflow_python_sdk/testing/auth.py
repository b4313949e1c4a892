"""HTTP basic authentication against the server's configured users, as Airflow's basic_auth."""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass
from typing import Iterable, Optional

from .problems import ApiProblem

# Airflow's basic_auth backend challenges with plain "Basic"; a realm helps browsers and curl -v.
CHALLENGE = 'Basic realm="Airflow API", charset="UTF-8"'


@dataclass(frozen=True)
class User:
    name: str
    password: str
    read_only: bool = False  # like Airflow's Viewer role: may read, may not PATCH or DELETE

    @classmethod
    def parse(cls, text: str, read_only: bool = False) -> User:
        """Read "name:password" (the password may itself contain colons)."""
        name, colon, password = text.partition(":")
        if not name or not colon:
            raise ValueError(f"expected name:password, got {text!r}")
        return cls(name, password, read_only)


DEFAULT_USERS = (User("admin", "admin"), User("viewer", "viewer", read_only=True))


class Authenticator:
    def __init__(self, users: Iterable[User]) -> None:
        self._users = {user.name: user for user in users}

    def authenticate(self, authorization: Optional[str]) -> User:
        """The user the Authorization header proves, or a 401 problem."""
        credentials = decode_basic(authorization)
        if credentials is None:
            raise _unauthenticated("Send HTTP basic credentials of a configured user.")
        name, password = credentials
        user = self._users.get(name)
        # Compare against a dummy too, so a wrong name costs as long as a wrong password.
        expected = user.password if user is not None else "\0"
        if not hmac.compare_digest(password.encode(), expected.encode()) or user is None:
            raise _unauthenticated("The user name or password is wrong.")
        return user


def decode_basic(authorization: Optional[str]) -> Optional[tuple[str, str]]:
    if not authorization:
        return None
    scheme, _, encoded = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        # ValueError: http.server reads header bytes as latin-1, so "\xff\xfe" arrives as text
        # b64decode refuses (binascii.Error and UnicodeDecodeError are ValueErrors too).
        return None
    name, colon, password = decoded.partition(":")
    return (name, password) if colon else None


def _unauthenticated(detail: str) -> ApiProblem:
    return ApiProblem(401, detail, title="Unauthorized", headers={"WWW-Authenticate": CHALLENGE})
