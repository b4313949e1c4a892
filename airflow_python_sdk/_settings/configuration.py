"""Where the server is, how to authenticate, and how requests behave.

The password is never shown: not by repr, not by `to_debug_report()`, not in logs. Every request
has a timeout (`DEFAULT_TIMEOUT` unless set), so a stalled server cannot hang a job.
"""

from __future__ import annotations

import base64
import logging
import os
import sys
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Union

from airflow_python_sdk._errors import ApiValueError
from airflow_python_sdk._internal.redaction import Secret, redact_url, userinfo_ends_early
from airflow_python_sdk._settings.spec_info import SERVERS, SPEC_VERSION
from airflow_python_sdk._settings.timeouts import check_timeout, seconds_from_text
from airflow_python_sdk._version import __version__

if TYPE_CHECKING:
    # urllib3's types, for annotations only: the transport alone imports urllib3.
    from airflow_python_sdk.transport.types import Retry, UrllibTimeout

__all__ = ["DEFAULT_MAX_ANSWER_BYTES", "DEFAULT_TIMEOUT", "Configuration", "Timeout"]

# (connect, read) seconds. Connecting to a healthy server takes milliseconds; a read waits for
# the server's work (a full log, say), so it gets longer. The read timeout bounds each wait for
# data and also the whole answer, so a server dripping bytes cannot stretch a call (see
# transport/deadline.py). Override per client (`timeout`) or per call (`_request_timeout`).
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 60.0)

# The largest answer body read into memory (256 MiB): far beyond any task instance or log chunk
# an Airflow server sends, far below what takes a machine down. See `max_answer_bytes`.
DEFAULT_MAX_ANSWER_BYTES = 256 * 1024 * 1024

# A timeout as callers give it; `UrllibTimeout` is a forward reference, resolved by type checkers.
Timeout = Union[None, float, int, tuple[float, float], "UrllibTimeout"]

# The variables `Configuration.from_env()` reads.
ENV_PREFIX = "AIRFLOW_API_"
# The dialect of `Configuration.from_env()` when AIRFLOW_API_DIALECT is not set.
ENV_DEFAULT_DIALECT = "auto"

