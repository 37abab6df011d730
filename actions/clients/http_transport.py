"""JSON over HTTP to the customer data service: pooling, timeouts, one retry, breaker, errors.

The HTTP client's endpoint methods stay one-liners; everything about the wire lives here:
- one `requests.Session` with a connection pool, a bearer token on every request;
- `timeout=(connect, read)` on every request;
- exactly one retry after a connection error, only when repeating cannot do harm: GET, PUT and
  DELETE are idempotent; a POST is repeated only if it never reached the service (the connection
  could not be opened). Read timeouts are never retried: the service may still be working on it,
  and the conversation should not wait twice;
- a circuit breaker around each call (retry included), so a down service fails fast;
- status codes mapped to `actions.clients.errors`, bodies parsed into the API's models.
"""

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Dict, Optional, Type, TypeVar

import requests
from pydantic import BaseModel, ValidationError, parse_obj_as
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase
from urllib3.exceptions import MaxRetryError, NewConnectionError

from actions.clients.circuit_breaker import CircuitBreaker
from actions.clients.errors import (
    CustomerDataError,
    InvalidRequest,
    NotFound,
    RateLimited,
    RuleViolation,
    ServiceUnavailable,
    Unauthorized,
    UnexpectedResponse,
)

logger = logging.getLogger(__name__)

DEFAULT_POOL_MAXSIZE = 20
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})
JSON_CONTENT_TYPE = "application/json"
RETRY_AFTER_HEADER = "Retry-After"

# Client errors by status; 429 and 5xx are handled separately.
STATUS_ERRORS: Dict[int, Type[CustomerDataError]] = {
    400: InvalidRequest,
    401: Unauthorized,
    403: Unauthorized,
    404: NotFound,
    409: RuleViolation,
    422: InvalidRequest,
}

Parsed = TypeVar("Parsed")


class BearerAuth(AuthBase):
    """Sends `Authorization: Bearer <token>` (nothing without a token, so the service says 401).

    Set as the session's auth, it also keeps requests from reading credentials out of `~/.netrc`.
    """

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._token:
            request.headers["Authorization"] = f"Bearer {self._token}"
        return request


def build_session(pool_maxsize: int = DEFAULT_POOL_MAXSIZE) -> requests.Session:
    """A session with a pooled adapter that never retries on its own (the transport decides)."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_maxsize, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def parse_retry_after(value: Optional[str], now: Optional[datetime] = None) -> Optional[float]:
    """Seconds to wait from a `Retry-After` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _never_sent(error: requests.ConnectionError) -> bool:
    """True when the connection could not even be opened, so the service saw nothing."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    cause = error.args[0] if error.args else None
    return isinstance(cause, MaxRetryError) and isinstance(cause.reason, NewConnectionError)


def _may_retry(method: str, error: requests.ConnectionError) -> bool:
    if isinstance(error, requests.exceptions.SSLError):
        return False  # a certificate problem does not go away on a second try
    return method in IDEMPOTENT_METHODS or _never_sent(error)


def error_for_response(response: requests.Response) -> CustomerDataError:
    """The error for a non-2xx response, with the service's code, message and details."""
    status = response.status_code
    code, message, details = None, None, None
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        code, message, details = (
            payload.get("error"),
            payload.get("message"),
            payload.get("details"),
        )
        fastapi_detail = payload.get("detail")  # FastAPI's default error body
        if details is None and isinstance(fastapi_detail, list):
            details = fastapi_detail
        if message is None and isinstance(fastapi_detail, str):
            message = fastapi_detail
    text = str(message) if message else f"HTTP {status} {response.reason or ''}".strip()
    fields: Dict[str, Any] = {"status_code": status, "code": code, "details": details}
    if status == 429:
        retry_after = parse_retry_after(response.headers.get(RETRY_AFTER_HEADER))
        return RateLimited(text, retry_after=retry_after, **fields)
    if status >= 500:
        return ServiceUnavailable(text, **fields)
    return STATUS_ERRORS.get(status, CustomerDataError)(text, **fields)


class JsonHttpTransport:
    """Sends JSON requests to one base URL and returns parsed responses or raises mapped errors."""

    def __init__(
        self,
        base_url: str,
        token: str,
        connect_timeout: float,
        read_timeout: float,
        breaker: CircuitBreaker,
        session: Optional[requests.Session] = None,
    ) -> None:
        """Sends every request through `session` (default: `build_session()`) with the token."""
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(
                f"the customer data URL must start with http:// or https://: {base_url!r}"
            )
        self.base_url = base_url.rstrip("/")
        self._timeout = (connect_timeout, read_timeout)
        self._breaker = breaker
        self._session = session or build_session()
        self._session.auth = BearerAuth(token)
        self._session.headers["Accept"] = JSON_CONTENT_TYPE

    def call(
        self,
        method: str,
        path: str,
        response_type: Optional[Type[Parsed]] = None,
        params: Optional[Dict[str, Any]] = None,
        body: Optional[BaseModel] = None,
        headers: Optional[Dict[str, str]] = None,
    ) -> Optional[Parsed]:
        """Sends one request and parses the 2xx body as `response_type` (None: ignore the body).

        Raises:
            CustomerDataError: The subclass for the status; `ServiceUnavailable` for connection
                errors, timeouts, 5xx, an open circuit or a body that breaks the contract.

        """
        with self._breaker.guard():
            response = self._send(method, path, params, body, headers or {})
            if not response.ok:
                error = error_for_response(response)
                log = logger.warning if isinstance(error, ServiceUnavailable) else logger.info
                log("%s %s -> %d %s", method, path, response.status_code, error.message)
                if isinstance(error, Unauthorized):
                    logger.error(
                        "the customer data service rejected the bearer token: check the config"
                    )
                raise error
            if response_type is None:
                return None
            return self._parse(method, path, response, response_type)

    def close(self) -> None:
        """Closes the pooled connections."""
        self._session.close()

    def _send(
        self,
        method: str,
        path: str,
        params: Optional[Dict[str, Any]],
        body: Optional[BaseModel],
        headers: Dict[str, str],
    ) -> requests.Response:
        data = None
        if body is not None:
            data = body.json()
            headers = {**headers, "Content-Type": JSON_CONTENT_TYPE}
        url = self.base_url + path
        try:
            try:
                return self._session.request(
                    method, url, params=params, data=data, headers=headers, timeout=self._timeout
                )
            except requests.ConnectionError as error:
                if not _may_retry(method, error):
                    raise
                logger.warning("%s %s: %s; retrying once", method, path, type(error).__name__)
            return self._session.request(
                method, url, params=params, data=data, headers=headers, timeout=self._timeout
            )
        except requests.RequestException as error:  # connection, timeout, broken body, ...
            raise self._unavailable(method, path, error) from error

    @staticmethod
    def _unavailable(method: str, path: str, error: Exception) -> ServiceUnavailable:
        logger.warning("%s %s failed: %s", method, path, type(error).__name__)
        return ServiceUnavailable(
            f"could not reach the customer data service ({type(error).__name__})"
        )

    @staticmethod
    def _parse(
        method: str, path: str, response: requests.Response, response_type: Type[Parsed]
    ) -> Parsed:
        try:
            return parse_obj_as(response_type, response.json())
        except (ValueError, ValidationError) as error:
            logger.error("%s %s: response does not match the API contract: %s", method, path, error)
            raise UnexpectedResponse(
                f"unexpected response from the customer data service: {error}",
                status_code=response.status_code,
            ) from error