_LOGGER_NAMES = ("airflow_python_sdk", "urllib3")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Configuration:
    """Settings for an `ApiClient`.

    :param host: the API's base URL, e.g. ``http://localhost:8080/api/v1``; when None, the spec's
        server at `server_index` (``http://localhost/api/v1``).
    :param username: HTTP basic auth user.
    :param password: HTTP basic auth password; never shown.
    :param discard_unknown_keys: drop fields a server sends that the spec does not know, instead of
        keeping them on the model.
    :param server_index: which of `servers` to use when `host` is not given.
    :param servers: the server list (defaults to the spec's).
    :param timeout: the default request timeout, seconds or (connect, read); see `DEFAULT_TIMEOUT`.
    :param dialect: which API the server speaks: "draft" (the spec, the default here), "airflow2",
        "airflow3" or "auto" (asks the server; the default of `from_env()` and the command).

    `max_answer_bytes` (default `DEFAULT_MAX_ANSWER_BYTES`, 256 MiB) bounds the body of an answer
    read into memory, decoded size included; a larger one ends the call with
    `AnswerTooLargeError`. None removes the bound. Answers read as a stream
    (`_preload_content=False`) are the caller's to bound.
    """

    _default: ClassVar[Optional[Configuration]] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()
    # Counts assignments to the settings: a client reads its settings again only when this
    # changed (see dialects/channel.py), instead of reading every setting on every call.
    _revision = 0

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        object.__setattr__(self, "_revision", self._revision + 1)

    def __init__(
        self,
        host: Optional[str] = None,
        api_key: Optional[dict[str, str]] = None,
        api_key_prefix: Optional[dict[str, str]] = None,
        access_token: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        discard_unknown_keys: bool = False,
        disabled_client_side_validations: str = "",
        server_index: Optional[int] = None,
        server_variables: Optional[dict[str, str]] = None,
        server_operation_index: Optional[dict[str, int]] = None,
        server_operation_variables: Optional[dict[str, dict[str, str]]] = None,
        ssl_ca_cert: Optional[str] = None,
        *,
        servers: Optional[list[dict[str, Any]]] = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        dialect: str = "draft",
    ) -> None:
        self._base_path = _checked_host(host)
        # copy and certifi load with the first configuration, not with the package: an import
        # that makes none (a test run loading the pytest plugin, a job's start-up) skips them.
        import copy

        import certifi

        self.servers: list[dict[str, Any]] = copy.deepcopy(servers if servers else SERVERS)
        self.server_index = 0 if server_index is None and host is None else server_index
        self.server_variables = server_variables or {}
        self.server_operation_index = server_operation_index or {}
        self.server_operation_variables = server_operation_variables or {}
        self.temp_folder_path: Optional[str] = None
        self.api_key = api_key or {}
        self.api_key_prefix = api_key_prefix or {}
        self.refresh_api_key_hook: Any = None
        self.access_token = access_token
        self.username = username
        self.password = password
        self.discard_unknown_keys = discard_unknown_keys
        self.disabled_client_side_validations = disabled_client_side_validations
        self.client_side_validation = True
        # TLS: verify with certifi's bundle unless a CA file is given.
        self.verify_ssl = True
        self.ssl_ca_cert: Optional[str] = ssl_ca_cert or certifi.where()
        self.cert_file: Optional[str] = None
        self.key_file: Optional[str] = None
        self.assert_hostname: Union[bool, str, None] = None
        self.tls_server_name: Optional[str] = None
        self.connection_pool_maxsize = 10
        self.proxy: Optional[str] = None
        self.proxy_headers: Optional[Mapping[str, str]] = None
        self.safe_chars_for_path_param = ""
        # None: the SDK's default retry policy (see transport/retry.py, docs/RELIABILITY.md). A
        # number is that policy with so many repeats of each kind of failure (0 turns retrying off,
        # redirects are still followed); a urllib3 Retry is used exactly as given. Read at each
        # call, like `timeout`.
        self.retries: Union[int, Retry, None] = None
        self._timeout: Timeout = DEFAULT_TIMEOUT
        self.timeout = timeout
        self.max_answer_bytes: Optional[int] = DEFAULT_MAX_ANSWER_BYTES
        self.dialect = dialect
        self.socket_options: Optional[list[tuple[int, int, Any]]] = None
        self.logger = {name: logging.getLogger(name) for name in _LOGGER_NAMES}
        self._logger_format = "%(asctime)s %(levelname)s %(message)s"
        self._logger_formatter = logging.Formatter(self._logger_format)
        self._logger_stream_handler: Optional[logging.Handler] = None
        self._logger_file_handler: Optional[logging.FileHandler] = None
        self._logger_file: Optional[str] = None
        self._debug = False

    @classmethod
    def from_env(
        cls, environ: Optional[Mapping[str, str]] = None, **overrides: Any
    ) -> Configuration:
        """A configuration from environment variables, for jobs that must not hard-code secrets.

        Reads AIRFLOW_API_HOST, AIRFLOW_API_USERNAME, AIRFLOW_API_PASSWORD, AIRFLOW_API_VERIFY_SSL
        (true/false), AIRFLOW_API_CA_CERT, AIRFLOW_API_TIMEOUT (seconds) and AIRFLOW_API_DIALECT.
        Keyword arguments override what the environment says.

        Without AIRFLOW_API_DIALECT the dialect is "auto" (one `/version` request per client says
        which server it is), unlike `Configuration()`, whose default stays "draft": a host read
        from the environment is most often a real Airflow, while code that builds its own
        configuration keeps speaking exactly as it did.
        """
        env = os.environ if environ is None else environ

        def read(name: str) -> Optional[str]:
            value = env.get(ENV_PREFIX + name)
            return value if value not in (None, "") else None

        config = cls(
            host=read("HOST"),
            username=read("USERNAME"),
            password=read("PASSWORD"),
            ssl_ca_cert=read("CA_CERT"),
        )
        verify = read("VERIFY_SSL")
        if verify is not None:
            config.verify_ssl = _parse_bool(ENV_PREFIX + "VERIFY_SSL", verify)
        timeout = read("TIMEOUT")
        if timeout is not None:
            config.timeout = seconds_from_text(timeout, ENV_PREFIX + "TIMEOUT")
        config.dialect = read("DIALECT") or ENV_DEFAULT_DIALECT
        for name, value in overrides.items():
            if not hasattr(config, name):
                raise ApiValueError(f"Configuration has no setting {name!r}")
            setattr(config, name, value)
        return config

    # -- defaults shared by clients made without a configuration ---------------------------------

    @classmethod
    def set_default(cls, default: Optional[Configuration]) -> None:
        """Make a copy of `default` the configuration of clients created without one."""
        with cls._default_lock:
            import copy

            cls._default = copy.deepcopy(default)

    @classmethod
    def get_default_copy(cls) -> Configuration:
        """A copy of the default configuration (a new one if none was set)."""
        with cls._default_lock:
            if cls._default is not None:
                import copy

                return copy.deepcopy(cls._default)
        return cls()

    def __deepcopy__(self, memo: dict[int, Any]) -> Configuration:
        import copy  # loaded already: deepcopy is what calls this

        result = self.__class__.__new__(self.__class__)
        memo[id(self)] = result
        for key, value in self.__dict__.items():
            # Loggers and handlers are process-wide objects: share them, never copy them.
            if key in ("logger", "_logger_stream_handler", "_logger_file_handler",
                       "_logger_formatter"):
                setattr(result, key, value)
            else:
                setattr(result, key, copy.deepcopy(value, memo))
        return result

    @property
    def timeout(self) -> Timeout:
        """The default request timeout: seconds or (connect, read), finite and above 0.
        Refused with `ApiValueError` when set to anything else."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: Timeout) -> None:
        self._timeout = check_timeout(value, "timeout")

    # -- the server ---------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """The base URL every path is appended to."""
        if self.server_index is None:
            return self._base_path or ""
        return self.get_host_from_settings(self.server_index, self.server_variables)

    @host.setter
    def host(self, value: str) -> None:
        self._base_path = _checked_host(value)
        self.server_index = None

    def get_host_settings(self) -> list[dict[str, Any]]:
        """The servers the spec names (url, description, variables)."""
        return self.servers

    def get_host_from_settings(
        self,
        index: Optional[int],
        variables: Optional[dict[str, str]] = None,
        servers: Optional[list[dict[str, Any]]] = None,
    ) -> str:
        """The URL of server `index`, with its variables filled in."""
        if index is None:
            return self._base_path or ""
        servers = self.get_host_settings() if servers is None else servers
        if not 0 <= index < len(servers):
            raise ApiValueError(
                f"Invalid server index {index}: there are {len(servers)} server(s)"
            )
        server = servers[index]
        url: str = server["url"]
        variables = variables or {}
        for name, spec in server.get("variables", {}).items():
            value = variables.get(name, spec["default_value"])
            if "enum_values" in spec and value not in spec["enum_values"]:
                raise ApiValueError(
                    f"Variable {name!r} is {value!r}; it must be one of {spec['enum_values']}"
                )
            url = url.replace("{" + name + "}", value)
        return url

    # -- authentication -------------------------------------------------------------------------

    def get_basic_auth_token(self) -> Optional[str]:
        """The value of the Authorization header for HTTP basic auth, or None without a user."""
        if self.username is None and self.password is None:
            return None
        # UTF-8, as RFC 7617 recommends; urllib3's helper would encode as latin-1 and fail on
        # other characters.
        pair = f"{self.username or ''}:{self.password or ''}".encode()
        return Secret("Basic " + base64.b64encode(pair).decode("ascii"))

    def auth_settings(self) -> dict[str, dict[str, Any]]:
        """The credentials each of the spec's security schemes would send."""
        settings: dict[str, dict[str, Any]] = {}
        if self.username is not None or self.password is not None:
            settings["basicAuth"] = {
                "type": "basic",
                "in": "header",
                "key": "Authorization",
                "value": self.get_basic_auth_token(),
            }
        return settings

    # -- logging ------------------------------------------------------------------------------

    @property
    def logger_file(self) -> Optional[str]:
        """A file the SDK's and urllib3's log records are also written to."""
        return self._logger_file

    @logger_file.setter
    def logger_file(self, value: Optional[str]) -> None:
        if self._logger_file_handler is not None:
            for logger in self.logger.values():
                logger.removeHandler(self._logger_file_handler)
            self._logger_file_handler.close()
            self._logger_file_handler = None
        self._logger_file = value
        if value:
            self._logger_file_handler = logging.FileHandler(value)
            self._logger_file_handler.setFormatter(self._logger_formatter)
            for logger in self.logger.values():
                logger.addHandler(self._logger_file_handler)

    @property
    def debug(self) -> bool:
        """Log each request and answer at DEBUG level (never headers or bodies with secrets)."""
        return self._debug

    @debug.setter
    def debug(self, value: bool) -> None:
        self._debug = bool(value)
        # http.client's own debug printing is left off on purpose: it prints the Authorization
        # header to stdout.
        level = logging.DEBUG if self._debug else logging.WARNING
        for logger in self.logger.values():
            logger.setLevel(level)

    @property
    def logger_format(self) -> str:
        """The format of the records written to `logger_file`."""
        return self._logger_format

    @logger_format.setter
    def logger_format(self, value: str) -> None:
        self._logger_format = value
        self._logger_formatter = logging.Formatter(value)
        if self._logger_file_handler is not None:
            self._logger_file_handler.setFormatter(self._logger_formatter)

    # -- reports ------------------------------------------------------------------------------

    def to_debug_report(self) -> str:
        """What to paste into a bug report: versions and the target, never credentials."""
        import platform  # only here: importing it costs milliseconds at every start
        from importlib.metadata import version  # the installed urllib3's, without importing it

        return (
            "Python SDK Debug Report:\n"
            f"OS: {sys.platform}\n"
            f"Python Version: {platform.python_version()}\n"
            f"urllib3 Version: {version('urllib3')}\n"
            f"Version of the API: {SPEC_VERSION}\n"
            f"SDK Package Version: {__version__}\n"
            f"Host: {redact_url(self.host)}\n"
            f"Dialect: {self.dialect}\n"
            f"Username: {self.username if self.username is not None else '(none)'}\n"
            f"Password: {'(set)' if self.password else '(none)'}"
        )

    def __repr__(self) -> str:
        password = "'***'" if self.password else "None"
        return (
            f"Configuration(host={redact_url(self.host)!r}, username={self.username!r}, "
            f"password={password}, dialect={self.dialect!r}, verify_ssl={self.verify_ssl!r})"
        )


def _checked_host(host: Optional[str]) -> Optional[str]:
    """`host` itself, unless a "/", "?" or "#" in its password is not percent-encoded: the URL's
    host would then begin inside the password, which every message would show. The error
    quotes nothing of the URL."""
    if isinstance(host, str) and userinfo_ends_early(host):
        raise ApiValueError(
            "Invalid host: its password (or user name) holds a '/', '?' or '#' that is not "
            "percent-encoded, so the URL's host would begin inside the password; "
            "percent-encode the password (/ as %2F, ? as %3F, # as %23, @ as %40)",
            path_to_item=["host"])
    return host


def _parse_bool(name: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ApiValueError(f"{name} must be true or false, got {text!r}")
